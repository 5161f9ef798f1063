/**
 * Time zones: the date and the year of an instant in an IANA zone (year
 * attribution), through `Intl` with an explicit `timeZone`. Part of `Calendar`,
 * which re-exports its public names.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { epochMillis, type Instant } from "./Instant.js"
import { formatDate, isValidYmd, type LocalDate, yearOfDate } from "./LocalDate.js"

// ---------------------------------------------------------------------------
// time zones
// ---------------------------------------------------------------------------

/**
 * The default time zone of year attribution: `"Asia/Shanghai"` (UTC+08:00,
 * without daylight saving time since 1992).
 *
 * @category constants
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
 * @category guards
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
 * @category schemas
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
 * @category dates
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
 * @category dates
 * @since 0.1.0
 */
export const yearIn = (instant: Instant, timeZone: string): number => yearOfDate(localDateIn(instant, timeZone))
