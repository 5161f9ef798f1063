/**
 * Strict parsing of one line of JSON, as every reader of logs and stores does
 * it: `JSON.parse`, plus what it lets through that event-log-v1 forbids. A
 * line is refused, naming where, when
 *
 * - it is longer than {@link MAX_LINE_BYTES} (checked before anything is built
 *   from it, so that a huge line is a typed error, not a `RangeError`);
 * - it nests deeper than {@link MAX_DEPTH} objects and arrays (a reader or a
 *   writer that recurses would overflow its stack);
 * - an object repeats a key (`"minutes":1000,"minutes":90`: `JSON.parse` keeps
 *   the last one, another reader may keep the first and see another event).
 *
 * Bytes are decoded with {@link decodeUtf8}, which refuses invalid UTF-8
 * instead of replacing it with U+FFFD.
 *
 * @since 0.1.0
 */
import { Result } from "effect"

/**
 * The longest line a log or a store may hold, in UTF-8 bytes (newline
 * excluded): 64 MiB. An append whose line would be longer is refused
 * (`AppendLimits`), so that every store can read back what it accepted.
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_LINE_BYTES = 64 * 1024 * 1024

/**
 * The deepest nesting of objects and arrays in a line (the line's own object
 * is level 1): 128, as serde_json's default recursion limit.
 *
 * @category constants
 * @since 0.1.0
 */
export const MAX_DEPTH = 128

/**
 * Why a line is not strict JSON: `tooLong`, `tooDeep`, `duplicateKey`,
 * `syntax` (what `JSON.parse` refuses) or `utf8` (invalid UTF-8 bytes).
 * `offset` is a character offset in the text (a byte offset for `utf8` and
 * `tooLong`); `key` the repeated key.
 *
 * @category models
 * @since 0.1.0
 */
export interface StrictJsonFailure {
  readonly reason: "tooLong" | "tooDeep" | "duplicateKey" | "syntax" | "utf8"
  readonly message: string
  readonly offset?: number
  readonly key?: string
}

const failure = (
  reason: StrictJsonFailure["reason"],
  message: string,
  extra: { offset?: number; key?: string } = {}
): Result.Result<never, StrictJsonFailure> => Result.fail({ reason, message, ...extra })

/** Whether the quote at `j` is escaped (an odd run of backslashes before it). */
const isEscaped = (text: string, j: number): boolean => {
  let k = j - 1
  while (k >= 0 && text.charCodeAt(k) === 92) k--
  return (j - 1 - k) % 2 === 1
}

/** The index of the quote closing the string that opens at `i`, or -1. */
const closingQuote = (text: string, i: number): number => {
  let j = text.indexOf('"', i + 1)
  while (j > 0 && isEscaped(text, j)) j = text.indexOf('"', j + 1)
  return j
}

/**
 * One pass over the text outside strings (strings are skipped with `indexOf`):
 * the number of key/value pairs (colons) and whether the nesting stays within
 * {@link MAX_DEPTH}; the offset of the first bracket too deep otherwise.
 */
const structure = (text: string): { pairs: number; tooDeepAt: number } => {
  let pairs = 0
  let depth = 0
  const n = text.length
  let i = 0
  while (i < n) {
    const c = text.charCodeAt(i)
    if (c === 34) {
      const j = closingQuote(text, i)
      if (j < 0) break
      i = j + 1
      continue
    }
    if (c === 58) pairs++
    else if (c === 123 || c === 91) {
      if (++depth > MAX_DEPTH) return { pairs, tooDeepAt: i }
    } else if (c === 125 || c === 93) depth--
    i++
  }
  return { pairs, tooDeepAt: -1 }
}

/** The keys of a parsed value, counted over every object in it (depth is bounded: recursion is safe). */
const countKeys = (v: unknown): number => {
  if (typeof v !== "object" || v === null) return 0
  let n = 0
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) n += countKeys(v[i])
    return n
  }
  const o = v as Record<string, unknown>
  for (const k in o) n += 1 + countKeys(o[k])
  return n
}

/** The first repeated key of an object in valid JSON text, and where it is (the slow path: only for a line that has one). */
const firstDuplicate = (text: string): { key: string; offset: number } | undefined => {
  const stack: Array<{ keys: Set<string> | undefined; expectKey: boolean }> = []
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    const top = stack[stack.length - 1]
    if (c === 34) {
      const j = closingQuote(text, i)
      if (top?.keys !== undefined && top.expectKey) {
        const key = JSON.parse(text.slice(i, j + 1)) as string
        if (top.keys.has(key)) return { key, offset: i }
        top.keys.add(key)
        top.expectKey = false
      }
      i = j
    } else if (c === 123) stack.push({ keys: new Set(), expectKey: true })
    else if (c === 91) stack.push({ keys: undefined, expectKey: false })
    else if (c === 125 || c === 93) stack.pop()
    else if (c === 44 && top?.keys !== undefined) top.expectKey = true
  }
  return undefined
}

/**
 * The UTF-8 length of a string, counting up to `limit` (then answers more than `limit`).
 */
const utf8LengthOver = (text: string, limit: number): boolean => {
  if (text.length > limit) return true
  if (text.length * 3 <= limit) return false
  let bytes = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c < 0xdc00) {
      bytes += 4 // a surrogate pair
      i++
    } else bytes += 3
    if (bytes > limit) return true
  }
  return false
}

/**
 * Parses one line of JSON strictly (see the module's description).
 *
 * @category codecs
 * @since 0.1.0
 */
export const parse = (text: string): Result.Result<unknown, StrictJsonFailure> => {
  if (utf8LengthOver(text, MAX_LINE_BYTES)) {
    return failure("tooLong", `the line is longer than ${MAX_LINE_BYTES} bytes`)
  }
  const { pairs, tooDeepAt } = structure(text)
  if (tooDeepAt >= 0) {
    return failure("tooDeep", `nested deeper than ${MAX_DEPTH} objects and arrays (at character ${tooDeepAt})`, {
      offset: tooDeepAt
    })
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    const lone = text.indexOf("\r")
    return failure(
      "syntax",
      lone >= 0 && lone < text.length - 1
        ? `not JSON: a carriage return (\\r) at character ${lone} does not end a line: lines end with \\n (or \\r\\n)`
        : `not JSON: ${(e as Error).message}`,
      lone >= 0 ? { offset: lone } : {}
    )
  }
  if (pairs !== countKeys(json)) {
    const dup = firstDuplicate(text)
    if (dup !== undefined) {
      return failure("duplicateKey", `the key ${JSON.stringify(dup.key)} appears twice in one object`, dup)
    }
  }
  return Result.succeed(json)
}

/** The decoder of UTF-8 that refuses invalid bytes. */
const fatalDecoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })

/** The offset of the first byte of `bytes` that does not start or continue a valid UTF-8 sequence. */
const firstInvalidUtf8 = (bytes: Uint8Array): number => {
  let i = 0
  while (i < bytes.length) {
    const b = bytes[i] as number
    const need =
      b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1
    if (need < 0) return i
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k]
      if (c === undefined || (c & 0xc0) !== 0x80) return i
      // overlongs and surrogates (E0 80–9F, ED A0–BF, F0 80–8F, F4 90–BF)
      if (k === 1) {
        if (
          (b === 0xe0 && c < 0xa0) ||
          (b === 0xed && c > 0x9f) ||
          (b === 0xf0 && c < 0x90) ||
          (b === 0xf4 && c > 0x8f)
        )
          return i
      }
    }
    i += need + 1
  }
  return -1
}

/**
 * Decodes UTF-8 bytes, refusing invalid ones (`utf8`, with the byte offset of
 * the first invalid sequence) instead of replacing them with U+FFFD. A leading
 * BOM is kept as U+FEFF (the validator names it).
 *
 * @category codecs
 * @since 0.1.0
 */
export const decodeUtf8 = (bytes: Uint8Array): Result.Result<string, StrictJsonFailure> => {
  try {
    return Result.succeed(fatalDecoder.decode(bytes))
  } catch {
    const offset = Math.max(0, firstInvalidUtf8(bytes))
    return failure("utf8", `invalid UTF-8 at byte ${offset}`, { offset })
  }
}
