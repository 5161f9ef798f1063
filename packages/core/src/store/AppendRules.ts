/**
 * The rules of an append, stated once for every adapter: the expected-version
 * check, idempotent retries by event id, and encoding the events to their
 * stored form. An adapter calls these inside its own atomic section.
 *
 * @since 0.1.0
 */
import { Result } from "effect"
import { type EventCodec, EventLogCodec, type LogRecord } from "../EventCodec.js"
import type { AppendResult, EventToAppend, ExpectedVersion } from "./EventStore.js"
import { DuplicateEventConflict, EventEncodingError, WrongExpectedVersion } from "./StoreErrors.js"

/**
 * Checks an expected version against a stream's current version (0: no stream).
 *
 * @since 0.1.0
 */
export const checkExpectedVersion = (
  stream: string,
  expected: ExpectedVersion,
  current: number
): WrongExpectedVersion | undefined => {
  const ok =
    expected === "any"
      ? true
      : expected === "noStream"
        ? current === 0
        : expected === "streamExists"
          ? current > 0
          : current === expected
  return ok ? undefined : new WrongExpectedVersion({ stream, expected, actual: current })
}

/**
 * Where an event id is stored.
 *
 * @since 0.1.0
 */
export interface StoredIdLocation {
  readonly stream: string
  readonly version: number
  readonly position: number
}

/**
 * What to do with an append given the ids already stored: write it (`new`),
 * answer a retry with the original result (`retry`), or refuse it.
 *
 * @since 0.1.0
 */
export type IdempotencyVerdict =
  | { readonly _tag: "New" }
  | { readonly _tag: "Retry"; readonly result: AppendResult }
  | { readonly _tag: "Conflict"; readonly error: DuplicateEventConflict }

/**
 * Decides idempotency: if no event id of the append is stored, it is new; if
 * every event has an id and they are all stored in this stream at consecutive
 * versions in the same order, it is a retry; anything between is a conflict, as
 * is an id repeated within the append.
 *
 * @since 0.1.0
 */
export const checkIdempotency = (
  stream: string,
  events: ReadonlyArray<EventToAppend>,
  lookup: (id: string) => StoredIdLocation | undefined
): IdempotencyVerdict => {
  const seen = new Set<string>()
  const found: Array<StoredIdLocation | undefined> = []
  let anyFound = false
  for (const e of events) {
    if (e.id === undefined) {
      found.push(undefined)
      continue
    }
    const id = e.id.toLowerCase()
    if (seen.has(id)) {
      return {
        _tag: "Conflict",
        error: new DuplicateEventConflict({
          stream,
          eventId: e.id,
          message: `event id ${e.id} appears twice in one append`
        })
      }
    }
    seen.add(id)
    const loc = lookup(e.id)
    if (loc !== undefined) anyFound = true
    found.push(loc)
  }
  if (!anyFound) return { _tag: "New" }
  const first = found[0]
  const conflict = (id: string, why: string): IdempotencyVerdict => ({
    _tag: "Conflict",
    error: new DuplicateEventConflict({ stream, eventId: id, message: why })
  })
  for (let i = 0; i < events.length; i++) {
    const id = events[i]?.id ?? "(none)"
    const loc = found[i]
    if (loc === undefined) return conflict(id, `the append partly overlaps stored events: event ${i} (${id}) is new`)
    if (loc.stream !== stream) return conflict(id, `event ${id} is stored in ${loc.stream}, not ${stream}`)
    if (first === undefined || loc.version !== first.version + i) {
      return conflict(id, `event ${id} is stored at version ${loc.version}, not where this append would put it`)
    }
  }
  const last = found[found.length - 1] as StoredIdLocation
  return {
    _tag: "Retry",
    result: { stream, version: last.version, positions: found.map((l) => (l as StoredIdLocation).position) }
  }
}

/**
 * Encodes the events of an append to records at versions `current + 1 …` and
 * positions `head + 1 …`, checking each against its schema and the stream. The
 * records' canonical lines (`codec.encodeLine`) are what adapters persist; the
 * first failing event fails the whole append.
 *
 * @since 0.1.0
 */
export const encodeAppend = (
  stream: string,
  events: ReadonlyArray<EventToAppend>,
  current: number,
  head: number,
  recordedAt: string,
  codec: EventCodec = EventLogCodec
): Result.Result<
  ReadonlyArray<LogRecord & { readonly version: number; readonly position: number }>,
  EventEncodingError
> => {
  const out: Array<LogRecord & { readonly version: number; readonly position: number }> = []
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as EventToAppend
    let wire: Record<string, unknown>
    try {
      wire = codec.encodeData(e.event.type, e.event.data)
    } catch (cause) {
      return Result.fail(
        new EventEncodingError({
          stream,
          index: i,
          rule: "event.schema",
          path: "data",
          message: String((cause as Error)?.message ?? cause)
        })
      )
    }
    const json: Record<string, unknown> = {
      stream,
      type: e.event.type,
      data: wire,
      version: current + i + 1,
      ...(e.id === undefined ? {} : { id: e.id }),
      // the payload was encoded at the codec's current version: say so, or decoding would upcast it again
      schemaVersion: codec.currentVersion(e.event.type),
      recordedAt: e.recordedAt ?? recordedAt,
      position: head + i + 1,
      ...(e.meta === undefined ? {} : { meta: e.meta })
    }
    const decoded = codec.decodeRecord(json)
    if (Result.isFailure(decoded)) {
      const v = decoded.failure
      return Result.fail(new EventEncodingError({ stream, index: i, rule: v.rule, path: v.path, message: v.message }))
    }
    out.push(decoded.success as LogRecord & { readonly version: number; readonly position: number })
  }
  return Result.succeed(out)
}
