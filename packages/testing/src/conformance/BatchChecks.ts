/**
 * The checks of the optional `AppendBatch` service, for adapters that provide
 * it (`appendBatch: true` in the suite's options):
 *
 * - a batch stores exactly what its appends would store one by one, in order,
 *   with the same results (a later append sees the earlier ones; an append that
 *   repeats an earlier one's ids is a retry);
 * - a batch with one refused append (wrong expected version, an invalid event,
 *   a partial id overlap) fails with that append's error and stores nothing;
 * - the same batch again is a retry: the same results, nothing written;
 * - batches and single appends from concurrent writers keep every stream's
 *   versions 1..n, each append contiguous, and a running subscription sees
 *   every event once, each stream in order.
 *
 * @since 0.1.0
 */
import { AppendBatch, type EventStore } from "@xueshi/core"
import { Effect, Option } from "effect"
import fc from "fast-check"
import {
  appendSentinel,
  collect,
  eachCase,
  eventStore,
  expectNothingWritten,
  fill,
  isSentinel,
  joinSubscription,
  snapshotOf,
  strictlyIncreasing,
  untilSentinel
} from "./CheckKit.js"
import type { Check } from "./Checks.js"
import * as F from "./Fixtures.js"
import { equal, failsWith, failWith, property, truthy, withStore } from "./Harness.js"

const batchService = Effect.flatMap(Effect.serviceOption(AppendBatch.AppendBatch), (o) =>
  Option.isSome(o)
    ? Effect.succeed(o.value)
    : failWith("the suite was told the adapter provides AppendBatch (appendBatch: true), but its layer does not")
)

const streams = ["school-B1", "member-B2", "class-B3"] as const

/** One generated append: a stream, how many events, how to state the expected version, ids or not. */
interface AppendSpec {
  readonly stream: number
  readonly count: number
  readonly expected: "exact" | "any" | "guard"
  readonly ids: boolean
  /** Repeat an earlier append of the list (by index modulo the list so far) instead, when it can be a retry. */
  readonly repeat: number | undefined
}

const appendSpec: fc.Arbitrary<AppendSpec> = fc.record({
  stream: fc.nat({ max: streams.length - 1 }),
  count: fc.nat({ max: 4 }),
  expected: fc.constantFrom("exact", "any", "guard"),
  ids: fc.boolean(),
  repeat: fc.option(fc.nat({ max: 20 }), { nil: undefined, freq: 4 })
})

/** The appends of a list of specs, each valid against the ones before it (a model of the versions). */
const appendsOf = (specs: ReadonlyArray<AppendSpec>): Array<AppendBatch.StreamAppend> => {
  const versions = new Map<string, number>()
  const out: Array<AppendBatch.StreamAppend> = []
  let n = 0
  for (const s of specs) {
    const earlier = s.repeat === undefined ? undefined : out[s.repeat % Math.max(1, out.length)]
    if (earlier !== undefined && earlier.events.length > 0 && earlier.events.every((e) => e.id !== undefined)) {
      out.push(earlier) // a retry: the same events and ids, the same expected version
      continue
    }
    const stream = streams[s.stream] as string
    const current = versions.get(stream) ?? 0
    const numbers = Array.from({ length: s.count }, () => ++n)
    const events = F.toAppend(stream, numbers, s.ids ? (k) => F.uuidOf(k, 99) : undefined)
    const expected: EventStore.ExpectedVersion =
      s.expected === "exact" ? current : s.expected === "any" ? "any" : current === 0 ? "noStream" : "streamExists"
    out.push({ stream, events, expected })
    versions.set(stream, current + s.count)
  }
  return out
}

/** What a store holds, without what only a clock decides (recordedAt) or a store assigns (position values). */
const contentOf = Effect.gen(function* () {
  const es = yield* eventStore
  const all = yield* collect(es.readAll())
  return all.map((r) => ({ stream: r.stream, version: r.version, type: r.type, data: r.data, id: r.id }))
})

/** Results with positions as ranks (0, 1, …) among all positions given: comparable across stores. */
const ranked = (results: ReadonlyArray<EventStore.AppendResult>) => {
  const all = [...new Set(results.flatMap((r) => r.positions))].sort((a, b) => a - b)
  return results.map((r) => ({
    stream: r.stream,
    version: r.version,
    positions: r.positions.map((p) => all.indexOf(p))
  }))
}

const sameAsAppends: Check = {
  id: "batch.sameAsAppends",
  group: "batch append",
  title: "a batch stores what its appends store one by one, in order, with the same results (retries included)",
  needsAppendBatch: true,
  run: (ctx) =>
    property(ctx, fc.array(appendSpec, { minLength: 1, maxLength: 8 }), (specs) =>
      Effect.gen(function* () {
        const appends = appendsOf(specs)
        const batch = yield* batchService
        const viaBatch = yield* batch.appendBatch(appends)
        const batchContent = yield* contentOf
        const [oneByOne, oneByOneContent] = yield* withStore(
          ctx.makeLayer,
          Effect.gen(function* () {
            const es = yield* eventStore
            const results: Array<EventStore.AppendResult> = []
            for (const a of appends) results.push(yield* es.append(a.stream, a.events, a.expected))
            return [results, yield* contentOf] as const
          })
        )
        yield* equal(viaBatch.length, appends.length, "one result per append of the batch")
        yield* equal(ranked(viaBatch), ranked(oneByOne), "results of the batch vs the appends one by one")
        yield* equal(batchContent, oneByOneContent, "readAll after the batch vs after the appends one by one")
      })
    )
}

const allOrNothing: Check = {
  id: "batch.allOrNothing",
  group: "batch append",
  title:
    "a batch with one refused append (wrong version, invalid event, partial id overlap) fails with its error and stores nothing",
  needsAppendBatch: true,
  run: (ctx) =>
    eachCase(
      [
        ["wrong version", "WrongExpectedVersion"],
        ["invalid event", "EventEncodingError"],
        ["partial id overlap", "DuplicateEventConflict"]
      ] as const,
      ([kind, tag], i) =>
        withStore(
          ctx.makeLayer,
          Effect.gen(function* () {
            const es = yield* eventStore
            const batch = yield* batchService
            const a = `school-A${i}`
            const b = `member-B${i}`
            const c = `class-C${i}`
            yield* es.append(
              a,
              F.toAppend(a, [1, 2], (k) => F.uuidOf(k, 500 + i)),
              "noStream"
            )
            const before = yield* snapshotOf(es)
            const refused: AppendBatch.StreamAppend =
              kind === "wrong version"
                ? { stream: a, events: F.toAppend(a, [9]), expected: 1 }
                : kind === "invalid event"
                  ? { stream: c, events: [{ event: F.invalid(c, "schema") }], expected: "any" }
                  : {
                      stream: a,
                      events: [
                        ...F.toAppend(a, [2], (k) => F.uuidOf(k, 500 + i)),
                        ...F.toAppend(a, [3], (k) => F.uuidOf(k, 700))
                      ],
                      expected: "any"
                    }
            const appends: Array<AppendBatch.StreamAppend> = [
              { stream: b, events: F.toAppend(b, [1, 2, 3]), expected: "noStream" },
              { stream: a, events: F.toAppend(a, [3]), expected: 2 },
              refused,
              { stream: c, events: F.toAppend(c, [1]), expected: "any" }
            ]
            yield* failsWith(batch.appendBatch(appends), tag, `a batch whose third append is a ${kind}`)
            yield* expectNothingWritten(es, before, `a batch with a ${kind}`)
            yield* equal(
              [yield* es.version(a), yield* es.version(b), yield* es.version(c)],
              [2, 0, 0],
              `versions after a refused batch (${kind})`
            )
          })
        )
    )
}

const retry: Check = {
  id: "batch.retry",
  group: "batch append",
  title: "the same batch again (every event with its id) answers the same results and writes nothing",
  needsAppendBatch: true,
  run: (ctx) =>
    withStore(
      ctx.makeLayer,
      Effect.gen(function* () {
        const es = yield* eventStore
        const batch = yield* batchService
        yield* fill(es, "school-R0", 2)
        const appends: Array<AppendBatch.StreamAppend> = [
          {
            stream: "member-R1",
            events: F.toAppend("member-R1", [1, 2], (k) => F.uuidOf(k, 801)),
            expected: "noStream"
          },
          { stream: "school-R0", events: F.toAppend("school-R0", [3], (k) => F.uuidOf(k, 802)), expected: 2 },
          { stream: "member-R1", events: F.toAppend("member-R1", [3], (k) => F.uuidOf(k, 803)), expected: 2 }
        ]
        const first = yield* batch.appendBatch(appends)
        const before = yield* snapshotOf(es)
        const again = yield* batch.appendBatch(appends)
        yield* equal(again, first, "results of the same batch again")
        yield* expectNothingWritten(es, before, "the same batch again")
      })
    )
}

const concurrent: Check = {
  id: "batch.concurrent",
  group: "batch append",
  title:
    "batches and single appends from concurrent writers: versions 1..n, each append contiguous, every event once, and a running subscription sees each stream in order",
  needsAppendBatch: true,
  heavy: true,
  run: (ctx) =>
    property(
      ctx,
      fc.array(
        fc.array(fc.record({ batch: fc.boolean(), stream: fc.nat({ max: 1 }), size: fc.integer({ min: 1, max: 3 }) }), {
          minLength: 1,
          maxLength: 4
        }),
        { minLength: 2, maxLength: 5 }
      ),
      (writers) =>
        Effect.gen(function* () {
          const es = yield* eventStore
          const batch = yield* batchService
          const streams = ["class-W0", "member-W1"] as const
          const subscription = yield* Effect.forkChild(untilSentinel(es.subscribe()))
          let n = 0
          const numbers = (size: number) => Array.from({ length: size }, () => ++n)
          // a step: one append to one stream, or a batch of one append to each stream; exact versions, retried
          const plans = writers.map((steps) =>
            steps.map((s) =>
              s.batch
                ? streams.map((stream) => ({ stream, numbers: numbers(s.size) }))
                : [{ stream: streams[s.stream] as string, numbers: numbers(s.size) }]
            )
          )
          const done = yield* Effect.forEach(
            plans,
            (steps) =>
              Effect.forEach(steps, (parts) => {
                const once = Effect.gen(function* () {
                  const appends: Array<AppendBatch.StreamAppend> = []
                  for (const p of parts)
                    appends.push({
                      stream: p.stream,
                      events: F.toAppend(p.stream, p.numbers),
                      expected: yield* es.version(p.stream)
                    })
                  yield* Effect.yieldNow
                  const results =
                    parts.length > 1
                      ? yield* batch.appendBatch(appends)
                      : [
                          yield* es.append(
                            appends[0]?.stream as string,
                            appends[0]?.events ?? [],
                            appends[0]?.expected ?? "any"
                          )
                        ]
                  return results.map((result, i) => ({
                    result,
                    part: parts[i] as (typeof parts)[number],
                    expected: appends[i]?.expected as number
                  }))
                })
                return once.pipe(Effect.retry({ while: (e) => e._tag === "WrongExpectedVersion", times: 500 }))
              }),
            { concurrency: "unbounded" }
          )
          yield* appendSentinel(es)
          const seen = yield* joinSubscription(ctx, subscription, "the subscription during the writers")
          const all = (yield* collect(es.readAll())).filter((r) => !isSentinel(r))
          for (const stream of streams) {
            const records = yield* collect(es.readStream(stream))
            const sent = plans.flat(2).filter((p) => p.stream === stream)
            const total = sent.reduce((a, p) => a + p.numbers.length, 0)
            yield* equal(
              records.map((r) => r.version),
              Array.from({ length: total }, (_, k) => k + 1),
              `${stream}: versions 1..${total}`
            )
            for (const { result, part, expected } of done.flat(2).filter((x) => x.part.stream === stream)) {
              yield* equal(
                result.version,
                expected + part.numbers.length,
                `${stream}: the append of ${part.numbers[0]}.. expecting version ${expected} ends at ${expected + part.numbers.length}`
              )
              const slice = records.slice(result.version - part.numbers.length, result.version)
              yield* equal(
                slice.map((r) => F.numberOf(r)),
                part.numbers,
                `${stream}: the append of ${part.numbers[0]}.. is contiguous`
              )
              yield* equal(
                slice.map((r) => r.position),
                result.positions,
                `${stream}: positions of the append of ${part.numbers[0]}..`
              )
            }
            yield* equal(
              all.filter((r) => r.stream === stream).map((r) => r.version),
              records.map((r) => r.version),
              `${stream}: readAll holds the stream in version order`
            )
          }
          yield* equal(all.length, n, "readAll has every event")
          yield* truthy(strictlyIncreasing(all.map((r) => r.position)), "readAll positions increase")
          yield* equal(
            seen.map((r) => r.position),
            all.map((r) => r.position),
            "the subscription saw every event once, in readAll's order"
          )
        }),
      { heavy: true }
    )
}

/**
 * The checks of `AppendBatch`.
 *
 * @category rules
 * @since 0.1.0
 */
export const batchChecks: ReadonlyArray<Check> = [sameAsAppends, allOrNothing, retry, concurrent]
