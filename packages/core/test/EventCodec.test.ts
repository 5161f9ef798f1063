/**
 * The event-log codec, rule by rule: every error it raises names the rule and
 * the field path; canonical export writes the contract's field order.
 */
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { EventLogCodec } from "../src/EventCodec.js"

const codec = EventLogCodec

const planned = { classId: "C1", schoolId: "XQ-JMH", title: "湖畔讲堂夜校", format: "concentrated" }
const session = {
  classId: "C1",
  sessionId: "S1",
  title: "党的二十大精神",
  category: "theory",
  startsAt: "2025-03-04T19:00:00+08:00",
  minutes: 90,
  mode: "inPerson",
  tags: ["newThought"]
}
const line = (o: Record<string, unknown>) => JSON.stringify(o)
const ok = { stream: "class-C1", type: "SessionScheduled", data: session }

const error = (text: string) => {
  const r = codec.decodeLine(text)
  return Result.isFailure(r) ? { rule: r.failure.rule, path: r.failure.path } : { accepted: r.success }
}

describe("EventCodec.decodeLine: errors", () => {
  it.each([
    ["not JSON", '{"stream":', { rule: "line.json", path: "" }],
    ["a trailing comma", '{"stream":"class-C1",}', { rule: "line.json", path: "" }],
    ["an array", "[1,2]", { rule: "line.object", path: "" }],
    ["a string", '"SessionScheduled"', { rule: "line.object", path: "" }],
    ["null", "null", { rule: "line.object", path: "" }],
    ["an unknown envelope field", line({ ...ok, extra: 1 }), { rule: "envelope.field", path: "extra" }],
    ["version 0", line({ ...ok, version: 0 }), { rule: "envelope.field", path: "version" }],
    ["a fractional version", line({ ...ok, version: 1.5 }), { rule: "envelope.field", path: "version" }],
    ["an id that is not a UUID", line({ ...ok, id: "evt-1" }), { rule: "envelope.field", path: "id" }],
    ["schemaVersion 0", line({ ...ok, schemaVersion: 0 }), { rule: "envelope.field", path: "schemaVersion" }],
    [
      "recordedAt without offset",
      line({ ...ok, recordedAt: "2025-03-04T19:00:00" }),
      { rule: "envelope.field", path: "recordedAt" }
    ],
    ["position 0", line({ ...ok, position: 0 }), { rule: "envelope.field", path: "position" }],
    ["meta that is a list", line({ ...ok, meta: ["a"] }), { rule: "envelope.field", path: "meta" }],
    ["no stream", line({ type: "SessionScheduled", data: session }), { rule: "stream.format", path: "stream" }],
    ["an unknown category", line({ ...ok, stream: "lesson-C1" }), { rule: "stream.format", path: "stream" }],
    ["an empty id", line({ ...ok, stream: "class-" }), { rule: "stream.format", path: "stream" }],
    ["an id with a space", line({ ...ok, stream: "class-C 1" }), { rule: "stream.format", path: "stream" }],
    [
      "an id of 65 characters",
      line({ ...ok, stream: `class-${"a".repeat(65)}` }),
      { rule: "stream.format", path: "stream" }
    ],
    ["an unknown type", line({ ...ok, type: "SessionPostponed" }), { rule: "event.type", path: "type" }],
    ["no type", line({ stream: "class-C1", data: session }), { rule: "event.type", path: "type" }],
    [
      "a type in the wrong stream category",
      line({ ...ok, stream: "member-C1" }),
      { rule: "event.category", path: "type" }
    ],
    ["no data", line({ stream: "class-C1", type: "SessionScheduled" }), { rule: "event.schema", path: "data" }],
    ["minutes 0", line({ ...ok, data: { ...session, minutes: 0 } }), { rule: "event.schema", path: "data.minutes" }],
    [
      "minutes 1441",
      line({ ...ok, data: { ...session, minutes: 1441 } }),
      { rule: "event.schema", path: "data.minutes" }
    ],
    [
      "a startsAt without offset",
      line({ ...ok, data: { ...session, startsAt: "2025-03-04T19:00" } }),
      { rule: "event.schema", path: "data.startsAt" }
    ],
    [
      "an unknown category value",
      line({ ...ok, data: { ...session, category: "history" } }),
      { rule: "event.schema", path: "data.category" }
    ],
    [
      "a missing field",
      line({ ...ok, data: { ...session, title: undefined } }),
      { rule: "event.schema", path: "data.title" }
    ],
    ["a blank title", line({ ...ok, data: { ...session, title: "  " } }), { rule: "event.schema", path: "data.title" }],
    [
      "an unknown payload field",
      line({ ...ok, data: { ...session, room: "A101" } }),
      { rule: "event.schema", path: "data.room" }
    ],
    [
      "a newer payload version",
      line({ ...ok, schemaVersion: 2 }),
      { rule: "event.schemaVersion", path: "schemaVersion" }
    ],
    [
      "a payload id that is not the stream's",
      line({ ...ok, stream: "class-C2" }),
      { rule: "stream.idMismatch", path: "data.classId" }
    ]
  ])("%s", (_name, text, expected) => {
    expect(error(text)).toEqual(expected)
  })

  const grant = {
    memberId: "M1",
    grantId: "C1/S1",
    year: 2025,
    hours: 1.5,
    source: { kind: "session", classId: "C1", sessionId: "S1" },
    policyId: "linear-45",
    at: "2025-03-04T21:00:00+08:00"
  }
  const credit = (data: Record<string, unknown>) => line({ stream: "credit-M1", type: "CreditGranted", data })

  it.each([
    ["hours with three decimals", { ...grant, hours: 1.234 }, "data.hours"],
    ["hours 0", { ...grant, hours: 0 }, "data.hours"],
    ["negative hours", { ...grant, hours: -1 }, "data.hours"],
    ["hours as a string", { ...grant, hours: "1.5" }, "data.hours"],
    ["a year before 1900", { ...grant, year: 1899 }, "data.year"]
  ])("CreditGranted with %s: event.schema at %s", (_name, data, path) => {
    expect(error(credit(data))).toEqual({ rule: "event.schema", path })
  })

  it("names the nested path of a bad source", () => {
    const e = error(credit({ ...grant, source: { kind: "session", classId: "C1" } }))
    expect(e).toMatchObject({ rule: "event.schema" })
    expect((e as { path: string }).path.startsWith("data.source")).toBe(true)
  })

  it("accepts hours with two decimals and reads them as integers of 0.01 hour", () => {
    const r = error(credit({ ...grant, hours: 0.25 }))
    expect((r as { accepted: { data: { hours: number } } }).accepted.data.hours).toBe(25)
  })
})

describe("EventCodec: canonical export", () => {
  it("writes the contract's field order and the schema's payload order", () => {
    const shuffled = `{"meta":{"z":1,"a":{"y":2,"b":3}},"position":7,"data":${JSON.stringify({
      mode: "inPerson",
      minutes: 90,
      tags: ["newThought"],
      classId: "C1",
      title: "党的二十大精神",
      startsAt: "2025-03-04T19:00:00+08:00",
      sessionId: "S1",
      category: "theory"
    })},"recordedAt":"2025-03-01T08:00:00+08:00","id":"0b7c9f8e-8d1e-4f7a-9a51-3c2b1e4d5f60","version":2,"type":"SessionScheduled","stream":"class-C1"}`
    const r = codec.decodeLine(shuffled)
    if (Result.isFailure(r)) throw new Error(r.failure.message)
    expect(codec.encodeLine(r.success)).toBe(
      `{"stream":"class-C1","type":"SessionScheduled","data":${JSON.stringify(session)},"version":2,"id":"0b7c9f8e-8d1e-4f7a-9a51-3c2b1e4d5f60","schemaVersion":1,"recordedAt":"2025-03-01T08:00:00+08:00","position":7,"meta":{"a":{"b":3,"y":2},"z":1}}`
    )
  })

  it("writes hours as the shortest decimal and credit sources in a fixed order", () => {
    const text = line({
      stream: "credit-M1",
      type: "CreditGranted",
      data: {
        at: "2025-03-04T21:00:00+08:00",
        policyId: "p",
        source: { sessionId: "S1", classId: "C1", kind: "session" },
        hours: 1.5,
        year: 2025,
        grantId: "g",
        memberId: "M1"
      }
    })
    const r = codec.decodeLine(text)
    if (Result.isFailure(r)) throw new Error(r.failure.message)
    expect(codec.encodeLine(r.success)).toBe(
      '{"stream":"credit-M1","type":"CreditGranted","data":{"memberId":"M1","grantId":"g","year":2025,"hours":1.5,"source":{"kind":"session","classId":"C1","sessionId":"S1"},"policyId":"p","at":"2025-03-04T21:00:00+08:00"},"schemaVersion":1}'
    )
  })

  it("round-trips ClassPlanned without its optional fields", () => {
    const text = line({ stream: "class-C1", type: "ClassPlanned", data: planned })
    const r = codec.decodeLine(text)
    if (Result.isFailure(r)) throw new Error(r.failure.message)
    expect(codec.encodeLine(r.success)).toBe(text.replace(/}$/, ',"schemaVersion":1}'))
  })
})
