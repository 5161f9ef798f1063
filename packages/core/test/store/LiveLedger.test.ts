// A live ledger over a store answers like a ledger built from the store's log, whatever order
// things start in (the trap of a compliance runner started before the credit reactor is gone),
// records the credit it derives exactly once, and writes nothing in `derive` mode.
import { Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { generateDistrict } from "../../../testing/src/District.js"
import {
  type Calendar,
  DistrictReport,
  EventCodec,
  EventStore,
  Ledger,
  LiveLedger,
  LogTransfer,
  LogValidator,
  Presets
} from "../../src/index.js"
import { crashyStore, run } from "./Support.js"

const policy = Presets.composePolicySet({
  id: "live-test",
  effectiveFrom: "2019-01-01",
  requirements: [Presets.annual32, Presets.secretary56],
  courseMix: [Presets.xiqing404020]
})
const records = [...generateDistrict({ seed: 5, members: 150, subdistricts: 2, communities: 6 })]
const lines = records.map((r) => EventCodec.EventLogCodec.encodeLine(r))
const year = 2025
const asOf = "2025-12-31" as Calendar.LocalDate
const expected = Ledger.fromRecords(records, policy)

/** The report's figures (the `log` part counts what each ledger folded and derived, which differs by design). */
const figures = (l: Ledger.Ledger) => {
  const { log: _, ...rest } = DistrictReport.build(l, { year, asOf })
  return rest
}

const creditEvents = Effect.gen(function* () {
  const es = yield* EventStore.EventStore
  return (yield* Stream.runCollect(es.readAll({ categories: ["credit"] }))).length
})

describe("a live ledger", () => {
  it("started after the history was stored, answers like the ledger of the log, and records the credit", async () => {
    await run(
      Effect.gen(function* () {
        yield* LogTransfer.importLog(lines)
        const before = yield* creditEvents
        const live = yield* LiveLedger.start(policy, { batchSize: 200 })
        yield* live.runner.whenCaughtUp
        expect(figures(yield* live.ledger)).toEqual(figures(expected))
        const recorded = (yield* creditEvents) - before
        expect(recorded).toBeGreaterThan(500)
        // the store's log with the recorded credit is valid, and a ledger of it derives nothing more
        const exported = yield* LogTransfer.exportText()
        expect(LogValidator.validateText(exported).ok).toBe(true)
        const reread = yield* LiveLedger.fromStore(policy)
        expect(reread.stats.derived.granted + reread.stats.derived.revoked).toBe(0)
        expect(figures(reread)).toEqual(figures(expected))
      })
    )
  })

  it("started before the history arrives (the old trap: compliance before credit), answers the same", async () => {
    // no external credit in this history: an import that races the ledger's own credit appends on a
    // credit stream fails by design (exact expected versions), so the history has none
    const history = [
      ...generateDistrict({ seed: 5, members: 150, subdistricts: 2, communities: 6, externalCredit: false })
    ]
    const wanted = figures(Ledger.fromRecords(history, policy))
    await run(
      Effect.gen(function* () {
        const live = yield* LiveLedger.start(policy, { batchSize: 64 })
        yield* LogTransfer.importLog(
          history.map((r) => EventCodec.EventLogCodec.encodeLine(r)),
          { batchSize: 50 }
        )
        yield* live.runner.whenCaughtUp
        // the credit it appended came back through the log; wait for that too
        yield* live.runner.whenCaughtUp
        expect(figures(yield* live.ledger)).toEqual(wanted)
        const after = yield* creditEvents
        // a second live ledger of the same policy resumes from the saved checkpoint and appends nothing
        const again = yield* LiveLedger.start(policy, { name: "ledger-second" })
        yield* again.runner.whenCaughtUp
        expect(yield* creditEvents).toBe(after)
        expect(figures(yield* again.ledger)).toEqual(wanted)
      })
    )
  })

  it("resumes after failed saves (a crash before the checkpoint) without counting or recording anything twice", async () => {
    const saves: Array<number> = []
    await run(
      Effect.gen(function* () {
        yield* LogTransfer.importLog(lines)
        const live = yield* LiveLedger.start(policy, { batchSize: 100, saveEvery: { events: 1000 } })
        yield* live.runner.whenCaughtUp
        yield* live.runner.whenCaughtUp
        expect(figures(yield* live.ledger)).toEqual(figures(expected))
        // each recorded grant once: the store's log is valid (a duplicate grant id would not be)
        expect(LogValidator.validateText(yield* LogTransfer.exportText()).ok).toBe(true)
      }),
      crashyStore({ left: 3 }, { after: 1, saves })
    )
    expect(saves.length).toBeGreaterThan(1)
  })

  it("in derive mode writes nothing to the event store", async () => {
    await run(
      Effect.gen(function* () {
        yield* LogTransfer.importLog(lines)
        const es = yield* EventStore.EventStore
        const head = yield* es.head()
        const live = yield* LiveLedger.start(policy, { credit: "derive" })
        yield* live.runner.whenCaughtUp
        expect(yield* es.head()).toBe(head)
        expect(figures(yield* live.ledger)).toEqual(figures(expected))
      })
    )
  })
})
