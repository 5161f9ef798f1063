/**
 * The credit presets: how attended minutes become hours (学时认定).
 *
 * Each cites its source (tags of `shared/domain/RULES.md`: **[N]** national rule,
 * primary text read; **[N2]** national rule seen only in secondary sources; **[L]**
 * local example; **[?]** unverified or xueshi's own choice), is written in its JSON
 * form and decoded with the same schema as a policy file. Re-exported by `Presets`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { CreditPolicy } from "./CreditPolicy.js"

const credit = (json: typeof CreditPolicy.Encoded): CreditPolicy => Schema.decodeUnknownSync(CreditPolicy)(json)

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
 * @category presets
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
 * @category presets
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
 * @category presets
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
 * @category presets
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
