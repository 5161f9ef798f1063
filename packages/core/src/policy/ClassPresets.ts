/**
 * The presets that judge classes: course-mix rules (课程结构) and completion rules
 * (结业).
 *
 * Each cites its source (tags of `shared/domain/RULES.md`: **[N]** national rule,
 * primary text read; **[N2]** national rule seen only in secondary sources; **[L]**
 * local example; **[?]** unverified or xueshi's own choice), is written in its JSON
 * form and decoded with the same schema as a policy file. Re-exported by `Presets`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { CompletionRule } from "./CompletionRule.js"
import { CourseMixRule } from "./CourseMix.js"

const mix = (json: typeof CourseMixRule.Encoded): CourseMixRule => Schema.decodeUnknownSync(CourseMixRule)(json)
const completion = (json: typeof CompletionRule.Encoded): CompletionRule =>
  Schema.decodeUnknownSync(CompletionRule)(json)

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
 * @category presets
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
 * @category presets
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
 * @category presets
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
 * @category presets
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
 * @category presets
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
 * @category presets
 * @since 0.1.0
 */
export const cadreLeave17: CompletionRule = completion({
  id: "cadre-leave-1-7",
  source: "[N2] 《干部教育培训工作条例》(2023) Art. 15: leave <= 1/7 of the class's hours, else withdrawn",
  maxLeaveRatio: { num: 1, den: 7 },
  leaveRatioExceeded: "withdrawn",
  makeUpAllowed: true
})
