/**
 * Course-mix rules (课程结构) as data, and their evaluation with exact rationals.
 *
 * A rule has a scope (class, module, school-year), a basis (scheduled minutes,
 * delivered minutes, lesson count, delivered lesson count) and constraints on the
 * share of sessions matching categories or tags: `>=`, `>`, `<=`, or `==` within a
 * tolerance. Shares are compared by cross-multiplying integers.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Rational from "../Rational.js"
import { RationalSchema } from "../Rational.js"
import { ClassFormat, CourseCategory, SchoolTier } from "../Vocabulary.js"
import { PolicyKey } from "./CreditPolicy.js"

/**
 * The scope of a course-mix rule.
 *
 * @category schemas
 * @since 0.1.0
 */
export const MixScope = Schema.Literals(["class", "module", "schoolYear"])

/**
 * The scope of a course-mix rule.
 *
 * @category models
 * @since 0.1.0
 */
export type MixScope = typeof MixScope.Type

/**
 * What a share is a share of: scheduled minutes (every session not cancelled),
 * delivered minutes (sessions held, i.e. attended by someone, by the as-of date),
 * lessons (sessions not cancelled) or delivered lessons.
 *
 * @category schemas
 * @since 0.1.0
 */
export const MixBasis = Schema.Literals(["scheduledMinutes", "deliveredMinutes", "lessons", "deliveredLessons"])

/**
 * What a share is a share of.
 *
 * @category models
 * @since 0.1.0
 */
export type MixBasis = typeof MixBasis.Type

/**
 * A constraint: the share of sessions whose category is one of `categories` or
 * that carry one of `tags` (a session counts once) compared with `share`.
 * `tolerance` applies to `==` only: `|actual − share| <= tolerance`.
 *
 * @category schemas
 * @since 0.1.0
 */
export const MixConstraint = Schema.Struct({
  label: Schema.String,
  categories: Schema.optionalKey(Schema.Array(CourseCategory)),
  tags: Schema.optionalKey(Schema.Array(Schema.String)),
  op: Schema.Literals([">=", ">", "<=", "=="]),
  share: RationalSchema,
  tolerance: Schema.optionalKey(RationalSchema)
})

/**
 * A course-mix constraint.
 *
 * @category models
 * @since 0.1.0
 */
export type MixConstraint = typeof MixConstraint.Type

/**
 * A course-mix rule. `appliesTo` narrows the classes in scope (by format, module
 * or the tier of the school that plans them).
 *
 * @category schemas
 * @since 0.1.0
 */
export const CourseMixRule = Schema.Struct({
  id: PolicyKey,
  title: Schema.String,
  source: Schema.String,
  scopes: Schema.NonEmptyArray(MixScope),
  basis: MixBasis,
  appliesTo: Schema.optionalKey(
    Schema.Struct({
      formats: Schema.optionalKey(Schema.Array(ClassFormat)),
      modules: Schema.optionalKey(Schema.Array(Schema.String)),
      schoolTiers: Schema.optionalKey(Schema.Array(SchoolTier))
    })
  ),
  constraints: Schema.NonEmptyArray(MixConstraint)
})

/**
 * A course-mix rule.
 *
 * @category models
 * @since 0.1.0
 */
export type CourseMixRule = typeof CourseMixRule.Type

/**
 * One session as the course mix sees it.
 *
 * @category models
 * @since 0.1.0
 */
export interface MixItem {
  readonly minutes: number
  readonly category: CourseCategory
  readonly tags: ReadonlyArray<string>
  readonly delivered: boolean
}

/**
 * The verdict of one constraint. `share` and `deviation` (`share − target`) are
 * exact; the `…Text` fields are percentages for display (`"40.00%"`, deviation in
 * percentage points `"-3.33%"`). Without data (`total` 0) there is no share and no verdict.
 *
 * @category models
 * @since 0.1.0
 */
export interface ConstraintVerdict {
  readonly label: string
  readonly op: MixConstraint["op"]
  readonly target: Rational.Rational
  readonly targetText: string
  readonly tolerance?: Rational.Rational
  readonly part: number
  readonly total: number
  readonly share?: Rational.Rational
  readonly shareText?: string
  readonly deviation?: Rational.Rational
  readonly deviationText?: string
  readonly pass?: boolean
}

/**
 * The verdict of a rule: `pass` when every constraint holds, `fail` when one does
 * not, `noData` when the basis total is 0 (an empty scope is neither).
 *
 * @category models
 * @since 0.1.0
 */
export interface RuleVerdict {
  readonly ruleId: string
  readonly title: string
  readonly source: string
  readonly basis: MixBasis
  readonly total: number
  readonly status: "pass" | "fail" | "noData"
  readonly constraints: ReadonlyArray<ConstraintVerdict>
}

/**
 * The amount of an item under a basis.
 *
 * @category utils
 * @since 0.1.0
 */
export const basisAmount = (basis: MixBasis, item: MixItem): number => {
  switch (basis) {
    case "scheduledMinutes":
      return item.minutes
    case "deliveredMinutes":
      return item.delivered ? item.minutes : 0
    case "lessons":
      return 1
    case "deliveredLessons":
      return item.delivered ? 1 : 0
  }
}

/**
 * Whether a session matches a constraint (its category is listed, or it has a listed tag).
 *
 * @category rules
 * @since 0.1.0
 */
export const matchesConstraint = (c: MixConstraint, item: MixItem): boolean =>
  (c.categories?.includes(item.category) ?? false) || (c.tags?.some((t) => item.tags.includes(t)) ?? false)

/**
 * Whether `share op target` holds (with the tolerance for `==`), by cross-multiplication.
 *
 * @category rules
 * @since 0.1.0
 */
export const holds = (
  op: MixConstraint["op"],
  share: Rational.Rational,
  target: Rational.Rational,
  tolerance: Rational.Rational = Rational.zero
): boolean => {
  const c = Rational.compare(share, target)
  switch (op) {
    case ">=":
      return c >= 0
    case ">":
      return c > 0
    case "<=":
      return c <= 0
    case "==":
      return Rational.compare(Rational.abs(Rational.subtract(share, target)), tolerance) <= 0
  }
}

/**
 * Evaluates a rule over the sessions in a scope.
 *
 * @category rules
 * @since 0.1.0
 */
export const evaluateRule = (rule: CourseMixRule, items: ReadonlyArray<MixItem>): RuleVerdict => {
  let total = 0
  for (const i of items) total += basisAmount(rule.basis, i)
  let failed = false
  const constraints = rule.constraints.map((c): ConstraintVerdict => {
    let part = 0
    for (const i of items) if (matchesConstraint(c, i)) part += basisAmount(rule.basis, i)
    const base = {
      label: c.label,
      op: c.op,
      target: c.share,
      targetText: Rational.toPercentString(c.share),
      ...(c.tolerance === undefined ? {} : { tolerance: c.tolerance }),
      part,
      total
    }
    const share = Rational.share(part, total)
    if (share === undefined) return base
    const deviation = Rational.subtract(share, c.share)
    const pass = holds(c.op, share, c.share, c.tolerance)
    if (!pass) failed = true
    return {
      ...base,
      share,
      shareText: Rational.toPercentString(share),
      deviation,
      deviationText: `${deviation.num > 0 ? "+" : ""}${Rational.toPercentString(deviation)}`,
      pass
    }
  })
  return {
    ruleId: rule.id,
    title: rule.title,
    source: rule.source,
    basis: rule.basis,
    total,
    status: total === 0 ? "noData" : failed ? "fail" : "pass",
    constraints
  }
}
