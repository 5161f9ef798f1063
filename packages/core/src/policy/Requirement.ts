/**
 * Requirements (compliance) as data: who must train, in which window, how much
 * (hours, days or trainings, with "and"/"or" thresholds), what counts, whether
 * exemptions apply, pacing and mid-window joiners.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type { LocalDate } from "../Calendar.js"
import * as Calendar from "../Calendar.js"
import { HoursFromWire } from "../Hours.js"
import { TraineeCategory } from "../Vocabulary.js"
import { GrantFilter, PolicyKey } from "./CreditPolicy.js"

const PositiveInt = Schema.Int.check(
  Schema.makeFilter((n: number) => n >= 1 || "expected an integer >= 1", { toJsonSchema: () => ({ minimum: 1 }) })
)

/**
 * The window a requirement is measured over:
 *
 * - `calendarYear`: January 1 – December 31 (grants by their credit year);
 * - `rollingYears`: the `years` years ending on the as-of date (grants by date);
 * - `fixedCycle`: fixed blocks of `years` calendar years starting with
 *   `anchorYear` (2023–2027, 2028–2032, … for anchor 2023 and 5 years);
 * - `sinceJoining`: the `years` years from the member's `joinedOn`;
 * - `once`: the member's whole record, no end (a gate such as the candidate's 24 hours).
 *
 * @category schemas
 * @since 0.1.0
 */
export const Window = Schema.Union([
  Schema.Struct({ kind: Schema.Literal("calendarYear") }),
  Schema.Struct({ kind: Schema.Literal("rollingYears"), years: PositiveInt }),
  Schema.Struct({ kind: Schema.Literal("fixedCycle"), years: PositiveInt, anchorYear: PositiveInt }),
  Schema.Struct({ kind: Schema.Literal("sinceJoining"), years: PositiveInt }),
  Schema.Struct({ kind: Schema.Literal("once") })
])

/**
 * The window a requirement is measured over.
 *
 * @category models
 * @since 0.1.0
 */
export type Window = typeof Window.Type

/**
 * One threshold: at least `hours` credit hours, `days` distinct training days, or
 * `trainings` distinct classes, counting only grants that also match `counts`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Threshold = Schema.Union([
  Schema.Struct({ measure: Schema.Literal("hours"), min: HoursFromWire, counts: Schema.optionalKey(GrantFilter) }),
  Schema.Struct({ measure: Schema.Literal("days"), min: PositiveInt, counts: Schema.optionalKey(GrantFilter) }),
  Schema.Struct({ measure: Schema.Literal("trainings"), min: PositiveInt, counts: Schema.optionalKey(GrantFilter) })
])

/**
 * One threshold.
 *
 * @category models
 * @since 0.1.0
 */
export type Threshold = typeof Threshold.Type

/**
 * A requirement.
 *
 * - `who`: trainee categories it applies to (any of them; absent: everyone);
 * - `thresholds` with `combine`: `all` ("56 hours **and** 1 training") or `any`
 *   ("24 hours **or** 3 days");
 * - `counts`: which grants count at all (modes, categories, formats, sources);
 * - `strength`: `soft` honours recorded exemptions (`ExemptionGranted`), `hard` does not;
 * - `pacing`: `linear` expects the required amount in proportion to the days of
 *   the window elapsed (`onTrack` / `behind`); `none` says `onTrack` until the end;
 * - `joiners`: `proRated` scales the hours (and days) of a member who joins during
 *   the window by the whole months left, join month included (rounded up);
 *   `none` keeps the full requirement.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Requirement = Schema.Struct({
  id: PolicyKey,
  title: Schema.String,
  source: Schema.String,
  who: Schema.optionalKey(Schema.Array(TraineeCategory)),
  window: Window,
  combine: Schema.Literals(["all", "any"]),
  thresholds: Schema.NonEmptyArray(Threshold),
  counts: Schema.optionalKey(GrantFilter),
  strength: Schema.Literals(["soft", "hard"]),
  pacing: Schema.Literals(["none", "linear"]),
  joiners: Schema.Literals(["none", "proRated"])
})

/**
 * A requirement.
 *
 * @category models
 * @since 0.1.0
 */
export type Requirement = typeof Requirement.Type

/**
 * A window of dates: `from` to `to` inclusive (`to` absent: open-ended).
 *
 * @category models
 * @since 0.1.0
 */
export interface DateWindow {
  readonly from: LocalDate
  readonly to?: LocalDate
  /** Years whose credit counts, for windows measured by credit year. */
  readonly years?: { readonly from: number; readonly to: number }
}

const EARLIEST = "0001-01-01" as LocalDate

/**
 * The window of a requirement for a member as of a date, or `undefined` when it
 * has none (a `sinceJoining` window without `joinedOn`). `year` picks the
 * calendar year (or cycle) to look at; by default the year of `asOf`.
 *
 * @category rules
 * @since 0.1.0
 */
export const windowFor = (
  window: Window,
  asOf: LocalDate,
  joinedOn: LocalDate | undefined,
  year?: number
): DateWindow | undefined => {
  const y = year ?? Calendar.yearOfDate(asOf)
  switch (window.kind) {
    case "calendarYear":
      return { from: Calendar.startOfYear(y), to: Calendar.endOfYear(y), years: { from: y, to: y } }
    case "fixedCycle": {
      const k = Math.floor((y - window.anchorYear) / window.years)
      const first = window.anchorYear + k * window.years
      const last = first + window.years - 1
      return { from: Calendar.startOfYear(first), to: Calendar.endOfYear(last), years: { from: first, to: last } }
    }
    case "rollingYears": {
      const full = Calendar.addDays(Calendar.addYears(asOf, -window.years), 1)
      if (joinedOn !== undefined && joinedOn > full) {
        return { from: joinedOn, to: Calendar.addDays(Calendar.addYears(joinedOn, window.years), -1) }
      }
      return { from: full, to: asOf }
    }
    case "sinceJoining":
      return joinedOn === undefined
        ? undefined
        : { from: joinedOn, to: Calendar.addDays(Calendar.addYears(joinedOn, window.years), -1) }
    case "once":
      return { from: joinedOn ?? EARLIEST }
  }
}

/**
 * The whole months from a join date to the end of a window, the join month
 * included, and the window's whole months: a member joining on 2025-07-15 has
 * 6 of the 12 months of 2025.
 *
 * @category rules
 * @since 0.1.0
 */
export const monthsLeft = (
  window: DateWindow,
  joinedOn: LocalDate
): { readonly left: number; readonly total: number } => {
  const to = window.to ?? window.from
  const index = (d: LocalDate) => Calendar.yearOfDate(d) * 12 + Calendar.monthOfDate(d)
  const total = index(to) - index(window.from) + 1
  const left = Math.min(total, Math.max(0, index(to) - index(joinedOn) + 1))
  return { left, total }
}
