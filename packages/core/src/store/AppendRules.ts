/**
 * The rules of an append, stated once for every adapter: the expected-version
 * check, idempotent retries by event id, and encoding the events to their
 * stored form. An adapter calls these inside its own atomic section.
 *
 * @since 0.1.0
 */
import { Result } from "effect"
import { isInstant } from "../Calendar.js"
import { canonicalJson, type EventCodec, EventLogCodec, type LogRecord } from "../EventCodec.js"
import { EventCatalogue, isEventType } from "../Events.js"
import { UUID_PATTERN } from "../Ids.js"
import { parseStreamName } from "../StreamName.js"
import { checkEvents } from "./AppendLimits.js"
import type { AppendResult, EventToAppend, ExpectedVersion } from "./EventStore.js"
import { DuplicateEventConflict, EventEncodingError, WrongExpectedVersion } from "./StoreErrors.js"

/**
 * Checks an expected version against a stream's current version (0: no stream).
 *
 * @category rules
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
 * @category models
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
 * @category models
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
 * @category rules
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
 * A record of an append as stored: a {@link LogRecord} with its version and position.
 *
 * @category models
 * @since 0.1.0
 */
export type AppendedRecord = LogRecord & { readonly version: number; readonly position: number }

/**
 * The encoded events of an append: the records in runtime form and, at the
 * same index, the canonical JSON object of each (`JSON.stringify(wire[i])` is
 * `codec.encodeLine(records[i])`, byte for byte), so that an adapter that
 * persists lines need not encode them again.
 *
 * @category models
 * @since 0.1.0
 */
export interface EncodedAppend {
  readonly records: ReadonlyArray<AppendedRecord>
  readonly wire: ReadonlyArray<Record<string, unknown>>
}

/** The last instant text found valid: an adapter passes the same clock text to many appends. */
let lastValidInstant = ""
const isInstantCached = (u: unknown): boolean => {
  if (u === lastValidInstant) return true
  if (!isInstant(u)) return false
  lastValidInstant = u
  return true
}

const isPlainObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

/** What an append encodes: its events, where they go, and where the wire objects are collected (if wanted). */
interface EncodeInput {
  readonly stream: string
  readonly events: ReadonlyArray<EventToAppend>
  readonly current: number
  readonly head: number
  readonly recordedAt: string
  readonly codec: EventCodec
  readonly wires: Array<Record<string, unknown>> | undefined
}

const encodeEvents = (input: EncodeInput): Result.Result<Array<AppendedRecord>, EventEncodingError> => {
  const { stream, events, current, head, recordedAt, codec, wires } = input
  const out: Array<AppendedRecord> = []
  if (events.length === 0) return Result.succeed(out)
  const beyond = checkEvents(stream, events) // AppendLimits: what every store can read back
  if (beyond !== undefined) return Result.fail(beyond)
  const encodePayload = codec.encodePayload
  if (encodePayload === undefined) return encodeTwoPasses(input)
  const fail = (index: number, rule: string, path: string, message: string) =>
    Result.fail(new EventEncodingError({ stream, index, rule, path, message }))
  const name = parseStreamName(stream)
  if (name === undefined)
    return fail(0, "stream.format", "$stream", `"${stream}" is not <school|member|class|credit>-<id>`)
  for (let i = 0; i < events.length; i++) {
    const e = events[i] as EventToAppend
    const type = e.event.type
    if (!isEventType(type)) return fail(i, "event.type", "$type", `unknown event type ${JSON.stringify(type)}`)
    const entry = EventCatalogue[type]
    if (entry.category !== name.category) {
      return fail(i, "event.category", "$type", `${type} belongs to ${entry.category}-… streams, not ${stream}`)
    }
    if (e.id !== undefined && !(typeof e.id === "string" && UUID_PATTERN.test(e.id))) {
      return fail(i, "envelope.field", "$id", "id must be a UUID")
    }
    const at = e.recordedAt ?? recordedAt
    if (!isInstantCached(at)) {
      return fail(i, "envelope.field", "$recordedAt", "recordedAt must be an ISO 8601 time with an offset")
    }
    if (e.meta !== undefined && !isPlainObject(e.meta))
      return fail(i, "envelope.field", "$meta", "meta must be an object")
    // the one schema pass: encoding checks the payload and gives both of its forms
    const payload = encodePayload(type, e.event.data)
    if (Result.isFailure(payload)) {
      const v = payload.failure
      return fail(i, v.rule, v.path, v.message)
    }
    const { data, wire } = payload.success
    const idValue = data[entry.idField]
    if (idValue !== name.id) {
      return fail(
        i,
        "stream.idMismatch",
        entry.idField,
        `data.${entry.idField} is ${JSON.stringify(idValue)} but the stream is ${stream}`
      )
    }
    const version = current + i + 1
    const position = head + i + 1
    const schemaVersion = codec.currentVersion(type)
    // the record's key order is decodeRecord's; the wire object's is the line's
    const record: Record<string, unknown> = { stream, type, data, schemaVersion, version }
    if (e.id !== undefined) record.id = e.id
    record.recordedAt = at
    record.position = position
    if (e.meta !== undefined) record.meta = e.meta
    out.push(record as unknown as AppendedRecord)
    if (wires !== undefined) {
      const line: Record<string, unknown> = { stream, type, data: wire, version }
      if (e.id !== undefined) line.id = e.id
      line.schemaVersion = schemaVersion
      line.recordedAt = at
      line.position = position
      if (e.meta !== undefined) line.meta = canonicalJson(e.meta)
      wires.push(line)
    }
  }
  return Result.succeed(out)
}

/** For a codec without `encodePayload`: encode, then decode what was built. */
const encodeTwoPasses = ({
  stream,
  events,
  current,
  head,
  recordedAt,
  codec,
  wires
}: EncodeInput): Result.Result<Array<AppendedRecord>, EventEncodingError> => {
  const out: Array<AppendedRecord> = []
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
    const record = decoded.success as AppendedRecord
    out.push(record)
    wires?.push(codec.encodeRecord(record))
  }
  return Result.succeed(out)
}

/**
 * Encodes the events of an append to records at versions `current + 1 …` and
 * positions `head + 1 …`, checking each against its schema (once: the payload's
 * encode is its check) and the stream. The records' canonical lines
 * (`codec.encodeLine`) are what adapters persist; {@link encodeAppendWire}
 * answers them too. The first failing event fails the whole append.
 *
 * @category codecs
 * @since 0.1.0
 */
export const encodeAppend = (
  stream: string,
  events: ReadonlyArray<EventToAppend>,
  current: number,
  head: number,
  recordedAt: string,
  codec: EventCodec = EventLogCodec
): Result.Result<ReadonlyArray<AppendedRecord>, EventEncodingError> =>
  encodeEvents({ stream, events, current, head, recordedAt, codec, wires: undefined })

/**
 * {@link encodeAppend}, also answering the canonical JSON object of each record
 * (see {@link EncodedAppend}): what an adapter that writes lines persists, with
 * `JSON.stringify`, instead of encoding the records again.
 *
 * @category codecs
 * @since 0.1.0
 */
export const encodeAppendWire = (
  stream: string,
  events: ReadonlyArray<EventToAppend>,
  current: number,
  head: number,
  recordedAt: string,
  codec: EventCodec = EventLogCodec
): Result.Result<EncodedAppend, EventEncodingError> => {
  const wire: Array<Record<string, unknown>> = []
  const records = encodeEvents({ stream, events, current, head, recordedAt, codec, wires: wire })
  return Result.isFailure(records) ? Result.fail(records.failure) : Result.succeed({ records: records.success, wire })
}
