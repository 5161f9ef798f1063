/**
 * Business dates and year attribution in an IANA time zone.
 *
 * Two kinds of values, both strings in the event log:
 *
 * - {@link LocalDate}: a calendar date `YYYY-MM-DD` (proleptic Gregorian,
 *   years 0001–9999) with no time zone, e.g. a session's business date;
 * - {@link Instant}: an ISO 8601 / RFC 3339 timestamp with an explicit UTC offset,
 *   `YYYY-MM-DDTHH:MM(:SS(.f…)?)?(Z|±HH:MM)`.
 *
 * Nothing here reads the process time zone (`TZ`) or the clock. Date arithmetic
 * is integer arithmetic on day numbers; an instant is mapped to a date in a
 * time zone with `Intl.DateTimeFormat` and an explicit `timeZone` option, whose
 * result depends only on the ICU time-zone database, so it is correct for any
 * IANA zone, with or without daylight saving time. `Asia/Shanghai` (the default)
 * has been a fixed UTC+08:00 since China ended daylight saving time after 1991;
 * `America/New_York` switches between −05:00 and −04:00, and both are handled
 * the same way.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as order from "effect/Order"

// ---------------------------------------------------------------------------
// day numbers (days since 1970-01-01, proleptic Gregorian)
// ---------------------------------------------------------------------------

const MIN_YEAR = 1
const MAX_YEAR = 9999
const MS_PER_DAY = 86_400_000

/** Days from 1970-01-01 to y-m-d (H. Hinnant's days_from_civil). */
const daysFromCivil = (y: number, m: number, d: number): number => {
  const yy = m <= 2 ? y - 1 : y
  const era = Math.floor(yy / 400)
  const yoe = yy - era * 400
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146_097 + doe - 719_468
}

/** The civil date of a day number (H. Hinnant's civil_from_days). */
const civilFromDays = (days: number): readonly [number, number, number] => {
  const z = days + 719_468
  const era = Math.floor(z / 146_097)
  const doe = z - era * 146_097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1
  const m = mp < 10 ? mp + 3 : mp - 9
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d]
}

const pad = (n: number, width: number): string => String(n).padStart(width, "0")

const formatDate = (y: number, m: number, d: number): LocalDate => `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}` as LocalDate

/**
 * Whether `year` is a leap year of the proleptic Gregorian calendar.
 *
 * @since 0.1.0
 */
export const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

/**
 * The number of days of a month (`month` is 1–12) of a year.
 *
 * @since 0.1.0
 */
export const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31

const isValidYmd = (y: number, m: number, d: number): boolean =>
  Number.isInteger(y) &&
  Number.isInteger(m) &&
  Number.isInteger(d) &&
  y >= MIN_YEAR &&
  y <= MAX_YEAR &&
  m >= 1 &&
  m <= 12 &&
  d >= 1 &&
  d <= daysInMonth(y, m)

// ---------------------------------------------------------------------------
// LocalDate
// ---------------------------------------------------------------------------

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * A date `YYYY-MM-DD` (years 0001–9999) as an ECMA-262 regular expression for JSON
 * Schema: every month and day of month, February 29 in any year.
 */
const JSON_SCHEMA_DATE =
  "(?:000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})-" +
  "(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31|02-29)"

const isLocalDateText = (s: string): boolean => {
  const m = LOCAL_DATE.exec(s)
  return m !== null && isValidYmd(Number(m[1]), Number(m[2]), Number(m[3]))
}

/**
 * The schema of a {@link LocalDate}: a string `YYYY-MM-DD` naming a real day
 * of the proleptic Gregorian calendar in years 0001–9999 (leap years included:
 * `2024-02-29` is valid, `2025-02-29` and `1900-02-29` are not).
 *
 * @since 0.1.0
 */
export const LocalDateSchema = Schema.String.check(
  Schema.makeFilter((s: string) => isLocalDateText(s) || "expected a real calendar date YYYY-MM-DD", {
    // approximate: the pattern cannot tell leap years, so it accepts every February 29
    toJsonSchema: () => [{ pattern: `^${JSON_SCHEMA_DATE}$` }, true]
  })
)
  .pipe(Schema.brand("LocalDate"))
  .annotate({
    title: "LocalDate",
    description:
      "A calendar date YYYY-MM-DD in years 0001–9999. The pattern checks the month and the day of the month; that February 29 falls in a leap year is checked by the decoder only."
  })

/**
 * A calendar date `YYYY-MM-DD` without a time zone (a business date). The
 * fixed-width text orders like the dates, so `<` on two values is date order.
 *
 * @since 0.1.0
 */
export type LocalDate = typeof LocalDateSchema.Type

/**
 * Whether a value is a valid {@link LocalDate} string.
 *
 * @since 0.1.0
 */
export const isLocalDate = (u: unknown): u is LocalDate => typeof u === "string" && isLocalDateText(u)

/**
 * Parses `YYYY-MM-DD` into a {@link LocalDate}, or `undefined` when it is not a
 * real date in years 0001–9999.
 *
 * @since 0.1.0
 */
export const parseLocalDate = (text: string): LocalDate | undefined =>
  isLocalDateText(text) ? (text as LocalDate) : undefined

/**
 * Makes a {@link LocalDate} from a year, a month (1–12) and a day; throws a
 * `RangeError` when they do not name a real date in years 0001–9999.
 *
 * @since 0.1.0
 */
export const makeLocalDate = (year: number, month: number, day: number): LocalDate => {
  if (!isValidYmd(year, month, day)) throw new RangeError(`not a calendar date: ${year}-${month}-${day}`)
  return formatDate(year, month, day)
}

/**
 * The year of a date: `yearOfDate("2025-12-31")` is `2025`.
 *
 * @since 0.1.0
 */
export const yearOfDate = (date: LocalDate): number => Number(date.slice(0, 4))

/**
 * The month (1–12) of a date.
 *
 * @since 0.1.0
 */
export const monthOfDate = (date: LocalDate): number => Number(date.slice(5, 7))

/**
 * The day of the month (1–31) of a date.
 *
 * @since 0.1.0
 */
export const dayOfDate = (date: LocalDate): number => Number(date.slice(8, 10))

/**
 * The day number of a date: days since 1970-01-01 (negative before it).
 *
 * @since 0.1.0
 */
export const epochDay = (date: LocalDate): number => daysFromCivil(yearOfDate(date), monthOfDate(date), dayOfDate(date))

const fromEpochDayUnchecked = (days: number): LocalDate | undefined => {
  const [y, m, d] = civilFromDays(days)
  return y >= MIN_YEAR && y <= MAX_YEAR ? formatDate(y, m, d) : undefined
}

/**
 * The date of a day number (days since 1970-01-01); throws a `RangeError`
 * outside years 0001–9999 or for a non-integer.
 *
 * @since 0.1.0
 */
export const fromEpochDay = (days: number): LocalDate => {
  const date = Number.isSafeInteger(days) ? fromEpochDayUnchecked(days) : undefined
  if (date === undefined) throw new RangeError(`day number out of range: ${days}`)
  return date
}

/**
 * Compares two dates: `-1` if `self` is earlier, `0` if the same day, `1` if later.
 *
 * @since 0.1.0
 */
export const compareDates = (self: LocalDate, that: LocalDate): -1 | 0 | 1 => (self < that ? -1 : self > that ? 1 : 0)

/**
 * The chronological order of dates.
 *
 * @since 0.1.0
 */
export const LocalDateOrder: order.Order<LocalDate> = order.make(compareDates)

/**
 * The date `days` days after `date` (before it when negative). Throws a
 * `RangeError` when `days` is not an integer or the result leaves years 0001–9999.
 *
 * @since 0.1.0
 */
export const addDays = (date: LocalDate, days: number): LocalDate => {
  if (!Number.isSafeInteger(days)) throw new RangeError(`days must be an integer, got ${days}`)
  return fromEpochDay(epochDay(date) + days)
}

/**
 * The signed number of days from `from` to `to`: `daysBetween(a, b)` is the `n`
 * with `addDays(a, n) === b` (`daysBetween("2024-12-31", "2025-01-01")` is `1`).
 *
 * @since 0.1.0
 */
export const daysBetween = (from: LocalDate, to: LocalDate): number => epochDay(to) - epochDay(from)

/**
 * The same month and day `years` years later (earlier when negative). February 29
 * becomes February 28 in a non-leap target year. Throws a `RangeError` when the
 * result leaves years 0001–9999.
 *
 * @since 0.1.0
 */
export const addYears = (date: LocalDate, years: number): LocalDate => {
  if (!Number.isSafeInteger(years)) throw new RangeError(`years must be an integer, got ${years}`)
  const y = yearOfDate(date) + years
  if (y < MIN_YEAR || y > MAX_YEAR) throw new RangeError(`year out of range: ${y}`)
  const m = monthOfDate(date)
  return formatDate(y, m, Math.min(dayOfDate(date), daysInMonth(y, m)))
}

const checkYear = (year: number): void => {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    throw new RangeError(`year must be an integer in ${MIN_YEAR}..${MAX_YEAR}, got ${year}`)
  }
}

/**
 * January 1 of a year: `startOfYear(2025)` is `"2025-01-01"`. Throws a
 * `RangeError` outside years 0001–9999.
 *
 * @since 0.1.0
 */
export const startOfYear = (year: number): LocalDate => {
  checkYear(year)
  return formatDate(year, 1, 1)
}

/**
 * December 31 of a year: `endOfYear(2025)` is `"2025-12-31"` (a calendar year is
 * the closed range `startOfYear(y)..endOfYear(y)`). Throws a `RangeError`
 * outside years 0001–9999.
 *
 * @since 0.1.0
 */
export const endOfYear = (year: number): LocalDate => {
  checkYear(year)
  return formatDate(year, 12, 31)
}

// ---------------------------------------------------------------------------
// Instant
// ---------------------------------------------------------------------------

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|([+-])(\d{2}):(\d{2}))$/

/** The time and offset of an instant for JSON Schema (the offset `-00:00` excluded). */
const JSON_SCHEMA_TIME =
  "(?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9](?:\\.[0-9]{1,9})?)?" +
  "(?:Z|\\+(?:[01][0-9]|2[0-3]):[0-5][0-9]|-(?:(?:0[1-9]|1[0-9]|2[0-3]):[0-5][0-9]|00:(?:0[1-9]|[1-5][0-9])))"

/** Instant texts already parsed (a log repeats them: a session's start, its grants' `at`), bounded. */
const instantMillis = new Map<string, number | undefined>()

/** Epoch milliseconds of an instant text, or `undefined` when it is invalid (memoised). */
const parseInstantMillis = (s: string): number | undefined => {
  const hit = instantMillis.get(s)
  if (hit !== undefined || instantMillis.has(s)) return hit
  const ms = computeInstantMillis(s)
  if (instantMillis.size >= 100_000) instantMillis.clear()
  instantMillis.set(s, ms)
  return ms
}

/** Epoch milliseconds of an instant text, or `undefined` when it is invalid. */
const computeInstantMillis = (s: string): number | undefined => {
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
 * @since 0.1.0
 */
export type Instant = typeof InstantSchema.Type

/**
 * Whether a value is a valid {@link Instant} string.
 *
 * @since 0.1.0
 */
export const isInstant = (u: unknown): u is Instant => typeof u === "string" && parseInstantMillis(u) !== undefined

/**
 * Parses an ISO 8601 text with an explicit offset into an {@link Instant}, or
 * `undefined` when it is not valid (see {@link InstantSchema}).
 *
 * @since 0.1.0
 */
export const parseInstant = (text: string): Instant | undefined =>
  parseInstantMillis(text) !== undefined ? (text as Instant) : undefined

/**
 * Milliseconds since 1970-01-01T00:00:00Z of an instant, computed from its
 * fields with integer arithmetic (no `Date` parsing, no process time zone).
 * Fractions finer than a millisecond are truncated.
 *
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
 * @since 0.1.0
 */
export const InstantOrder: order.Order<Instant> = order.make(compareInstants)

/**
 * Writes epoch milliseconds as an {@link Instant} at a UTC offset in minutes
 * (default `0`, written `Z`): `makeInstant(0, 480)` is
 * `"1970-01-01T08:00:00.000+08:00"`. Throws a `RangeError` for non-integers,
 * offsets beyond ±23:59 or dates outside years 0001–9999.
 *
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
 * @since 0.1.0
 */
export const localDateOfInstantOffset = (instant: Instant): LocalDate => instant.slice(0, 10) as LocalDate

// ---------------------------------------------------------------------------
// time zones
// ---------------------------------------------------------------------------

/**
 * The default time zone of year attribution: `"Asia/Shanghai"` (UTC+08:00,
 * without daylight saving time since 1992).
 *
 * @since 0.1.0
 */
export const DEFAULT_TIME_ZONE = "Asia/Shanghai"

const formatters = new Map<string, Intl.DateTimeFormat>()

const formatterFor = (timeZone: string): Intl.DateTimeFormat => {
  let f = formatters.get(timeZone)
  if (f === undefined) {
    // Throws a RangeError for an unknown zone; only valid zones are cached.
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      calendar: "gregory",
      numberingSystem: "latn",
      era: "short",
      year: "numeric",
      month: "numeric",
      day: "numeric"
    })
    formatters.set(timeZone, f)
  }
  return f
}

/**
 * Whether `timeZone` is a time zone identifier the runtime's `Intl` knows
 * (IANA names such as `"Asia/Shanghai"`, `"America/New_York"`, `"UTC"`,
 * `"Etc/GMT-8"`; matching is case-insensitive, as in `Intl`).
 *
 * @since 0.1.0
 */
export const isValidTimeZone = (timeZone: string): boolean => {
  if (typeof timeZone !== "string" || timeZone.length === 0) return false
  try {
    formatterFor(timeZone)
    return true
  } catch {
    return false
  }
}

/**
 * The schema of a time zone identifier accepted by {@link isValidTimeZone}.
 *
 * @since 0.1.0
 */
export const TimeZoneSchema = Schema.String.check(
  Schema.makeFilter((s: string) => isValidTimeZone(s) || "expected an IANA time zone identifier", {
    // which names exist is the runtime's Intl database: JSON Schema only asks for a non-empty string
    toJsonSchema: () => [{ minLength: 1 }, true]
  })
).annotate({
  title: "TimeZone",
  description:
    "An IANA time zone identifier such as Asia/Shanghai. Whether the name exists (in the runtime's Intl database) is checked by the decoder only."
})

/**
 * The calendar date of an instant in an IANA time zone, e.g. the business date of
 * a session for year attribution: `"2025-12-31T17:30:00-08:00"` is
 * `"2026-01-01"` in `Asia/Shanghai`. Uses `Intl.DateTimeFormat` with an explicit
 * `timeZone` (formatters are cached per zone), so the result is independent of
 * the process time zone and follows every offset change, including daylight
 * saving time (`Etc/GMT-8` is UTC**+**8: POSIX signs are reversed).
 *
 * Throws a `RangeError` for an unknown time zone, or when the local date leaves
 * years 0001–9999.
 *
 * @since 0.1.0
 */
export const localDateIn = (instant: Instant, timeZone: string): LocalDate => {
  const parts = formatterFor(timeZone).formatToParts(epochMillis(instant))
  let y = Number.NaN
  let m = Number.NaN
  let d = Number.NaN
  let bc = false
  for (const p of parts) {
    switch (p.type) {
      case "year":
        y = Number(p.value)
        break
      case "month":
        m = Number(p.value)
        break
      case "day":
        d = Number(p.value)
        break
      case "era":
        bc = p.value === "BC"
        break
    }
  }
  if (bc) y = 1 - y
  if (!isValidYmd(y, m, d)) throw new RangeError(`local date of ${instant} in ${timeZone} is out of range`)
  return formatDate(y, m, d)
}

/**
 * The calendar year of an instant in an IANA time zone (year attribution):
 * `yearIn("2025-12-31T17:30:00-08:00", "Asia/Shanghai")` is `2026`. See
 * {@link localDateIn}.
 *
 * @since 0.1.0
 */
export const yearIn = (instant: Instant, timeZone: string): number => yearOfDate(localDateIn(instant, timeZone))
