/**
 * The requirement presets: who must train how much, in which window.
 *
 * Each cites its source (tags of `shared/domain/RULES.md`: **[N]** national rule,
 * primary text read; **[N2]** national rule seen only in secondary sources; **[L]**
 * local example; **[?]** unverified or xueshi's own choice), is written in its JSON
 * form and decoded with the same schema as a policy file. Re-exported by `Presets`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Requirement } from "./Requirement.js"

const requirement = (json: typeof Requirement.Encoded): Requirement => Schema.decodeUnknownSync(Requirement)(json)

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

/**
 * `annual-32`: every Party member, ≥ 32 hours of concentrated training each
 * calendar year; soft ("一般"): recorded exemptions apply (Art. 23: elderly, infirm,
 * ill members). Pacing linear; joiners pro-rated by months.
 *
 * Source: **[N]** 《中国共产党党员教育管理工作条例》(2019) Art. 20 and Art. 23.
 *
 * @category presets
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
 * @category presets
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
 * @category presets
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
 * @category presets
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
 * @category presets
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
 * @category presets
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
