/**
 * The log validator: replays the lines of an event log through the codec, the
 * deciders' invariant checks and `evolve`, and cross-stream references, and
 * answers with the typed records or the errors (line number, field path, rule).
 *
 * It streams: lines are pushed one at a time and only per-stream state is kept
 * (plus the ids of events that carry one), never the lines' text.
 *
 * @since 0.1.0
 */
import { Effect, Result, Schema, Stream } from "effect"
import type { ClassState } from "./ClassDecider.js"
import { type EventCodec, EventLogCodec, type LogRecord } from "./EventCodec.js"
import { type DomainEvent, EventCatalogue } from "./Events.js"
import { fingerprint, IdTable } from "./internal/EventIds.js"
import type { MemberState } from "./MemberDecider.js"
import { checkReferences, type ReferenceCheck, type ReferenceLookup, sessionIn } from "./References.js"
import { RuleIdSchema, type RuleViolation, violation } from "./Rules.js"
import type { SchoolState } from "./SchoolDecider.js"
import { StreamKinds } from "./StreamKinds.js"

/**
 * A line of a log breaks a rule: its 1-based line number, the rule, the field
 * path (`data.minutes`, `version`, … or empty for the whole line) and a message.
 *
 * @category errors
 * @since 0.1.0
 */
export class LogError extends Schema.TaggedError<LogError>()("LogError", {
  line: Schema.Int,
  rule: RuleIdSchema,
  path: Schema.String,
  message: Schema.String,
  stream: Schema.optionalKey(Schema.String)
}) {}

/**
 * One line describing a log error: `line 7: data.minutes: [attendance.exceedsSession] 95 minutes exceed …`.
 *
 * @category rendering
 * @since 0.1.0
 */
export const describeLogError = (e: LogError): string =>
  `line ${e.line}:${e.path === "" ? "" : ` ${e.path}:`} [${e.rule}] ${e.message}`

/**
 * Options of validation.
 *
 * @category models
 * @since 0.1.0
 */
export interface ValidateOptions {
  /** Collect every error instead of stopping at the first (default `false`). */
  readonly collectAll?: boolean
  /** With `collectAll`, stop after this many errors (default 1000). */
  readonly maxErrors?: number
  /** The codec (default: event-log-v1 with no upcasters). */
  readonly codec?: EventCodec
  /**
   * Check references between streams: schools, members and sessions named by
   * other streams exist (default `true`). Turn off to validate a partial log.
   */
  readonly references?: boolean
}

/**
 * What the validator keeps of a stream.
 *
 * @category models
 * @since 0.1.0
 */
export interface StreamSlot {
  readonly category: keyof typeof StreamKinds
  version: number
  state: unknown
}

/**
 * The outcome of pushing one line: a record, `"skip"` for a blank line or a
 * repeated event (a no-op), or an error.
 *
 * @category models
 * @since 0.1.0
 */
export type LineOutcome =
  | { readonly _tag: "Record"; readonly record: LogRecord }
  | { readonly _tag: "Skip" }
  | { readonly _tag: "Error"; readonly error: LogError }

/**
 * An incremental validator: push lines in order, read the streams' states.
 *
 * @category models
 * @since 0.1.0
 */
export interface LogValidator {
  /** Validates the next line; accepted lines evolve the streams' states. */
  readonly push: (text: string) => LineOutcome
  /** Lines pushed so far. */
  readonly lines: () => number
  /** Events accepted so far. */
  readonly accepted: () => number
  /** The stream slots (state and version by stream name). */
  readonly streams: ReadonlyMap<string, StreamSlot>
}

const BOM = "\uFEFF"

/**
 * A record with its version: the same keys in the same order as `{ ...record, version }`, built
 * field by field (a spread of records of many shapes is megamorphic and slow on this hot path).
 */
const withVersion = (record: LogRecord, version: number): LogRecord => {
  const out: Record<string, unknown> = {}
  for (const k in record) out[k] = (record as unknown as Record<string, unknown>)[k]
  out.version = version
  return out as unknown as LogRecord
}

/**
 * Makes an incremental validator.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeLogValidator = (options: ValidateOptions = {}): LogValidator => {
  const codec = options.codec ?? EventLogCodec
  const references = options.references ?? true
  const streams = new Map<string, StreamSlot>()
  const eventIds = new IdTable()
  let lineNo = 0
  let accepted = 0
  let lastPosition = 0

  const stateOf = <S>(stream: string): S | undefined => streams.get(stream)?.state as S | undefined

  const lookup: ReferenceLookup = {
    school: (id) => stateOf<SchoolState>(`school-${id}`),
    member: (id) => stateOf<MemberState>(`member-${id}`),
    session: (classId, sessionId) => sessionIn(stateOf<ClassState>(`class-${classId}`), sessionId)
  }
  const referenceFacts = (e: DomainEvent): ReferenceCheck => (references ? checkReferences(e, lookup) : {})

  const fail = (v: RuleViolation, stream?: string): LineOutcome => ({
    _tag: "Error",
    error: new LogError({
      line: lineNo,
      rule: v.rule,
      path: v.path,
      message: v.message,
      ...(stream === undefined ? {} : { stream })
    })
  })

  const push = (raw: string): LineOutcome => {
    lineNo++
    let text = raw
    if (lineNo === 1 && text.startsWith(BOM)) {
      return fail(
        violation("line.json", "$", "the log starts with a byte order mark; event logs are UTF-8 without BOM")
      )
    }
    if (text.endsWith("\r")) text = text.slice(0, -1)
    if (text.trim() === "") return { _tag: "Skip" }
    const decoded = codec.decodeLine(text)
    if (Result.isFailure(decoded)) return fail(decoded.failure)
    const record = decoded.success
    const stream = record.stream

    // UUIDs compare case-insensitively; the fingerprint tells a repeated event from a reused id
    const idKey = record.id
    const fp = idKey === undefined ? 0 : fingerprint(codec, record)
    if (idKey !== undefined) {
      const seen = eventIds.get(idKey)
      if (seen !== undefined) {
        if (seen === fp) return { _tag: "Skip" }
        return fail(violation("event.idReused", "$id", `event id ${record.id} was used by a different event`), stream)
      }
    }

    const kind = StreamKinds[EventCatalogue[record.type].category]
    let slot = streams.get(stream)
    const expected = (slot?.version ?? 0) + 1
    if (record.version !== undefined && record.version !== expected) {
      return fail(
        violation(
          "stream.version",
          "$version",
          `version ${record.version} is not the next version ${expected} of ${stream}`
        ),
        stream
      )
    }
    if (record.position !== undefined) {
      if (record.position <= lastPosition) {
        return fail(
          violation(
            "log.position",
            "$position",
            `position ${record.position} does not increase (last ${lastPosition})`
          ),
          stream
        )
      }
    }
    // a new stream's state is the validator's own (a copy of the initial state), evolved in place
    const state = slot?.state ?? (kind.own === undefined ? kind.initialState : kind.own(kind.initialState))
    const refs = referenceFacts(record)
    const ruleBroken = kind.check(state, record, refs.facts) ?? refs.error
    if (ruleBroken !== undefined) return fail(ruleBroken, stream)

    if (slot === undefined) {
      slot = { category: kind.category, version: 0, state }
      streams.set(stream, slot)
    }
    slot.state = kind.evolveOwned === undefined ? kind.evolve(state, record) : kind.evolveOwned(state, record)
    slot.version = expected
    if (record.position !== undefined) lastPosition = record.position
    if (idKey !== undefined) eventIds.set(idKey, fp)
    accepted++
    return { _tag: "Record", record: record.version === undefined ? withVersion(record, expected) : record }
  }

  return { push, lines: () => lineNo, accepted: () => accepted, streams }
}

/**
 * The result of validating a whole log: the accepted records (unless
 * `keepRecords` is off) and the errors; `ok` when there is none.
 *
 * @category models
 * @since 0.1.0
 */
export interface ValidationReport {
  readonly ok: boolean
  readonly lines: number
  readonly accepted: number
  readonly records: ReadonlyArray<LogRecord>
  readonly errors: ReadonlyArray<LogError>
}

/**
 * Options of whole-log validation.
 *
 * @category models
 * @since 0.1.0
 */
export interface ValidateLogOptions extends ValidateOptions {
  /** Keep the accepted records in the report (default `true`). */
  readonly keepRecords?: boolean
  /** Called with each accepted record, in order. */
  readonly onRecord?: (record: LogRecord) => void
}

const collector = (options: ValidateLogOptions) => {
  const v = makeLogValidator(options)
  const keep = options.keepRecords ?? true
  const collectAll = options.collectAll ?? false
  const maxErrors = options.maxErrors ?? 1000
  const records: Array<LogRecord> = []
  const errors: Array<LogError> = []
  const step = (line: string): boolean => {
    const o = v.push(line)
    if (o._tag === "Record") {
      if (keep) records.push(o.record)
      options.onRecord?.(o.record)
    } else if (o._tag === "Error") {
      errors.push(o.error)
      if (!collectAll || errors.length >= maxErrors) return false
    }
    return true
  }
  const report = (): ValidationReport => ({
    ok: errors.length === 0,
    lines: v.lines(),
    accepted: v.accepted(),
    records: errors.length === 0 || collectAll ? records : [],
    errors
  })
  return { step, report }
}

/**
 * Validates the lines of a log (an array, a generator, …). Stops at the first
 * error unless `collectAll` is set.
 *
 * @category rules
 * @since 0.1.0
 */
export const validateLines = (lines: Iterable<string>, options: ValidateLogOptions = {}): ValidationReport => {
  const c = collector(options)
  for (const line of lines) if (!c.step(line)) break
  return c.report()
}

/**
 * Validates a whole log held as one string (lines split on `\n`).
 *
 * @category rules
 * @since 0.1.0
 */
export const validateText = (text: string, options: ValidateLogOptions = {}): ValidationReport => {
  function* split() {
    let start = 0
    while (start <= text.length) {
      const nl = text.indexOf("\n", start)
      if (nl === -1) {
        if (start < text.length) yield text.slice(start)
        return
      }
      yield text.slice(start, nl)
      start = nl + 1
    }
  }
  return validateLines(split(), options)
}

/**
 * Validates lines that arrive asynchronously (for example `readline` over a file).
 *
 * @category rules
 * @since 0.1.0
 */
export const validateAsyncLines = async (
  lines: AsyncIterable<string>,
  options: ValidateLogOptions = {}
): Promise<ValidationReport> => {
  const c = collector(options)
  for await (const line of lines) if (!c.step(line)) break
  return c.report()
}

/**
 * Validates a `Stream` of lines in constant memory (per-stream state aside).
 *
 * @category rules
 * @since 0.1.0
 */
export const validateStream = <E, R>(
  lines: Stream.Stream<string, E, R>,
  options: ValidateLogOptions = {}
): Effect.Effect<ValidationReport, E, R> =>
  Effect.suspend(() => {
    const c = collector(options)
    return lines.pipe(
      Stream.takeWhile((line) => c.step(line)),
      Stream.runDrain,
      Effect.map(() => c.report())
    )
  })
