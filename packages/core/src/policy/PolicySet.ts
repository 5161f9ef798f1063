/**
 * A policy set: everything a district's credit determination and compliance
 * needs, as one JSON-serialisable value with an id, a version, an effective date
 * and a time zone.
 *
 * @since 0.1.0
 */
import { Effect, Result, Schema, SchemaIssue } from "effect"
import { DEFAULT_TIME_ZONE, LocalDateSchema, TimeZoneSchema } from "../Calendar.js"
import * as Rational from "../Rational.js"
import { CompletionRule } from "./CompletionRule.js"
import { CourseMixRule } from "./CourseMix.js"
import { CreditPolicy, PolicyKey } from "./CreditPolicy.js"
import { Requirement } from "./Requirement.js"

/**
 * A policy set.
 *
 * - `id`, `version`: a grant records `id` as its `policyId`;
 * - `effectiveFrom`: accrual credits sessions on or after this date only;
 * - `timeZone`: year attribution and business dates (default `Asia/Shanghai`);
 * - `credit`, `requirements`, `courseMix`, `completion`: the four policy kinds.
 *
 * @category schemas
 * @since 0.1.0
 */
export const PolicySet = Schema.Struct({
  id: PolicyKey,
  version: Schema.Int.check(
    Schema.makeFilter((n: number) => n >= 1 || "expected an integer >= 1", { toJsonSchema: () => ({ minimum: 1 }) })
  ),
  title: Schema.String,
  effectiveFrom: LocalDateSchema,
  timeZone: TimeZoneSchema.pipe(Schema.withDecodingDefaultKey(Effect.succeed(DEFAULT_TIME_ZONE))),
  credit: CreditPolicy,
  requirements: Schema.Array(Requirement),
  courseMix: Schema.Array(CourseMixRule),
  completion: CompletionRule
})

/**
 * A policy set.
 *
 * @category models
 * @since 0.1.0
 */
export type PolicySet = typeof PolicySet.Type

/**
 * The JSON form of a policy set (what a policy file holds).
 *
 * @category models
 * @since 0.1.0
 */
export type PolicySetJson = typeof PolicySet.Encoded

/**
 * A policy file is rejected: `path` names the bad field (`credit.rule.step`,
 * `requirements.0.thresholds.1.min`, or empty for the whole value).
 *
 * @category errors
 * @since 0.1.0
 */
export class PolicyError extends Schema.TaggedError<PolicyError>()("PolicyError", {
  path: Schema.String,
  message: Schema.String
}) {}

const decode = Schema.decodeUnknownResult(PolicySet, { onExcessProperty: "error" })
const encode = Schema.encodeSync(PolicySet)
const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

/** Checks that the schema cannot express: unique ids, ordered tiers, shares within 0..1. */
const semanticError = (p: PolicySet): PolicyError | undefined => {
  const err = (path: string, message: string) => new PolicyError({ path, message })
  const rule = p.credit.rule
  if (rule.kind === "tiered") {
    for (let i = 1; i < rule.tiers.length; i++) {
      const a = rule.tiers[i - 1]
      const b = rule.tiers[i]
      if (a === undefined || b === undefined) continue
      if (b.minMinutes <= a.minMinutes)
        return err(`credit.rule.tiers.${i}.minMinutes`, "tiers must have increasing minMinutes")
      if (b.hours < a.hours) return err(`credit.rule.tiers.${i}.hours`, "tiers must have non-decreasing hours")
    }
  }
  if (rule.kind === "blocks") {
    if (rule.fullDay.minutes <= rule.halfDay.minutes) {
      return err("credit.rule.fullDay.minutes", "a full day must be longer than a half day")
    }
    if (rule.fullDay.hours < rule.halfDay.hours)
      return err("credit.rule.fullDay.hours", "a full day earns at least a half day")
  }
  const s = p.credit.minAttendedShare
  if (s !== undefined && (Rational.sign(s) < 0 || Rational.compare(s, Rational.one) > 0)) {
    return err("credit.minAttendedShare", "expected a share from 0 to 1")
  }
  const unique = (ids: ReadonlyArray<string>, path: string): PolicyError | undefined => {
    const seen = new Set<string>()
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i] as string
      if (seen.has(id)) return err(`${path}.${i}.id`, `duplicate id ${id}`)
      seen.add(id)
    }
    return undefined
  }
  const dup =
    unique(
      p.credit.caps.map((c) => c.id),
      "credit.caps"
    ) ??
    unique(
      p.requirements.map((r) => r.id),
      "requirements"
    ) ??
    unique(
      p.courseMix.map((r) => r.id),
      "courseMix"
    )
  if (dup !== undefined) return dup
  for (let i = 0; i < p.courseMix.length; i++) {
    const r = p.courseMix[i] as CourseMixRule
    for (let j = 0; j < r.constraints.length; j++) {
      const c = r.constraints[j]
      if (c === undefined) continue
      if (Rational.sign(c.share) < 0 || Rational.compare(c.share, Rational.one) > 0) {
        return err(`courseMix.${i}.constraints.${j}.share`, "expected a share from 0 to 1")
      }
      if ((c.categories?.length ?? 0) + (c.tags?.length ?? 0) === 0) {
        return err(`courseMix.${i}.constraints.${j}`, "a constraint names at least one category or tag")
      }
    }
  }
  for (const [name, r] of [
    ["minAttendanceRatio", p.completion.minAttendanceRatio],
    ["maxLeaveRatio", p.completion.maxLeaveRatio]
  ] as const) {
    if (r !== undefined && (Rational.sign(r) < 0 || Rational.compare(r, Rational.one) > 0)) {
      return err(`completion.${name}`, "expected a ratio from 0 to 1")
    }
  }
  return undefined
}

/**
 * Decodes a policy set from a parsed JSON value: the schema, then the checks the
 * schema cannot express (unique ids, increasing tiers, shares within 0..1).
 * Fails with a {@link PolicyError} naming the path of the first bad field.
 *
 * @category codecs
 * @since 0.1.0
 */
export const decodePolicySet = (json: unknown): Result.Result<PolicySet, PolicyError> => {
  const r = decode(json)
  if (Result.isFailure(r)) {
    const first = formatter(r.failure.issue).issues[0]
    const path = first?.path?.map((p) => (typeof p === "object" && p !== null ? String(p.key) : String(p))) ?? []
    return Result.fail(new PolicyError({ path: path.join("."), message: first?.message ?? "invalid policy" }))
  }
  const e = semanticError(r.success)
  return e === undefined ? Result.succeed(r.success) : Result.fail(e)
}

/**
 * Parses the text of a policy file (JSON) into a policy set, or a {@link PolicyError}.
 *
 * @category codecs
 * @since 0.1.0
 */
export const parsePolicySet = (text: string): Result.Result<PolicySet, PolicyError> => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    return Result.fail(new PolicyError({ path: "", message: `not JSON: ${(e as Error).message}` }))
  }
  return decodePolicySet(json)
}

/**
 * Decodes a policy set, throwing its {@link PolicyError} (for presets and tests).
 *
 * @category codecs
 * @since 0.1.0
 */
export const decodePolicySetSync = (json: unknown): PolicySet => {
  const r = decodePolicySet(json)
  if (Result.isFailure(r)) throw r.failure
  return r.success
}

/**
 * The JSON form of a policy set (hours as decimal numbers); `decodePolicySet`
 * reads it back to an equal value.
 *
 * @category codecs
 * @since 0.1.0
 */
export const encodePolicySet = (policy: PolicySet): PolicySetJson => encode(policy)

/**
 * The key a policy set is known by in grants and reports: `id@version`.
 *
 * @category utils
 * @since 0.1.0
 */
export const policyKey = (policy: PolicySet): string => `${policy.id}@${policy.version}`
