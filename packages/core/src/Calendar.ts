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
 * The module is made of three: `calendar/LocalDate` (dates and day arithmetic),
 * `calendar/Instant` (timestamps) and `calendar/TimeZone` (dates and years in a
 * zone); their public names are re-exported here.
 *
 * @since 0.1.0
 */
export {
  compareInstants,
  epochMillis,
  type Instant,
  InstantOrder,
  InstantSchema,
  isInstant,
  localDateOfInstantOffset,
  makeInstant,
  parseInstant
} from "./calendar/Instant.js"
export {
  addDays,
  addYears,
  compareDates,
  dayOfDate,
  daysBetween,
  daysInMonth,
  endOfYear,
  epochDay,
  fromEpochDay,
  isLeapYear,
  isLocalDate,
  type LocalDate,
  LocalDateOrder,
  LocalDateSchema,
  makeLocalDate,
  monthOfDate,
  parseLocalDate,
  startOfYear,
  yearOfDate
} from "./calendar/LocalDate.js"
export {
  DEFAULT_TIME_ZONE,
  isValidTimeZone,
  localDateIn,
  TimeZoneSchema,
  yearIn
} from "./calendar/TimeZone.js"
