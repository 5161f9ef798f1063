/**
 * Instants: ISO 8601 timestamps with an explicit UTC offset, their epoch
 * milliseconds and order. Part of `Calendar`, which re-exports its public names.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as order from "effect/Order"
import {
  daysFromCivil,
  fromEpochDayUnchecked,
  isValidYmd,
  JSON_SCHEMA_DATE,
  type LocalDate,
  MS_PER_DAY,
  pad
} from "./LocalDate.js"

// ---------------------------------------------------------------------------
// Instant
// ---------------------------------------------------------------------------

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/

/** The time and offset of an instant for JSON Schema (the offset `-00:00` excluded). */
const JSON_SCHEMA_TIME =
  "(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\\.[0-9]{1,9})?)?" +
  "(?:Z|\\+(?:[01][0-9]|2[0-3]):[0-5][0-9]|-(?:(?:0[1-9]|1[0-9]|2[0-3]):[0-5][0-9]|00:(?:0[1-9]|[1-5][0-9])))"

/** Instant texts already parsed by the pattern (a log repeats them: a session's start), bounded; NaN: invalid. */
const instantMillis = new Map<string, number>()

/** Epoch milliseconds of an instant text, or `undefined` when it is invalid. */
const parseInstantMillis = (s: string): number | undefined => {
  const fast = canonicalInstantMillis(s)
  if (fast !== null) return fast
  const hit = instantMillis.get(s)
  if (hit !== undefined) return Number.isNaN(hit) ? undefined : hit
  const ms = instantMillisByPattern(s)
  if (instantMillis.size >= 100_000) instantMillis.clear()
  instantMillis.set(s, ms ?? Number.NaN)
  return ms
}

/** Two decimal digits at `i`, or -1. */
const digits2 = (s: string, i: number): number => {
  const a = s.charCodeAt(i) - 48
  const b = s.charCodeAt(i + 1) - 48
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1
}

/**
 * The epoch milliseconds of an instant in one of the four shapes writers use —
 * `YYYY-MM-DDTHH:MM:SS`, optionally `.sss`, then `Z` or `±HH:MM` — read by
 * character codes (every record read and appended carries a few); `undefined`
 * when such a text is not a valid instant, `null` for any other shape (the
 * pattern decides). Equal to {@link instantMillisByPattern} on every text it
 * answers (a property test checks it).
 *
 * @internal
 */
export const canonicalInstantMillis = (s: string): number | undefined | null => {
  const n = s.length
  if (n !== 20 && n !== 24 && n !== 25 && n !== 29) return null
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84) return null
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return null
  const y1 = digits2(s, 0)
  const y2 = digits2(s, 2)
  const mo = digits2(s, 5)
  const d = digits2(s, 8)
  const h = digits2(s, 11)
  const mi = digits2(s, 14)
  const sec = digits2(s, 17)
  if (y1 < 0 || y2 < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || sec < 0) return null
  let i = 19
  let ms = 0
  if (n === 24 || n === 29) {
    if (s.charCodeAt(19) !== 46) return null
    const a = digits2(s, 20)
    const c = s.charCodeAt(22) - 48
    if (a < 0 || c < 0 || c > 9) return null
    ms = a * 10 + c
    i = 23
  }
  let offset = 0
  if (n === 20 || n === 24) {
    if (s.charCodeAt(i) !== 90) return null
  } else {
    const sign = s.charCodeAt(i)
    if ((sign !== 43 && sign !== 45) || s.charCodeAt(i + 3) !== 58) return null
    const oh = digits2(s, i + 1)
    const om = digits2(s, i + 4)
    if (oh < 0 || om < 0) return null
    if (oh > 23 || om > 59) return undefined
    offset = oh * 60 + om
    if (sign === 45) {
      if (offset === 0) return undefined
      offset = -offset
    }
  }
  const y = y1 * 100 + y2
  if (!isValidYmd(y, mo, d) || h > 23 || mi > 59 || sec > 59) return undefined
  return daysFromCivil(y, mo, d) * MS_PER_DAY + ((h * 60 + mi - offset) * 60 + sec) * 1000 + ms
}

/**
 * Epoch milliseconds of an instant text by the pattern, or `undefined` when it is invalid.
 *
 * @internal
 */
export const instantMillisByPattern = (s: string): number | undefined => {
  const m = INSTANT.exec(s)
  if (m === null) return undefined
  const y = Number(m[1])
  const mo = Number(m[2])
  const d = Number(m[3])
  const h = Number(m[4])
  const mi = Number(m[5])
  const sec = m[6] === undefined ? 0 : Number(m[6])
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, "0"))
  if (!isValidYmd(y, mo, d) || h > 23 || mi > 59 || sec > 59) return undefined
  let offset = 0
  if (m[8] !== undefined) {
    const oh = Number(m[9])
    const om = Number(m[10])
    if (oh > 23 || om > 59) return undefined
    offset = oh * 60 + om
    if (m[8] === "-") {
      if (offset === 0) return undefined
      offset = -offset
    }
  }
  return daysFromCivil(y, mo, d) * MS_PER_DAY + ((h * 60 + mi - offset) * 60 + sec) * 1000 + ms
}

/**
 * The schema of an {@link Instant}: `YYYY-MM-DDTHH:MM`, optionally `:SS` and a
 * fraction of 1–9 digits, then an explicit offset `±HH:MM` or `Z`. The fields
 * must be a real date (years 0001–9999) and time (hours 00–23, no leap second
 * 60); offsets range over ±23:59.
 *
 * The event log requires an explicit offset: `Z` is accepted and means
 * `+00:00`; `-00:00` is rejected because RFC 3339 defines it as "local offset
 * unknown". A timestamp without an offset is rejected.
 *
 * @category schemas
 * @since 0.1.0
 */
export const InstantSchema = Schema.String.check(
  Schema.makeFilter(
    (s: string) =>
      parseInstantMillis(s) !== undefined ||
      "expected an ISO 8601 date-time with an explicit offset, YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM)",
    { toJsonSchema: () => [{ pattern: `^${JSON_SCHEMA_DATE}T${JSON_SCHEMA_TIME}$` }, true] }
  )
)
  .pipe(Schema.brand("Instant"))
  .annotate({
    title: "Instant",
    description:
      "An ISO 8601 date-time with an explicit offset: YYYY-MM-DDTHH:MM[:SS[.fraction of 1–9 digits]] then Z or ±HH:MM (not -00:00). The pattern checks every field's range; that February 29 falls in a leap year is checked by the decoder only."
  })

/**
 * A point in time written as ISO 8601 text with an explicit UTC offset, e.g.
 * `"2025-12-31T23:30:00+08:00"`. The text is kept as written: the offset records
 * the writer's wall clock (see {@link localDateOfInstantOffset}); compare
 * instants with {@link compareInstants}, not as strings.
 *
 * @category models
 * @since 0.1.0
 */
export type Instant = typeof InstantSchema.Type

/**
 * Whether a value is a valid {@link Instant} string.
 *
 * @category guards
 * @since 0.1.0
 */
export const isInstant = (u: unknown): u is Instant => typeof u === "string" && parseInstantMillis(u) !== undefined

/**
 * Parses an ISO 8601 text with an explicit offset into an {@link Instant}, or
 * `undefined` when it is not valid (see {@link InstantSchema}).
 *
 * @category dates
 * @since 0.1.0
 */
export const parseInstant = (text: string): Instant | undefined =>
  parseInstantMillis(text) !== undefined ? (text as Instant) : undefined

/**
 * Milliseconds since 1970-01-01T00:00:00Z of an instant, computed from its
 * fields with integer arithmetic (no `Date` parsing, no process time zone).
 * Fractions finer than a millisecond are truncated.
 *
 * @category dates
 * @since 0.1.0
 */
export const epochMillis = (instant: Instant): number => {
  const ms = parseInstantMillis(instant)
  if (ms === undefined) throw new RangeError(`not an instant: ${instant}`)
  return ms
}

/**
 * Compares two instants in time (not as text): `-1` if `self` is earlier.
 *
 * @category dates
 * @since 0.1.0
 */
export const compareInstants = (self: Instant, that: Instant): -1 | 0 | 1 => {
  const a = epochMillis(self)
  const b = epochMillis(that)
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * The chronological order of instants.
 *
 * @category values
 * @since 0.1.0
 */
export const InstantOrder: order.Order<Instant> = order.make(compareInstants)

/**
 * Writes epoch milliseconds as an {@link Instant} at a UTC offset in minutes
 * (default `0`, written `Z`): `makeInstant(0, 480)` is
 * `"1970-01-01T08:00:00.000+08:00"`. Throws a `RangeError` for non-integers,
 * offsets beyond ±23:59 or dates outside years 0001–9999.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeInstant = (epochMs: number, offsetMinutes: number = 0): Instant => {
  if (!Number.isSafeInteger(epochMs)) throw new RangeError(`epoch milliseconds must be an integer, got ${epochMs}`)
  if (!Number.isSafeInteger(offsetMinutes) || Math.abs(offsetMinutes) > 23 * 60 + 59) {
    throw new RangeError(`offset must be an integer number of minutes within ±23:59, got ${offsetMinutes}`)
  }
  const local = epochMs + offsetMinutes * 60_000
  const days = Math.floor(local / MS_PER_DAY)
  const date = fromEpochDayUnchecked(days)
  if (date === undefined) throw new RangeError(`instant out of range: ${epochMs}`)
  const msOfDay = local - days * MS_PER_DAY
  const h = Math.floor(msOfDay / 3_600_000)
  const mi = Math.floor(msOfDay / 60_000) % 60
  const s = Math.floor(msOfDay / 1000) % 60
  const ms = msOfDay % 1000
  const a = Math.abs(offsetMinutes)
  const zone =
    offsetMinutes === 0 ? "Z" : `${offsetMinutes < 0 ? "-" : "+"}${pad(Math.floor(a / 60), 2)}:${pad(a % 60, 2)}`
  return `${date}T${pad(h, 2)}:${pad(mi, 2)}:${pad(s, 2)}.${pad(ms, 3)}${zone}` as Instant
}

/**
 * The date written in the instant itself, i.e. the local date at the instant's
 * own offset: `"2025-12-31T17:30:00-08:00"` → `"2025-12-31"`. Use
 * {@link localDateIn} for the date in a policy's time zone.
 *
 * @category dates
 * @since 0.1.0
 */
export const localDateOfInstantOffset = (instant: Instant): LocalDate => instant.slice(0, 10) as LocalDate
