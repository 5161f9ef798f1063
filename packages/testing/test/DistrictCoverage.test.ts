/**
 * The one district generator (`District.ts`) reaches everything: over 50 seeds
 * its random shape's arbitrary gives histories that together hold every event
 * type of the log (core's `Events.eventTypes`) and every edge case the
 * simulation promises, each history passing the log validator; both shapes go
 * through the one `generateDistrict`.
 */
import { EventCodec, Events, LogValidator } from "@xueshi/core"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import * as District from "../src/District.js"
import { generateDistrict as oldName } from "../src/DistrictGenerator.js"

const histories = fc.sample(District.districtHistory(), { numRuns: 50, seed: 20_251_201 })

const data = (l: District.HistoryLine): Record<string, any> => l.data as unknown as Record<string, any>

/** The edge cases the random shape promises, each a predicate over a whole history. */
const EDGE_CASES: Record<string, (h: District.History) => boolean> = {
  "a session at 23:30 on 31 December": (h) =>
    h.some(
      (l) =>
        (l.type === "SessionScheduled" || l.type === "SessionRescheduled") &&
        String(data(l).startsAt).endsWith("-12-31T23:30:00+08:00")
    ),
  "a correction to 0": (h) => h.some((l) => l.type === "AttendanceCorrected" && data(l).minutes === 0),
  "a correction after completion": (h) => {
    const completed = new Set<string>()
    return h.some((l) => {
      if (l.type === "ClassCompleted") completed.add(l.stream)
      return l.type === "AttendanceCorrected" && completed.has(l.stream)
    })
  },
  "a class with an audience": (h) => h.some((l) => l.type === "ClassPlanned" && data(l).audience !== undefined),
  "a class filled to its capacity": (h) => {
    const capacity = new Map<string, number>()
    const enrolled = new Map<string, number>()
    return h.some((l) => {
      if (l.type === "ClassPlanned" && data(l).capacity !== undefined) capacity.set(l.stream, data(l).capacity)
      if (l.type === "MemberEnrolled") enrolled.set(l.stream, (enrolled.get(l.stream) ?? 0) + 1)
      if (l.type === "EnrollmentWithdrawn") enrolled.set(l.stream, (enrolled.get(l.stream) ?? 0) - 1)
      return capacity.has(l.stream) && enrolled.get(l.stream) === capacity.get(l.stream)
    })
  },
  "an elderly member's exemption": (h) =>
    h.some((l) => l.type === "ExemptionGranted" && data(l).reason === "elderlyOrInfirm"),
  "session-sourced credit": (h) => h.some((l) => l.type === "CreditGranted" && data(l).source.kind === "session"),
  "external credit": (h) => h.some((l) => l.type === "CreditGranted" && data(l).source.kind === "external"),
  "a make-up after leave": (h) => {
    const leave = new Set<string>()
    return h.some((l) => {
      const key = `${l.stream}/${data(l).sessionId}/${data(l).memberId}`
      if (l.type === "LeaveGranted") leave.add(key)
      return l.type === "MakeUpCompleted" && leave.has(key)
    })
  },
  "a teaching point": (h) => h.some((l) => l.type === "SchoolRegistered" && data(l).tier === "teachingPoint"),
  "a village school under a township": (h) =>
    h.some((l) => l.type === "SchoolRegistered" && data(l).tier === "village"),
  "ids with a prefix": (h) => h.some((l) => l.stream.includes("D1.") || l.stream.includes("xq:")),
  "an envelope version": (h) => h.some((l) => l.version !== undefined),
  "an envelope id": (h) => h.some((l) => l.id !== undefined),
  "an envelope position": (h) => h.some((l) => l.position !== undefined),
  "an envelope recordedAt": (h) => h.some((l) => l.recordedAt !== undefined),
  "an envelope meta": (h) => h.some((l) => l.meta !== undefined)
}

describe("the district generator's random shape", () => {
  it("over 50 seeds, covers every event type of the log", () => {
    const seen = new Set<string>()
    for (const h of histories) for (const l of h) seen.add(l.type)
    expect(Events.eventTypes.length).toBeGreaterThan(20)
    expect([...Events.eventTypes].filter((t) => !seen.has(t))).toEqual([])
  })

  it("over 50 seeds, reaches every edge case it promises", () => {
    const missing = Object.entries(EDGE_CASES)
      .filter(([, holds]) => !histories.some(holds))
      .map(([name]) => name)
    expect(missing).toEqual([])
  })

  it("every one of the 50 histories passes the log validator", () => {
    for (const h of histories) {
      const report = LogValidator.validateLines(District.renderLines(h))
      expect(report.errors.slice(0, 3).map(LogValidator.describeLogError)).toEqual([])
      expect(report.accepted).toBe(h.length)
    }
  })
})

describe("one generateDistrict, two shapes", () => {
  it("the random shape's records are the simulation's lines", () => {
    const config = { ...District.defaultDistrict, seed: 77, envelope: District.fullEnvelope, prefix: "D1." }
    const records = [...District.generateDistrict({ shape: "random", ...config })]
    expect(records).toEqual([...District.simulateDistrict(config)].map(District.toRecord))
    const report = LogValidator.validateLines(records.map((r) => EventCodec.EventLogCodec.encodeLine(r)))
    expect(report.ok).toBe(true)
  })

  it("the Xiqing shape is the default, under the old name too, and validates", () => {
    const options = { seed: 7, members: 200, subdistricts: 3, communities: 9 }
    const records = [...District.generateDistrict(options)]
    expect(oldName).toBe(District.generateDistrict)
    expect(records).toEqual([...District.xiqingYear(options)])
    const report = LogValidator.validateLines(records.map((r) => EventCodec.EventLogCodec.encodeLine(r)))
    expect(report.errors.slice(0, 3).map(LogValidator.describeLogError)).toEqual([])
    expect(report.accepted).toBe(records.length)
  })
})
