/**
 * Credit policies (学时认定) as data: how attended minutes of a session become
 * credit hours, which grants a year's caps limit, how a session that crosses New
 * Year is attributed, and what carries over.
 *
 * Amounts are {@link Hours} (integers of 0.01 hour); every computation here is
 * integer arithmetic.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Hours from "../Hours.js"
import { HoursFromWire, PositiveHoursFromWire } from "../Hours.js"
import * as Rational from "../Rational.js"
import { RationalSchema } from "../Rational.js"
import { ClassFormat, CourseCategory, SessionMode } from "../Vocabulary.js"

const intBetween = (min: number, max: number) =>
  Schema.Int.check(
    Schema.makeFilter((n: number) => (n >= min && n <= max) || `expected an integer from ${min} to ${max}`, {
      toJsonSchema: () => ({ minimum: min, maximum: max })
    })
  )

const PositiveHours = PositiveHoursFromWire

const POLICY_KEY_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/

/**
 * An identifier inside a policy (a requirement, a cap, a rule): letters, digits,
 * `.`, `_`, `-`, at most 64 characters.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PolicyKey = Schema.String.check(
  Schema.makeFilter((s: string) => POLICY_KEY_PATTERN.test(s) || "expected an id [A-Za-z0-9][A-Za-z0-9._-]{0,63}", {
    toJsonSchema: () => ({ pattern: POLICY_KEY_PATTERN.source })
  })
).annotate({ title: "PolicyKey", description: "An identifier inside a policy: [A-Za-z0-9][A-Za-z0-9._-]{0,63}." })

/**
 * Which grants something applies to. Every field present must match: the grant's
 * session mode, its course category, the format of its class, its source kind
 * (`session` or `external`). An external grant has no class, so it never matches
 * a `formats` list.
 *
 * @category schemas
 * @since 0.1.0
 */
export const GrantFilter = Schema.Struct({
  modes: Schema.optionalKey(Schema.Array(SessionMode)),
  categories: Schema.optionalKey(Schema.Array(CourseCategory)),
  formats: Schema.optionalKey(Schema.Array(ClassFormat)),
  sources: Schema.optionalKey(Schema.Array(Schema.Literals(["session", "external"])))
})

/**
 * Which grants something applies to.
 *
 * @category models
 * @since 0.1.0
 */
export type GrantFilter = typeof GrantFilter.Type

/**
 * Linear credit: `minutes / minutesPerHour` hours, rounded to a multiple of
 * `step` (`floor` or `nearest`, half up). `standard-45` is 45 minutes, step 0.25, floor.
 *
 * @category schemas
 * @since 0.1.0
 */
export const LinearRule = Schema.Struct({
  kind: Schema.Literal("linear"),
  minutesPerHour: intBetween(1, 1440),
  step: PositiveHours,
  rounding: Schema.Literals(["floor", "nearest"])
})

/**
 * Linear credit.
 *
 * @category models
 * @since 0.1.0
 */
export type LinearRule = typeof LinearRule.Type

/**
 * Tiered credit: the hours of the highest tier whose `minMinutes` the attended
 * minutes reach (none reached: 0). Tiers are listed by increasing `minMinutes`
 * and non-decreasing `hours`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const TieredRule = Schema.Struct({
  kind: Schema.Literal("tiered"),
  tiers: Schema.NonEmptyArray(Schema.Struct({ minMinutes: intBetween(1, 1440), hours: PositiveHours }))
})

/**
 * Tiered credit.
 *
 * @category models
 * @since 0.1.0
 */
export type TieredRule = typeof TieredRule.Type

/**
 * Day / half-day blocks: attended minutes reaching `fullDay.minutes` earn
 * `fullDay.hours`, reaching `halfDay.minutes` earn `halfDay.hours`; below, the
 * optional linear `otherwise` rule applies (none: 0). The result is never less
 * than what `otherwise` gives, so credit stays monotone in minutes.
 *
 * @category schemas
 * @since 0.1.0
 */
export const BlocksRule = Schema.Struct({
  kind: Schema.Literal("blocks"),
  fullDay: Schema.Struct({ minutes: intBetween(1, 1440), hours: PositiveHours }),
  halfDay: Schema.Struct({ minutes: intBetween(1, 1440), hours: PositiveHours }),
  otherwise: Schema.optionalKey(LinearRule)
})

/**
 * Day / half-day blocks.
 *
 * @category models
 * @since 0.1.0
 */
export type BlocksRule = typeof BlocksRule.Type

/**
 * How attended minutes become hours.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CreditRule = Schema.Union([LinearRule, TieredRule, BlocksRule])

/**
 * How attended minutes become hours.
 *
 * @category models
 * @since 0.1.0
 */
export type CreditRule = typeof CreditRule.Type

/**
 * A yearly cap: grants matching `filter` count for at most `maxHours` a year
 * (by the grant's year), earliest grants first.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CreditCap = Schema.Struct({
  id: PolicyKey,
  filter: GrantFilter,
  maxHours: HoursFromWire
})

/**
 * A yearly cap.
 *
 * @category models
 * @since 0.1.0
 */
export type CreditCap = typeof CreditCap.Type

/**
 * How a session that crosses New Year (in the policy's time zone) is attributed:
 * `sessionStart`, all to the year the session starts in; `proportional`, its
 * credit is split by the attended minutes on each side of midnight (the member is
 * taken to attend from the start), the earlier year's part rounded down to
 * `step`, the later year getting the rest.
 *
 * @category schemas
 * @since 0.1.0
 */
export const YearSplit = Schema.Union([
  Schema.Struct({ kind: Schema.Literal("sessionStart") }),
  Schema.Struct({ kind: Schema.Literal("proportional"), step: PositiveHours })
])

/**
 * How a session that crosses New Year is attributed.
 *
 * @category models
 * @since 0.1.0
 */
export type YearSplit = typeof YearSplit.Type

/**
 * A credit policy.
 *
 * - `rule`: minutes → hours for one session (per grant);
 * - `minAttendedShare`: below this share of the session's minutes, no credit;
 * - `makeUpCredit`: whether a make-up (补学) earns credit like attendance;
 * - `creditRequiresCompletion`: credit waits for `ClassCompleted` and goes only to
 *   members who pass the completion rules (default: granted on attendance);
 * - `caps`: yearly caps by mode, category, format or source (applied when
 *   compliance counts grants, with external grants under the same caps);
 * - `yearSplit`: attribution of a session crossing New Year;
 * - `carryOver`: surplus hours of a calendar year above a requirement's hours,
 *   up to `maxHours` (absent: all of it), count in the next year (never carried twice).
 *
 * @category schemas
 * @since 0.1.0
 */
export const CreditPolicy = Schema.Struct({
  id: PolicyKey,
  source: Schema.String,
  rule: CreditRule,
  minAttendedShare: Schema.optionalKey(RationalSchema),
  makeUpCredit: Schema.Boolean,
  creditRequiresCompletion: Schema.optionalKey(Schema.Boolean),
  caps: Schema.Array(CreditCap),
  yearSplit: YearSplit,
  carryOver: Schema.optionalKey(Schema.Struct({ maxHours: Schema.optionalKey(PositiveHours) }))
})

/**
 * A credit policy.
 *
 * @category models
 * @since 0.1.0
 */
export type CreditPolicy = typeof CreditPolicy.Type

/** Minutes at `minutesPerHour`, rounded to a multiple of `step` (0.01 hour), down or half up; integers only. */
const linearHours = (rule: LinearRule, minutes: number): Hours.Hours => {
  if (minutes <= 0) return Hours.zero
  const den = rule.minutesPerHour * rule.step
  const units =
    rule.rounding === "floor" ? Math.floor((minutes * 100) / den) : Math.floor((2 * minutes * 100 + den) / (2 * den))
  return Hours.make(units * rule.step)
}

/**
 * The hours a credit rule gives for `minutes` attended minutes of one session.
 * Monotone in `minutes`; 0 for 0 minutes.
 *
 * @category rules
 * @since 0.1.0
 */
export const hoursOf = (rule: CreditRule, minutes: number): Hours.Hours => {
  if (minutes <= 0) return Hours.zero
  switch (rule.kind) {
    case "linear":
      return linearHours(rule, minutes)
    case "tiered": {
      let h = 0
      for (const t of rule.tiers) if (minutes >= t.minMinutes && t.hours > h) h = t.hours
      return Hours.make(h)
    }
    case "blocks": {
      const below = rule.otherwise === undefined ? 0 : linearHours(rule.otherwise, minutes)
      const block =
        minutes >= rule.fullDay.minutes ? rule.fullDay.hours : minutes >= rule.halfDay.minutes ? rule.halfDay.hours : 0
      return Hours.make(Math.max(block, below))
    }
  }
}

/**
 * The hours a policy grants for `attended` minutes of a session of
 * `sessionMinutes` minutes: 0 below the minimum attended share, else
 * {@link hoursOf}. Never more than `sessionCredit(policy, sessionMinutes)`.
 *
 * @category rules
 * @since 0.1.0
 */
export const sessionCredit = (
  policy: CreditPolicy,
  attended: number,
  sessionMinutes: number = attended
): Hours.Hours => {
  if (attended <= 0) return Hours.zero
  const m = Math.min(attended, sessionMinutes)
  const share = policy.minAttendedShare
  if (share !== undefined && sessionMinutes > 0 && m * share.den < share.num * sessionMinutes) return Hours.zero
  return hoursOf(policy.rule, m)
}

/**
 * Whether a grant (its mode, category, source kind and class format) matches a filter.
 *
 * @category rules
 * @since 0.1.0
 */
export const matchesFilter = (
  filter: GrantFilter,
  grant: {
    readonly mode?: string | undefined
    readonly category?: string | undefined
    readonly format?: string | undefined
    readonly sourceKind: "session" | "external"
  }
): boolean => firstMismatch(filter, grant) === undefined

/**
 * The first field of a filter that a grant fails (`"modes"`, `"categories"`,
 * `"formats"`, `"sources"`), or `undefined` when it matches.
 *
 * @category rules
 * @since 0.1.0
 */
export const firstMismatch = (
  filter: GrantFilter,
  grant: {
    readonly mode?: string | undefined
    readonly category?: string | undefined
    readonly format?: string | undefined
    readonly sourceKind: "session" | "external"
  }
): "modes" | "categories" | "formats" | "sources" | undefined => {
  if (filter.sources !== undefined && !filter.sources.includes(grant.sourceKind)) return "sources"
  if (
    filter.modes !== undefined &&
    (grant.mode === undefined || !(filter.modes as ReadonlyArray<string>).includes(grant.mode))
  ) {
    return "modes"
  }
  if (
    filter.categories !== undefined &&
    (grant.category === undefined || !(filter.categories as ReadonlyArray<string>).includes(grant.category))
  ) {
    return "categories"
  }
  if (
    filter.formats !== undefined &&
    (grant.format === undefined || !(filter.formats as ReadonlyArray<string>).includes(grant.format))
  ) {
    return "formats"
  }
  return undefined
}

/**
 * Splits a session's credit between the year it starts in and the next, under
 * the policy's `yearSplit`: `minutesBefore` attended minutes fall before midnight
 * (of the `attended` total). Returns `[earlier, later]`, summing to `total`.
 *
 * @category rules
 * @since 0.1.0
 */
export const splitCredit = (
  split: YearSplit,
  total: Hours.Hours,
  minutesBefore: number,
  attended: number
): readonly [Hours.Hours, Hours.Hours] => {
  if (split.kind === "sessionStart" || minutesBefore >= attended) return [total, Hours.zero]
  if (minutesBefore <= 0) return [Hours.zero, total]
  const exact = Rational.make(total * minutesBefore, attended)
  const earlier = Math.floor(exact.num / (exact.den * split.step)) * split.step
  return [Hours.make(earlier), Hours.make(total - earlier)]
}
