/**
 * Laws of the one-pass append encoding and of the decode of intact records:
 * what `encodePayload` / `encodeAppendWire` / `decodeIntact` answer without a
 * second schema pass is exactly what the two-pass path (encode, then decode)
 * answers, for every event type.
 */
import { fc, test } from "@fast-check/vitest"
import { AppendRules, EventCodec, Events } from "@xueshi/core"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { event, eventId, instant, logRecord, meta } from "../src/Arbitraries.js"

const codec = EventCodec.EventLogCodec

const decodeOrThrow = (json: unknown) => {
  const r = codec.decodeRecord(json)
  if (Result.isFailure(r)) throw new Error(`${r.failure.rule} ${r.failure.path}: ${r.failure.message}`)
  return r.success
}

const streamOf = (e: Events.DomainEvent): string => Events.streamOf(e)

describe("one schema pass", () => {
  test.prop([event])("encodePayload's forms are encodeData's wire and the decode of that wire", (e) => {
    const r = codec.encodePayload?.(e.type, e.data)
    expect(r !== undefined && Result.isSuccess(r)).toBe(true)
    if (r === undefined || Result.isFailure(r)) return
    const wire = codec.encodeData(e.type, e.data)
    expect(JSON.stringify(r.success.wire)).toBe(JSON.stringify(wire))
    const stream = streamOf(e)
    const decoded = decodeOrThrow({ stream, type: e.type, data: wire, schemaVersion: 1 })
    expect(r.success.data).toStrictEqual(decoded.data)
  })

  test.prop([
    fc.array(fc.record({ id: fc.option(eventId, { nil: undefined }), meta: fc.option(meta, { nil: undefined }) }), {
      minLength: 1,
      maxLength: 4
    }),
    event,
    instant,
    fc.nat({ max: 1000 }),
    fc.nat({ max: 1000 })
  ])(
    "encodeAppendWire: each wire object is the record's canonical line, and the line decodes to the record",
    (envelopes, e, at, current, head) => {
      const stream = streamOf(e)
      const events = envelopes.map((env) => ({
        event: e,
        ...(env.id === undefined ? {} : { id: env.id }),
        ...(env.meta === undefined ? {} : { meta: env.meta })
      }))
      const r = AppendRules.encodeAppendWire(stream, events, current, head, at)
      if (Result.isFailure(r)) throw new Error(r.failure.message)
      const { records, wire } = r.success
      expect(records.length).toBe(events.length)
      records.forEach((record, i) => {
        const line = JSON.stringify(wire[i])
        expect(line).toBe(codec.encodeLine(record))
        expect(record).toEqual(decodeOrThrow(JSON.parse(line)))
        expect(record.version).toBe(current + i + 1)
        expect(record.position).toBe(head + i + 1)
      })
      const plain = AppendRules.encodeAppend(stream, events, current, head, at)
      expect(Result.isSuccess(plain) && plain.success).toStrictEqual(records)
      // the reference: the two-pass path (encode, then decode what was built) of a codec without encodePayload
      const { encodePayload: _onePass, ...twoPassCodec } = codec
      const twoPasses = AppendRules.encodeAppendWire(stream, events, current, head, at, twoPassCodec)
      if (Result.isFailure(twoPasses)) throw new Error(twoPasses.failure.message)
      expect(twoPasses.success.records).toStrictEqual(records)
      expect(twoPasses.success.wire.map((w) => JSON.stringify(w))).toEqual(wire.map((w) => JSON.stringify(w)))
    }
  )

  it("drops a payload's unknown keys, as the decode of its wire did", () => {
    const data = { schoolId: "A", year: 2025, traineeTimes: 3, extra: "x" }
    const r = AppendRules.encodeAppend("school-A", [{ event: { type: "QuotaClaimed", data } as never }], 0, 0, at0)
    expect(Result.isSuccess(r) && r.success[0]?.data).toStrictEqual({ schoolId: "A", year: 2025, traineeTimes: 3 })
  })

  it("still refuses a bad payload, a bad envelope and a payload of another stream, naming the rule", () => {
    const ok = { type: "QuotaClaimed", data: { schoolId: "A", year: 2025, traineeTimes: 3 } } as never
    const bad = { type: "QuotaClaimed", data: { schoolId: "A", year: 2025, traineeTimes: -3 } } as never
    const rule = (r: ReturnType<typeof AppendRules.encodeAppend>) =>
      Result.isFailure(r) ? [r.failure.rule, r.failure.index] : "ok"
    expect(rule(AppendRules.encodeAppend("school-A", [{ event: ok }, { event: bad }], 0, 0, at0))).toEqual([
      "event.schema",
      1
    ])
    expect(rule(AppendRules.encodeAppend("school-B", [{ event: ok }], 0, 0, at0))).toEqual(["stream.idMismatch", 0])
    expect(rule(AppendRules.encodeAppend("member-A", [{ event: ok }], 0, 0, at0))).toEqual(["event.category", 0])
    expect(rule(AppendRules.encodeAppend("school-A", [{ event: ok, id: "nope" }], 0, 0, at0))).toEqual([
      "envelope.field",
      0
    ])
    expect(rule(AppendRules.encodeAppend("school-A", [{ event: ok }], 0, 0, "yesterday"))).toEqual([
      "envelope.field",
      0
    ])
    expect(rule(AppendRules.encodeAppend("school-A", [{ event: ok, recordedAt: "later" }], 0, 0, at0))).toEqual([
      "envelope.field",
      0
    ])
  })
})

const at0 = "2025-01-01T00:00:00Z"

describe("decodeIntact", () => {
  test.prop([logRecord])("is decodeRecord on a record at the current version, ignoring the framing key", (record) => {
    const json = { ...codec.encodeRecord(record), $file: { i: 0, n: 1, crc: "00000000" } }
    const r = codec.decodeIntact?.(json, "$file")
    expect(r !== undefined && Result.isSuccess(r) && r.success).toStrictEqual(decodeOrThrow(codec.encodeRecord(record)))
  })

  it("upcasts (through the full decode) a record of an older payload version", () => {
    const V2 = Schema.Struct({
      schoolId: Schema.String,
      year: Schema.Number,
      traineeTimes: Schema.Number,
      note: Schema.String
    })
    const newer = EventCodec.makeEventCodec({
      versions: { QuotaClaimed: { version: 2, schema: V2 } },
      upcasters: [{ type: "QuotaClaimed", fromVersion: 1, upcast: (d) => ({ ...d, note: "upcast" }) }]
    })
    const json = {
      stream: "school-A",
      type: "QuotaClaimed",
      data: { schoolId: "A", year: 2025, traineeTimes: 1 },
      schemaVersion: 1,
      $file: {}
    }
    const r = newer.decodeIntact?.(json, "$file")
    expect(r !== undefined && Result.isSuccess(r) && r.success.data).toStrictEqual({
      schoolId: "A",
      year: 2025,
      traineeTimes: 1,
      note: "upcast"
    })
    // and a wrong record that is not at the current version is refused, as decodeRecord refuses it
    const wrong = newer.decodeIntact?.({ ...json, data: { schoolId: "A", year: "x", traineeTimes: 1 } }, "$file")
    expect(wrong !== undefined && Result.isFailure(wrong) && wrong.failure.rule).toBe("event.schema")
  })

  it("converts the hours of a grant to the runtime form", () => {
    const json = {
      stream: "credit-M1",
      type: "CreditGranted",
      data: {
        memberId: "M1",
        grantId: "G1",
        year: 2025,
        hours: 1.25,
        source: { kind: "external", system: "s", reference: "r" },
        policyId: "p",
        at: at0
      },
      schemaVersion: 1,
      position: 1,
      version: 1
    }
    const r = codec.decodeIntact?.(json)
    expect(r !== undefined && Result.isSuccess(r) && (r.success.data as { hours: number }).hours).toBe(125)
  })
})
