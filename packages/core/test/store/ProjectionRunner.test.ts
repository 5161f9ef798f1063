import { Context, Effect, Exit, Layer, Metric, Option, Schedule, Scope } from "effect"
import { describe, expect, it } from "vitest"
import { CheckpointStore, EventStore, type Events, ProjectionRunner, StoreErrors } from "../../src/index.js"
import type { Projection } from "../../src/policy/Projection.js"
import { crashyStore, MemoryEventStore, run, runExit } from "./Support.js"

interface Count {
  n: number
  last: number
  types: Record<string, number>
}

const counting: ProjectionRunner.RunnableProjection<Count> = {
  name: "count",
  get initial() {
    return { n: 0, last: 0, types: {} }
  },
  apply: (s, r) => {
    s.n++
    s.last = r.position
    s.types[r.type] = (s.types[r.type] ?? 0) + 1
    return s
  },
  encodeState: (s) => JSON.parse(JSON.stringify(s)),
  decodeState: (u) => JSON.parse(JSON.stringify(u)) as Count
}

const quota = (school: string, n: number): EventStore.EventToAppend => ({
  event: {
    type: "QuotaClaimed",
    data: { schoolId: school, year: 2025, traineeTimes: n }
  } as unknown as Events.DomainEvent,
  recordedAt: "2020-01-01T00:00:00Z"
})
const exemption = (member: string, n: number): EventStore.EventToAppend => ({
  event: {
    type: "ExemptionGranted",
    data: { memberId: member, year: 2000 + n, reason: "other" }
  } as unknown as Events.DomainEvent
})

const fill = (n: number, make: (i: number) => EventStore.EventToAppend, stream: string) =>
  Effect.flatMap(Effect.service(EventStore.EventStore), (es) =>
    es.append(
      stream,
      Array.from({ length: n }, (_, i) => make(i)),
      "any"
    )
  )

describe("ProjectionRunner", () => {
  it("runs from the checkpoint in batches, saves state and checkpoint together, and catches up with live events", async () => {
    await run(
      Effect.gen(function* () {
        const ps = yield* CheckpointStore.ProjectionStore
        yield* fill(23, (i) => quota("A", i), "school-A")
        const runner = yield* ProjectionRunner.start(counting, { batchSize: 5 })
        yield* runner.whenCaughtUp
        expect(yield* runner.read((s) => s.n)).toBe(23)
        expect(yield* runner.checkpoint).toBe(23)
        expect(yield* runner.isLeader).toBe(true)
        const saved = yield* ps.load("count")
        expect(Option.map(saved, (s) => [s.checkpoint, (s.state as Count).n])).toEqual(Option.some([23, 23]))
        yield* fill(4, (i) => exemption("M", i), "member-M")
        yield* runner.whenCaughtUp
        expect(yield* runner.read((s) => ({ ...s.types }))).toEqual({ QuotaClaimed: 23, ExemptionGranted: 4 })
        expect(yield* runner.lag).toEqual({ events: 0, millis: 0 })
      })
    )
  })

  it("resumes from the saved state and checkpoint (nothing is counted twice)", async () => {
    const storage = MemoryEventStore.makeStorage()
    const layer = () => MemoryEventStore.layer({ storage })
    await run(
      Effect.gen(function* () {
        yield* fill(10, (i) => quota("A", i), "school-A")
        const r = yield* ProjectionRunner.start(counting, { batchSize: 3 })
        yield* r.whenCaughtUp
      }),
      layer()
    )
    await run(
      Effect.gen(function* () {
        yield* fill(5, (i) => quota("A", 10 + i), "school-A")
        const r = yield* ProjectionRunner.start(counting, { batchSize: 3 })
        yield* r.whenCaughtUp
        expect(yield* r.read((s) => [s.n, s.last])).toEqual([15, 15])
      }),
      layer()
    )
  })

  it("applies only filtered events but moves its checkpoint past the others", async () => {
    await run(
      Effect.gen(function* () {
        yield* fill(3, (i) => exemption("M", i), "member-M")
        yield* fill(6, (i) => quota("A", i), "school-A")
        yield* fill(2, (i) => exemption("M", 10 + i), "member-M")
        const runner = yield* ProjectionRunner.start(counting, { filter: { categories: ["member"] }, batchSize: 4 })
        yield* runner.whenCaughtUp
        expect(yield* runner.read((s) => s.n)).toBe(5)
        expect(yield* runner.checkpoint).toBe(11)
      })
    )
  })

  it("reports lag in events and time while it cannot run, and rebuilds from zero", async () => {
    await run(
      Effect.gen(function* () {
        const ps = yield* CheckpointStore.ProjectionStore
        yield* fill(8, (i) => quota("A", i), "school-A")
        // someone else holds the lease: this runner only follows
        yield* ps.acquireLease("count", "someone-else", 60_000)
        const runner = yield* ProjectionRunner.start(counting, { leaseTtlMillis: 90 })
        const lag = yield* runner.lag
        expect(lag.events).toBe(8)
        // the oldest unprocessed event was recorded in 2020
        expect(lag.millis).toBeGreaterThan(Date.parse("2024-01-01T00:00:00Z") - Date.parse("2020-01-01T00:00:00Z"))
        expect(yield* runner.isLeader).toBe(false)
        const rebuildRefused = yield* Effect.flip(runner.rebuild)
        expect(rebuildRefused._tag).toBe("NotLeaseHolder")
        yield* ps.releaseLease("count", "someone-else")
        yield* runner.whenCaughtUp
        expect(yield* runner.read((s) => s.n)).toBe(8)
        // a corrupted saved state (double-counted) is repaired by a rebuild
        yield* ps.save("count", 8, { checkpoint: 8, state: { n: 16, last: 8, types: {} } })
        yield* runner.rebuild
        yield* runner.whenCaughtUp
        expect(yield* runner.read((s) => s.n)).toBe(8)
        const saved = yield* ps.load("count")
        expect(Option.map(saved, (s) => (s.state as Count).n)).toEqual(Option.some(8))
      })
    )
  })

  it("retries after StoreUnavailable, reloading the saved state", async () => {
    let failures = 3
    const flaky = Layer.effectContext(
      Effect.sync(() => {
        const m = MemoryEventStore.make()
        const projections = CheckpointStore.ProjectionStore.of({
          ...m.projections,
          save: (name, expected, snapshot) =>
            Effect.suspend(() =>
              failures-- > 0
                ? Effect.fail(new StoreErrors.StoreUnavailable({ message: "disk busy" }))
                : m.projections.save(name, expected, snapshot)
            )
        })
        return Context.make(EventStore.EventStore, m.eventStore).pipe(
          Context.add(CheckpointStore.CheckpointStore, m.checkpoints),
          Context.add(CheckpointStore.ProjectionStore, projections),
          Context.add(CheckpointStore.SnapshotStore, m.snapshots)
        )
      })
    )
    await run(
      Effect.gen(function* () {
        yield* fill(9, (i) => quota("A", i), "school-A")
        const runner = yield* ProjectionRunner.start(counting, {
          batchSize: 2,
          retrySchedule: Schedule.spaced("1 millis")
        })
        yield* runner.whenCaughtUp
        // the failed batches were applied in memory, then thrown away and read again
        expect(yield* runner.read((s) => s.n)).toBe(9)
      }),
      flaky
    )
  })

  it("stops for good when its handler fails, and whenCaughtUp fails with it", async () => {
    const exit = await runExit(
      Effect.gen(function* () {
        yield* fill(4, (i) => quota("A", i), "school-A")
        const runner = yield* ProjectionRunner.startWith({
          name: "fragile",
          initial: 0,
          handleBatch: (s, records) =>
            records.some((r) => r.position === 3) ? Effect.fail("boom" as const) : Effect.succeed(s + records.length),
          encodeState: (s) => s,
          decodeState: (u) => u as number
        })
        return yield* runner.whenCaughtUp
      })
    )
    expect(Exit.isFailure(exit)).toBe(true)
    expect(JSON.stringify(exit)).toContain("ProjectionRunnerError")
  })

  it("one writer per projection: a second runner follows until the first one's scope closes", async () => {
    await run(
      Effect.gen(function* () {
        yield* fill(12, (i) => quota("A", i), "school-A")
        const scopeA = yield* Scope.make()
        const a = yield* ProjectionRunner.start(counting, { owner: "A", leaseTtlMillis: 150, batchSize: 5 }).pipe(
          Scope.provide(scopeA)
        )
        yield* a.whenCaughtUp
        const b = yield* ProjectionRunner.start(counting, { owner: "B", leaseTtlMillis: 150, batchSize: 5 })
        yield* b.whenCaughtUp
        expect([yield* a.isLeader, yield* b.isLeader]).toEqual([true, false])
        yield* Scope.close(scopeA, Exit.void)
        yield* fill(3, (i) => quota("A", 100 + i), "school-A")
        yield* b.whenCaughtUp
        expect(yield* b.isLeader).toBe(true)
        expect(yield* b.read((s) => s.n)).toBe(15)
      })
    )
  })

  it("updates the batch and lag metrics", async () => {
    const registry = new Map()
    await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          yield* fill(6, (i) => quota("A", i), "school-A")
          const runner = yield* ProjectionRunner.start(counting, { name: "metered", batchSize: 2 })
          yield* runner.whenCaughtUp
        })
      ).pipe(Effect.provide(MemoryEventStore.layer()), Effect.provideService(Metric.MetricRegistry, registry))
    )
    const snapshot = await Effect.runPromise(
      Metric.snapshot.pipe(Effect.provideService(Metric.MetricRegistry, registry))
    )
    const find = (id: string) =>
      snapshot.filter(
        (m) => m.id === id && (m.attributes as Record<string, string> | undefined)?.projection === "metered"
      )
    const batches = find("xueshi_projection_batches_total")
    expect(batches.map((m) => (m.state as { count: number }).count)).toEqual([3])
    expect(find("xueshi_projection_lag_events").map((m) => (m.state as { value: number }).value)).toEqual([0])
  })

  it("runs the projections of policy/ (their Projection shape fits RunnableProjection)", async () => {
    const policyShaped: Projection<{ n: number }, void, number> = {
      name: "policy-shaped",
      get initial() {
        return { n: 0 }
      },
      apply: (s) => {
        s.n++
        return s
      },
      query: (s) => s.n,
      encodeState: (s) => ({ ...s }),
      decodeState: (u) => ({ ...(u as { n: number }) })
    }
    await run(
      Effect.gen(function* () {
        yield* fill(3, (i) => quota("A", i), "school-A")
        const runner = yield* ProjectionRunner.start(policyShaped)
        yield* runner.whenCaughtUp
        expect(yield* runner.read((s) => policyShaped.query(s, undefined))).toBe(3)
      })
    )
  })

  it("with a snapshot cadence, saves every N events and at the head; a crash replays only the unsaved tail", async () => {
    const saves: Array<number> = []
    const failures = { left: 1 }
    // the second save crashes: the runner must go back to the first one
    const layer = crashyStore(failures, { after: 1, saves })
    await run(
      Effect.gen(function* () {
        const ps = yield* CheckpointStore.ProjectionStore
        yield* fill(1000, (i) => quota("A", i), "school-A")
        yield* fill(5, (i) => exemption("M", i), "member-M")
        const runner = yield* ProjectionRunner.start(counting, {
          batchSize: 10,
          saveEvery: { events: 200 },
          retrySchedule: Schedule.spaced("1 millis")
        })
        yield* runner.whenCaughtUp
        expect(yield* runner.read((s) => ({ n: s.n, types: { ...s.types } }))).toEqual({
          n: 1005,
          types: { QuotaClaimed: 1000, ExemptionGranted: 5 }
        })
        // a save once 200 events are unsaved, and one at the head: not once per batch of 10
        expect(failures.left).toBeLessThan(0) // the crash happened, and later saves went through
        expect(saves[saves.length - 1]).toBe(1005)
        expect(saves.length).toBeLessThanOrEqual(Math.ceil(1005 / 200) + 1)
        for (let i = 1; i < saves.length - 1; i++) {
          const gap = (saves[i] as number) - (saves[i - 1] as number)
          expect(gap).toBeGreaterThanOrEqual(200)
          expect(gap).toBeLessThan(200 + 10)
        }
        const saved = yield* ps.load("count")
        expect(Option.map(saved, (s) => [s.checkpoint, (s.state as Count).n])).toEqual(Option.some([1005, 1005]))
      }),
      layer
    )
  })
})
