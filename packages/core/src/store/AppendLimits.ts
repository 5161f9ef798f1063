/**
 * The limits of what an append may store, checked once, in the core, for
 * every adapter (`AppendRules` calls it before encoding): an event whose line
 * would be refused when read back (`StrictJson`: nested deeper than
 * `MAX_DEPTH`, longer than `MAX_LINE_BYTES`) is refused when appended, with
 * an `EventEncodingError`, which retrying cannot cure. So every adapter
 * accepts the same events, and the validator accepts what they export.
 *
 * @since 0.1.0
 */
import { MAX_DEPTH, MAX_LINE_BYTES } from "../StrictJson.js"
import type { EventToAppend } from "./EventStore.js"
import { EventEncodingError } from "./StoreErrors.js"

/** Room left in a line for its envelope (stream, type, version, id, times, position) beside data and meta. */
const ENVELOPE_BYTES = 4096

/**
 * How deep `value` nests (a scalar: 0, `{}`: 1) up to `limit + 1`, and an
 * upper bound of its JSON text's UTF-8 length (each string character counted
 * as 6 bytes, an escape's worst case). Iterative: a deep or cyclic value
 * cannot overflow the stack (a cycle is too deep).
 */
const measure = (value: unknown, limit: number): { depth: number; bound: number } => {
  let depth = 0
  let bound = 0
  const stack: Array<unknown> = [value]
  const depths: Array<number> = [0]
  while (stack.length > 0) {
    const v = stack.pop()
    const d = depths.pop() as number
    if (typeof v === "string") bound += 6 * v.length + 2
    else if (typeof v !== "object" || v === null) bound += 24
    else {
      if (d + 1 > depth) depth = d + 1
      if (depth > limit) return { depth, bound }
      bound += 2
      if (Array.isArray(v)) {
        for (const x of v) {
          stack.push(x)
          depths.push(d + 1)
          bound += 1
        }
      } else {
        for (const k of Object.keys(v)) {
          stack.push((v as Record<string, unknown>)[k])
          depths.push(d + 1)
          bound += 6 * k.length + 4
        }
      }
    }
  }
  return { depth, bound }
}

/** The exact UTF-8 length of a value's JSON text (only when the cheap bound is over the limit). */
const exactLength = (value: unknown): number => {
  try {
    return new TextEncoder().encode(JSON.stringify(value) ?? "").length
  } catch {
    return 0 // not JSON at all: the payload's encode says so
  }
}

/**
 * Checks the events of an append against the limits of a stored line; the
 * first that breaks one fails the append (`event.schema` at `data`,
 * `envelope.field` at `meta`).
 *
 * @category rules
 * @since 0.1.0
 */
export const checkEvents = (stream: string, events: ReadonlyArray<EventToAppend>): EventEncodingError | undefined => {
  // the line's object is level 1: its data and meta may nest MAX_DEPTH - 1 levels
  const maxDepth = MAX_DEPTH - 1
  for (let index = 0; index < events.length; index++) {
    const e = events[index] as EventToAppend
    const parts: ReadonlyArray<readonly [string, string, unknown]> =
      e.meta === undefined
        ? [["event.schema", "data", e.event.data]]
        : [
            ["event.schema", "data", e.event.data],
            ["envelope.field", "meta", e.meta]
          ]
    let bound = ENVELOPE_BYTES
    for (const [rule, path, value] of parts) {
      const m = measure(value, maxDepth)
      if (m.depth > maxDepth) {
        return new EventEncodingError({
          stream,
          index,
          rule,
          path,
          message: `${path} nests deeper than ${maxDepth} levels (a stored line may nest ${MAX_DEPTH})`
        })
      }
      bound += m.bound
    }
    // the cheap bound is over: measure exactly (rare)
    if (bound > MAX_LINE_BYTES && parts.reduce((n, [, , v]) => n + exactLength(v), ENVELOPE_BYTES) > MAX_LINE_BYTES) {
      return new EventEncodingError({
        stream,
        index,
        rule: "event.schema",
        path: "data",
        message: `the event's line would be longer than ${MAX_LINE_BYTES} bytes (data and meta together)`
      })
    }
  }
  return undefined
}
