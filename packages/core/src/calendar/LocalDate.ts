/**
 * Calendar dates: `LocalDate` (`YYYY-MM-DD`, proleptic Gregorian, years
 * 0001–9999) and its integer day arithmetic. Part of `Calendar`, which
 * re-exports its public names.
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
/**
 * @internal (shared by the calendar modules; `Calendar` does not export it)
 *
 * @category constants
 */
export const MS_PER_DAY = 86_400_000

/** Days from 1970-01-01 to y-m-d (H. Hinnant's days_from_civil). */
/**
 * @internal (shared by the calendar modules; `Calendar` does not export it)
 *
 * @category dates
 */
export const daysFromCivil = (y: number, m: number, d: number): number => {
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

/**
 * @internal (shared by the calendar modules; `Calendar` does not export it)
 *
 * @category dates
 */
export const pad = (n: number, width: number): string => String(n).padStart(width, "0")

/**
 * @internal (shared by the calendar modules; `Calendar` does not export it)
 *
 * @category dates
 */
export const formatDate = (y: number, m: number, d: number): LocalDate =>
  `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}` as LocalDate

/**
 * Whether `year` is a leap year of the proleptic Gregorian calendar.
 *
 * @category guards
 * @since 0.1.0
 */
export const isLeapYear = (year: number): boolean => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

/**
 * The number of days of a month (`month` is 1–12) of a year.
 *
 * @category dates
 * @since 0.1.0
 */
export const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31

/**
 * @internal (shared by the calendar modules; `Calendar` does not export it)
 *
 * @category guards
 */
export const isValidYmd = (y: number, m: number, d: number): boolean =>
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
/**
 * @internal (shared by the calendar modules; `Calendar` does not export it)
 *
 * @category constants
 */
export const JSON_SCHEMA_DATE =
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
 * @category schemas
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
 * @category models
 * @since 0.1.0
 */
export type LocalDate = typeof LocalDateSchema.Type

/**
 * Whether a value is a valid {@link LocalDate} string.
 *
 * @category guards
 * @since 0.1.0
 */
export const isLocalDate = (u: unknown): u is LocalDate => typeof u === "string" && isLocalDateText(u)

/**
 * Parses `YYYY-MM-DD` into a {@link LocalDate}, or `undefined` when it is not a
 * real date in years 0001–9999.
 *
 * @category dates
 * @since 0.1.0
 */
export const parseLocalDate = (text: string): LocalDate | undefined =>
  isLocalDateText(text) ? (text as LocalDate) : undefined

/**
 * Makes a {@link LocalDate} from a year, a month (1–12) and a day; throws a
 * `RangeError` when they do not name a real date in years 0001–9999.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeLocalDate = (year: number, month: number, day: number): LocalDate => {
  if (!isValidYmd(year, month, day)) throw new RangeError(`not a calendar date: ${year}-${month}-${day}`)
  return formatDate(year, month, day)
}

/**
 * The year of a date: `yearOfDate("2025-12-31")` is `2025`.
 *
 * @category dates
 * @since 0.1.0
 */
export const yearOfDate = (date: LocalDate): number => Number(date.slice(0, 4))

/**
 * The month (1–12) of a date.
 *
 * @category dates
 * @since 0.1.0
 */
export const monthOfDate = (date: LocalDate): number => Number(date.slice(5, 7))

/**
 * The day of the month (1–31) of a date.
 *
 * @category dates
 * @since 0.1.0
 */
export const dayOfDate = (date: LocalDate): number => Number(date.slice(8, 10))

/**
 * The day number of a date: days since 1970-01-01 (negative before it).
 *
 * @category dates
 * @since 0.1.0
 */
export const epochDay = (date: LocalDate): number => daysFromCivil(yearOfDate(date), monthOfDate(date), dayOfDate(date))

/**
 * @internal (shared by the calendar modules; `Calendar` does not export it)
 *
 * @category constructors
 */
export const fromEpochDayUnchecked = (days: number): LocalDate | undefined => {
  const [y, m, d] = civilFromDays(days)
  return y >= MIN_YEAR && y <= MAX_YEAR ? formatDate(y, m, d) : undefined
}

/**
 * The date of a day number (days since 1970-01-01); throws a `RangeError`
 * outside years 0001–9999 or for a non-integer.
 *
 * @category constructors
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
 * @category dates
 * @since 0.1.0
 */
export const compareDates = (self: LocalDate, that: LocalDate): -1 | 0 | 1 => (self < that ? -1 : self > that ? 1 : 0)

/**
 * The chronological order of dates.
 *
 * @category values
 * @since 0.1.0
 */
export const LocalDateOrder: order.Order<LocalDate> = order.make(compareDates)

/**
 * The date `days` days after `date` (before it when negative). Throws a
 * `RangeError` when `days` is not an integer or the result leaves years 0001–9999.
 *
 * @category dates
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
 * @category dates
 * @since 0.1.0
 */
export const daysBetween = (from: LocalDate, to: LocalDate): number => epochDay(to) - epochDay(from)

/**
 * The same month and day `years` years later (earlier when negative). February 29
 * becomes February 28 in a non-leap target year. Throws a `RangeError` when the
 * result leaves years 0001–9999.
 *
 * @category dates
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
 * @category dates
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
 * @category dates
 * @since 0.1.0
 */
export const endOfYear = (year: number): LocalDate => {
  checkYear(year)
  return formatDate(year, 12, 31)
}
