/**
 * One real schema evolution: `SessionScheduled` version 2 renames `minutes` to
 * `durationMinutes` on the wire and makes `tags` required (an empty list when a
 * lesson has none). The runtime payload keeps `minutes`, so deciders and
 * projections do not change; version 1 lines are raised by an upcaster on read.
 */
import { fc, test } from "@fast-check/vitest"
import { EventCodec, Events, LogValidator } from "@xueshi/core"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { districtHistory, renderLines } from "../src/District.js"

const { tags: _optionalTags, ...v1Fields } = Events.SessionScheduled.fields

/** Version 2 of SessionScheduled: runtime `minutes` is `durationMinutes` on the wire; `tags` is required. */
const SessionScheduledV2 = Schema.Struct({ ...v1Fields, tags: Schema.Array(Schema.String) }).pipe(
  Schema.encodeKeys({ minutes: "durationMinutes" })
)

const upcastSessionScheduled1to2: EventCodec.Upcaster = {
  type: "SessionScheduled",
  fromVersion: 1,
  upcast: ({ minutes, tags, ...rest }) => ({ ...rest, durationMinutes: minutes, tags: tags ?? [] })
}

const v2 = EventCodec.makeEventCodec({
  versions: { SessionScheduled: { version: 2, schema: SessionScheduledV2 } },
  upcasters: [upcastSessionScheduled1to2]
})

const v1Line =
  '{"stream":"class-C1","type":"SessionScheduled","data":{"classId":"C1","sessionId":"S1","title":"党的二十大精神","category":"theory","startsAt":"2025-03-04T19:00:00+08:00","minutes":90,"mode":"inPerson"}}'

const decode = (codec: EventCodec.EventCodec, line: string) => {
  const r = codec.decodeLine(line)
  if (Result.isFailure(r)) throw new Error(`${r.failure.rule}: ${r.failure.message}`)
  return r.success
}

describe("an upcaster from SessionScheduled v1 to v2", () => {
  it("decodes a v1 line into the v2 payload", () => {
    const r = decode(v2, v1Line)
    expect(r.schemaVersion).toBe(2)
    expect(r.data).toEqual({
      classId: "C1",
      sessionId: "S1",
      title: "党的二十大精神",
      category: "theory",
      startsAt: "2025-03-04T19:00:00+08:00",
      minutes: 90,
      mode: "inPerson",
      tags: []
    })
  })

  it("writes version 2 on export, and reads it back", () => {
    const line = v2.encodeLine(decode(v2, v1Line))
    const json = JSON.parse(line)
    expect(json.schemaVersion).toBe(2)
    expect(json.data.durationMinutes).toBe(90)
    expect(json.data).not.toHaveProperty("minutes")
    expect(v2.encodeLine(decode(v2, line))).toBe(line)
    // an explicit "schemaVersion": 1 is the same as none
    expect(decode(v2, v1Line.replace(/}$/, ',"schemaVersion":1}')).data).toEqual(decode(v2, v1Line).data)
  })

  it("checks the upcast payload against the v2 schema", () => {
    const r = v2.decodeLine(v1Line.replace('"minutes":90', '"minutes":0'))
    expect(Result.isFailure(r) && r.failure.rule).toBe("event.schema")
    const v2WithOldField =
      '{"stream":"class-C1","type":"SessionScheduled","schemaVersion":2,"data":{"classId":"C1","sessionId":"S1","title":"t","category":"theory","startsAt":"2025-03-04T19:00:00+08:00","minutes":90,"mode":"inPerson","tags":[]}}'
    expect(Result.isFailure(v2.decodeLine(v2WithOldField))).toBe(true)
  })

  it("rejects a version it cannot raise, and a version newer than its own, with event.schemaVersion", () => {
    const v3WithoutUpcaster = EventCodec.makeEventCodec({
      versions: { SessionScheduled: { version: 3, schema: SessionScheduledV2 } },
      upcasters: [upcastSessionScheduled1to2]
    })
    const missing = v3WithoutUpcaster.decodeLine(v1Line)
    expect(Result.isFailure(missing) && [missing.failure.rule, missing.failure.path]).toEqual([
      "event.schemaVersion",
      "schemaVersion"
    ])
    const newer = v2.decodeLine(v1Line.replace(/}$/, ',"schemaVersion":3}'))
    expect(Result.isFailure(newer) && newer.failure.rule).toBe("event.schemaVersion")
    // the shipped v1 codec knows no version 2
    const v2Line = v2.encodeLine(decode(v2, v1Line))
    const old = EventCodec.EventLogCodec.decodeLine(v2Line)
    expect(Result.isFailure(old) && old.failure.rule).toBe("event.schemaVersion")
    // and a log holding it names the line
    const planned =
      '{"stream":"class-C1","type":"ClassPlanned","data":{"classId":"C1","schoolId":"XQ","title":"夜校","format":"concentrated"}}'
    const report = LogValidator.validateLines([planned, v2Line], { references: false })
    expect(report.errors.map((e) => [e.line, e.rule])).toEqual([[2, "event.schemaVersion"]])
  })

  it("refuses two upcasters for the same version", () => {
    expect(() =>
      EventCodec.makeEventCodec({ upcasters: [upcastSessionScheduled1to2, upcastSessionScheduled1to2] })
    ).toThrow()
  })

  test.prop([districtHistory()])(
    "old logs validate unchanged with the v2 codec, and their migrated export too",
    (history) => {
      const lines = renderLines(history)
      const withV1 = LogValidator.validateLines(lines)
      const withV2 = LogValidator.validateLines(lines, { codec: v2 })
      expect(withV2.errors).toEqual([])
      expect(withV2.accepted).toBe(lines.length)
      // the same facts, read through either codec (v2 adds `tags: []` where v1 had none)
      const sessions = (r: LogValidator.ValidationReport) =>
        r.records
          .filter((x) => x.type === "SessionScheduled")
          .map((x) => ({ ...x.data, tags: (x.data as { tags?: unknown }).tags ?? [] }))
      expect(sessions(withV2)).toEqual(sessions(withV1))
      // export with v2 (a migrated log): valid with v2, refused by the v1 codec at its first session
      const migrated = withV2.records.map((r) => v2.encodeLine(r))
      expect(LogValidator.validateLines(migrated, { codec: v2 }).accepted).toBe(lines.length)
      const firstSession = history.findIndex((l) => l.type === "SessionScheduled")
      const refused = LogValidator.validateLines(migrated)
      if (firstSession === -1) expect(refused.ok).toBe(true)
      else expect(refused.errors.map((e) => [e.line, e.rule])).toEqual([[firstSession + 1, "event.schemaVersion"]])
    }
  )

  test.prop([fc.integer({ min: 1, max: 1440 })])("minutes survive the rename", (minutes) => {
    const r = decode(v2, v1Line.replace('"minutes":90', `"minutes":${minutes}`))
    expect((r.data as { minutes: number }).minutes).toBe(minutes)
  })
})
