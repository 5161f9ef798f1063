/**
 * Preset policies, each citing its source (tags of `shared/domain/RULES.md`:
 * **[N]** national rule, primary text read; **[N2]** national rule seen only in
 * secondary sources; **[L]** local example; **[?]** unverified or xueshi's own
 * choice). Presets are data: they are written in their JSON form and decoded with
 * the same schemas as a policy file, so a preset is also a valid example file.
 *
 * The parts live by kind and are re-exported here: credit presets in
 * `CreditPresets`, requirement presets in `RequirementPresets`, course-mix and
 * completion presets in `ClassPresets`; this module composes them into policy
 * sets ({@link composePolicySet}) and lists every preset by id ({@link presets}).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import {
  cadreLeave17,
  fengxianTwoThirds,
  openCompletion,
  partySchool7020,
  sichuan7020,
  xiqing404020
} from "./ClassPresets.js"
import { CompletionRule } from "./CompletionRule.js"
import { CourseMixRule } from "./CourseMix.js"
import { CreditPolicy } from "./CreditPolicy.js"
import { fullDay8, nanjing6, standard45, yunnanTiers } from "./CreditPresets.js"
import { decodePolicySetSync, type PolicySet, type PolicySetJson } from "./PolicySet.js"
import { Requirement } from "./Requirement.js"
import { annual32, cadre5y, cadreAnnual, candidate24hOr3d, newMember, secretary56 } from "./RequirementPresets.js"

export * from "./ClassPresets.js"
export * from "./CreditPresets.js"
export * from "./RequirementPresets.js"

// ---------------------------------------------------------------------------
// policy sets
// ---------------------------------------------------------------------------

const encodeCredit = Schema.encodeSync(CreditPolicy)
const encodeRequirement = Schema.encodeSync(Requirement)
const encodeMix = Schema.encodeSync(CourseMixRule)
const encodeCompletion = Schema.encodeSync(CompletionRule)

/**
 * Builds a policy set from parts (presets or your own), validating it like a
 * policy file. Defaults: credit `standard-45`, completion `open-completion`, no
 * course-mix rules, time zone `Asia/Shanghai`.
 *
 * @category presets
 * @since 0.1.0
 */
export const composePolicySet = (parts: {
  readonly id: string
  readonly version?: number
  readonly title?: string
  readonly effectiveFrom: string
  readonly timeZone?: string
  readonly credit?: CreditPolicy
  readonly requirements?: ReadonlyArray<Requirement>
  readonly courseMix?: ReadonlyArray<CourseMixRule>
  readonly completion?: CompletionRule
}): PolicySet => {
  const json: PolicySetJson = {
    id: parts.id,
    version: parts.version ?? 1,
    title: parts.title ?? parts.id,
    effectiveFrom: parts.effectiveFrom,
    ...(parts.timeZone === undefined ? {} : { timeZone: parts.timeZone }),
    credit: encodeCredit(parts.credit ?? standard45),
    requirements: (parts.requirements ?? []).map((r) => encodeRequirement(r)),
    courseMix: (parts.courseMix ?? []).map((r) => encodeMix(r)),
    completion: encodeCompletion(parts.completion ?? openCompletion)
  }
  return decodePolicySetSync(json)
}

/**
 * `national-2019`: the national rule for Party members — 32 hours of concentrated
 * training a year, soft, with recorded exemptions for elderly, infirm and ill
 * members (home delivery is recorded but cannot make them fail); credit
 * `standard-45`; no completion limits. Effective from 2019-05-06.
 *
 * Source: **[N]** 《中国共产党党员教育管理工作条例》(2019) Art. 20, Art. 23.
 *
 * @category presets
 * @since 0.1.0
 */
export const national2019: PolicySet = composePolicySet({
  id: "national-2019",
  title: "党员教育管理工作条例 (2019)",
  effectiveFrom: "2019-05-06",
  requirements: [annual32]
})

/**
 * `cadre-2023`: cadre training — `cadre-annual` (90 hours or 12 days a year) and
 * `cadre-5y` (550 hours or 3 months in 5 years), and the 1/7 leave rule for
 * classes; credit `standard-45`. Effective from 2023-10-01.
 *
 * Source: **[N2]** 《干部教育培训工作条例》(2023) Art. 14, Art. 15.
 *
 * @category presets
 * @since 0.1.0
 */
export const cadre2023: PolicySet = composePolicySet({
  id: "cadre-2023",
  title: "干部教育培训工作条例 (2023)",
  effectiveFrom: "2023-10-01",
  requirements: [cadreAnnual, cadre5y],
  completion: cadreLeave17
})

/**
 * `xiqing-district`: a district office's whole set, as the main job and the CLI
 * use it — `annual-32`, `secretary-56`, `cadre-annual` and `candidate-24h-or-3d`
 * with credit `standard-45`, and the 40/40/20 course mix of Tianjin Xiqing.
 * Effective from 2019-05-06.
 *
 * Source: the presets it composes (each with its own source); the course mix is
 * **[L]**, a local example, never the default.
 *
 * @category presets
 * @since 0.1.0
 */
export const xiqingDistrict: PolicySet = composePolicySet({
  id: "xiqing-district",
  title: "Xiqing district: national rules and the 40/40/20 course mix",
  effectiveFrom: "2019-05-06",
  credit: standard45,
  requirements: [annual32, secretary56, cadreAnnual, candidate24hOr3d],
  courseMix: [xiqing404020]
})

/**
 * Every preset by its id, with its kind.
 *
 * @category presets
 * @since 0.1.0
 */
export const presets = {
  "national-2019": { kind: "policySet", value: national2019 },
  "cadre-2023": { kind: "policySet", value: cadre2023 },
  "xiqing-district": { kind: "policySet", value: xiqingDistrict },
  "annual-32": { kind: "requirement", value: annual32 },
  "secretary-56": { kind: "requirement", value: secretary56 },
  "candidate-24h-or-3d": { kind: "requirement", value: candidate24hOr3d },
  "cadre-annual": { kind: "requirement", value: cadreAnnual },
  "cadre-5y": { kind: "requirement", value: cadre5y },
  "new-member": { kind: "requirement", value: newMember },
  "xiqing-40-40-20": { kind: "courseMix", value: xiqing404020 },
  "fengxian-two-thirds": { kind: "courseMix", value: fengxianTwoThirds },
  "party-school-70-20": { kind: "courseMix", value: partySchool7020 },
  "sichuan-70-20": { kind: "courseMix", value: sichuan7020 },
  "standard-45": { kind: "credit", value: standard45 },
  "yunnan-tiers": { kind: "credit", value: yunnanTiers },
  "full-day-8": { kind: "credit", value: fullDay8 },
  "nanjing-6": { kind: "credit", value: nanjing6 },
  "open-completion": { kind: "completion", value: openCompletion },
  "cadre-leave-1-7": { kind: "completion", value: cadreLeave17 }
} as const

/**
 * The id of a preset.
 *
 * @category models
 * @since 0.1.0
 */
export type PresetId = keyof typeof presets
