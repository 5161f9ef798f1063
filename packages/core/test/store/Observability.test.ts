import { Effect, Metric, Stream, Tracer } from "effect"
import { describe, expect, it } from "vitest"
import { AppendBatch, CommandHandler, Commands, EventStore, type Ids, SchoolDecider } from "../../src/index.js"
import { MemoryEventStore } from "./Support.js"

/** Runs `program` over a fresh memory store with a tracer that records span names and a registry of its own. */
const traced = async <E>(
  program: Effect.Effect<ReadonlyArray<Metric.Metric.Snapshot>, E, EventStore.EventStore | AppendBatch.AppendBatch>
) => {
  const spans: Array<string> = []
  const tracer = Tracer.make({
    span: (options) => {
      spans.push(options.name)
      return Tracer.nativeTracer.span(options)
    }
  })
  const snapshot = await Effect.runPromise(
    program.pipe(
      Effect.provide(MemoryEventStore.layer()),
      Effect.withTracer(tracer),
      Effect.provideService(Metric.MetricRegistry, new Map())
    )
  )
  return { spans, snapshot }
}

describe("Observability", () => {
  it("traces append, reads and command handling, and counts appends by outcome", async () => {
    const program = Effect.gen(function* () {
      const es = yield* EventStore.EventStore
      const register = Commands.makeCommand("RegisterSchool", {
        schoolId: "XQ" as Ids.SchoolId,
        name: "西青区委党校",
        tier: "district"
      })
      yield* CommandHandler.handle("school-XQ", SchoolDecider.SchoolDecider, register)
      yield* Effect.flip(es.append("school-XQ", [], "noStream"))
      yield* Stream.runDrain(es.readAll())
      return yield* Metric.snapshot
    })
    const { spans, snapshot } = await traced(program)
    expect(spans).toEqual(
      expect.arrayContaining([
        "xueshi.command.handle",
        "xueshi.store.readStream",
        "xueshi.store.append",
        "xueshi.store.readAll"
      ])
    )
    const appends = snapshot
      .filter((m) => m.id === "xueshi_store_appends_total")
      .map((m) => [(m.attributes as Record<string, string>).outcome, (m.state as { count: number }).count])
    expect(appends.sort()).toEqual([
      ["WrongExpectedVersion", 1],
      ["ok", 1]
    ])
    const commands = snapshot
      .filter((m) => m.id === "xueshi_commands_total")
      .map((m) => (m.state as { count: number }).count)
    expect(commands).toEqual([1])
  })

  it("traces a batch append and counts its appends and events; a refused batch counts once, by its tag", async () => {
    const quota = (schoolId: string, n: number) =>
      ({ event: { type: "QuotaClaimed", data: { schoolId, year: 2025, traineeTimes: n } } }) as EventStore.EventToAppend
    const program = Effect.gen(function* () {
      const batch = yield* AppendBatch.AppendBatch
      yield* batch.appendBatch([
        { stream: "school-A", events: [quota("A", 1), quota("A", 2)], expected: "noStream" },
        { stream: "school-B", events: [quota("B", 1)], expected: "noStream" }
      ])
      yield* Effect.flip(batch.appendBatch([{ stream: "school-A", events: [quota("A", 3)], expected: "noStream" }]))
      return yield* Metric.snapshot
    })
    const { spans, snapshot } = await traced(program)
    expect(spans.filter((s) => s === "xueshi.store.appendBatch")).toHaveLength(2)
    const counter = (id: string) =>
      snapshot
        .filter((m) => m.id === id)
        .map((m) => [(m.attributes as Record<string, string>).outcome ?? "", (m.state as { count: number }).count])
        .sort()
    expect(counter("xueshi_store_appends_total")).toEqual([
      ["WrongExpectedVersion", 1],
      ["ok", 2]
    ])
    expect(counter("xueshi_store_appended_events_total")).toEqual([["", 3]])
  })

  it("captures no stack trace for the spans of appends and command handling", async () => {
    // Effect captures a span's stack by setting Error.stackTraceLimit and making an Error: count the sets
    let sets = 0
    const original = Object.getOwnPropertyDescriptor(Error, "stackTraceLimit")
    let limit = Error.stackTraceLimit
    const program = Effect.gen(function* () {
      const es = yield* EventStore.EventStore
      const register = (n: number) =>
        Commands.makeCommand("RegisterSchool", {
          schoolId: `S${n}` as Ids.SchoolId,
          name: `school ${n}`,
          tier: "district"
        })
      yield* CommandHandler.handle("school-S0", SchoolDecider.SchoolDecider, register(0))
      Object.defineProperty(Error, "stackTraceLimit", {
        configurable: true,
        get: () => limit,
        set: (v: number) => {
          sets++
          limit = v
        }
      })
      try {
        for (let n = 1; n <= 20; n++) {
          yield* CommandHandler.handle(`school-S${n}`, SchoolDecider.SchoolDecider, register(n))
          yield* es.version(`school-S${n}`)
        }
      } finally {
        if (original !== undefined) Object.defineProperty(Error, "stackTraceLimit", original)
      }
      return yield* es.head()
    })
    const head = await Effect.runPromise(program.pipe(Effect.provide(MemoryEventStore.layer())))
    expect(head).toBe(21)
    expect(sets).toBe(0)
  })
})
