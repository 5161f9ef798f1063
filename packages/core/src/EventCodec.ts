/**
 * The codec of event-log-v1 lines: one JSON line ⇄ one typed {@link LogRecord}.
 *
 * Decoding checks the envelope, upcasts older payload versions through the
 * upcaster registry (keyed by `(type, schemaVersion)`), decodes the payload with
 * its schema and checks that the payload's id agrees with the stream. Encoding
 * writes every known field in the contract's order (`stream, type, data, version,
 * id, schemaVersion, recordedAt, position, meta`), payload keys in schema order
 * and `meta` keys sorted, so export → import → export is byte-identical.
 *
 * @since 0.1.0
 */
import { Result, Schema, SchemaIssue } from "effect"
import { isInstant } from "./Calendar.js"
import { type DomainEvent, EventCatalogue, type EventType, isEventType } from "./Events.js"
import { fromWire } from "./Hours.js"
import { UUID_PATTERN } from "./Ids.js"
import { compile as compileFast, type FastDecoder, REJECT } from "./internal/FastDecode.js"
import { type RuleViolation, violation } from "./Rules.js"
import { parseStreamName } from "./StreamName.js"
import * as StrictJson from "./StrictJson.js"

/**
 * The envelope of a recorded event: where it sits and what is known about it.
 *
 * @category models
 * @since 0.1.0
 */
export interface Envelope {
  readonly stream: string
  /** 1-based position of the event in its stream. */
  readonly version?: number
  /** The event's unique id (a UUID). */
  readonly id?: string
  /** The payload version after upcasting: always the codec's current version. */
  readonly schemaVersion: number
  readonly recordedAt?: string
  /** Global position (1-based, strictly increasing). */
  readonly position?: number
  readonly meta?: Readonly<Record<string, unknown>>
}

/**
 * A recorded event: a domain event plus its envelope. This is one line of a log.
 *
 * @category models
 * @since 0.1.0
 */
export type LogRecord = DomainEvent & Envelope

/**
 * Raises the payload of `type` from `fromVersion` to `fromVersion + 1`.
 *
 * @category models
 * @since 0.1.0
 */
export interface Upcaster {
  readonly type: EventType
  readonly fromVersion: number
  readonly upcast: (data: Readonly<Record<string, unknown>>) => Record<string, unknown>
}

/**
 * How a codec reads payloads: the current version and schema of each type it
 * overrides, and the upcasters that raise older versions.
 *
 * @category models
 * @since 0.1.0
 */
export interface EventCodecOptions {
  /** Upcasters, at most one per `(type, fromVersion)`. */
  readonly upcasters?: ReadonlyArray<Upcaster>
  /** Newer payload versions: type → its current version and schema. */
  readonly versions?: Partial<Record<EventType, { readonly version: number; readonly schema: Schema.Codec<any, any> }>>
}

/**
 * Encodes and decodes log lines.
 *
 * @category models
 * @since 0.1.0
 */
export interface EventCodec {
  /** Decodes one line of text (without its newline). */
  readonly decodeLine: (text: string) => Result.Result<LogRecord, RuleViolation>
  /** Decodes a parsed JSON value. */
  readonly decodeRecord: (json: unknown) => Result.Result<LogRecord, RuleViolation>
  /** Encodes a record to its canonical line (without newline). */
  readonly encodeLine: (record: LogRecord) => string
  /** Encodes a record to its canonical JSON object (key order is the line's). */
  readonly encodeRecord: (record: LogRecord) => Record<string, unknown>
  /** Encodes a payload to its wire form. */
  readonly encodeData: (type: EventType, data: unknown) => Record<string, unknown>
  /** The current payload version of a type. */
  readonly currentVersion: (type: EventType) => number
  /**
   * Checks a runtime payload against its schema in ONE pass and answers both of
   * its forms: `wire` (what {@link EventCodec.encodeData} writes) and `data`, the
   * runtime form that decoding `wire` would give (a fresh object, unknown keys
   * dropped). Optional: a codec without it is used through `encodeData` and
   * `decodeRecord` (two passes).
   */
  readonly encodePayload?: (
    type: EventType,
    data: unknown
  ) => Result.Result<{ readonly wire: Record<string, unknown>; readonly data: Record<string, unknown> }, RuleViolation>
  /**
   * Decodes a record whose bytes are known intact (checksummed by the store that
   * wrote them after validating them): when its `schemaVersion` is this codec's
   * current one and the type's schema is the catalogue's, the payload is taken
   * as it is (only `CreditGranted.hours` is converted to its runtime form), with
   * no schema decode; otherwise (an older version, another schema, a payload
   * that is not an object) it is {@link EventCodec.decodeRecord}. The key named
   * `ignore` (a store's own framing key) is left out of the record. Optional.
   */
  readonly decodeIntact?: (json: Record<string, unknown>, ignore?: string) => Result.Result<LogRecord, RuleViolation>
}

const ENVELOPE_KEYS: ReadonlySet<string> = new Set([
  "stream",
  "type",
  "data",
  "version",
  "id",
  "schemaVersion",
  "recordedAt",
  "position",
  "meta"
])

const isPlainObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === "object" && u !== null && !Array.isArray(u)

const isPositiveInt = (u: unknown): u is number => typeof u === "number" && Number.isSafeInteger(u) && u >= 1

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

/**
 * Sorts object keys recursively: the canonical form of `meta` that
 * {@link EventCodec.encodeRecord} writes.
 *
 * @category codecs
 * @since 0.1.0
 */
export const canonicalJson = (u: unknown): unknown => {
  if (Array.isArray(u)) return u.map(canonicalJson)
  if (isPlainObject(u)) {
    const out: Record<string, unknown> = {}
    for (const k of Object.keys(u).sort()) {
      // an own "__proto__" key (JSON.parse makes one) must stay a key, not set the prototype
      if (k === "__proto__")
        Object.defineProperty(out, k, {
          value: canonicalJson(u[k]),
          enumerable: true,
          writable: true,
          configurable: true
        })
      else out[k] = canonicalJson(u[k])
    }
    return out
  }
  return u
}

/** Reorders a payload's keys into the schema's field order, recursively for nested structs. */
const orderLike = (fields: ReadonlyArray<string>, obj: Record<string, unknown>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const k of fields) if (obj[k] !== undefined) out[k] = obj[k]
  return out
}

/** A record of a decoded payload with the envelope fields of `json` (in decodeRecord's key order). */
const recordOf = (
  json: Record<string, unknown>,
  stream: string,
  type: EventType,
  data: Record<string, unknown>,
  schemaVersion: number
): LogRecord => {
  const record: Record<string, unknown> = { stream, type, data, schemaVersion }
  if (json.version !== undefined) record.version = json.version
  if (json.id !== undefined) record.id = json.id
  if (json.recordedAt !== undefined) record.recordedAt = json.recordedAt
  if (json.position !== undefined) record.position = json.position
  if (json.meta !== undefined) record.meta = json.meta
  return record as unknown as LogRecord
}

const SOURCE_FIELDS: Record<string, ReadonlyArray<string>> = {
  session: ["kind", "classId", "sessionId"],
  external: ["kind", "system", "reference"]
}

const HOURS_TEXT = /"hours"\s*:\s*(-?[0-9][0-9.eE+-]*)/g
const WIRE_AMOUNT = /^\d+(?:\.\d{1,2})?$/

/** The first written form of an `"hours":` number of this value that is not a plain amount with ≤ 2 decimals. */
const badHoursText = (line: string, hours: number): string | undefined => {
  for (const m of line.matchAll(HOURS_TEXT)) {
    const written = m[1] as string
    if (!WIRE_AMOUNT.test(written) && fromWire(Number(written)) === hours) return written
  }
  return undefined
}

/**
 * Makes a codec. Without options it reads and writes version 1 of every type.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeEventCodec = (options: EventCodecOptions = {}): EventCodec => {
  const upcasters = new Map<string, Upcaster["upcast"]>()
  for (const u of options.upcasters ?? []) {
    const key = `${u.type}@${u.fromVersion}`
    if (upcasters.has(key)) throw new Error(`two upcasters for ${key}`)
    upcasters.set(key, u.upcast)
  }
  const schemaOf = (type: EventType): Schema.Codec<any, any> =>
    options.versions?.[type]?.schema ?? EventCatalogue[type].schema
  const currentVersion = (type: EventType): number => options.versions?.[type]?.version ?? 1

  const decoders = new Map<EventType, (u: unknown) => Result.Result<any, Schema.SchemaError>>()
  const encoders = new Map<EventType, (a: unknown) => any>()
  const fieldOrder = new Map<EventType, ReadonlyArray<string>>()
  const decoderOf = (type: EventType) => {
    let d = decoders.get(type)
    if (d === undefined) {
      d = Schema.decodeUnknownResult(schemaOf(type), { onExcessProperty: "error" })
      decoders.set(type, d)
    }
    return d
  }
  const encoderOf = (type: EventType) => {
    let e = encoders.get(type)
    if (e === undefined) {
      e = Schema.encodeSync(schemaOf(type)) as (a: unknown) => any
      encoders.set(type, e)
    }
    return e
  }
  const fieldsOf = (type: EventType): ReadonlyArray<string> => {
    let f = fieldOrder.get(type)
    if (f === undefined) {
      const s = schemaOf(type) as unknown as { fields?: Record<string, unknown> }
      f = s.fields === undefined ? [] : Object.keys(s.fields)
      fieldOrder.set(type, f)
    }
    return f
  }

  // the fast path of payloads whose schema transforms nothing (internal/FastDecode: it accepts only
  // what the schema accepts, with the schema's output; the rest goes through the schema)
  const fastDecoders = new Map<EventType, FastDecoder | undefined>()
  const fastOf = (type: EventType): FastDecoder | undefined => {
    if (fastDecoders.has(type)) return fastDecoders.get(type)
    const f = compileFast(schemaOf(type).ast)
    fastDecoders.set(type, f)
    return f
  }
  const decodePayload = (type: EventType, u: unknown): Result.Result<unknown, Schema.SchemaError> => {
    const fast = fastOf(type)
    if (fast !== undefined) {
      const out = fast(u)
      if (out !== REJECT) return Result.succeed(out)
    }
    return decoderOf(type)(u)
  }
  const checkedEncode = (type: EventType, a: unknown): Result.Result<unknown, Schema.SchemaError> => {
    const fast = fastOf(type)
    if (fast !== undefined) {
      const out = fast(a)
      if (out !== REJECT) return Result.succeed(out)
    }
    return checkedEncoderOf(type)(a)
  }

  const checkedEncoders = new Map<EventType, (a: unknown) => Result.Result<any, Schema.SchemaError>>()
  const checkedEncoderOf = (type: EventType) => {
    let e = checkedEncoders.get(type)
    if (e === undefined) {
      e = Schema.encodeUnknownResult(schemaOf(type))
      checkedEncoders.set(type, e)
    }
    return e
  }
  /** Whether the wire form of `type` is its runtime form (but for `CreditGranted.hours`): the catalogue's schema. */
  const isCatalogueSchema = (type: EventType): boolean => schemaOf(type) === EventCatalogue[type].schema

  const schemaViolation = (type: EventType, error: Schema.SchemaError): RuleViolation => {
    const first = formatter(error.issue).issues[0]
    const path = first?.path?.map((p) => (typeof p === "object" && p !== null ? String(p.key) : String(p))) ?? []
    return violation(
      "event.schema",
      path.length === 0 ? "$data" : path.join("."),
      `${type}: ${first?.message ?? "invalid payload"}`
    )
  }

  /** Puts an encoded payload's keys in the contract's order. */
  const ordered = (type: EventType, wire: Record<string, unknown>): Record<string, unknown> => {
    const fields = fieldsOf(type)
    const out = fields.length === 0 ? (canonicalJson(wire) as Record<string, unknown>) : orderLike(fields, wire)
    const src = out.source
    if (isPlainObject(src) && typeof src.kind === "string" && SOURCE_FIELDS[src.kind] !== undefined) {
      out.source = orderLike(SOURCE_FIELDS[src.kind] as ReadonlyArray<string>, src)
    }
    return out
  }

  const encodeData = (type: EventType, data: unknown): Record<string, unknown> =>
    ordered(type, encoderOf(type)(data) as Record<string, unknown>)

  const encodePayload: NonNullable<EventCodec["encodePayload"]> = (type, data) => {
    if (!isEventType(type))
      return Result.fail(violation("event.type", "$type", `unknown event type ${JSON.stringify(type)}`))
    const encoded = checkedEncode(type, data)
    if (Result.isFailure(encoded)) return Result.fail(schemaViolation(type, encoded.failure))
    const wire = ordered(type, encoded.success as Record<string, unknown>)
    if (isCatalogueSchema(type)) {
      // the catalogue's schemas are their own wire form but for the hours of a grant;
      // encoding made fresh objects, so the runtime form can share them
      if (type !== "CreditGranted") return Result.succeed({ wire, data: wire })
      const hours = fromWire(wire.hours as number)
      if (hours === undefined) return Result.fail(violation("event.schema", "hours", `${type}: hours do not encode`))
      return Result.succeed({ wire, data: { ...wire, hours } })
    }
    // another schema (a newer version): only decoding knows its runtime form
    const decoded = decodePayload(type, wire)
    if (Result.isFailure(decoded)) return Result.fail(schemaViolation(type, decoded.failure))
    return Result.succeed({ wire, data: decoded.success as Record<string, unknown> })
  }

  const decodeRecord = (json: unknown): Result.Result<LogRecord, RuleViolation> => {
    if (!isPlainObject(json)) return Result.fail(violation("line.object", "$", "a line must be a JSON object"))
    for (const k of Object.keys(json)) {
      if (!ENVELOPE_KEYS.has(k))
        return Result.fail(violation("envelope.field", `$${k}`, `unknown envelope field "${k}"`))
    }
    const { stream, type, data } = json
    if (typeof stream !== "string") {
      return Result.fail(violation("stream.format", "$stream", "stream is required and must be a string"))
    }
    const name = parseStreamName(stream)
    if (name === undefined) {
      return Result.fail(violation("stream.format", "$stream", `"${stream}" is not <school|member|class|credit>-<id>`))
    }
    if (!isEventType(type)) {
      return Result.fail(violation("event.type", "$type", `unknown event type ${JSON.stringify(type)}`))
    }
    const entry = EventCatalogue[type]
    if (entry.category !== name.category) {
      return Result.fail(
        violation("event.category", "$type", `${type} belongs to ${entry.category}-… streams, not ${stream}`)
      )
    }
    if (!isPlainObject(data))
      return Result.fail(violation("event.schema", "$data", "data is required and must be an object"))
    if (json.version !== undefined && !isPositiveInt(json.version)) {
      return Result.fail(violation("envelope.field", "$version", "version must be a positive integer"))
    }
    if (json.id !== undefined && !(typeof json.id === "string" && UUID_PATTERN.test(json.id))) {
      return Result.fail(violation("envelope.field", "$id", "id must be a UUID"))
    }
    if (json.schemaVersion !== undefined && !isPositiveInt(json.schemaVersion)) {
      return Result.fail(violation("envelope.field", "$schemaVersion", "schemaVersion must be a positive integer"))
    }
    if (json.recordedAt !== undefined && !isInstant(json.recordedAt)) {
      return Result.fail(
        violation("envelope.field", "$recordedAt", "recordedAt must be an ISO 8601 time with an offset")
      )
    }
    if (json.position !== undefined && !isPositiveInt(json.position)) {
      return Result.fail(violation("envelope.field", "$position", "position must be a positive integer"))
    }
    if (json.meta !== undefined && !isPlainObject(json.meta)) {
      return Result.fail(violation("envelope.field", "$meta", "meta must be an object"))
    }
    // upcast
    const current = currentVersion(type)
    let version = (json.schemaVersion as number | undefined) ?? 1
    let payload: Record<string, unknown> = data
    if (version > current) {
      return Result.fail(
        violation(
          "event.schemaVersion",
          "$schemaVersion",
          `${type} version ${version} is newer than this codec's ${current}`
        )
      )
    }
    while (version < current) {
      const up = upcasters.get(`${type}@${version}`)
      if (up === undefined) {
        return Result.fail(
          violation("event.schemaVersion", "$schemaVersion", `no upcaster for ${type} version ${version}`)
        )
      }
      try {
        payload = up(payload)
      } catch (cause) {
        return Result.fail(
          violation(
            "event.schemaVersion",
            "$schemaVersion",
            `the upcaster of ${type} version ${version} failed: ${(cause as Error)?.message ?? String(cause)}`
          )
        )
      }
      version++
    }
    const decoded = decodePayload(type, payload)
    if (Result.isFailure(decoded)) return Result.fail(schemaViolation(type, decoded.failure))
    const idField = entry.idField
    const idValue = (decoded.success as Record<string, unknown>)[idField]
    if (idValue !== name.id) {
      return Result.fail(
        violation(
          "stream.idMismatch",
          idField,
          `data.${idField} is ${JSON.stringify(idValue)} but the stream is ${stream}`
        )
      )
    }
    return Result.succeed(recordOf(json, stream, type, decoded.success as Record<string, unknown>, current))
  }

  const decodeIntact: NonNullable<EventCodec["decodeIntact"]> = (json, ignore) => {
    const { type, data } = json
    if (
      isEventType(type) &&
      json.schemaVersion === currentVersion(type) &&
      isCatalogueSchema(type) &&
      typeof json.stream === "string" &&
      isPlainObject(data)
    ) {
      let payload: Record<string, unknown> | undefined = data
      if (type === "CreditGranted") {
        const hours = typeof data.hours === "number" ? fromWire(data.hours) : undefined
        payload = hours === undefined ? undefined : { ...data, hours }
      }
      if (payload !== undefined) return Result.succeed(recordOf(json, json.stream, type, payload, json.schemaVersion))
    }
    if (ignore === undefined || !Object.hasOwn(json, ignore)) return decodeRecord(json)
    const rest: Record<string, unknown> = {}
    for (const k of Object.keys(json)) if (k !== ignore) rest[k] = json[k]
    return decodeRecord(rest)
  }

  const decodeLine = (text: string): Result.Result<LogRecord, RuleViolation> => {
    // strict: no repeated key, bounded length and nesting (StrictJson)
    const parsed = StrictJson.parse(text)
    if (Result.isFailure(parsed)) return Result.fail(violation("line.json", "$", parsed.failure.message))
    const decoded = decodeRecord(parsed.success)
    if (Result.isSuccess(decoded) && decoded.success.type === "CreditGranted") {
      // JSON.parse forgets how a number was written (1.2500000000000001 parses as 1.25):
      // check the text of the hours amount itself against "at most two decimals".
      const bad = badHoursText(text, decoded.success.data.hours)
      if (bad !== undefined) {
        return Result.fail(
          violation(
            "event.schema",
            "hours",
            `CreditGranted: hours written as ${bad}; at most two decimals, no exponent`
          )
        )
      }
    }
    return decoded
  }

  const encodeRecord = (r: LogRecord): Record<string, unknown> => {
    const out: Record<string, unknown> = { stream: r.stream, type: r.type, data: encodeData(r.type, r.data) }
    if (r.version !== undefined) out.version = r.version
    if (r.id !== undefined) out.id = r.id
    out.schemaVersion = r.schemaVersion ?? currentVersion(r.type)
    if (r.recordedAt !== undefined) out.recordedAt = r.recordedAt
    if (r.position !== undefined) out.position = r.position
    if (r.meta !== undefined) out.meta = canonicalJson(r.meta)
    return out
  }

  return {
    decodeLine,
    decodeRecord,
    encodeLine: (r) => JSON.stringify(encodeRecord(r)),
    encodeRecord,
    encodeData,
    currentVersion,
    encodePayload,
    decodeIntact
  }
}

/**
 * The codec of event-log-v1 as shipped: version 1 of every type, no upcasters.
 *
 * @category values
 * @since 0.1.0
 */
export const EventLogCodec: EventCodec = makeEventCodec()
