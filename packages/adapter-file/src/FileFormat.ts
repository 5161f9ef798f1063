/**
 * The on-disk format of the file adapter (see docs/adapters/file-format.md).
 *
 * A segment is a file of event-log-v1 lines, each extended with one top-level
 * key, `"$file"`, that the adapter adds for integrity:
 *
 * ```
 * {"stream":"member-M1",…,"position":7,"$file":{"i":0,"n":2,"crc":"1c291ca3"}}
 * ```
 *
 * - `i` / `n`: the record is number `i` (0-based) of an append of `n` records.
 *   An append is visible only when all its `n` lines are present, in order.
 * - `crc`: the CRC-32 (IEEE 802.3, as zlib's `crc32`) of the line's UTF-8 bytes
 *   before the 8 hex digits, in lowercase hex. A line therefore always ends with
 *   `hhhhhhhh"}}` and the checksum can be checked without parsing JSON.
 *
 * Removing `"$file"` gives back the canonical event-log-v1 line the core codec
 * wrote ({@link toEventLogLine}).
 *
 * @since 0.1.0
 */
import { crc32 } from "node:zlib"
import { StrictJson } from "@xueshi/core"
import { Result, Schema } from "effect"

/**
 * The top-level key the file adapter adds to each event-log-v1 line.
 *
 * @category constants
 * @since 0.1.0
 */
export const INTEGRITY_KEY = "$file"

/**
 * The format tag of segment summaries.
 *
 * @category constants
 * @since 0.1.0
 */
export const SUMMARY_FORMAT = "xueshi-file-summary/1"

/** `hhhhhhhh"}}`: the fixed end of every line (without the newline). */
const LINE_SUFFIX_LENGTH = 11

const encoder = new TextEncoder()

/**
 * The CRC-32 of bytes, as 8 lowercase hex digits.
 *
 * @category utils
 * @since 0.1.0
 */
export const crcHex = (bytes: Uint8Array): string => (crc32(bytes) >>> 0).toString(16).padStart(8, "0")

/**
 * Frames a canonical event-log-v1 line (a JSON object, no newline) as record `i`
 * of an append of `n`, and returns the line with its trailing newline, as bytes.
 *
 * @category utils
 * @since 0.1.0
 */
export const frameLine = (canonical: string, i: number, n: number): Buffer =>
  Buffer.from(frameText(canonical, i, n), "utf8")

/**
 * {@link frameLine} as text: the checksum is taken over the UTF-8 bytes of the
 * line's head without building them (`crc32` of a string), so that a writer
 * builds one buffer for a whole write.
 *
 * @category utils
 * @since 0.1.0
 */
export const frameText = (canonical: string, i: number, n: number): string => {
  const head = `${canonical.slice(0, -1)},"${INTEGRITY_KEY}":{"i":${i},"n":${n},"crc":"`
  return `${head}${(crc32(head) >>> 0).toString(16).padStart(8, "0")}"}}\n`
}

/**
 * Whether a line's checksum holds. `line` excludes the newline.
 *
 * @category rules
 * @since 0.1.0
 */
export const checkLineCrc = (line: Uint8Array): boolean => {
  const n = line.length
  if (n < LINE_SUFFIX_LENGTH + 2) return false
  // the last three bytes are `"}}`
  if (line[n - 3] !== 0x22 || line[n - 2] !== 0x7d || line[n - 1] !== 0x7d) return false
  const hexStart = n - LINE_SUFFIX_LENGTH
  // the 8 lowercase hex digits as a number (no string built per line: this runs on every record read)
  let expected = 0
  for (let k = hexStart; k < hexStart + 8; k++) {
    const c = line[k] as number
    const digit = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1
    if (digit < 0) return false
    expected = expected * 16 + digit
  }
  return crc32(line.subarray(0, hexStart)) >>> 0 === expected
}

/**
 * The integrity data of a record.
 *
 * @category models
 * @since 0.1.0
 */
export interface Integrity {
  readonly i: number
  readonly n: number
  readonly crc: string
}

/**
 * A line parsed by the file adapter: the JSON object (still with `"$file"`)
 * and its integrity data.
 *
 * @category models
 * @since 0.1.0
 */
export interface FramedLine {
  readonly json: Record<string, unknown>
  readonly integrity: Integrity
}

/**
 * A line that is not a well-formed framed record: `checksum` (missing or not
 * matching), `utf8` (invalid UTF-8 under a valid checksum), `json` (not strict
 * JSON: syntax, a repeated key, too deep, too long) or `shape` (not an object,
 * no batch marker, no stream, version or position, a bad id).
 *
 * @category errors
 * @since 0.1.0
 */
export class FrameRefused extends Schema.TaggedError<FrameRefused>()("FrameRefused", {
  problem: Schema.Literals(["checksum", "utf8", "json", "shape"]),
  message: Schema.String
}) {}

const refused = (problem: FrameRefused["problem"], message: string) =>
  Result.fail(new FrameRefused({ problem, message }))

/**
 * Parses a line of a segment (`line` excludes the newline): checks its
 * checksum, decodes it as UTF-8 refusing invalid bytes, parses it as strict
 * JSON (`StrictJson`) and checks the framing.
 *
 * @category codecs
 * @since 0.1.0
 */
export const parseFramedLine = (line: Uint8Array): Result.Result<FramedLine, FrameRefused> => {
  if (!checkLineCrc(line)) return refused("checksum", "checksum mismatch or missing")
  const text = StrictJson.decodeUtf8(line)
  if (Result.isFailure(text)) return refused("utf8", text.failure.message)
  const parsed = StrictJson.parse(text.success)
  if (Result.isFailure(parsed)) return refused("json", parsed.failure.message)
  const json = parsed.success
  if (typeof json !== "object" || json === null || Array.isArray(json)) return refused("shape", "not a JSON object")
  const obj = json as Record<string, unknown>
  const integrity = obj[INTEGRITY_KEY] as Record<string, unknown> | undefined
  if (typeof integrity !== "object" || integrity === null) return refused("shape", `no "${INTEGRITY_KEY}" key`)
  const { i, n, crc } = integrity
  if (
    !Number.isSafeInteger(i) ||
    !Number.isSafeInteger(n) ||
    (n as number) < 1 ||
    (i as number) < 0 ||
    (i as number) >= (n as number)
  ) {
    return refused("shape", `bad "${INTEGRITY_KEY}" batch marker`)
  }
  if (typeof obj.stream !== "string") return refused("shape", "no stream")
  if (!Number.isSafeInteger(obj.version) || (obj.version as number) < 1) return refused("shape", "no version")
  if (!Number.isSafeInteger(obj.position) || (obj.position as number) < 1) return refused("shape", "no position")
  if (obj.id !== undefined && typeof obj.id !== "string") return refused("shape", "bad id")
  return Result.succeed({ json: obj, integrity: { i: i as number, n: n as number, crc: crc as string } })
}

/**
 * Turns a line of a segment into the plain event-log-v1 line it carries (the
 * same text without `"$file"`), or `undefined` if it is not a valid framed line.
 * This is what an importer that expects plain event-log-v1 should apply.
 *
 * @category codecs
 * @since 0.1.0
 */
export const toEventLogLine = (line: string): string | undefined => {
  const bytes = encoder.encode(line.endsWith("\n") ? line.slice(0, -1) : line)
  if (!checkLineCrc(bytes)) return undefined
  const marker = `,"${INTEGRITY_KEY}":{`
  const at = line.lastIndexOf(marker)
  if (at < 0) return undefined
  return `${line.slice(0, at)}}`
}

/**
 * The file name of the segment whose first global position is `first`:
 * 20 decimal digits, zero-padded, and `.jsonl`.
 *
 * @category utils
 * @since 0.1.0
 */
export const segmentFileName = (first: number): string => `${String(first).padStart(20, "0")}.jsonl`

/**
 * The first position of a segment file name, or `undefined` if it is not one.
 *
 * @category codecs
 * @since 0.1.0
 */
export const parseSegmentFileName = (name: string): number | undefined => {
  const m = /^(\d{20})\.jsonl$/.exec(name)
  if (m === null) return undefined
  const n = Number(m[1])
  return Number.isSafeInteger(n) && n >= 1 ? n : undefined
}

/**
 * A segment summary: what opening needs to know of a segment prefix without
 * parsing it. `size` bytes of the segment hold `count` records at positions
 * `first … first + count - 1`; record `k` is in `streams[stream[k]]`, its line is
 * `lengths[k]` bytes (newline included) and its id is `ids[k]` (or null).
 *
 * @category models
 * @since 0.1.0
 */
export interface SegmentSummary {
  readonly format: typeof SUMMARY_FORMAT
  readonly segment: string
  readonly first: number
  readonly count: number
  readonly size: number
  readonly sealed: boolean
  readonly streams: ReadonlyArray<string>
  readonly stream: ReadonlyArray<number>
  readonly lengths: ReadonlyArray<number>
  readonly ids: ReadonlyArray<string | null>
}

/**
 * Encodes a summary as its file content: JSON ending in `,"crc":"hhhhhhhh"}\n`,
 * the CRC-32 of the bytes before the hex digits.
 *
 * @category codecs
 * @since 0.1.0
 */
export const encodeSummary = (s: SegmentSummary): Buffer => {
  const body = JSON.stringify({
    format: s.format,
    segment: s.segment,
    first: s.first,
    count: s.count,
    size: s.size,
    sealed: s.sealed,
    streams: s.streams,
    stream: s.stream,
    lengths: s.lengths,
    ids: s.ids
  })
  const head = Buffer.from(`${body.slice(0, -1)},"crc":"`, "utf8")
  return Buffer.concat([head, Buffer.from(`${crcHex(head)}"}\n`, "latin1")])
}

/**
 * A summary file that cannot be trusted (it is then rebuilt from the segment):
 * `message` says why (a bad ending or checksum, not JSON, a bad shape, lengths
 * that do not add up, another segment's name).
 *
 * @category errors
 * @since 0.1.0
 */
export class SummaryRefused extends Schema.TaggedError<SummaryRefused>()("SummaryRefused", {
  message: Schema.String
}) {}

const refuse = (message: string) => Result.fail(new SummaryRefused({ message: `summary: ${message}` }))

/**
 * Decodes a summary file, checking its checksum and shape.
 *
 * @category codecs
 * @since 0.1.0
 */
export const decodeSummary = (bytes: Uint8Array): Result.Result<SegmentSummary, SummaryRefused> => {
  let n = bytes.length
  if (n > 0 && bytes[n - 1] === 0x0a) n--
  if (n < 12 || bytes[n - 2] !== 0x22 || bytes[n - 1] !== 0x7d) return refuse("bad ending")
  const hexStart = n - 10
  const hex = Buffer.from(bytes.buffer, bytes.byteOffset + hexStart, 8).toString("latin1")
  if (crcHex(bytes.subarray(0, hexStart)) !== hex) return refuse("checksum mismatch")
  const text = StrictJson.decodeUtf8(bytes.subarray(0, n))
  if (Result.isFailure(text)) return refuse(text.failure.message)
  // a summary may be longer than a line may (StrictJson's bound): plain JSON.parse under its checksum
  let parsed: unknown
  try {
    parsed = JSON.parse(text.success)
  } catch {
    return refuse("not JSON")
  }
  if (typeof parsed !== "object" || parsed === null) return refuse("not an object")
  const json = parsed as { readonly [K in keyof SegmentSummary]?: unknown }
  if (json.format !== SUMMARY_FORMAT) return refuse("unknown format")
  const { count, streams, stream, lengths, ids, size } = json
  const ok =
    typeof json.segment === "string" &&
    Number.isSafeInteger(json.first) &&
    Number.isSafeInteger(count) &&
    Number.isSafeInteger(size) &&
    typeof json.sealed === "boolean" &&
    Array.isArray(streams) &&
    streams.every((x) => typeof x === "string") &&
    Array.isArray(stream) &&
    Array.isArray(lengths) &&
    Array.isArray(ids) &&
    stream.length === count &&
    lengths.length === count &&
    ids.length === count
  if (!ok) return refuse("bad shape")
  let total = 0
  for (let k = 0; k < (count as number); k++) {
    const s = stream[k]
    const l = lengths[k]
    if (!Number.isSafeInteger(s) || s < 0 || s >= streams.length) return refuse("bad stream index")
    if (!Number.isSafeInteger(l) || l < 2) return refuse("bad length")
    const id = ids[k]
    if (id !== null && typeof id !== "string") return refuse("bad id")
    total += l
  }
  if (total !== size) return refuse("lengths do not add up to size")
  return Result.succeed(json as SegmentSummary)
}
