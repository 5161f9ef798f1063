// LogTransfer.importLog through a store's AppendBatch and without one: the same store, the same
// export, whatever the batch size; progress counts every event; a batch refused mid-import
// stores nothing of that batch.
import { fc, test } from "@fast-check/vitest"
import { Context, Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"
import { generateDistrict } from "../../../testing/src/District.js"
import { AppendBatch, CheckpointStore, EventCodec, EventStore, LogTransfer, StoreServices } from "../../src/index.js"
import { MemoryEventStore, run } from "./Support.js"

const records = [...generateDistrict({ seed: 11, members: 60, subdistricts: 2, communities: 4 })]
const text = records.map((r) => `${EventCodec.EventLogCodec.encodeLine(r)}\n`).join("")

/** The memory store's four port services without its AppendBatch: importLog appends one at a time. */
const withoutBatch = (): Layer.Layer<StoreServices.Services> =>
  Layer.syncContext(() => {
    const { appendBatch: _, ...m } = MemoryEventStore.make()
    return StoreServices.context(m)
  })

/** The memory store whose AppendBatch counts its calls and refuses the `failAt`-th one (1-based). */
const countingBatch = (calls: Array<number>, failAt?: number): Layer.Layer<StoreServices.Services> =>
  Layer.syncContext(() => {
    const m = MemoryEventStore.make()
    const inner = m.appendBatch as AppendBatch.AppendBatch["Service"]
    const appendBatch: AppendBatch.AppendBatch["Service"]["appendBatch"] = (appends) => {
      calls.push(appends.reduce((n, a) => n + a.events.length, 0))
      if (calls.length === failAt) {
        // a batch whose last append expects a version its stream does not have: refused whole
        const last = appends[appends.length - 1] as AppendBatch.StreamAppend
        return inner.appendBatch([...appends.slice(0, -1), { ...last, expected: 10_000 }])
      }
      return inner.appendBatch(appends)
    }
    const { appendBatch: _, ...rest } = m
    return Context.add(StoreServices.context(rest), AppendBatch.AppendBatch, {
      appendBatch
    })
  })

const exportOf = (layer: Layer.Layer<StoreServices.Services>, batchEvents?: number) =>
  run(
    Effect.gen(function* () {
      let progressed = 0
      const result = yield* LogTransfer.importLog(text, {
        ...(batchEvents === undefined ? {} : { batchEvents }),
        onProgress: (p) => {
          progressed = p.appended
        }
      })
      return { result, progressed, text: yield* LogTransfer.exportText() }
    }),
    layer
  )

describe("importLog through AppendBatch", () => {
  it("stores what it stores append by append", async () => {
    const plain = await exportOf(withoutBatch())
    const calls: Array<number> = []
    const batched = await exportOf(countingBatch(calls), 500)
    expect(plain.result.appended).toBe(records.length)
    expect(batched.result).toEqual(plain.result)
    expect(batched.progressed).toBe(records.length)
    expect(batched.text.replace(/"recordedAt":"[^"]*",?/g, "")).toEqual(
      plain.text.replace(/"recordedAt":"[^"]*",?/g, "")
    )
    // batches of about 500 events: more than one, each at least 500 but the last
    expect(calls.length).toBeGreaterThan(1)
    expect(calls.reduce((a, b) => a + b, 0)).toBe(records.length)
    for (const n of calls.slice(0, -1)) expect(n).toBeGreaterThanOrEqual(500)
  })

  test.prop([fc.integer({ min: 1, max: 5_000 })], { numRuns: 15 })(
    "any batch size gives the same store",
    async (size) => {
      const plain = await exportOf(withoutBatch())
      const batched = await exportOf(countingBatch([]), size)
      const strip = (t: string) => t.replace(/"recordedAt":"[^"]*",?/g, "")
      expect(strip(batched.text)).toEqual(strip(plain.text))
    }
  )

  it("a refused batch fails the import and stores nothing of that batch", async () => {
    const calls: Array<number> = []
    const outcome = await run(
      Effect.gen(function* () {
        const failed = yield* Effect.flip(LogTransfer.importLog(text, { batchEvents: 400 }))
        const store = yield* EventStore.EventStore
        const checkpoints = yield* CheckpointStore.CheckpointStore
        return { failed, head: yield* store.head(), checkpoint: yield* checkpoints.get("none") }
      }),
      countingBatch(calls, 2)
    )
    expect(outcome.failed._tag).toBe("WrongExpectedVersion")
    expect(calls.length).toBe(2)
    // the first batch is stored, the second (refused) is not, and nothing after it was tried
    expect(outcome.head).toBe(calls[0])
    expect(outcome.checkpoint).toBe(0)
  })
})
