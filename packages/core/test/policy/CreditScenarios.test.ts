import { describe, expect, it } from "vitest"
import * as Accrual from "../../src/policy/Accrual.js"
import { sessionCredit } from "../../src/policy/CreditPolicy.js"
import * as Explanation from "../../src/policy/Explanation.js"
import * as MemberCompliance from "../../src/policy/MemberCompliance.js"
import * as Presets from "../../src/policy/Presets.js"
import { foldProjection } from "../../src/policy/Projection.js"
import * as SchoolRollup from "../../src/policy/SchoolRollup.js"
import { attend, enrol, klass, member, session, toWire, validate, w, withAccrual } from "./fixtures.js"

import { attendAll, compliance, d, tree, weekly } from "./scenarios.js"

describe("a 15-minute micro-lesson under each credit preset", () => {
  it.each([
    // standard-45: 15 × 100 / 45 = 33.3 → down to 25
    ["standard-45", Presets.standard45, 25],
    // yunnan-tiers: ≤ 15 minutes is the first tier, 0.25
    ["yunnan-tiers", Presets.yunnanTiers, 25],
    // full-day-8: below a half day, 60 min/h: 15 × 100 / 60 = 25 → 25
    ["full-day-8", Presets.fullDay8, 25],
    // nanjing-6: below a half day earns nothing
    ["nanjing-6", Presets.nanjing6, 0]
  ])("%s: %i hundredths", (_, policy, hours) => {
    expect(sessionCredit(policy, 15, 15)).toBe(hours)
  })

  it("other points of each preset", () => {
    // yunnan: 16–29 → 0.5, ≥ 30 → 1 (even for 120 minutes)
    expect([16, 29, 30, 120].map((m) => sessionCredit(Presets.yunnanTiers, m, 120))).toEqual([50, 50, 100, 100])
    // full-day-8: 180 → 4, 359 → max(4, 359/60 = 5.98 → 5.75) = 5.75, 360 → 8
    expect([180, 359, 360].map((m) => sessionCredit(Presets.fullDay8, m, 480))).toEqual([400, 575, 800])
    // nanjing-6: 179 → 0, 180 → 3, 360 → 6
    expect([179, 180, 360].map((m) => sessionCredit(Presets.nanjing6, m, 480))).toEqual([0, 300, 600])
  })
})

describe("national-2019 (annual-32)", () => {
  const policy = Presets.national2019

  it("16 sessions of 90 minutes = 32.00 hours: met; 15 = 30.00: notMet at year end with 2.00 shortfall", () => {
    const base = [
      ...tree,
      member("M1", "V1", ["ordinaryMember"]),
      klass("C1", "V1"),
      ...weekly("C1", "2025-01-07", 16, 90),
      enrol("C1", "M1")
    ]
    const met = compliance([...base, ...attendAll("C1", "M1", 16, 90)], policy, "M1", "2025-12-31")[0]
    expect(met).toMatchObject({ status: "met", earned: { hours: 3200, days: 16, trainings: 1 }, shortfallHours: 0 })
    const short = compliance([...base, ...attendAll("C1", "M1", 15, 90)], policy, "M1", "2025-12-31")[0]
    expect(short).toMatchObject({ status: "notMet", shortfallHours: 200 })
    expect(short?.explanation.counted).toHaveLength(15)
    expect(short?.explanation.counted[0]).toMatchObject({
      grantId: "s:C1:S1:a90/90:2025:r1",
      hours: 200,
      source: { kind: "session", classId: "C1", sessionId: "S1" }
    })
  })

  it("a member who joins in July is held to 6/12 of 32 = 16.00 hours, paced from the join date", () => {
    // joinedOn 2025-07-15: months July..December = 6 of 12 → 3200 × 6 / 12 = 1600 (16.00)
    const lines = [
      ...tree,
      member("MJ", "V1", ["newMember"], "2025-07-15"),
      klass("C1", "V1"),
      ...weekly("C1", "2025-07-22", 8, 90),
      enrol("C1", "MJ", "2025-07-16T09:00:00+08:00"),
      ...attendAll("C1", "MJ", 8, 90)
    ]
    const end = compliance(lines, policy, "MJ", "2025-12-31")[0]
    // 8 × 2.00 = 16.00 ≥ 16.00
    expect(end).toMatchObject({
      status: "met",
      thresholds: [{ required: 1600, earned: 1600, proRated: { monthsLeft: 6, months: 12 } }]
    })
    // as of 2025-09-30: sessions on 07-22 … 09-23 = 10 weeks → 10? no: only 8 sessions, 07-22..09-09 → 8 × 2.00 = 16.00: met already
    // as of 2025-08-31: 07-22, 07-29, 08-05, 08-12, 08-19, 08-26 → 6 × 2.00 = 12.00
    // pacing: days 07-15..12-31 = 170, elapsed 07-15..08-31 = 48; 1200 × 170 = 204000 ≥ 1600 × 48 = 76800 → onTrack
    expect(compliance(lines, policy, "MJ", "2025-08-31")[0]).toMatchObject({
      status: "onTrack",
      earned: { hours: 1200 }
    })
    // as of 2025-07-10 the member was not yet on the register
    expect(compliance(lines, policy, "MJ", "2025-07-10")[0]?.status).toBe("notApplicable")
  })

  it("behind: 4.00 hours by June 30 is less than 32 × 181/365 = 15.87", () => {
    const lines = [
      ...tree,
      member("M1", "V1", ["ordinaryMember"]),
      klass("C1", "V1"),
      ...weekly("C1", "2025-01-07", 2, 90),
      enrol("C1", "M1"),
      ...attendAll("C1", "M1", 2, 90)
    ]
    // 400 × 365 = 146000 < 3200 × 181 = 579200
    expect(compliance(lines, policy, "M1", "2025-06-30")[0]?.status).toBe("behind")
  })

  it("an exempt elderly member who still gets home-delivered lessons is exempt, with the credit recorded", () => {
    const lines = [
      ...tree,
      member("OLD", "V2", ["elderlyOrInfirm"]),
      w("ExemptionGranted", { memberId: "OLD", year: 2025, reason: "elderlyOrInfirm" }),
      klass("H1", "V2", "homeDelivery"),
      ...weekly("H1", "2025-04-01", 3, 60, "theory", "homeDelivery"),
      enrol("H1", "OLD"),
      ...attendAll("H1", "OLD", 3, 60)
    ]
    // 60 minutes → 133.3 → 1.25 each; 3 × 1.25 = 3.75
    const a = compliance(lines, policy, "OLD", "2025-12-31")[0]
    expect(a).toMatchObject({
      status: "exempt",
      exemption: { year: 2025, reason: "elderlyOrInfirm" },
      earned: { hours: 375 }
    })
    expect(a?.explanation.counted.map((g) => g.mode)).toEqual(["homeDelivery", "homeDelivery", "homeDelivery"])
    // roll-up: applicable 1, exempt 1, met 0; compliance rate has no base (1 − 1 = 0)
    const { records } = withAccrual(lines, policy)
    const r = SchoolRollup.make(policy)
    const report = r.query(foldProjection(r, records), { asOf: d("2025-12-31"), year: 2025 })
    const v2 = report.roots[0]?.children[1]?.children[0]
    expect(v2).toMatchObject({
      schoolId: "V2",
      own: { members: 1, applicable: 1, exempt: 1, met: 0, hoursGranted: 375 }
    })
    expect(v2?.rates.complianceRate).toBeUndefined()
  })

  it("applicants are not members: notApplicable", () => {
    const lines = [...tree, member("A1", "V1", ["applicant"])]
    expect(compliance(lines, policy, "A1", "2025-12-31")[0]).toMatchObject({ status: "notApplicable" })
  })
})

describe("a transferred member", () => {
  // M1 is in V1 (under S1) and moves to V2 (under S2) from 2025-07-01. March: 2 × 2.00 at V1; September: 3 × 2.00.
  const policy = Presets.national2019
  const lines = [
    ...tree,
    member("M1", "V1", ["ordinaryMember"]),
    klass("C1", "V1"),
    session("C1", "S1", "2025-03-04T19:00:00+08:00", 90),
    session("C1", "S2", "2025-03-11T19:00:00+08:00", 90),
    enrol("C1", "M1"),
    attend("C1", "S1", "M1", 90),
    attend("C1", "S2", "M1", 90),
    w("MemberTransferred", { memberId: "M1", schoolId: "V2", effectiveOn: "2025-07-01" }),
    klass("C2", "V2"),
    ...["S1", "S2", "S3"].map((s, i) => session("C2", s, `2025-09-0${i + 2}T19:00:00+08:00`, 90)),
    enrol("C2", "M1", "2025-07-02T09:00:00+08:00"),
    ...["S1", "S2", "S3"].map((s) => attend("C2", s, "M1", 90))
  ]
  const { records } = withAccrual(lines, policy)
  const r = SchoolRollup.make(policy)
  const state = foldProjection(r, records)
  const node = (report: SchoolRollup.RollupReport, path: ReadonlyArray<number>) =>
    path.reduce<SchoolRollup.SchoolNode | undefined>((n, i) => n?.children[i], report.roots[0])

  it("before the transfer the member and the March hours are V1's", () => {
    const june = r.query(state, { asOf: d("2025-06-30"), year: 2025 })
    expect(node(june, [0, 0])?.own).toMatchObject({ members: 1, hoursGranted: 400 })
    expect(node(june, [1, 0])?.own).toMatchObject({ members: 0, hoursGranted: 0 })
  })

  it("after it the member is V2's; V1 keeps the March hours (4.00), V2 gets September's (6.00)", () => {
    const dec = r.query(state, { asOf: d("2025-12-31"), year: 2025 })
    expect(node(dec, [0, 0])?.own).toMatchObject({ members: 0, hoursGranted: 400, traineeTimes: 1 })
    expect(node(dec, [1, 0])?.own).toMatchObject({ members: 1, hoursGranted: 600, traineeTimes: 1 })
    // totals: district = 1 member, 10.00 hours; 4 + 6 = 10 over the subtrees
    expect(dec.roots[0]?.total).toMatchObject({
      members: 1,
      hoursGranted: 1000,
      traineeTimes: 2,
      classesHeld: 2,
      sessionsHeld: 5
    })
    // the member's compliance: 10.00 of 32 → notMet at year end, counted at V2
    expect(node(dec, [1, 0])?.own).toMatchObject({ applicable: 1, notMet: 1 })
  })
})

describe("secretary-56, candidate-24h-or-3d and cadre-2023", () => {
  it("secretary-56 needs 56 hours AND one concentrated training", () => {
    const policy = Presets.composePolicySet({
      id: "sec",
      effectiveFrom: "2019-01-01",
      requirements: [Presets.secretary56]
    })
    // 28 online sessions of 90 minutes = 56.00 hours, but no concentrated class
    const online = [
      ...tree,
      member("SEC", "S1", ["grassrootsSecretary"]),
      klass("O1", "S1", "online"),
      ...weekly("O1", "2025-01-07", 28, 90, "theory", "online"),
      enrol("O1", "SEC"),
      ...attendAll("O1", "SEC", 28, 90)
    ]
    const a = compliance(online, policy, "SEC", "2025-12-31")[0]
    expect(a).toMatchObject({
      status: "notMet",
      thresholds: [
        { measure: "hours", earned: 5600, met: true },
        { measure: "trainings", earned: 0, met: false }
      ]
    })
    const b = compliance(
      [
        ...online,
        klass("K1", "S1"),
        session("K1", "S1", "2025-11-01T09:00:00+08:00", 45),
        enrol("K1", "SEC"),
        attend("K1", "S1", "SEC", 45)
      ],
      policy,
      "SEC",
      "2025-12-31"
    )[0]
    expect(b).toMatchObject({ status: "met", earned: { hours: 5700, trainings: 2 } })
  })

  it("candidate-24h-or-3d: 3 training days of 2 × 90 minutes = 12.00 hours, met by days", () => {
    const policy = Presets.composePolicySet({
      id: "cand",
      effectiveFrom: "2019-01-01",
      requirements: [Presets.candidate24hOr3d]
    })
    const days = ["2025-05-10", "2025-05-11", "2025-05-17"]
    const lines = [
      ...tree,
      member("CA", "S1", ["candidate"]),
      klass("K1", "S1"),
      ...days.flatMap((day, i) => [
        session("K1", `A${i}`, `${day}T09:00:00+08:00`, 90),
        session("K1", `B${i}`, `${day}T14:00:00+08:00`, 90)
      ]),
      enrol("K1", "CA"),
      ...days.flatMap((_, i) => [attend("K1", `A${i}`, "CA", 90), attend("K1", `B${i}`, "CA", 90)])
    ]
    expect(compliance(lines, policy, "CA", "2025-05-16")[0]).toMatchObject({
      status: "notMet",
      earned: { hours: 800, days: 2 }
    })
    expect(compliance(lines, policy, "CA", "2025-05-31")[0]).toMatchObject({
      status: "met",
      thresholds: [
        { measure: "hours", earned: 1200, met: false },
        { measure: "days", earned: 3, met: true }
      ]
    })
  })

  it("cadre-annual: 90 hours OR 12 days; cadre-5y applies to leading cadres only", () => {
    const policy = Presets.cadre2023
    // 12 days of one 45-minute session = 12.00 hours but 12 days → met
    const lines = [
      ...tree,
      member("CAD", "D", ["organCadre"]),
      klass("K1", "D"),
      ...Array.from({ length: 12 }, (_, i) =>
        session("K1", `S${i + 1}`, `2025-11-${String(i + 1).padStart(2, "0")}T09:00:00+08:00`, 45)
      ),
      enrol("K1", "CAD"),
      ...attendAll("K1", "CAD", 12, 45)
    ]
    const [annual, fiveYears] = compliance(lines, policy, "CAD", "2025-12-31")
    expect(annual).toMatchObject({ requirementId: "cadre-annual", status: "met", earned: { hours: 1200, days: 12 } })
    expect(fiveYears).toMatchObject({ requirementId: "cadre-5y", status: "notApplicable" })
  })
})

describe("caps and the explanation", () => {
  const policy = Presets.composePolicySet({
    id: "capped",
    effectiveFrom: "2019-01-01",
    credit: {
      ...Presets.standard45,
      caps: [{ id: "online", filter: { modes: ["online", "liveStream"] }, maxHours: 300 as never }]
    },
    requirements: [
      {
        ...Presets.annual32,
        counts: { sources: ["session", "external"], categories: ["theory", "practice", "exemplar"] }
      }
    ]
  })
  // three online sessions of 90 minutes (2.00 each) on 03-04, 03-11, 03-18; one "other" in-person session (2.00);
  // an external online course of 1.50 on 03-25. Cap online 3.00: S1 counts 2.00, S2 counts 1.00 of 2.00, S3 and the
  // external course are excluded by the cap; the "other" session is excluded by the category filter.
  const lines = [
    ...tree,
    member("M1", "V1", ["ordinaryMember"]),
    klass("C1", "V1", "online"),
    ...weekly("C1", "2025-03-04", 3, 90, "theory", "online"),
    session("C1", "S4", "2025-03-05T19:00:00+08:00", 90, "other", "inPerson"),
    enrol("C1", "M1"),
    ...attendAll("C1", "M1", 4, 90)
  ]
  it("counts 3.00, excludes the rest with the cap or the filter that excluded it", () => {
    const { lines: accrued } = withAccrual(lines, policy)
    const external = Accrual.grantExternal(policy, {
      memberId: "M1",
      system: "wangyuan",
      reference: "42",
      hours: 150 as never,
      at: "2025-03-25T10:00:00+08:00" as never,
      mode: "online",
      category: "theory"
    })
    const records = validate([...accrued, ...toWire(Accrual.toEvents([external]))])
    const p = MemberCompliance.make(policy)
    const [a] = p.query(foldProjection(p, records), { asOf: d("2025-12-31"), memberId: "M1" })
    expect(a?.earned.hours).toBe(300)
    expect(Explanation.render(a?.explanation ?? { counted: [], excluded: [] })).toEqual([
      "+ 2.00 h  2025-03-04  class C1 session S1 (theory, online, online)  [s:C1:S1:a90/90:2025:r1]",
      "+ 1.00 h of 2.00  2025-03-11  class C1 session S2 (theory, online, online)  [s:C1:S2:a90/90:2025:r1]",
      "- 2.00 h  2025-03-05  class C1 session S4 (other, inPerson, online): filter categories: other is not one of theory, practice, exemplar  [s:C1:S4:a90/90:2025:r1]",
      "- 1.00 h  2025-03-11  class C1 session S2 (theory, online, online): cap online: at most 3.00 h in 2025, already reached  [s:C1:S2:a90/90:2025:r1]",
      "- 2.00 h  2025-03-18  class C1 session S3 (theory, online, online): cap online: at most 3.00 h in 2025, already reached  [s:C1:S3:a90/90:2025:r1]",
      "- 1.50 h  2025-03-25  external wangyuan 42 (theory, online): cap online: at most 3.00 h in 2025, already reached  [x:wangyuan:42]"
    ])
  })
})

describe("carry-over (nanjing-6)", () => {
  it("surplus above 32 hours in 2024 counts in 2025", () => {
    const policy = Presets.composePolicySet({
      id: "nj",
      effectiveFrom: "2019-01-01",
      credit: Presets.nanjing6,
      requirements: [Presets.annual32]
    })
    // 2024: 6 full days × 6.00 = 36.00 → surplus 4.00; 2025: 5 full days = 30.00 + 4.00 = 34.00 → met
    const days2024 = Array.from({ length: 6 }, (_, i) =>
      session("K1", `A${i}`, `2024-10-0${i + 1}T08:30:00+08:00`, 360)
    )
    const days2025 = Array.from({ length: 5 }, (_, i) =>
      session("K1", `B${i}`, `2025-10-0${i + 1}T08:30:00+08:00`, 360)
    )
    const lines = [
      ...tree,
      member("M1", "D", ["organCadre"]),
      klass("K1", "D"),
      ...days2024,
      ...days2025,
      enrol("K1", "M1", "2024-01-02T09:00:00+08:00"),
      ...Array.from({ length: 6 }, (_, i) => attend("K1", `A${i}`, "M1", 360)),
      ...Array.from({ length: 5 }, (_, i) => attend("K1", `B${i}`, "M1", 360))
    ]
    const a = compliance(lines, policy, "M1", "2025-12-31")[0]
    expect(a).toMatchObject({
      status: "met",
      earned: { hours: 3400 },
      explanation: { carriedOver: { fromYear: 2024, hours: 400 } }
    })
  })
})
