/**
 * Every one-rule schema mutation of a valid line (see JsonSchemaMutations.ts)
 * is rejected by ajv with the shipped line schema AND by the project's codec
 * (`EventCodec.EventLogCodec.decodeLine`), so the two agree; payload mutations
 * are rejected by the event type's own schema too. The rules JSON Schema cannot
 * express are pinned the other way round: ajv accepts, the codec rejects.
 */
import { fc, test } from "@fast-check/vitest"
import { EventCodec, Events } from "@xueshi/core"
import { Result } from "effect"
import { describe, expect, it } from "vitest"
import { eventOf } from "../src/Arbitraries.js"
import { scheduled } from "./Fixtures.js"
import { validateLine, validatePayload } from "./JsonSchemaKit.js"
import { envelopeMutations, type Line, mutated, payloadMutations } from "./JsonSchemaMutations.js"

const codec = EventCodec.EventLogCodec

/** Valid lines of one type, with every optional envelope field. */
const lineOf = (type: Events.EventType): fc.Arbitrary<Line> =>
  fc
    .record({ event: eventOf(type), version: fc.integer({ min: 1, max: 99 }), id: fc.uuid(), position: fc.nat() })
    .map(({ event, version, id, position }) => {
      const record = { ...event, stream: Events.streamOf(event), schemaVersion: 1, version, id, position: position + 1 }
      return JSON.parse(
        codec.encodeLine({
          ...record,
          recordedAt: "2025-03-04T19:00:00+08:00",
          meta: { actor: "importer" }
        } as unknown as EventCodec.LogRecord)
      ) as Line
    })

/**
 * Runs of each mutation property: a tenth of the configured numRuns (at least 20). There are
 * over a thousand mutation properties, each breaking one rule; the valid-log properties
 * (JsonSchemaValid.test.ts) run the full numRuns.
 */
const mutationRuns = { numRuns: Math.max(20, Math.ceil((fc.readConfigureGlobal().numRuns ?? 100) / 10)) }

const codecRejects = (line: unknown): boolean => Result.isFailure(codec.decodeLine(JSON.stringify(line)))

describe.each(Events.eventTypes.map((t) => [t]))("one-rule mutations of a %s line", (type) => {
  const expectValid = (line: Line) => {
    expect(validateLine(line)).toEqual({ valid: true, errors: "" })
    expect(Result.isSuccess(codec.decodeLine(JSON.stringify(line)))).toBe(true)
  }

  for (const m of payloadMutations(type)) {
    test.prop([lineOf(type)], mutationRuns)(
      `${m.name}: ajv (line and payload schema) and the codec reject it`,
      (line) => {
        expectValid(line)
        const bad = mutated(line, m)
        expect(validateLine(bad).valid).toBe(false)
        expect(validatePayload(type, bad.data).valid).toBe(false)
        expect(codecRejects(bad)).toBe(true)
      }
    )
  }

  for (const m of envelopeMutations(type)) {
    test.prop([lineOf(type)], mutationRuns)(`${m.name}: ajv and the codec reject it`, (line) => {
      expectValid(line)
      const bad = mutated(line, m)
      expect(validateLine(bad).valid).toBe(false)
      expect(codecRejects(bad)).toBe(true)
    })
  }
})

describe("what JSON Schema cannot express (documented in each schema's description)", () => {
  const line = (data: Record<string, unknown>, stream = "class-C1") =>
    JSON.stringify({ stream, type: "SessionScheduled", data })
  const session = codec.encodeData("SessionScheduled", scheduled("S1").data)
  const grant = (hoursText: string) =>
    `{"stream":"credit-M1","type":"CreditGranted","data":{"memberId":"M1","grantId":"G1","year":2025,"hours":${hoursText},"source":{"kind":"external","system":"xuexi","reference":"r1"},"policyId":"p","at":"2025-03-04T19:00:00+08:00"}}`

  it.each([
    ["the id in data agrees with the stream", line(session, "class-C2")],
    ["February 29 only in leap years", line({ ...session, startsAt: "2025-02-29T19:00:00+08:00" })],
    ["hours with at most two decimals as written (1.250)", grant("1.250")],
    ["hours without an exponent (1.25e0)", grant("1.25e0")]
  ])("%s: ajv accepts, the codec rejects", (_rule, text) => {
    expect(validateLine(JSON.parse(text)).errors).toBe("")
    expect(Result.isFailure(codec.decodeLine(text))).toBe(true)
  })

  it("the same line with the rule kept passes both", () => {
    for (const text of [line(session), grant("1.25")]) {
      expect(validateLine(JSON.parse(text)).errors).toBe("")
      expect(Result.isSuccess(codec.decodeLine(text))).toBe(true)
    }
  })
})
