/**
 * The tools of the mutations (internal to the kit): the context a mutator
 * reads, and splicing lines into a rendered history (insert, replace, copy a
 * line after itself, insert after a referent, insert about unknown ids, broken
 * copies), with what a mutator needs to know of the valid prefix.
 *
 * @since 0.1.0
 */
import { EventCodec, type Events, type Rules } from "@xueshi/core"
import { type History, type HistoryLine, lineOf } from "../District.js"
import type { Mutation } from "../Mutations.js"
import type { Random } from "../Random.js"

export type Wire = Record<string, unknown>

export interface Context {
  readonly history: History
  readonly wire: ReadonlyArray<string>
  readonly r: Random
  /** An id used by no stream or session or grant of the history. */
  readonly fresh: (hint: string) => string
}

export type Mutator = (ctx: Context) => Mutation | undefined

export const codec = EventCodec.EventLogCodec

// biome-ignore lint/suspicious/noExplicitAny: mutations read payload fields of any event type
export const d = (line: HistoryLine): Record<string, any> => line.data as unknown as Record<string, any>

/**
 * The canonical line of an event without any optional envelope field.
 *
 * @category utils
 */
export const plain = (event: Events.DomainEvent): Wire =>
  codec.encodeRecord({ ...lineOf(event), schemaVersion: 1 } as never)

export const plainOf = (line: HistoryLine): Wire => plain({ type: line.type, data: line.data } as Events.DomainEvent)

export const ev = (type: Events.EventType, data: Record<string, unknown>): Events.DomainEvent =>
  ({ type, data }) as unknown as Events.DomainEvent

export const text = (w: unknown): string => (typeof w === "string" ? w : JSON.stringify(w))

/**
 * Inserts lines before 0-based `index`; the first inserted line is line `index + 1`.
 *
 * @category utils
 */
export const insert = (
  ctx: Context,
  index: number,
  rule: Rules.RuleId,
  note: string,
  ...add: Array<unknown>
): Mutation => {
  const lines = [...ctx.wire]
  lines.splice(index, 0, ...add.map(text))
  return { rule, line: index + add.length, lines, note }
}

export const replace = (ctx: Context, index: number, rule: Rules.RuleId, note: string, w: unknown): Mutation => {
  const lines = [...ctx.wire]
  lines[index] = text(w)
  return { rule, line: index + 1, lines, note }
}

export const indices = (h: History, pred: (l: HistoryLine) => boolean): Array<number> => {
  const out: Array<number> = []
  for (let i = 0; i < h.length; i++) if (pred(h[i] as HistoryLine)) out.push(i)
  return out
}

/**
 * A random index of a line of one of `types`, or `undefined`.
 *
 * @category utils
 */
export const pickOf = (ctx: Context, ...types: Array<Events.EventType>): number | undefined => {
  const is = indices(ctx.history, (l) => types.includes(l.type))
  return is.length === 0 ? undefined : ctx.r.pick(is)
}

export const anyIndex = (ctx: Context): number | undefined =>
  ctx.history.length === 0 ? undefined : ctx.r.int(0, ctx.history.length - 1)

export const anyPosition = (ctx: Context): number => ctx.r.int(0, ctx.wire.length)

export const NOW = "2025-06-01T19:00:00+08:00"

/**
 * Inserts a plain copy of line `i` right after it.
 *
 * @category utils
 */
export const copyAfter =
  (rule: Rules.RuleId, ...types: Array<Events.EventType>): Mutator =>
  (ctx) => {
    const i = pickOf(ctx, ...types)
    if (i === undefined) return undefined
    return insert(ctx, i + 1, rule, `copy of line ${i + 1} after it`, plainOf(ctx.history[i] as HistoryLine))
  }

/**
 * Inserts after a line of `types` the event `make` builds from it.
 *
 * @category utils
 */
export const after =
  (
    rule: Rules.RuleId,
    types: ReadonlyArray<Events.EventType>,
    make: (l: HistoryLine, ctx: Context) => Events.DomainEvent | undefined
  ): Mutator =>
  (ctx) => {
    const candidates = indices(ctx.history, (l) => types.includes(l.type))
    while (candidates.length > 0) {
      const k = ctx.r.int(0, candidates.length - 1)
      const i = candidates[k] as number
      const e = make(ctx.history[i] as HistoryLine, ctx)
      if (e !== undefined) return insert(ctx, i + 1, rule, `${e.type} after line ${i + 1}`, plain(e))
      candidates.splice(k, 1)
    }
    return undefined
  }

/**
 * Inserts anywhere an event about ids the history never uses.
 *
 * @category utils
 */
export const anywhere =
  (rule: Rules.RuleId, make: (ctx: Context) => Events.DomainEvent): Mutator =>
  (ctx) => {
    const e = make(ctx)
    return insert(ctx, anyPosition(ctx), rule, `${e.type} about unknown ids`, plain(e))
  }

/**
 * Inserts anywhere a broken copy of some line (a decoding error: the position does not matter).
 *
 * @category utils
 */
export const brokenCopy =
  (rule: Rules.RuleId, breakIt: (w: Wire, l: HistoryLine, ctx: Context) => unknown): Mutator =>
  (ctx) => {
    const i = anyIndex(ctx)
    if (i === undefined) return undefined
    const l = ctx.history[i] as HistoryLine
    return insert(ctx, anyPosition(ctx), rule, `broken copy of line ${i + 1}`, breakIt(plainOf(l), l, ctx))
  }

export const versionBefore = (h: History, i: number): number => {
  const stream = (h[i] as HistoryLine).stream
  let v = 0
  for (let k = 0; k < i; k++) if ((h[k] as HistoryLine).stream === stream) v++
  return v
}

export const sessionMinutesBefore = (h: History, i: number, classId: string, sessionId: string): number | undefined => {
  let minutes: number | undefined
  for (let k = 0; k < i; k++) {
    const l = h[k] as HistoryLine
    if (
      (l.type === "SessionScheduled" || l.type === "SessionRescheduled") &&
      d(l).classId === classId &&
      d(l).sessionId === sessionId
    ) {
      minutes = d(l).minutes
    }
  }
  return minutes
}

export const wireWith = (l: HistoryLine, patch: Record<string, unknown>): Wire => {
  const w = codec.encodeRecord({ ...l, schemaVersion: 1 } as never)
  return { ...w, ...patch }
}

export const GARBAGE = [
  '{"stream":"class-C1"',
  "not json",
  '{"stream":"class-C1","type":"ClassPlanned",}',
  "{'a':1}",
  "\u0000",
  "{]",
  "NaN"
]
