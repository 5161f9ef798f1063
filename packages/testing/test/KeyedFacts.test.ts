/**
 * The fact store's keyed form (core `Facts.keyedFacts`, what a projection runner
 * saves entry by entry): saving after every batch only the entries that the
 * batch's records name (`keysOf`) keeps a copy that decodes to the state itself.
 */
import { Facts, Presets, SchoolRollup } from "@xueshi/core"
import { describe, expect, it } from "vitest"
import { generateDistrict } from "../src/District.js"

describe("the keyed fact store", () => {
  it("saved batch by batch by the keys its records name, decodes to the folded state", () => {
    const projection = SchoolRollup.make(Presets.xiqingDistrict)
    const events = [...generateDistrict({ seed: 7, members: 300, year: 2025 })]
    const keyed = projection.keyed as NonNullable<typeof projection.keyed>
    let state = projection.initial
    const saved = new Map<string, unknown>()
    const batches = [1, 7, 100, 499]
    let i = 0
    let b = 0
    while (i < events.length) {
      const size = batches[b++ % batches.length] as number
      const touched = new Set<string>()
      for (const e of events.slice(i, i + size)) {
        for (const k of keyed.keysOf(e)) touched.add(k)
        state = projection.apply(state, e)
      }
      i += size
      for (const k of touched) {
        const v = keyed.encodeEntry(state, k)
        if (v === undefined) saved.delete(k)
        else saved.set(k, JSON.parse(JSON.stringify(v)))
      }
    }
    const whole = JSON.stringify(projection.encodeState(state))
    // in any order of the entries
    const entries = [...saved].reverse()
    const decoded = keyed.decodeEntries(entries)
    expect(JSON.stringify(projection.encodeState(decoded))).toBe(whole)
    expect(projection.query(decoded, { asOf: "2025-12-31", year: 2025 } as never)).toEqual(
      projection.query(state, { asOf: "2025-12-31", year: 2025 } as never)
    )
    expect(saved.size).toBeGreaterThan(events.length / 10)
  })

  it("names one key per event, of the slice the event changes", () => {
    const e = (type: string, data: Record<string, unknown>) => ({ type, data }) as never
    expect(Facts.factKey(e("AttendanceRecorded", { classId: "C1", memberId: "M1", sessionId: "S1" }))).toBe(
      "record:C1/M1"
    )
    expect(Facts.factKey(e("SessionScheduled", { classId: "C1", sessionId: "S1" }))).toBe("class:C1")
    expect(Facts.factKey(e("CreditRevoked", { memberId: "M1", grantId: "s:C1:S1:a90/90:2025:r1" }))).toBe(
      "grant:M1/s:C1:S1:a90/90:2025:r1"
    )
    expect(Facts.factKey(e("ExemptionGranted", { memberId: "M1", year: 2025 }))).toBe("member:M1")
    expect(Facts.factKey(e("QuotaClaimed", { schoolId: "X" }))).toBe("school:X")
  })
})
