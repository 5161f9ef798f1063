import { fc, test } from "@fast-check/vitest"
import { Result, Schema } from "effect"
import { describe, expect, it } from "vitest"
import { AppendRules, EventCodec, EventStore, Events } from "../../src/index.js"

describe("planStreamRead", () => {
  test.prop([
    fc.integer({ min: 0, max: 30 }),
    fc.record(
      {
        from: fc.integer({ min: -3, max: 33 }),
        to: fc.integer({ min: -3, max: 33 }),
        direction: fc.constantFrom("forwards" as const, "backwards" as const),
        limit: fc.integer({ min: 0, max: 33 })
      },
      { requiredKeys: [] }
    )
  ])("selects the versions a model of the read selects", (n, options) => {
    const plan = EventStore.planStreamRead(n, options)
    const got = Array.from({ length: plan.count }, (_, i) => plan.start + plan.step * i)
    const all = Array.from({ length: n }, (_, i) => i + 1)
    const model =
      options.direction === "backwards"
        ? all.reverse().filter((v) => v <= (options.from ?? n) && v >= (options.to ?? 1))
        : all.filter((v) => v >= (options.from ?? 1) && v <= (options.to ?? n))
    expect(got).toEqual(options.limit === undefined ? model : model.slice(0, options.limit))
  })
})

describe("encodeAppend", () => {
  it("records the codec's current payload version, so a newer codec does not upcast its own output", () => {
    const V2 = Schema.Struct({ ...Events.QuotaClaimed.fields, note: Schema.String })
    const codec = EventCodec.makeEventCodec({
      versions: { QuotaClaimed: { version: 2, schema: V2 } },
      upcasters: [{ type: "QuotaClaimed", fromVersion: 1, upcast: (d) => ({ ...d, note: "upcast" }) }]
    })
    const event = { type: "QuotaClaimed", data: { schoolId: "A", year: 2025, traineeTimes: 1, note: "mine" } }
    const r = AppendRules.encodeAppend("school-A", [{ event: event as never }], 0, 0, "2025-01-01T00:00:00Z", codec)
    expect(Result.isSuccess(r)).toBe(true)
    if (Result.isSuccess(r)) {
      expect(r.success[0]?.schemaVersion).toBe(2)
      const data = r.success[0]?.data as unknown as { note: string } | undefined
      expect(data?.note).toBe("mine")
    }
  })
})
