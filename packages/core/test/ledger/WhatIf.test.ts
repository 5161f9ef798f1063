// What-if: a policy set compared with itself changes nothing; raising a threshold only ever
// moves members from met to not met, and no school's rate goes up.
import { Effect } from "effect"
import { describe, expect, it } from "vitest"
import { generateDistrict } from "../../../testing/src/District.js"
import { EventCodec, Presets, Rational, WhatIf } from "../../src/index.js"

const records = [...generateDistrict({ seed: 3, members: 400, subdistricts: 2, communities: 8 })]
const lines = records.map((r) => EventCodec.EventLogCodec.encodeLine(r))
const base = Presets.composePolicySet({
  id: "base",
  effectiveFrom: "2019-01-01",
  requirements: [Presets.annual32, Presets.secretary56]
})
const stricter = Presets.composePolicySet({
  id: "stricter",
  effectiveFrom: "2019-01-01",
  requirements: [
    {
      ...Presets.annual32,
      thresholds: Presets.annual32.thresholds.map((t) => ({
        ...t,
        min: t.min + 800
      })) as unknown as typeof Presets.annual32.thresholds
    },
    Presets.cadreAnnual
  ]
})

describe("what-if", () => {
  it("of a policy set against itself finds no change", async () => {
    const r = await Effect.runPromise(WhatIf.fromLog(lines, base, base, { year: 2025 }))
    expect(r.changes).toEqual([])
    expect(r.requirements).toEqual({ compared: ["annual-32", "secretary-56"], onlyA: [], onlyB: [] })
    expect(r.schools.length).toBeGreaterThan(5)
    for (const s of r.schools) expect(s.change === undefined || Rational.isZero(s.change)).toBe(true)
  })

  it("of a raised threshold moves members only from met to not met, and no school up", async () => {
    const r = await Effect.runPromise(WhatIf.fromLog(lines, base, stricter, { year: 2025 }))
    expect(r.requirements).toEqual({ compared: ["annual-32"], onlyA: ["secretary-56"], onlyB: ["cadre-annual"] })
    expect(r.changes.length).toBeGreaterThan(10)
    for (const c of r.changes) {
      expect([c.from, c.to]).toEqual(["met", "notMet"])
      expect(c.earnedB).toBe(c.earnedA) // same credit policy: the same hours, a higher bar
    }
    expect(r.transitions["annual-32"]).toEqual({ "met→notMet": r.changes.length })
    const moved = r.schools.filter((s) => s.change !== undefined && Rational.sign(s.change) < 0)
    expect(moved.length).toBeGreaterThan(0)
    for (const s of r.schools) if (s.change !== undefined) expect(Rational.sign(s.change)).toBeLessThanOrEqual(0)
  })
})
