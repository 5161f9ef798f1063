// Year attribution uses the policy's time zone, never the process's: this suite runs under
// TZ=UTC, Asia/Shanghai and America/New_York (scripts/test.mjs).
import { describe, expect, it } from "vitest"
import * as Presets from "../../src/policy/Presets.js"
import { attend, enrol, klass, member, school, session, withAccrual } from "./fixtures.js"

const at2330 = (startsAt: string, policy = Presets.national2019) =>
  withAccrual(
    [
      school("D", "district"),
      member("M1", "D", ["ordinaryMember"]),
      klass("C1", "D"),
      session("C1", "S1", startsAt, 90),
      enrol("C1", "M1"),
      attend("C1", "S1", "M1", 90)
    ],
    policy
  ).commands.map((c) => (c.type === "GrantCredit" ? [c.data.year, c.data.hours, c.data.at] : []))

describe("a session at 23:30 on 31 December (Asia/Shanghai)", () => {
  it("standard-45 attributes the whole session to the year it starts in: 2.00 in 2025", () => {
    expect(at2330("2025-12-31T23:30:00+08:00")).toEqual([[2025, 200, "2025-12-31T23:30:00+08:00"]])
  })

  it("the same instant written in UTC is still 2025 in Shanghai", () => {
    expect(at2330("2025-12-31T15:30:00Z")).toEqual([[2025, 200, "2025-12-31T15:30:00Z"]])
  })

  it("17:30 on Dec 31 at -08:00 is 09:30 on Jan 1 in Shanghai: 2026", () => {
    expect(at2330("2025-12-31T17:30:00-08:00")).toEqual([[2026, 200, "2025-12-31T17:30:00-08:00"]])
  })

  it("full-day-8 splits at midnight: 90 min < half day → 60 min/h: 1.50; 30/90 of it before midnight = 0.50 (down to 0.25), 1.00 after", () => {
    const policy = Presets.composePolicySet({ id: "anhui", effectiveFrom: "2019-01-01", credit: Presets.fullDay8 })
    expect(at2330("2025-12-31T23:30:00+08:00", policy)).toEqual([
      [2025, 50, "2025-12-31T23:30:00+08:00"],
      [2026, 100, "2026-01-01T00:00:00.000+08:00"]
    ])
  })
})
