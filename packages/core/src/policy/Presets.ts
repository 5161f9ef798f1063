/**
 * Preset policies, each citing its source (tags of `shared/domain/RULES.md`:
 * **[N]** national rule, primary text read; **[N2]** national rule seen only in
 * secondary sources; **[L]** local example; **[?]** unverified or xueshi's own
 * choice). Presets are data: they are written in their JSON form and decoded with
 * the same schemas as a policy file, so a preset is also a valid example file.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { CompletionRule } from "./CompletionRule.js"
import { CourseMixRule } from "./CourseMix.js"
import { CreditPolicy } from "./CreditPolicy.js"
import { decodePolicySetSync, type PolicySet, type PolicySetJson } from "./PolicySet.js"
import { Requirement } from "./Requirement.js"

const credit = (json: typeof CreditPolicy.Encoded): CreditPolicy => Schema.decodeUnknownSync(CreditPolicy)(json)
const requirement = (json: typeof Requirement.Encoded): Requirement => Schema.decodeUnknownSync(Requirement)(json)
const mix = (json: typeof CourseMixRule.Encoded): CourseMixRule => Schema.decodeUnknownSync(CourseMixRule)(json)
const completion = (json: typeof CompletionRule.Encoded): CompletionRule =>
  Schema.decodeUnknownSync(CompletionRule)(json)

/** Trainee categories of Party members (applicants, activists and candidates are not yet members). */
const MEMBERS = [
  "grassrootsSecretary",
  "committeeMember",
  "partyAffairsWorker",
  "ordinaryMember",
  "probationaryMember",
  "newMember",
  "mobileMember",
  "organCadre",
  "reserveCadre",
  "elderlyOrInfirm",
  "leadingCadre"
] as const

// ---------------------------------------------------------------------------
// credit presets
// ---------------------------------------------------------------------------

/**
 * `standard-45` (the default credit policy): each session's attended minutes at
 * 45 minutes = 1 hour, rounded down to 0.25 per grant (90 min → 2.00, 44 min →
 * 0.75, 15 min → 0.25, 10 min → 0). Make-ups earn credit; a session is attributed
 * to the year it starts in; no caps, no carry-over.
 *
 * Source: **[?]** no national text says how many minutes make one 学时
 * (RULES.md, "Credit determination"); 45 minutes is the customary class period,
 * chosen by xueshi as its default.
 *
 * @since 0.1.0
 */
export const standard45: CreditPolicy = credit({
  id: "standard-45",
  source: "[?] xueshi default: 45-minute class period; no national text fixes minutes per 学时 (RULES.md)",
  rule: { kind: "linear", minutesPerHour: 45, step: 0.25, rounding: "floor" },
  makeUpCredit: true,
  caps: [],
  yearSplit: { kind: "sessionStart" }
})

/**
 * `yunnan-tiers`: a course of ≥ 30 minutes = 1 hour, 16–29 minutes = 0.5, up to
 * 15 minutes (a micro-lesson) = 0.25. (Passing a test = 0.5 is an external grant.)
 *
 * Source: **[L]** Yunnan online academy (2024), RULES.md "Credit determination".
 *
 * @since 0.1.0
 */
export const yunnanTiers: CreditPolicy = credit({
  id: "yunnan-tiers",
  source: "[L] Yunnan online academy (2024): >= 30 min = 1; 15-30 min = 0.5; <= 15 min = 0.25",
  rule: {
    kind: "tiered",
    tiers: [
      { minMinutes: 1, hours: 0.25 },
      { minMinutes: 16, hours: 0.5 },
      { minMinutes: 30, hours: 1 }
    ]
  },
  makeUpCredit: true,
  caps: [],
  yearSplit: { kind: "sessionStart" }
})

/**
 * `full-day-8`: a full day (≥ 360 attended minutes in one session) = 8 hours, a
 * half day (≥ 180) = 4; shorter sessions (branch study) 1 hour per 60 minutes,
 * rounded down to 0.25. A session crossing New Year is split between the years;
 * no carry-over. The 180/360-minute thresholds are xueshi's reading **[?]**.
 *
 * Source: **[L]** institution rule (Anhui, 2018), RULES.md "Credit determination".
 *
 * @since 0.1.0
 */
export const fullDay8: CreditPolicy = credit({
  id: "full-day-8",
  source:
    "[L] Anhui institution rule (2018): full day = 8, half day = 4, branch study 1 per hour, split by year, no carry-over",
  rule: {
    kind: "blocks",
    fullDay: { minutes: 360, hours: 8 },
    halfDay: { minutes: 180, hours: 4 },
    otherwise: { kind: "linear", minutesPerHour: 60, step: 0.25, rounding: "floor" }
  },
  makeUpCredit: true,
  caps: [],
  yearSplit: { kind: "proportional", step: 0.25 }
})

/**
 * `nanjing-6`: a full day (≥ 360 attended minutes) = 6 hours, a half day (≥ 180)
 * = 3; nothing below a half day. Surplus hours carry into the next year. The source
 * mentions caps per kind without numbers: add them as `caps` locally.
 *
 * Source: **[L]** Nanjing cadres, RULES.md "Credit determination".
 *
 * @since 0.1.0
 */
export const nanjing6: CreditPolicy = credit({
  id: "nanjing-6",
  source: "[L] Nanjing cadres: day = 6, half day = 3, caps per kind, surplus carries into next year",
  rule: { kind: "blocks", fullDay: { minutes: 360, hours: 6 }, halfDay: { minutes: 180, hours: 3 } },
  makeUpCredit: true,
  caps: [],
  yearSplit: { kind: "sessionStart" },
  carryOver: {}
})

// ---------------------------------------------------------------------------
// requirement presets
// ---------------------------------------------------------------------------

/**
 * `annual-32`: every Party member, ≥ 32 hours of concentrated training each
 * calendar year; soft ("一般"): recorded exemptions apply (Art. 23: elderly, infirm,
 * ill members). Pacing linear; joiners pro-rated by months.
 *
 * Source: **[N]** 《中国共产党党员教育管理工作条例》(2019) Art. 20 and Art. 23.
 *
 * @since 0.1.0
 */
export const annual32: Requirement = requirement({
  id: "annual-32",
  title: "每年集中学习培训不少于32学时",
  source: "[N] 《中国共产党党员教育管理工作条例》(2019) Art. 20; exemptions Art. 23",
  who: [...MEMBERS],
  window: { kind: "calendarYear" },
  combine: "all",
  thresholds: [{ measure: "hours", min: 32 }],
  strength: "soft",
  pacing: "linear",
  joiners: "proRated"
})

/**
 * `secretary-56`: grassroots Party secretaries and committee members, ≥ 56 hours
 * **and** ≥ 1 concentrated training (a concentrated or rotational class) a year.
 *
 * Source: **[N2]** a national training plan (not in the 2019 regulation), RULES.md.
 *
 * @since 0.1.0
 */
export const secretary56: Requirement = requirement({
  id: "secretary-56",
  title: "基层党组织书记和班子成员每年不少于56学时",
  source: "[N2] national training plan for grassroots secretaries (not in the 2019 regulation)",
  who: ["grassrootsSecretary", "committeeMember"],
  window: { kind: "calendarYear" },
  combine: "all",
  thresholds: [
    { measure: "hours", min: 56 },
    { measure: "trainings", min: 1, counts: { formats: ["concentrated", "rotational"] } }
  ],
  strength: "soft",
  pacing: "linear",
  joiners: "proRated"
})

/**
 * `candidate-24h-or-3d`: a candidate for admission (发展对象), once before
 * admission, ≥ 24 hours **or** ≥ 3 training days; hard (a gate).
 *
 * Source: **[N2]** 《中国共产党发展党员工作细则》(2014) Art. 17.
 *
 * @since 0.1.0
 */
export const candidate24hOr3d: Requirement = requirement({
  id: "candidate-24h-or-3d",
  title: "发展对象集中培训不少于24学时或3天",
  source: "[N2] 《中国共产党发展党员工作细则》(2014) Art. 17",
  who: ["candidate"],
  window: { kind: "once" },
  combine: "any",
  thresholds: [
    { measure: "hours", min: 24 },
    { measure: "days", min: 3 }
  ],
  strength: "hard",
  pacing: "none",
  joiners: "none"
})

/**
 * `cadre-annual`: township/section-level cadres (`organCadre`), ≥ 90 hours **or**
 * ≥ 12 training days each calendar year.
 *
 * Source: **[N2]** 《干部教育培训工作条例》(2023) Art. 14.
 *
 * @since 0.1.0
 */
export const cadreAnnual: Requirement = requirement({
  id: "cadre-annual",
  title: "乡科级干部每年参加培训不少于90学时或12天",
  source: "[N2] 《干部教育培训工作条例》(2023) Art. 14",
  who: ["organCadre"],
  window: { kind: "calendarYear" },
  combine: "any",
  thresholds: [
    { measure: "hours", min: 90 },
    { measure: "days", min: 12 }
  ],
  strength: "soft",
  pacing: "linear",
  joiners: "proRated"
})

/**
 * `cadre-5y`: leading cadres (县处级 and above), ≥ 550 hours **or** 3 months of
 * off-job training in 5 years (rolling here; use a `fixedCycle` window for fixed
 * cycles). "3 months" is read as 90 training days **[?]**.
 *
 * Source: **[N2]** 《干部教育培训工作条例》(2023) Art. 14.
 *
 * @since 0.1.0
 */
export const cadre5y: Requirement = requirement({
  id: "cadre-5y",
  title: "县处级以上领导干部5年内参加培训不少于550学时或3个月",
  source: "[N2] 《干部教育培训工作条例》(2023) Art. 14; 3 months read as 90 training days [?]",
  who: ["leadingCadre"],
  window: { kind: "rollingYears", years: 5 },
  combine: "any",
  thresholds: [
    { measure: "hours", min: 550 },
    { measure: "days", min: 90 }
  ],
  strength: "soft",
  pacing: "linear",
  joiners: "none"
})

/**
 * `new-member`: probationary and new members, ≥ 1 concentrated training within
 * the year after admission (whether a higher level organised it is not recorded).
 *
 * Source: **[N2]** RULES.md, requirement `new-member`.
 *
 * @since 0.1.0
 */
export const newMember: Requirement = requirement({
  id: "new-member",
  title: "新党员入党后一年内参加集中培训",
  source: "[N2] new members: >= 1 concentrated training within 1 year after admission",
  who: ["probationaryMember", "newMember"],
  window: { kind: "sinceJoining", years: 1 },
  combine: "all",
  thresholds: [{ measure: "trainings", min: 1, counts: { formats: ["concentrated", "rotational"] } }],
  strength: "soft",
  pacing: "none",
  joiners: "none"
})

// ---------------------------------------------------------------------------
// course-mix presets
// ---------------------------------------------------------------------------

/**
 * `xiqing-40-40-20`: in each module and each class, lesson minutes are 40%
 * theory, 40% practice and 20% exemplar (exactly: the source gives no tolerance;
 * set `tolerance` locally).
 *
 * Source: **[L]** Tianjin Xiqing (seed article), RULES.md "Course mix".
 *
 * @since 0.1.0
 */
export const xiqing404020: CourseMixRule = mix({
  id: "xiqing-40-40-20",
  title: "政治理论类40% + 基层实务类40% + 先进模范类20%",
  source: "[L] Tianjin Xiqing (seed article)",
  scopes: ["class", "module"],
  basis: "scheduledMinutes",
  constraints: [
    { label: "theory", categories: ["theory"], op: "==", share: { num: 2, den: 5 } },
    { label: "practice", categories: ["practice"], op: "==", share: { num: 2, den: 5 } },
    { label: "exemplar", categories: ["exemplar"], op: "==", share: { num: 1, den: 5 } }
  ]
})

/**
 * `fengxian-two-thirds`: in each class, more than 2/3 of the lessons are
 * original-text study of the new thought (tag `newThought`).
 *
 * Source: **[L]** Shanghai Fengxian (seed article), RULES.md "Course mix".
 *
 * @since 0.1.0
 */
export const fengxianTwoThirds: CourseMixRule = mix({
  id: "fengxian-two-thirds",
  title: "原著原文学习课程占比超过三分之二",
  source: "[L] Shanghai Fengxian (seed article)",
  scopes: ["class"],
  basis: "lessons",
  constraints: [{ label: "newThought", tags: ["newThought"], op: ">", share: { num: 2, den: 3 } }]
})

/**
 * `party-school-70-20`: in the core (concentrated) classes of a party school,
 * theory plus party-spirit lessons (tag `partySpirit`) ≥ 70% of lesson minutes,
 * party-spirit ≥ 20%. Core classes are taken to be the `concentrated` classes of
 * district schools.
 *
 * Source: **[N2]** 2015 opinion on party schools, RULES.md "Course mix".
 *
 * @since 0.1.0
 */
export const partySchool7020: CourseMixRule = mix({
  id: "party-school-70-20",
  title: "理论教育和党性教育课程不低于70%，党性教育不低于20%",
  source: "[N2] 2015 opinion on party-school work",
  scopes: ["class"],
  basis: "scheduledMinutes",
  appliesTo: { formats: ["concentrated"], schoolTiers: ["district"] },
  constraints: [
    {
      label: "theory+partySpirit",
      categories: ["theory"],
      tags: ["partySpirit"],
      op: ">=",
      share: { num: 7, den: 10 }
    },
    { label: "partySpirit", tags: ["partySpirit"], op: ">=", share: { num: 1, den: 5 } }
  ]
})

/**
 * `sichuan-70-20`: in each class of a province or city party school, theory
 * plus party-spirit lessons (tag `partySpirit`) ≥ 70% of lesson minutes,
 * party-spirit ≥ 20% (the pattern of `party-school-70-20`, for every class
 * format). A province or city school keeping its records in xueshi is the root
 * of its network, whose tier is `district`: the rule applies to the classes of
 * root schools.
 *
 * Source: **[L]** Sichuan (local practice), RULES.md "Course mix" (which gives
 * only "70% / 20%"; the categories are read as in the 2015 opinion).
 *
 * @since 0.2.0
 */
export const sichuan7020: CourseMixRule = mix({
  id: "sichuan-70-20",
  title: "省市党校理论教育和党性教育课程不低于70%，党性教育不低于20%",
  source: "[L] Sichuan (local practice)",
  scopes: ["class"],
  basis: "scheduledMinutes",
  appliesTo: { schoolTiers: ["district"] },
  constraints: [
    {
      label: "theory+partySpirit",
      categories: ["theory"],
      tags: ["partySpirit"],
      op: ">=",
      share: { num: 7, den: 10 }
    },
    { label: "partySpirit", tags: ["partySpirit"], op: ">=", share: { num: 1, den: 5 } }
  ]
})

// ---------------------------------------------------------------------------
// completion presets
// ---------------------------------------------------------------------------

/**
 * `open-completion`: no limits; make-ups allowed. Every enrolled member who has
 * not withdrawn passes when the class completes.
 *
 * Source: **[?]** xueshi default (national texts set no completion rule for ordinary members).
 *
 * @since 0.1.0
 */
export const openCompletion: CompletionRule = completion({
  id: "open-completion",
  source: "[?] xueshi default: no completion limits",
  makeUpAllowed: true
})

/**
 * `cadre-leave-1-7`: cumulative leave at most 1/7 of the class's hours; beyond
 * that the trainee is withdrawn. Make-ups allowed.
 *
 * Source: **[N2]** 《干部教育培训工作条例》(2023) Art. 15.
 *
 * @since 0.1.0
 */
export const cadreLeave17: CompletionRule = completion({
  id: "cadre-leave-1-7",
  source: "[N2] 《干部教育培训工作条例》(2023) Art. 15: leave <= 1/7 of the class's hours, else withdrawn",
  maxLeaveRatio: { num: 1, den: 7 },
  leaveRatioExceeded: "withdrawn",
  makeUpAllowed: true
})

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
 * @since 0.1.0
 */
export type PresetId = keyof typeof presets
