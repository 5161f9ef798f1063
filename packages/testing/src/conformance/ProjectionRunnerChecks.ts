/**
 * The conformance checks of the store port's contract on projection runners over the store (crashes, one writer).
 *
 * @since 0.1.0
 */
import { CheckpointStore, ProjectionRunner } from "@xueshi/core"
import { Effect, Exit, Option, Scope } from "effect"
import fc from "fast-check"
import { type Check, collect, eventStore, fill } from "./CheckKit.js"
import * as F from "./Fixtures.js"
import { equal, property, within, withStore } from "./Harness.js"

interface CountState {
  count: number
  last: number
  disorder: number
}

const countingProjection: ProjectionRunner.RunnableProjection<CountState> = {
  name: "conformance-count",
  get initial() {
    return { count: 0, last: 0, disorder: 0 }
  },
  apply: (s, r) => {
    if (r.position <= s.last) s.disorder++
    s.count++
    s.last = r.position
    return s
  },
  encodeState: (s) => ({ ...s }),
  decodeState: (u) => ({ ...(u as CountState) })
}

const runnerCrashes: Check = {
  id: "projections.runnerCrashNeverDoubleCounts",
  group: "checkpoints and projection state",
  title:
    "a projection runner stopped at any point and restarted counts every event exactly once; the saved checkpoint never runs ahead of the saved state",
  heavy: true,
  run: (ctx) =>
    property(
      ctx,
      fc.record({
        batches: fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 6 }),
        batchSize: fc.integer({ min: 1, max: 7 }),
        crashes: fc.array(fc.integer({ min: 0, max: 12 }), { maxLength: 4 })
      }),
      ({ batchSize, batches, crashes }) =>
        Effect.gen(function* () {
          const es = yield* eventStore
          const ps = yield* CheckpointStore.ProjectionStore
          let n = 0
          const appendBatch = (size: number) =>
            Effect.suspend(() => {
              const stream = `${F.categories[n % 4]}-Crash`
              n += size
              return fill(es, stream, size, n - size)
            })
          const verifySaved = (when: string) =>
            Effect.gen(function* () {
              const saved = yield* ps.load(countingProjection.name)
              if (Option.isNone(saved)) return
              const state = saved.value.state as CountState
              const upTo = (yield* collect(es.readAll())).filter((r) => r.position <= saved.value.checkpoint).length
              yield* equal(
                { count: state.count, last: state.last, disorder: state.disorder },
                { count: upTo, last: saved.value.checkpoint, disorder: 0 },
                `${when}: the saved state counts exactly the events up to the saved checkpoint`
              )
            })
          const remaining = [...batches]
          for (const [i, yields] of crashes.entries()) {
            const size = remaining.shift()
            if (size !== undefined) yield* appendBatch(size)
            const scope = yield* Scope.make()
            yield* ProjectionRunner.start(countingProjection, {
              batchSize,
              owner: "conformance",
              leaseTtlMillis: 60_000
            }).pipe(Scope.provide(scope))
            yield* Effect.repeat(Effect.yieldNow, { times: yields })
            if (i % 2 === 1 && remaining.length > 0) yield* appendBatch(remaining.shift() as number)
            yield* Effect.repeat(Effect.yieldNow, { times: yields % 3 })
            yield* Scope.close(scope, Exit.void)
            yield* verifySaved(`after stop ${i + 1}`)
          }
          for (const size of remaining) yield* appendBatch(size)
          const runner = yield* ProjectionRunner.start(countingProjection, {
            batchSize,
            owner: "conformance",
            leaseTtlMillis: 60_000
          })
          yield* within(ctx, runner.whenCaughtUp, "the restarted runner catching up")
          const state = yield* runner.read((s) => ({ ...s }))
          const head = yield* es.head()
          yield* equal(state, { count: n, last: head, disorder: 0 }, "the restarted runner's state")
          yield* equal(yield* runner.checkpoint, head, "the runner's checkpoint")
          yield* verifySaved("at the end")
          const saved = yield* ps.load(countingProjection.name)
          yield* equal(
            Option.map(saved, (s) => s.checkpoint),
            Option.some(head),
            "the saved checkpoint at the end"
          )
        }),
      { heavy: true }
    )
}

const runnerOneWriter: Check = {
  id: "projections.runnerOneWriter",
  group: "checkpoints and projection state",
  title:
    "two runners of one projection: one writes, the other follows and takes over when the first stops, counting each event once",
  run: (ctx) =>
    withStore(
      ctx.makeLayer,
      Effect.gen(function* () {
        const es = yield* eventStore
        yield* fill(es, "school-One", 20)
        const options = { batchSize: 4, leaseTtlMillis: 300 }
        const scopeA = yield* Scope.make()
        const a = yield* ProjectionRunner.start(countingProjection, { ...options, owner: "A" }).pipe(
          Scope.provide(scopeA)
        )
        yield* within(ctx, a.whenCaughtUp, "runner A catching up")
        const b = yield* ProjectionRunner.start(countingProjection, { ...options, owner: "B" })
        yield* within(ctx, b.whenCaughtUp, "runner B following")
        yield* equal([yield* a.isLeader, yield* b.isLeader], [true, false], "A leads, B follows")
        yield* equal(yield* b.read((s) => s.count), 20, "the follower's state comes from the saved state")
        yield* fill(es, "school-One", 5, 21)
        yield* within(ctx, a.whenCaughtUp, "runner A catching up again")
        yield* Scope.close(scopeA, Exit.void)
        yield* fill(es, "school-One", 7, 26)
        yield* within(ctx, b.whenCaughtUp, "runner B taking over")
        yield* equal(yield* b.isLeader, true, "B leads after A stopped")
        yield* equal(yield* b.read((s) => ({ ...s })), { count: 32, last: yield* es.head(), disorder: 0 }, "B's count")
      })
    )
}

/**
 * The checks of this group, in the order the suite registers them.
 *
 * @category checks
 * @since 0.1.0
 */
export const projectionRunnerChecks: ReadonlyArray<Check> = [runnerCrashes, runnerOneWriter]
