/**
 * Law: every generated district history is valid — the log validator accepts
 * every line, whatever the envelope fields and the interleaving of streams.
 */
import { fc, test } from "@fast-check/vitest"
import { LogValidator } from "@xueshi/core"
import { describe, expect } from "vitest"
import { districtHistory, renderLines, renderText } from "../src/District.js"

const describeErrors = (r: LogValidator.ValidationReport) => r.errors.slice(0, 3).map(LogValidator.describeLogError)

describe("generated district histories", () => {
  test.prop([districtHistory()])("validate: ok, every line accepted", (history) => {
    const lines = renderLines(history)
    const report = LogValidator.validateLines(lines)
    expect(describeErrors(report)).toEqual([])
    expect(report.ok).toBe(true)
    expect(report.accepted).toBe(lines.length)
    expect(report.lines).toBe(lines.length)
  })

  test.prop([districtHistory({ members: 60, classes: 10, sessionsPerClass: 8, enrolmentsPerClass: 25 })])(
    "larger districts validate as text, with collectAll finding nothing",
    (history) => {
      const report = LogValidator.validateText(renderText(history), { collectAll: true, keepRecords: false })
      expect(describeErrors(report)).toEqual([])
      expect(report.accepted).toBe(history.length)
    }
  )

  test.prop([districtHistory()])("every record the validator returns is the history's event", (history) => {
    const report = LogValidator.validateLines(renderLines(history))
    expect(report.records.map((r) => ({ type: r.type, data: r.data, stream: r.stream }))).toEqual(
      history.map((l) => ({ type: l.type, data: l.data, stream: l.stream }))
    )
  })

  test("histories hold every event type (over a fixed sample of seeds)", () => {
    const seen = new Set<string>()
    for (const h of fc.sample(districtHistory(), { numRuns: 40, seed: 42 })) for (const l of h) seen.add(l.type)
    expect([...seen].sort()).toEqual(
      [
        "AttendanceCorrected",
        "AttendanceRecorded",
        "ClassCompleted",
        "ClassPlanned",
        "CreditGranted",
        "CreditRevoked",
        "EnrollmentWithdrawn",
        "ExemptionGranted",
        "ExemptionRevoked",
        "LeaveGranted",
        "MakeUpCompleted",
        "MemberCategoriesChanged",
        "MemberDeregistered",
        "MemberEnrolled",
        "MemberRegistered",
        "MemberTransferred",
        "QuotaClaimed",
        "SchoolRegistered",
        "SessionCancelled",
        "SessionRescheduled",
        "SessionScheduled"
      ].sort()
    )
  })
})
