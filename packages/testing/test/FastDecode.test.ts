/**
 * The codec's fast path (core `internal/FastDecode`) is an accelerator, never a
 * judge: on any value, valid or broken, it either rejects (the schema then
 * decides) or answers exactly what the schema's decoder answers.
 */
import { fc, test } from "@fast-check/vitest"
import { EventCodec, Events } from "@xueshi/core"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { compile, REJECT } from "../../core/src/internal/FastDecode.js"
import { event } from "../src/Arbitraries.js"

const TYPES = Object.keys(Events.EventCatalogue) as Array<Events.EventType>
const fastOf = new Map(TYPES.map((t) => [t, compile(Events.EventCatalogue[t].schema.ast)]))
const fullOf = new Map(
  TYPES.map((t) => [t, Schema.decodeUnknownResult(Events.EventCatalogue[t].schema, { onExcessProperty: "error" })])
)

/** The schema's answer and the fast path's on a value: the fast path rejects, or agrees. */
const agrees = (type: Events.EventType, u: unknown) => {
  const fast = fastOf.get(type)
  if (fast === undefined) return
  const out = fast(u)
  const full = (fullOf.get(type) as (u: unknown) => Result.Result<unknown, unknown>)(u)
  if (out === REJECT) return
  expect(Result.isSuccess(full)).toBe(true)
  if (Result.isSuccess(full)) {
    expect(out).toStrictEqual(full.success)
    // the same keys in the same order (the codec writes and fingerprints in that order)
    expect(JSON.stringify(out)).toBe(JSON.stringify(full.success))
  }
}

const wire = (e: Events.DomainEvent) => EventCodec.EventLogCodec.encodeData(e.type, e.data)

/** A broken copy of a wire payload: a key removed, replaced by anything, or added; nested too. */
const broken = (payload: Record<string, unknown>) =>
  fc
    .tuple(
      fc.constantFrom("delete", "replace", "add", "nested"),
      fc.nat(),
      fc.oneof(
        fc.anything(),
        fc.string(),
        fc.integer(),
        fc.double(),
        fc.constant(""),
        fc.constant(" "),
        fc.constant(null)
      )
    )
    .map(([op, i, value]) => {
      const copy: Record<string, unknown> = structuredClone(payload)
      const keys = Object.keys(copy)
      const key = keys[i % Math.max(1, keys.length)] ?? "x"
      if (op === "delete") delete copy[key]
      else if (op === "replace") copy[key] = value
      else if (op === "add") copy[`extra${i % 3}`] = value
      else {
        const inner = copy[key]
        if (Array.isArray(inner)) inner[i % Math.max(1, inner.length)] = value
        else if (typeof inner === "object" && inner !== null) (inner as Record<string, unknown>).kind = value
        else copy[key] = [value]
      }
      return copy
    })

describe("the codec's fast path", () => {
  it("compiles for every event type whose schema transforms nothing (all but CreditGranted's hours)", () => {
    const compiled = TYPES.filter((t) => fastOf.get(t) !== undefined)
    expect(TYPES.filter((t) => !compiled.includes(t))).toEqual(["CreditGranted"])
  })

  test.prop([event])("accepts every valid payload, answering the schema's decoded value", (e) => {
    const payload = wire(e)
    const fast = fastOf.get(e.type)
    if (fast !== undefined) expect(fast(payload)).not.toBe(REJECT)
    agrees(e.type, payload)
  })

  test.prop([event.chain((e) => fc.tuple(fc.constant(e.type), broken(wire(e))))])(
    "on a broken payload it rejects or agrees with the schema",
    ([type, payload]) => agrees(type, payload)
  )

  test.prop([fc.constantFrom(...TYPES), fc.anything()])("on anything at all it rejects or agrees", (type, u) =>
    agrees(type, u)
  )

  it("rejects what the schema rejects, each by its checks (blank text, a bad date, a minute too many)", () => {
    const base = { classId: "C1", sessionId: "S1", memberId: "M1", minutes: 90 }
    const fast = fastOf.get("AttendanceRecorded")
    expect(fast?.(base)).toEqual(base)
    expect(fast?.({ ...base, minutes: 1441 })).toBe(REJECT)
    expect(fast?.({ ...base, minutes: 1.5 })).toBe(REJECT)
    expect(fast?.({ ...base, at: "2025-02-30T09:00:00+08:00" })).toBe(REJECT)
    expect(fast?.({ ...base, extra: 1 })).toBe(REJECT)
    expect(fastOf.get("SchoolRegistered")?.({ schoolId: "S", name: "  ", tier: "district" })).toBe(REJECT)
  })
})
