/**
 * The shipped JSON Schemas accept what the codec writes: every line of
 * generated logs (random records, random district histories, a real generated
 * district) passes log-line.schema.json, and its `data` passes the schema of
 * its event type.
 */
import { test } from "@fast-check/vitest"
import { EventCodec } from "@xueshi/core"
import { describe, expect, it } from "vitest"
import { logRecord } from "../src/Arbitraries.js"
import { districtHistory, fullEnvelope, generateDistrict, renderLines } from "../src/District.js"
import { validateLine, validatePayload } from "./JsonSchemaKit.js"

const codec = EventCodec.EventLogCodec

/** Checks one line of text against the line schema and its payload schema; returns the failures. */
const failures = (text: string): Array<string> => {
  const json = JSON.parse(text) as { readonly type: Parameters<typeof validatePayload>[0]; readonly data: unknown }
  const line = validateLine(json)
  const payload = validatePayload(json.type, json.data)
  return [
    ...(line.valid ? [] : [`line: ${line.errors}\n${text}`]),
    ...(payload.valid ? [] : [`${json.type}: ${payload.errors}\n${text}`])
  ]
}

describe("generated valid logs pass the JSON Schemas", () => {
  test.prop([logRecord])("every encoded record (any type, any envelope fields)", (record) => {
    expect(failures(codec.encodeLine(record))).toEqual([])
  })

  test.prop([districtHistory({ envelope: fullEnvelope })])("every line of a valid district history", (history) => {
    const lines = renderLines(history)
    expect(lines.length).toBeGreaterThan(0)
    expect(lines.flatMap(failures)).toEqual([])
  })

  it("every line of a generated district sample (400 members, 8,000+ lines, 16 event types)", () => {
    const lines = Array.from(generateDistrict({ seed: 7, members: 400, subdistricts: 3, communities: 12 }), (r) =>
      codec.encodeLine(r)
    )
    const types = new Set(lines.map((l) => (JSON.parse(l) as { type: string }).type))
    expect(lines.length).toBeGreaterThan(1000)
    expect(lines.flatMap(failures)).toEqual([])
    expect(types.size).toBeGreaterThanOrEqual(16)
  })
})
