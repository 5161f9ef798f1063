/**
 * Edge cases of the contract found in review: each was accepted (or crashed)
 * before its fix, and each test fails without it.
 */
import { describe, expect, it } from "vitest"
import { makeEventCodec } from "../src/EventCodec.js"
import { QuotaClaimed } from "../src/Events.js"
import { validateLines } from "../src/LogValidator.js"

const BASE = [
  '{"stream":"school-XQ","type":"SchoolRegistered","data":{"schoolId":"XQ","name":"区委党校","tier":"district"}}',
  '{"stream":"member-M1","type":"MemberRegistered","data":{"memberId":"M1","schoolId":"XQ","categories":["ordinaryMember"]}}',
  '{"stream":"class-C1","type":"ClassPlanned","data":{"classId":"C1","schoolId":"XQ","title":"夜校","format":"concentrated"}}',
  '{"stream":"class-C1","type":"SessionScheduled","data":{"classId":"C1","sessionId":"S1","title":"理论","category":"theory","startsAt":"2025-03-04T19:00:00+08:00","minutes":90,"mode":"inPerson"}}',
  '{"stream":"class-C1","type":"MemberEnrolled","data":{"classId":"C1","memberId":"M1","at":"2025-03-01T10:00:00+08:00"}}'
]
const COMPLETE =
  '{"stream":"class-C1","type":"ClassCompleted","data":{"classId":"C1","at":"2025-04-01T10:00:00+08:00"}}'
const correct = (minutes: number) =>
  `{"stream":"class-C1","type":"AttendanceCorrected","data":{"classId":"C1","sessionId":"S1","memberId":"M1","minutes":${minutes},"reason":"r"}}`
const ATTEND =
  '{"stream":"class-C1","type":"AttendanceRecorded","data":{"classId":"C1","sessionId":"S1","memberId":"M1","minutes":90}}'
const grant = (hours: string, sessionId = "S1") =>
  `{"stream":"credit-M1","type":"CreditGranted","data":{"memberId":"M1","grantId":"g1","year":2025,"hours":${hours},"source":{"kind":"session","classId":"C1","sessionId":"${sessionId}"},"policyId":"p","at":"2025-03-04T21:00:00+08:00"}}`

const firstError = (lines: ReadonlyArray<string>, codec?: ReturnType<typeof makeEventCodec>) => {
  const r = validateLines(lines, codec === undefined ? {} : { codec })
  const e = r.errors[0]
  return e === undefined ? undefined : { line: e.line, rule: e.rule, path: e.path }
}

describe("attendance after completion", () => {
  it("refuses a correction that would add attendance never recorded once the class is completed", () => {
    expect(firstError([...BASE, COMPLETE, correct(60)])).toEqual({
      line: 7,
      rule: "class.completed",
      path: "data.minutes"
    })
  })
  it("still accepts correcting recorded attendance after completion", () => {
    expect(firstError([...BASE, ATTEND, COMPLETE, correct(60), correct(0)])).toBeUndefined()
  })
})

describe("hours on the wire", () => {
  it.each(["1.2500000000000001", "1.000", "1e2", "125E-2"])("rejects hours written as %s (not ≤ 2 decimals)", (h) => {
    expect(firstError([...BASE, ATTEND, grant(h)])).toEqual({ line: 7, rule: "event.schema", path: "data.hours" })
  })
  it.each(["1.25", "2", "0.5"])("accepts hours written as %s", (h) => {
    expect(firstError([...BASE, ATTEND, grant(h)])).toBeUndefined()
  })
})

describe("ids and references", () => {
  it("rejects a session id with a control character", () => {
    const line = BASE[3]?.replace('"sessionId":"S1"', '"sessionId":"S\\u0000X"') as string
    expect(firstError([...BASE.slice(0, 3), line])).toEqual({ line: 4, rule: "event.schema", path: "data.sessionId" })
  })
  it("refuses credit for a cancelled session, but keeps a grant made before the cancellation", () => {
    const cancel =
      '{"stream":"class-C1","type":"SessionCancelled","data":{"classId":"C1","sessionId":"S1","reason":"雨"}}'
    expect(firstError([...BASE, cancel, grant("1")])).toEqual({
      line: 7,
      rule: "credit.unknownSession",
      path: "data.source"
    })
    expect(firstError([...BASE, ATTEND, grant("2"), cancel])).toBeUndefined()
  })
})

describe("upcasters", () => {
  it("names the line when an upcaster throws instead of crashing the validation", () => {
    const codec = makeEventCodec({
      versions: {
        // a v2 whose upcaster fails on old data (the v2 schema is the v1 one: never reached here)
        QuotaClaimed: { version: 2, schema: QuotaClaimed }
      },
      upcasters: [
        {
          type: "QuotaClaimed",
          fromVersion: 1,
          upcast: () => {
            throw new Error("no classes field")
          }
        }
      ]
    })
    const line = '{"stream":"school-XQ","type":"QuotaClaimed","data":{"schoolId":"XQ","year":2025,"traineeTimes":1}}'
    expect(firstError([BASE[0] as string, line], codec)).toEqual({
      line: 2,
      rule: "event.schemaVersion",
      path: "schemaVersion"
    })
  })
})
