// Hand-worked scenarios of classes (completion, course mix), policy files and projection states
// under each preset; the numbers in comments are computed by hand.
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import * as ClassCompletion from "../../src/policy/ClassCompletion.js"
import * as CourseMixProjection from "../../src/policy/CourseMixProjection.js"
import { decodePolicySet, encodePolicySet, parsePolicySet } from "../../src/policy/PolicySet.js"
import * as Presets from "../../src/policy/Presets.js"
import { foldProjection } from "../../src/policy/Projection.js"
import * as SchoolRollup from "../../src/policy/SchoolRollup.js"
import {
  attend,
  complete,
  enrol,
  foldFacts,
  klass,
  leave,
  member,
  session,
  validate,
  type Wire,
  withAccrual
} from "./fixtures.js"

import { attendAll, d, tree, weekly } from "./scenarios.js"

describe("class completion: the 1/7 leave rule (cadre-2023)", () => {
  // 7 sessions × 120 minutes = 840 minutes; 1/7 = 120 minutes.
  // L2 takes leave twice: 240/840 = 2/7 > 1/7 → withdrawn. L1 once: 120/840 = 1/7, not above → pass. A attends all → pass.
  const lines = [
    ...tree,
    ...["A", "L1", "L2"].map((m) => member(m, "D", ["organCadre"])),
    klass("K", "D"),
    ...weekly("K", "2025-09-02", 7, 120),
    ...["A", "L1", "L2"].map((m) => enrol("K", m)),
    ...attendAll("K", "A", 7, 120),
    leave("K", "S1", "L1"),
    ...[2, 3, 4, 5, 6, 7].map((i) => attend("K", `S${i}`, "L1", 120)),
    leave("K", "S1", "L2"),
    leave("K", "S2", "L2"),
    ...[3, 4, 5, 6, 7].map((i) => attend("K", `S${i}`, "L2", 120)),
    complete("K", "2025-10-20T12:00:00+08:00")
  ]
  it("breaks the rule for L2 only", () => {
    const p = ClassCompletion.make(Presets.cadre2023)
    const state = foldProjection(p, validate(lines))
    const r = p.query(state, { asOf: d("2025-12-31"), classId: "K" })
    expect(r?.counts).toEqual({ pass: 2, fail: 0, withdrawn: 1, inProgress: 0 })
    const byId = Object.fromEntries((r?.members ?? []).map((m) => [m.memberId, m]))
    expect(byId.L2).toMatchObject({
      verdict: "withdrawn",
      leaves: 2,
      leaveMinutes: 240,
      leaveRatio: { num: 2, den: 7 }
    })
    expect(byId.L1).toMatchObject({
      verdict: "pass",
      leaveRatio: { num: 1, den: 7 },
      attendanceRatio: { num: 6, den: 7 }
    })
    // A: 7 × 120 minutes → 7 × 2.50 = 17.50 hours
    expect(byId.A).toMatchObject({
      verdict: "pass",
      attendedHours: 1750,
      attendanceRatioText: "100.00%",
      unexcusedAbsences: 0
    })
    // L2 is withdrawn as soon as the second leave is known (2025-09-09), before completion
    expect(p.query(state, { asOf: d("2025-09-10"), classId: "K", memberId: "L2" })?.members[0]?.verdict).toBe(
      "withdrawn"
    )
    expect(p.query(state, { asOf: d("2025-09-10"), classId: "K", memberId: "A" })?.members[0]?.verdict).toBe(
      "inProgress"
    )
  })
})

describe("course mix presets", () => {
  const policy = Presets.composePolicySet({
    id: "mix",
    effectiveFrom: "2019-01-01",
    courseMix: [Presets.xiqing404020, Presets.fengxianTwoThirds, Presets.partySchool7020]
  })
  const mixOf = (lines: ReadonlyArray<Wire>, classId: string, asOf = "2025-12-31") => {
    const p = CourseMixProjection.make(policy)
    return p.query(foldProjection(p, validate(lines)), { asOf: d(asOf), target: { kind: "class", classId } })
  }

  it("xiqing-40-40-20: 96/96/48 minutes pass exactly; 90/90/60 fails by −2.50 points on theory", () => {
    const good = [
      ...tree,
      klass("X", "V1", "concentrated", "ruralRevitalisation"),
      session("X", "a", "2025-04-01T09:00:00+08:00", 96, "theory"),
      session("X", "b", "2025-04-02T09:00:00+08:00", 96, "practice"),
      session("X", "c", "2025-04-03T09:00:00+08:00", 48, "exemplar")
    ]
    const ok = mixOf(good, "X")
    expect(ok.verdicts.find((v) => v.ruleId === "xiqing-40-40-20")?.status).toBe("pass")
    // shares 96/240 = 2/5, 2/5, 48/240 = 1/5
    expect(ok.scheduled.byCategory.theory).toMatchObject({
      minutes: 96,
      minutesShare: { num: 2, den: 5 },
      minutesPercent: "40.00%"
    })
    // nothing attended: nothing delivered
    expect(ok.delivered.minutes).toBe(0)
    const bad = mixOf(
      [
        ...tree,
        klass("Y", "V1"),
        session("Y", "a", "2025-04-01T09:00:00+08:00", 90, "theory"),
        session("Y", "b", "2025-04-02T09:00:00+08:00", 90, "practice"),
        session("Y", "c", "2025-04-03T09:00:00+08:00", 60, "exemplar")
      ],
      "Y"
    )
    const v = bad.verdicts.find((x) => x.ruleId === "xiqing-40-40-20")
    // 90/240 = 3/8; 3/8 − 2/5 = −1/40 = −2.50%
    expect(v?.status).toBe("fail")
    expect(v?.constraints[0]).toMatchObject({
      share: { num: 3, den: 8 },
      deviation: { num: -1, den: 40 },
      deviationText: "-2.50%",
      pass: false
    })
    // 60/240 = 1/4; +1/20 = +5.00%
    expect(v?.constraints[2]).toMatchObject({ deviationText: "+5.00%" })
  })

  it("fengxian-two-thirds: 2 of 3 lessons is not more than 2/3; 3 of 4 is", () => {
    const mk = (tagged: number, n: number) => [
      ...tree,
      klass("F", "V1"),
      ...Array.from({ length: n }, (_, i) =>
        session(
          "F",
          `s${i}`,
          `2025-05-0${i + 1}T09:00:00+08:00`,
          60,
          "theory",
          "inPerson",
          i < tagged ? ["newThought"] : []
        )
      )
    ]
    const verdict = (lines: ReadonlyArray<Wire>) =>
      mixOf(lines, "F").verdicts.find((v) => v.ruleId === "fengxian-two-thirds")
    expect(verdict(mk(2, 3))).toMatchObject({
      status: "fail",
      constraints: [{ share: { num: 2, den: 3 }, pass: false }]
    })
    expect(verdict(mk(3, 4))).toMatchObject({ status: "pass", constraints: [{ share: { num: 3, den: 4 } }] })
  })

  it("party-school-70-20 applies to concentrated classes of the district school only", () => {
    // theory 140 + party-spirit practice 40 + other 20 = 200: (140 + 40)/200 = 9/10 ≥ 7/10; 40/200 = 1/5 ≥ 1/5
    const lines = [
      ...tree,
      klass("P", "D"),
      session("P", "a", "2025-06-01T09:00:00+08:00", 140, "theory"),
      session("P", "b", "2025-06-02T09:00:00+08:00", 40, "practice", "inPerson", ["partySpirit"]),
      session("P", "c", "2025-06-03T09:00:00+08:00", 20, "other"),
      klass("Q", "V1")
    ]
    expect(mixOf(lines, "P").verdicts.find((v) => v.ruleId === "party-school-70-20")).toMatchObject({
      status: "pass",
      constraints: [{ share: { num: 9, den: 10 } }, { share: { num: 1, den: 5 }, deviationText: "0.00%" }]
    })
    expect(mixOf(lines, "Q").verdicts.map((v) => v.ruleId)).not.toContain("party-school-70-20")
  })

  it("sichuan-70-20 applies to every class of the root school, whatever its format", () => {
    const sichuan = CourseMixProjection.make(
      Presets.composePolicySet({ id: "sichuan", effectiveFrom: "2019-01-01", courseMix: [Presets.sichuan7020] })
    )
    const verdictOf = (lines: ReadonlyArray<Wire>, classId: string) =>
      sichuan
        .query(foldProjection(sichuan, validate(lines)), { asOf: d("2025-12-31"), target: { kind: "class", classId } })
        .verdicts.find((v) => v.ruleId === "sichuan-70-20")
    // theory 130 + party-spirit practice 30 + other 40 = 200: (130 + 30)/200 = 4/5 ≥ 7/10, but 30/200 = 3/20 < 1/5
    const lines = [
      ...tree,
      klass("S", "D", "online"),
      session("S", "a", "2025-06-01T09:00:00+08:00", 130, "theory"),
      session("S", "b", "2025-06-02T09:00:00+08:00", 30, "practice", "inPerson", ["partySpirit"]),
      session("S", "c", "2025-06-03T09:00:00+08:00", 40, "other"),
      klass("T", "V1")
    ]
    expect(verdictOf(lines, "S")).toMatchObject({
      status: "fail",
      constraints: [
        { share: { num: 4, den: 5 }, pass: true },
        { share: { num: 3, den: 20 }, pass: false }
      ]
    })
    expect(verdictOf(lines, "T")).toBeUndefined()
  })

  it("delivered is what was held by the as-of date; a module spans classes", () => {
    const lines = [
      ...tree,
      member("M", "V1", ["ordinaryMember"]),
      klass("X", "V1", "concentrated", "governance"),
      klass("Z", "V2", "concentrated", "governance"),
      session("X", "a", "2025-04-01T09:00:00+08:00", 120, "theory"),
      session("X", "b", "2025-06-01T09:00:00+08:00", 120, "practice"),
      session("Z", "c", "2025-04-03T09:00:00+08:00", 60, "exemplar"),
      enrol("X", "M"),
      attend("X", "a", "M", 120),
      attend("X", "b", "M", 100)
    ]
    expect(mixOf(lines, "X", "2025-05-01").delivered).toMatchObject({ minutes: 120, lessons: 1 })
    expect(mixOf(lines, "X", "2025-06-01").delivered).toMatchObject({ minutes: 240, lessons: 2 })
    const p = CourseMixProjection.make(policy)
    const m = p.query(foldProjection(p, validate(lines)), {
      asOf: d("2025-12-31"),
      target: { kind: "module", module: "governance", year: 2025 }
    })
    // 120 + 120 + 60 = 300: theory 2/5, practice 2/5, exemplar 1/5 → pass
    expect(m.classes).toEqual(["X", "Z"])
    expect(m.verdicts.find((v) => v.ruleId === "xiqing-40-40-20")?.status).toBe("pass")
  })
})

describe("policy files", () => {
  const json = () => JSON.parse(JSON.stringify(encodePolicySet(Presets.national2019)))

  it("presets round-trip through their JSON form", () => {
    for (const p of [Presets.national2019, Presets.cadre2023]) {
      const back = decodePolicySet(JSON.parse(JSON.stringify(encodePolicySet(p))))
      expect(Result.isSuccess(back) && back.success).toEqual(p)
    }
    // the time zone defaults to Asia/Shanghai
    const j = json()
    delete j.timeZone
    const r = decodePolicySet(j)
    expect(Result.isSuccess(r) && r.success.timeZone).toBe("Asia/Shanghai")
  })

  const rejects = (mutate: (j: any) => void) => {
    const j = json()
    mutate(j)
    const r = decodePolicySet(j)
    if (Result.isSuccess(r)) throw new Error("expected a rejection")
    return r.failure
  }

  it("names the path of the bad field", () => {
    expect(rejects((j) => (j.credit.rule.step = 0.333)).path).toBe("credit.rule.step")
    expect(rejects((j) => (j.requirements[0].thresholds[0].min = -1)).path).toBe("requirements.0.thresholds.0.min")
    expect(rejects((j) => (j.requirements[0].window = { kind: "weekly" })).path).toMatch(/^requirements\.0\.window/)
    expect(rejects((j) => (j.timeZone = "Mars/Olympus")).path).toBe("timeZone")
    expect(rejects((j) => (j.effectiveFrom = "2025-02-29")).path).toBe("effectiveFrom")
    expect(rejects((j) => (j.surprise = 1)).path).toBe("surprise")
    expect(
      rejects(
        (j) =>
          (j.credit.rule = {
            kind: "tiered",
            tiers: [
              { minMinutes: 30, hours: 1 },
              { minMinutes: 16, hours: 0.5 }
            ]
          })
      ).path
    ).toBe("credit.rule.tiers.1.minMinutes")
    expect(rejects((j) => j.requirements.push(j.requirements[0])).path).toBe("requirements.1.id")
    const e = rejects((j) => (j.credit.rule.step = 0.333))
    expect(e._tag).toBe("PolicyError")
  })

  it("parses text, rejecting what is not JSON", () => {
    expect(Result.isFailure(parsePolicySet("{"))).toBe(true)
    expect(Result.isSuccess(parsePolicySet(JSON.stringify(json())))).toBe(true)
  })
})

describe("projections serialise their state", () => {
  it("decodeState(encodeState(s)) answers like s, and encodes to the same JSON", () => {
    const policy = Presets.national2019
    const lines = [
      ...tree,
      member("M1", "V1", ["ordinaryMember"]),
      klass("C1", "V1"),
      ...weekly("C1", "2025-01-07", 3, 90),
      enrol("C1", "M1"),
      ...attendAll("C1", "M1", 3, 90)
    ]
    const { records } = withAccrual(lines, policy)
    const r = SchoolRollup.make(policy)
    const s = foldProjection(r, records)
    const json = JSON.stringify(r.encodeState(s))
    const back = r.decodeState(JSON.parse(json))
    expect(JSON.stringify(r.encodeState(back))).toBe(json)
    const q = { asOf: d("2025-12-31"), year: 2025 }
    expect(r.query(back, q)).toEqual(r.query(s, q))
    expect(foldFacts(records)).toEqual(back)
  })
})
