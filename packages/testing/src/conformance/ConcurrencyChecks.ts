/**
 * The conformance checks of the store port's contract on concurrent writers (versions without gaps, exact-version races).
 *
 * @since 0.1.0
 */
import type { EventStore, StoreErrors } from "@xueshi/core"
import { Effect } from "effect"
import fc from "fast-check"
import { type Check, collect, eventStore, fill, strictlyIncreasing } from "./CheckKit.js"
import * as F from "./Fixtures.js"
import { equal, failsWith, property, truthy } from "./Harness.js"

const concurrentVersions: Check = {
  id: "concurrency.versions",
  group: "concurrent writers",
  title:
    "after concurrent writers each stream holds versions 1..n with no gap or duplicate, and each append is contiguous",
  heavy: true,
  run: (ctx) =>
    property(
      ctx,
      fc.array(
        fc.record({
          optimistic: fc.boolean(),
          steps: fc.array(
            fc.record({
              stream: fc.integer({ min: 0, max: 1 }),
              size: fc.integer({ min: 1, max: 3 }),
              yields: fc.integer({ min: 0, max: 3 })
            }),
            { minLength: 1, maxLength: 5 }
          )
        }),
        { minLength: 2, maxLength: 6 }
      ),
      (writers) =>
        Effect.gen(function* () {
          const es = yield* eventStore
          const streams = ["class-V0", "class-V1"]
          let n = 0
          const next = (size: number) => {
            n += size
            return n - size
          }
          const plans = writers.map((w) => ({
            optimistic: w.optimistic,
            steps: w.steps.map((s) => ({ ...s, first: next(s.size) }))
          }))
          const results = yield* Effect.forEach(
            plans,
            (w) =>
              Effect.forEach(w.steps, (s) => {
                const stream = streams[s.stream] as string
                const events = F.toAppend(
                  stream,
                  Array.from({ length: s.size }, (_, i) => s.first + i)
                )
                const once: Effect.Effect<
                  { readonly result: EventStore.AppendResult; readonly expected: number | undefined },
                  StoreErrors.AppendError
                > = w.optimistic
                  ? Effect.flatMap(es.version(stream), (v) =>
                      Effect.andThen(
                        Effect.yieldNow,
                        Effect.map(es.append(stream, events, v), (result) => ({ result, expected: v }))
                      )
                    )
                  : Effect.map(es.append(stream, events, "any"), (result) => ({ result, expected: undefined }))
                return Effect.andThen(
                  Effect.repeat(Effect.yieldNow, { times: s.yields }),
                  once.pipe(
                    Effect.retry({ while: (e) => e._tag === "WrongExpectedVersion", times: 500 }),
                    Effect.map((r) => ({ step: s, ...r }))
                  )
                )
              }),
            { concurrency: "unbounded" }
          )
          for (const [i, stream] of streams.entries()) {
            const records = yield* collect(es.readStream(stream))
            const sent = plans.flatMap((w) => w.steps).filter((s) => s.stream === i)
            const total = sent.reduce((a, s) => a + s.size, 0)
            yield* equal(
              records.map((r) => r.version),
              Array.from({ length: total }, (_, k) => k + 1),
              `${stream}: versions 1..${total}`
            )
            yield* equal(
              records.map((r) => F.numberOf(r)).sort((a, b) => a - b),
              sent.flatMap((s) => Array.from({ length: s.size }, (_, k) => s.first + k)).sort((a, b) => a - b),
              `${stream}: every event once`
            )
            for (const { expected, result, step } of results.flat().filter((x) => x.step.stream === i)) {
              if (expected !== undefined) {
                yield* equal(
                  result.version,
                  expected + step.size,
                  `${stream}: an append of ${step.size} expecting version ${expected} must end at ${expected + step.size}`
                )
              }
              const slice = records.slice(result.version - step.size, result.version)
              yield* equal(
                slice.map((r) => F.numberOf(r)),
                Array.from({ length: step.size }, (_, k) => step.first + k),
                `${stream}: the append of ${step.first}.. ends at version ${result.version}, contiguous`
              )
              yield* equal(
                slice.map((r) => r.position),
                result.positions,
                `${stream}: positions of the append of ${step.first}..`
              )
            }
          }
          const all = yield* collect(es.readAll())
          yield* equal(all.length, n, "readAll has every event")
          yield* truthy(strictlyIncreasing(all.map((r) => r.position)), "readAll positions increase")
        }),
      { heavy: true }
    )
}

const exactVersionRace: Check = {
  id: "concurrency.exactVersionRace",
  group: "concurrent writers",
  title: "of concurrent appends expecting the same version exactly one wins; the others get WrongExpectedVersion",
  heavy: true,
  run: (ctx) =>
    property(
      ctx,
      fc.record({
        prior: fc.integer({ min: 0, max: 3 }),
        racers: fc.array(fc.record({ size: fc.integer({ min: 1, max: 3 }), yields: fc.integer({ min: 0, max: 2 }) }), {
          minLength: 2,
          maxLength: 8
        }),
        noStream: fc.boolean()
      }),
      ({ noStream, prior, racers }) =>
        Effect.gen(function* () {
          const es = yield* eventStore
          const stream = "member-Race"
          yield* fill(es, stream, prior)
          const expected: EventStore.ExpectedVersion = prior === 0 && noStream ? "noStream" : prior
          const exits = yield* Effect.forEach(
            racers,
            (r, i) =>
              Effect.andThen(
                Effect.repeat(Effect.yieldNow, { times: r.yields }),
                Effect.exit(
                  es.append(
                    stream,
                    F.toAppend(
                      stream,
                      Array.from({ length: r.size }, (_, k) => 100 * (i + 1) + k)
                    ),
                    expected
                  )
                )
              ),
            { concurrency: "unbounded" }
          )
          const winners = exits.flatMap((e, i) => (e._tag === "Success" ? [i] : []))
          yield* equal(
            winners.length,
            1,
            `exactly one of ${racers.length} appends expecting ${String(expected)} succeeds`
          )
          const w = winners[0] as number
          const size = (racers[w] as { size: number }).size
          for (const [i, e] of exits.entries()) {
            if (i === w) continue
            if (e._tag === "Success") continue
            const error = yield* failsWith(
              Effect.suspend(() => e),
              "WrongExpectedVersion",
              `loser ${i}`
            )
            yield* equal(
              (error as StoreErrors.WrongExpectedVersion).actual,
              prior + size,
              `loser ${i}: the actual version is the winner's`
            )
          }
          yield* equal(yield* es.version(stream), prior + size, "final version")
        }),
      { heavy: true }
    )
}

/**
 * The checks of this group, in the order the suite registers them.
 *
 * @category checks
 * @since 0.1.0
 */
export const concurrencyChecks: ReadonlyArray<Check> = [concurrentVersions, exactVersionRace]
