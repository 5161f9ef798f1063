/**
 * The checks of the conformance suite, one named check per rule of the store
 * port. Each check is an effect over a context (`run(ctx)`) that fails with a
 * `ConformanceFailure` when the adapter breaks the rule; the suite registers
 * each as a vitest test, and the suite's own tests run them against broken
 * adapters to prove each can fail.
 *
 * @since 0.1.0
 */
import { CheckpointStore, EventCodec, EventStore, Events, ProjectionRunner, type StoreErrors } from "@xueshi/core"
import { Effect, Exit, Fiber, Option, Schema, Scope, Stream } from "effect"
import fc from "fast-check"
import * as F from "./Fixtures.js"
import { type CheckContext, equal, failsWith, property, truthy, within, withStore } from "./Harness.js"

/**
 * A check of the suite.
 *
 * @since 0.1.0
 */
export interface Check {
  /** A stable id, such as `append.expectedVersion.newStream`. */
  readonly id: string
  /** The vitest `describe` it is registered under. */
  readonly group: string
  /** The vitest test title. */
  readonly title: string
  /** Runs a heavy property (longer, fewer cases). */
  readonly heavy?: boolean
  /** Needs the `reopen` option (skipped without it). */
  readonly needsReopen?: boolean
  readonly run: (ctx: CheckContext) => Effect.Effect<void, unknown>
}

type Store = EventStore.EventStore["Service"]

const eventStore = Effect.service(EventStore.EventStore)
const collect = <A, E, R>(s: Stream.Stream<A, E, R>) => Stream.runCollect(s)
const keyOf = (r: { readonly stream: string; readonly version: number; readonly position: number }) =>
  `${r.stream}@${r.version}#${r.position}`

const strictlyIncreasing = (xs: ReadonlyArray<number>) => xs.every((x, i) => i === 0 || x > (xs[i - 1] as number))

const fill = (es: Store, stream: string, count: number, first = 1): Effect.Effect<unknown, StoreErrors.AppendError> =>
  count === 0
    ? Effect.void
    : es.append(
        stream,
        F.toAppend(
          stream,
          Array.from({ length: count }, (_, i) => first + i)
        ),
        "any"
      )

const versionsOf = (es: Store, stream: string) =>
  Effect.map(collect(es.readStream(stream)), (rs) => rs.map((r) => r.version))

const expectNothingWritten = (es: Store, before: { readonly head: number; readonly all: number }, what: string) =>
  Effect.gen(function* () {
    yield* equal(yield* es.head(), before.head, `${what}: head after a failed append`)
    yield* equal((yield* collect(es.readAll())).length, before.all, `${what}: events in readAll after a failed append`)
  })

const snapshotOf = (es: Store) =>
  Effect.gen(function* () {
    return { head: yield* es.head(), all: (yield* collect(es.readAll())).length }
  })

// ---------------------------------------------------------------------------
// append: expected versions
// ---------------------------------------------------------------------------

const expectedOnNewStream: Check = {
  id: "append.expectedVersion.newStream",
  group: "append: expected version",
  title: "on a new stream: any, noStream and 0 succeed; streamExists and n > 0 fail with WrongExpectedVersion",
  run: (ctx) =>
    withStore(
      ctx.makeLayer,
      Effect.gen(function* () {
        const es = yield* eventStore
        yield* equal(yield* es.head(), 0, "head of an empty store")
        const cases: ReadonlyArray<readonly [EventStore.ExpectedVersion, boolean]> = [
          ["any", true],
          ["noStream", true],
          [0, true],
          ["streamExists", false],
          [1, false],
          [3, false]
        ]
        let i = 0
        for (const [expected, ok] of cases) {
          const stream = `school-New${i++}`
          const what = `append 2 events to new ${stream} expecting ${String(expected)}`
          const before = yield* snapshotOf(es)
          if (ok) {
            const r = yield* es.append(stream, F.toAppend(stream, [1, 2]), expected)
            yield* equal(r.version, 2, `${what}: result version`)
            yield* equal(r.stream, stream, `${what}: result stream`)
            yield* equal(r.positions.length, 2, `${what}: result positions`)
            yield* truthy(
              strictlyIncreasing([before.head, ...r.positions]),
              `${what}: positions ${r.positions} must increase from the head ${before.head}`
            )
            yield* equal(yield* es.version(stream), 2, `${what}: version`)
          } else {
            const e = (yield* failsWith(
              es.append(stream, F.toAppend(stream, [1, 2]), expected),
              "WrongExpectedVersion",
              what
            )) as StoreErrors.WrongExpectedVersion
            yield* equal(
              { stream: e.stream, expected: e.expected, actual: e.actual },
              { stream, expected, actual: 0 },
              `${what}: error`
            )
            yield* equal(yield* es.version(stream), 0, `${what}: version`)
            yield* equal(yield* versionsOf(es, stream), [], `${what}: readStream`)
            yield* expectNothingWritten(es, before, what)
          }
        }
      })
    )
}

const expectedOnExistingStream: Check = {
  id: "append.expectedVersion.existingStream",
  group: "append: expected version",
  title: "on a stream at version 2: any, streamExists and 2 succeed; noStream, 0, 1 and 5 fail with the actual version",
  run: (ctx) =>
    withStore(
      ctx.makeLayer,
      Effect.gen(function* () {
        const es = yield* eventStore
        const cases: ReadonlyArray<readonly [EventStore.ExpectedVersion, boolean]> = [
          ["any", true],
          ["streamExists", true],
          [2, true],
          ["noStream", false],
          [0, false],
          [1, false],
          [5, false]
        ]
        let i = 0
        for (const [expected, ok] of cases) {
          const stream = `member-Old${i++}`
          yield* fill(es, stream, 2)
          const what = `append to ${stream} (version 2) expecting ${String(expected)}`
          const before = yield* snapshotOf(es)
          if (ok) {
            const r = yield* es.append(stream, F.toAppend(stream, [3]), expected)
            yield* equal(r.version, 3, `${what}: result version`)
            yield* equal(yield* versionsOf(es, stream), [1, 2, 3], `${what}: versions`)
          } else {
            const e = (yield* failsWith(
              es.append(stream, F.toAppend(stream, [3]), expected),
              "WrongExpectedVersion",
              what
            )) as StoreErrors.WrongExpectedVersion
            yield* equal(
              { stream: e.stream, expected: e.expected, actual: e.actual },
              { stream, expected, actual: 2 },
              `${what}: error`
            )
            yield* equal(yield* versionsOf(es, stream), [1, 2], `${what}: versions`)
            yield* expectNothingWritten(es, before, what)
          }
        }
      })
    )
}

const expectedOnFailedOnlyStream: Check = {
  id: "append.expectedVersion.failedOnlyStream",
  group: "append: expected version",
  title: "a stream whose appends all failed is still new: version 0, empty, and noStream then starts it at 1",
  run: (ctx) =>
    withStore(
      ctx.makeLayer,
      Effect.gen(function* () {
        const es = yield* eventStore
        const stream = "class-Ghost"
        yield* failsWith(
          es.append(stream, [{ event: F.invalid(stream, "schema") }], "noStream"),
          "EventEncodingError",
          "invalid event"
        )
        yield* failsWith(
          es.append(stream, F.toAppend(stream, [1]), "streamExists"),
          "WrongExpectedVersion",
          "streamExists"
        )
        yield* failsWith(es.append(stream, F.toAppend(stream, [1]), 1), "WrongExpectedVersion", "expected 1")
        yield* failsWith(
          es.append(stream, [{ event: F.numbered(stream, 1) }, { event: F.invalid(stream, "idMismatch") }], "any"),
          "EventEncodingError",
          "second event of another stream"
        )
        yield* equal(yield* es.version(stream), 0, "version after failed appends")
        yield* equal(yield* versionsOf(es, stream), [], "readStream after failed appends")
        yield* equal(yield* es.head(), 0, "head after failed appends")
        const r = yield* es.append(stream, F.toAppend(stream, [1]), "noStream")
        yield* equal(r.version, 1, "first successful append")
        yield* equal(yield* versionsOf(es, stream), [1], "versions")
      })
    )
}

const appendResult: Check = {
  id: "append.result",
  group: "append: expected version",
  title: "results carry the new version and increasing global positions that readAll, version and head agree with",
  run: (ctx) =>
    withStore(
      ctx.makeLayer,
      Effect.gen(function* () {
        const es = yield* eventStore
        yield* equal(yield* es.version("school-Nobody"), 0, "version of a missing stream")
        const results: Array<EventStore.AppendResult> = []
        const streams = ["school-A", "member-B", "school-A", "credit-C", "member-B", "school-A"]
        let n = 0
        for (const stream of streams) {
          const size = 1 + (n % 3)
          const r = yield* es.append(
            stream,
            F.toAppend(
              stream,
              Array.from({ length: size }, () => n++)
            ),
            "any"
          )
          results.push(r)
          yield* equal(r.positions.length, size, `positions of an append of ${size}`)
          yield* equal(yield* es.head(), r.positions[r.positions.length - 1], "head after an append")
          yield* equal(yield* es.version(stream), r.version, "version after an append")
        }
        const positions = results.flatMap((r) => r.positions)
        yield* truthy(strictlyIncreasing(positions), `positions must increase across appends: ${positions}`)
        const all = yield* collect(es.readAll())
        yield* equal(
          all.map((r) => r.position),
          positions,
          "readAll positions = the positions the appends returned"
        )
        const expectedKeys = results.flatMap((r) =>
          r.positions.map((p, i) => `${r.stream}@${r.version - r.positions.length + 1 + i}#${p}`)
        )
        yield* equal(all.map(keyOf), expectedKeys, "stream and version of each position")
      })
    )
}

const emptyAppend: Check = {
  id: "append.empty",
  group: "append: expected version",
  title: "an append of no events checks the expected version, writes nothing and returns the current version",
  run: (ctx) =>
    withStore(
      ctx.makeLayer,
      Effect.gen(function* () {
        const es = yield* eventStore
        const r0 = yield* es.append("school-E", [], "noStream")
        yield* equal(
          { version: r0.version, positions: r0.positions },
          { version: 0, positions: [] },
          "empty append to a new stream"
        )
        yield* failsWith(
          es.append("school-E", [], "streamExists"),
          "WrongExpectedVersion",
          "empty append expecting streamExists"
        )
        yield* fill(es, "school-E", 2)
        const before = yield* snapshotOf(es)
        const r2 = yield* es.append("school-E", [], 2)
        yield* equal(
          { version: r2.version, positions: r2.positions },
          { version: 2, positions: [] },
          "empty append at version 2"
        )
        yield* failsWith(es.append("school-E", [], 5), "WrongExpectedVersion", "empty append expecting 5")
        yield* failsWith(
          es.append("school-E", [], "noStream"),
          "WrongExpectedVersion",
          "empty append expecting noStream"
        )
        yield* expectNothingWritten(es, before, "empty appends")
      })
    )
}

// ---------------------------------------------------------------------------
// append: atomicity and idempotency
// ---------------------------------------------------------------------------

const atomicity: Check = {
  id: "append.atomicity",
  group: "append: atomicity and idempotency",
  title:
    "an invalid event anywhere in an append fails it with EventEncodingError naming its index, and nothing is stored",
  run: (ctx) =>
    property(
      ctx,
      fc
        .record({
          prior: fc.integer({ min: 0, max: 3 }),
          size: fc.integer({ min: 1, max: 6 }),
          badPick: fc.nat(),
          kind: fc.constantFrom("schema" as const, "idMismatch" as const, "category" as const),
          category: fc.constantFrom(...F.categories),
          exact: fc.boolean()
        })
        .map((r) => ({ ...r, bad: r.badPick % r.size })),
      ({ bad, category, exact, kind, prior, size }) =>
        Effect.gen(function* () {
          const es = yield* eventStore
          const stream = `${category}-Atomic`
          yield* fill(es, stream, prior)
          yield* fill(es, `${category}-Other`, 1)
          const before = yield* snapshotOf(es)
          const events = F.toAppend(
            stream,
            Array.from({ length: size }, (_, i) => 100 + i),
            (n) => F.uuidOf(n, 1)
          ).map((e, i) => (i === bad ? { ...e, event: F.invalid(stream, kind) } : e))
          const e = (yield* failsWith(
            es.append(stream, events, exact ? prior : "any"),
            "EventEncodingError",
            `append of ${size} with a ${kind} fault at ${bad}`
          )) as StoreErrors.EventEncodingError
          yield* equal(e.index, bad, "the error names the invalid event's index")
          yield* equal(yield* es.version(stream), prior, "version after the failed append")
          yield* expectNothingWritten(es, before, "failed append")
          // the ids of the failed append were not stored: the valid events append now
          const valid = F.toAppend(
            stream,
            Array.from({ length: size }, (_, i) => 100 + i),
            (n) => F.uuidOf(n, 1)
          )
          const r = yield* es.append(stream, valid, exact ? prior : "any")
          yield* equal(r.version, prior + size, "the valid append after the failed one")
          yield* equal(
            yield* versionsOf(es, stream),
            Array.from({ length: prior + size }, (_, i) => i + 1),
            "versions have no gap"
          )
        })
    )
}

const idempotentRetry: Check = {
  id: "append.idempotentRetry",
  group: "append: atomicity and idempotency",
  title: "re-appending events whose ids are stored at the same place returns the original result and writes nothing",
  run: (ctx) =>
    withStore(
      ctx.makeLayer,
      Effect.gen(function* () {
        const es = yield* eventStore
        const stream = "credit-Retry"
        const events = F.toAppend(stream, [1, 2], (n) => F.uuidOf(n, 2))
        yield* fill(es, "school-Before", 2)
        const first = yield* es.append(stream, events, "noStream")
        const before = yield* snapshotOf(es)
        for (const expected of ["noStream", 0, "any", "streamExists", 2] as const) {
          const again = yield* es.append(stream, events, expected)
          yield* equal(again, first, `retry expecting ${String(expected)} returns the original result`)
        }
        yield* expectNothingWritten(es, before, "retries")
        yield* fill(es, stream, 1, 3)
        yield* fill(es, "school-Before", 1, 9)
        const later = yield* es.append(stream, events, "noStream")
        yield* equal(later, first, "retry after later writes returns the original result")
        yield* equal(yield* versionsOf(es, stream), [1, 2, 3], "the stream holds each event once")
        const all = yield* collect(es.readAll())
        yield* equal(
          all.filter((r) => r.id !== undefined).map((r) => r.id),
          events.map((e) => e.id),
          "ids stored once"
        )
      })
    )
}

const partialOverlap: Check = {
  id: "append.partialOverlap",
  group: "append: atomicity and idempotency",
  title: "a partial overlap of stored ids (or one id twice) is DuplicateEventConflict and writes nothing",
  run: (ctx) =>
    withStore(
      ctx.makeLayer,
      Effect.gen(function* () {
        const es = yield* eventStore
        const x = "school-X"
        const y = "school-Y"
        const [a, b] = F.toAppend(x, [1, 2], (n) => F.uuidOf(n, 3)) as [
          EventStore.EventToAppend,
          EventStore.EventToAppend
        ]
        const c = { event: F.numbered(x, 3), id: F.uuidOf(3, 3) }
        const d = { event: F.numbered(x, 4), id: F.uuidOf(4, 3) }
        yield* es.append(x, [a, b], "noStream")
        const before = yield* snapshotOf(es)
        const cases: ReadonlyArray<readonly [string, string, ReadonlyArray<EventStore.EventToAppend>]> = [
          ["a stored event then a new one", x, [a, c]],
          ["a new event then a stored one", x, [c, a]],
          ["stored events in another order", x, [b, a]],
          ["a stored event and an event without id", x, [a, { event: F.numbered(x, 5) }]],
          ["an event stored in another stream", y, [{ ...a, event: F.numbered(y, 1) }]],
          ["one id twice in one append", x, [d, { ...d, event: F.numbered(x, 6) }]]
        ]
        for (const [what, stream, events] of cases) {
          yield* failsWith(es.append(stream, events, "any"), "DuplicateEventConflict", what)
          yield* expectNothingWritten(es, before, what)
        }
        yield* equal(yield* versionsOf(es, x), [1, 2], "versions of the stream")
        yield* equal(yield* es.version(y), 0, "the other stream")
      })
    )
}

// ---------------------------------------------------------------------------
// reading
// ---------------------------------------------------------------------------

const readStreamRanges: Check = {
  id: "read.streamRanges",
  group: "reading",
  title: "readStream honours from, to, direction and limit (forwards from..to, backwards from down to to)",
  run: (ctx) =>
    property(
      ctx,
      fc.record({
        n: fc.integer({ min: 0, max: 25 }),
        queries: fc.array(
          fc.record(
            {
              from: fc.integer({ min: -2, max: 28 }),
              to: fc.integer({ min: -2, max: 28 }),
              direction: fc.constantFrom("forwards" as const, "backwards" as const),
              limit: fc.integer({ min: 0, max: 28 })
            },
            { requiredKeys: [] }
          ),
          { minLength: 1, maxLength: 8 }
        )
      }),
      ({ n, queries }) =>
        Effect.gen(function* () {
          const es = yield* eventStore
          const stream = "class-Range"
          yield* fill(es, "class-Noise", 2)
          yield* fill(es, stream, n)
          yield* fill(es, "class-Noise", 2, 3)
          for (const q of queries) {
            const versions = Array.from({ length: n }, (_, i) => i + 1)
            const expected =
              q.direction === "backwards"
                ? versions.reverse().filter((v) => v <= (q.from ?? n) && v >= (q.to ?? 1))
                : versions.filter((v) => v >= (q.from ?? 1) && v <= (q.to ?? n))
            const limited = q.limit === undefined ? expected : expected.slice(0, q.limit)
            const got = yield* collect(es.readStream(stream, q))
            yield* equal(
              got.map((r) => r.version),
              limited,
              `readStream(${JSON.stringify(q)}) of ${n} events`
            )
            yield* truthy(
              got.every((r) => r.stream === stream && F.numberOf(r) === r.version),
              `readStream(${JSON.stringify(q)}) returns the stream's own events`
            )
          }
          yield* equal(
            yield* collect(es.readStream("class-Missing", { direction: "backwards" })),
            [],
            "a missing stream"
          )
        })
    )
}

const recordsRoundTrip: Check = {
  id: "read.records",
  group: "reading",
  title: "records read back carry the appended payload, id, meta, recordedAt, version, position and schemaVersion",
  run: (ctx) =>
    withStore(
      ctx.makeLayer,
      Effect.gen(function* () {
        const es = yield* eventStore
        const stream = "member-Rec"
        const meta = { actor: "张三", correlationId: "c-1", nested: { list: [1, "二", null, true], deep: { x: 1.5 } } }
        const events: Array<EventStore.EventToAppend> = [
          { event: F.numbered(stream, 1), id: F.uuidOf(1, 4), meta, recordedAt: "2025-03-04T19:00:00+08:00" },
          { event: F.numbered(stream, 2) }
        ]
        const r = yield* es.append(stream, events, "noStream")
        for (const [label, read] of [
          ["readStream", es.readStream(stream)],
          ["readAll", es.readAll()]
        ] as const) {
          const got = yield* collect(read)
          yield* equal(got.length, 2, `${label}: count`)
          const [first, second] = got as [EventStore.StoredEvent, EventStore.StoredEvent]
          yield* equal(
            {
              stream: first.stream,
              type: first.type,
              data: first.data,
              version: first.version,
              position: first.position
            },
            { stream, type: events[0]!.event.type, data: events[0]!.event.data, version: 1, position: r.positions[0] },
            `${label}: first record`
          )
          yield* equal(first.id?.toLowerCase(), events[0]!.id?.toLowerCase(), `${label}: id`)
          yield* equal(first.meta, meta, `${label}: meta`)
          yield* truthy(
            first.recordedAt !== undefined && Date.parse(first.recordedAt) === Date.parse("2025-03-04T19:00:00+08:00"),
            `${label}: a given recordedAt is kept (got ${first.recordedAt})`
          )
          yield* equal(first.schemaVersion, 1, `${label}: schemaVersion`)
          yield* equal(
            { data: second.data, version: second.version, position: second.position, id: second.id },
            { data: events[1]!.event.data, version: 2, position: r.positions[1], id: undefined },
            `${label}: second record`
          )
          yield* truthy(
            second.recordedAt !== undefined && !Number.isNaN(Date.parse(second.recordedAt)),
            `${label}: the store fills recordedAt (got ${second.recordedAt})`
          )
        }
      })
    )
}

const typeOf = (category: Events.StreamCategory) => F.typeOfCategory[category]

const readAllOrderAndFilters: Check = {
  id: "read.allOrderAndFilters",
  group: "reading",
  title: "readAll returns every event once in global order, after a checkpoint, limited, filtered by category and type",
  run: (ctx) =>
    property(
      ctx,
      fc.record({
        appends: fc.array(
          fc.record({
            category: fc.constantFrom(...F.categories),
            id: fc.integer({ min: 0, max: 2 }),
            size: fc.integer({ min: 1, max: 3 })
          }),
          { maxLength: 14 }
        ),
        queries: fc.array(
          fc.record(
            {
              after: fc.integer({ min: 0, max: 45 }),
              limit: fc.integer({ min: 0, max: 45 }),
              categories: fc.subarray([...F.categories], { minLength: 1 }),
              types: fc.subarray([...F.categories.map(typeOf), "SchoolRegistered" as const], { minLength: 1 })
            },
            { requiredKeys: [] }
          ),
          { minLength: 1, maxLength: 8 }
        )
      }),
      ({ appends, queries }) =>
        Effect.gen(function* () {
          const es = yield* eventStore
          const results: Array<EventStore.AppendResult> = []
          let n = 0
          for (const a of appends) {
            const stream = `${a.category}-S${a.id}`
            results.push(
              yield* es.append(
                stream,
                F.toAppend(
                  stream,
                  Array.from({ length: a.size }, () => n++)
                ),
                "any"
              )
            )
          }
          const all = yield* collect(es.readAll())
          yield* equal(all.length, n, "readAll returns every event")
          yield* truthy(strictlyIncreasing(all.map((r) => r.position)), "readAll is in increasing global position")
          yield* equal(
            all.map((r) => F.numberOf(r)),
            Array.from({ length: n }, (_, i) => i),
            "readAll is in append order"
          )
          yield* equal(
            all.map((r) => r.position),
            results.flatMap((r) => r.positions),
            "readAll positions = append results"
          )
          for (const q of queries) {
            const expected = all
              .filter((r) => r.position > (q.after ?? 0))
              .filter(
                (r) =>
                  q.categories === undefined ||
                  (q.categories as ReadonlyArray<string>).includes(r.stream.split("-")[0] as string)
              )
              .filter((r) => q.types === undefined || (q.types as ReadonlyArray<string>).includes(r.type))
            const limited = q.limit === undefined ? expected : expected.slice(0, q.limit)
            const got = yield* collect(es.readAll(q))
            yield* equal(got.map(keyOf), limited.map(keyOf), `readAll(${JSON.stringify(q)})`)
          }
        })
    )
}

// ---------------------------------------------------------------------------
// subscriptions
// ---------------------------------------------------------------------------

const subscribeCatchUpThenLive: Check = {
  id: "subscribe.catchUpThenLive",
  group: "subscriptions",
  title: "subscribe catches up from a checkpoint, then goes live, in order, filtered, with no repeat",
  run: (ctx) =>
    withStore(
      ctx.makeLayer,
      Effect.gen(function* () {
        const es = yield* eventStore
        yield* fill(es, "school-A", 3)
        // positions may have gaps (the port allows them): the head, not the count, is "after the third"
        const head = yield* es.head()
        const all = es.subscribe({ after: 1 }).pipe(Stream.take(6), collect)
        const members = es.subscribe({ categories: ["member"] }).pipe(Stream.take(2), collect)
        const fromHead = es.subscribe({ after: head }).pipe(Stream.take(1), collect)
        const f1 = yield* Effect.forkChild(all)
        const f2 = yield* Effect.forkChild(members)
        const f3 = yield* Effect.forkChild(fromHead)
        yield* Effect.yieldNow
        yield* fill(es, "member-B", 1, 4)
        yield* Effect.yieldNow
        yield* fill(es, "school-A", 1, 5)
        yield* fill(es, "member-B", 2, 6)
        const got = yield* within(ctx, Fiber.join(f1), "subscribe after 1")
        const expected = (yield* collect(es.readAll({ after: 1 }))).slice(0, 6)
        yield* equal(got.map(keyOf), expected.map(keyOf), "subscribe after 1: catch-up then live")
        const gotMembers = yield* within(ctx, Fiber.join(f2), "subscribe to members")
        yield* equal(
          gotMembers.map((r) => [r.stream, r.version]),
          [
            ["member-B", 1],
            ["member-B", 2]
          ],
          "filtered subscription"
        )
        const gotHead = yield* within(ctx, Fiber.join(f3), "subscribe from the head")
        yield* equal(
          gotHead.map((r) => F.numberOf(r)),
          [4],
          "a subscription from the head sees only new events"
        )
      })
    )
}

const SENTINEL = "school-Sentinel"

const subscribeConcurrentWriters: Check = {
  id: "subscribe.concurrentWriters",
  group: "subscriptions",
  title: "subscribers see every event exactly once, in global order, while fibers append concurrently",
  heavy: true,
  run: (ctx) =>
    property(
      ctx,
      fc.record({
        prior: fc.integer({ min: 0, max: 5 }),
        writers: fc.array(
          fc.array(
            fc.record({
              stream: fc.integer({ min: 0, max: 3 }),
              size: fc.integer({ min: 1, max: 3 }),
              yields: fc.integer({ min: 0, max: 3 })
            }),
            { minLength: 1, maxLength: 5 }
          ),
          { minLength: 1, maxLength: 4 }
        ),
        subscribers: fc.array(
          fc.record({
            delay: fc.integer({ min: 0, max: 6 }),
            after: fc.integer({ min: 0, max: 5 }),
            categories: fc.option(fc.subarray(["member", "class", "credit"] as const), { nil: undefined })
          }),
          { minLength: 1, maxLength: 3 }
        )
      }),
      ({ prior, subscribers, writers }) =>
        Effect.gen(function* () {
          const es = yield* eventStore
          const streams = ["school-W0", "member-W1", "class-W2", "credit-W3"]
          yield* fill(es, "school-Prior", prior, 5000)
          const head0 = yield* es.head()
          const subs = yield* Effect.forEach(subscribers, (s) =>
            Effect.gen(function* () {
              const after = Math.min(s.after, head0)
              const filter = s.categories === undefined ? {} : { categories: ["school" as const, ...s.categories] }
              const fiber = yield* Effect.forkChild(
                Effect.andThen(
                  Effect.repeat(Effect.yieldNow, { times: s.delay }),
                  es.subscribe({ after, ...filter }).pipe(
                    Stream.takeUntil((r) => r.stream === SENTINEL),
                    collect
                  )
                )
              )
              return { after, filter, fiber }
            })
          )
          let n = 0
          const next = (size: number) => {
            n += size
            return n - size
          }
          const plans = writers.map((steps) => steps.map((s) => ({ ...s, first: next(s.size) })))
          yield* Effect.forEach(
            plans,
            (steps) =>
              Effect.forEach(
                steps,
                (s) =>
                  Effect.andThen(
                    Effect.repeat(Effect.yieldNow, { times: s.yields }),
                    fill(es, streams[s.stream] as string, s.size, s.first)
                  ),
                { discard: true }
              ),
            { concurrency: "unbounded", discard: true }
          )
          yield* fill(es, SENTINEL, 1, 7000)
          for (const [i, s] of subs.entries()) {
            const got = yield* within(ctx, Fiber.join(s.fiber), `subscriber ${i}`)
            const expected = yield* collect(es.readAll({ after: s.after, ...s.filter }))
            yield* equal(
              got.map(keyOf),
              expected.map(keyOf),
              `subscriber ${i} (after ${s.after}, ${JSON.stringify(s.filter)})`
            )
          }
        }),
      { heavy: true }
    )
}

// ---------------------------------------------------------------------------
// concurrency
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// checkpoints, projection state, leases, snapshots
// ---------------------------------------------------------------------------

const checkpointCas: Check = {
  id: "checkpoints.compareAndSet",
  group: "checkpoints and projection state",
  title: "checkpoints read 0 until set and change only by compare-and-set; one of concurrent setters wins",
  run: (ctx) =>
    withStore(
      ctx.makeLayer,
      Effect.gen(function* () {
        const cps = yield* CheckpointStore.CheckpointStore
        yield* equal(yield* cps.get("a"), 0, "an unset checkpoint")
        yield* equal(yield* cps.compareAndSet("a", 1, 5), false, "CAS from a wrong expected value")
        yield* equal(yield* cps.get("a"), 0, "unchanged after a refused CAS")
        yield* equal(yield* cps.compareAndSet("a", 0, 5), true, "CAS 0 → 5")
        yield* equal(yield* cps.get("a"), 5, "after CAS")
        yield* equal(yield* cps.compareAndSet("a", 0, 7), false, "stale CAS 0 → 7")
        yield* equal(yield* cps.get("a"), 5, "a stale CAS does not move the checkpoint")
        yield* equal(yield* cps.compareAndSet("a", 5, 9), true, "CAS 5 → 9")
        yield* equal(yield* cps.get("b"), 0, "checkpoints are independent")
        const wins = yield* Effect.forEach(
          Array.from({ length: 8 }, (_, i) => i),
          (i) => Effect.andThen(Effect.repeat(Effect.yieldNow, { times: i % 3 }), cps.compareAndSet("c", 0, 10 + i)),
          { concurrency: "unbounded" }
        )
        yield* equal(wins.filter((w) => w).length, 1, "exactly one concurrent CAS from 0 wins")
        yield* equal(yield* cps.get("c"), 10 + wins.indexOf(true), "the winner's value is stored")
      })
    )
}

const projectionState: Check = {
  id: "projections.stateAndCheckpointTogether",
  group: "checkpoints and projection state",
  title: "projection state and checkpoint are saved together, by value, guarded by compare-and-set on the checkpoint",
  run: (ctx) =>
    withStore(
      ctx.makeLayer,
      Effect.gen(function* () {
        const ps = yield* CheckpointStore.ProjectionStore
        yield* equal(yield* ps.load("p"), Option.none(), "nothing saved yet")
        const s1 = { count: 3, names: ["党校", "🎓"], nested: { m: [[1, 2]], ok: true, none: null } }
        yield* equal(yield* ps.save("p", 0, { checkpoint: 3, state: s1 }), true, "first save expecting 0")
        s1.count = 999
        yield* equal(
          yield* ps.load("p"),
          Option.some({
            checkpoint: 3,
            state: { count: 3, names: ["党校", "🎓"], nested: { m: [[1, 2]], ok: true, none: null } }
          }),
          "load after save (saved by value)"
        )
        yield* equal(yield* ps.save("p", 0, { checkpoint: 8, state: { count: 8 } }), false, "a stale save is refused")
        yield* equal(
          yield* ps.save("p", 5, { checkpoint: 8, state: { count: 8 } }),
          false,
          "a save expecting another checkpoint is refused"
        )
        yield* equal(
          Option.map(yield* ps.load("p"), (s) => s.checkpoint),
          Option.some(3),
          "unchanged after refused saves"
        )
        yield* equal(yield* ps.save("p", 3, { checkpoint: 8, state: { count: 8 } }), true, "save expecting 3")
        yield* equal(
          yield* ps.load("p"),
          Option.some({ checkpoint: 8, state: { count: 8 } }),
          "state and checkpoint of the second save"
        )
        yield* equal(yield* ps.load("q"), Option.none(), "projections are independent")
        const wins = yield* Effect.forEach(
          Array.from({ length: 6 }, (_, i) => i),
          (i) =>
            Effect.andThen(
              Effect.repeat(Effect.yieldNow, { times: i % 3 }),
              ps.save("p", 8, { checkpoint: 10 + i, state: { count: 10 + i, by: i } })
            ),
          { concurrency: "unbounded" }
        )
        yield* equal(wins.filter((w) => w).length, 1, "exactly one of concurrent saves from the same checkpoint wins")
        const w = wins.indexOf(true)
        yield* equal(
          yield* ps.load("p"),
          Option.some({ checkpoint: 10 + w, state: { count: 10 + w, by: w } }),
          "the winner's state with the winner's checkpoint"
        )
        yield* ps.reset("p")
        yield* equal(yield* ps.load("p"), Option.none(), "after reset")
        yield* equal(
          yield* ps.save("p", 0, { checkpoint: 1, state: { count: 1 } }),
          true,
          "save expecting 0 after reset"
        )
      })
    )
}

const leases: Check = {
  id: "projections.leases",
  group: "checkpoints and projection state",
  title: "a lease has one owner at a time until released or expired",
  run: (ctx) =>
    withStore(
      ctx.makeLayer,
      Effect.gen(function* () {
        const ps = yield* CheckpointStore.ProjectionStore
        yield* equal(yield* ps.acquireLease("p", "A", 60_000), true, "A takes a free lease")
        yield* equal(yield* ps.acquireLease("p", "B", 60_000), false, "B is refused while A holds it")
        yield* equal(yield* ps.acquireLease("p", "A", 60_000), true, "A renews")
        yield* equal(yield* ps.acquireLease("q", "B", 60_000), true, "leases are per projection")
        yield* ps.releaseLease("p", "B")
        yield* equal(yield* ps.acquireLease("p", "B", 60_000), false, "releasing someone else's lease does nothing")
        yield* ps.releaseLease("p", "A")
        yield* equal(yield* ps.acquireLease("p", "B", 60_000), true, "B takes it after A released it")
        yield* equal(yield* ps.acquireLease("p", "A", 60_000), false, "now A is refused")
        yield* equal(yield* ps.acquireLease("r", "A", 1), true, "A takes a 1 ms lease")
        yield* Effect.sleep(50)
        yield* equal(yield* ps.acquireLease("r", "B", 60_000), true, "B takes an expired lease")
        yield* equal(yield* ps.acquireLease("r", "A", 60_000), false, "A cannot renew a lease it lost")
        const wins = yield* Effect.forEach(
          Array.from({ length: 6 }, (_, i) => i),
          (i) =>
            Effect.andThen(Effect.repeat(Effect.yieldNow, { times: i % 2 }), ps.acquireLease("s", `O${i}`, 60_000)),
          { concurrency: "unbounded" }
        )
        yield* equal(wins.filter((w) => w).length, 1, "exactly one of concurrent owners gets a free lease")
      })
    )
}

const snapshots: Check = {
  id: "snapshots.store",
  group: "checkpoints and projection state",
  title: "stream snapshots are stored by stream and key, by value, and overwritten",
  run: (ctx) =>
    withStore(
      ctx.makeLayer,
      Effect.gen(function* () {
        const ss = yield* CheckpointStore.SnapshotStore
        yield* equal(yield* ss.load("class-C", "k1"), Option.none(), "no snapshot yet")
        const state = { sessions: ["S1", "讲堂"], n: 2 }
        yield* ss.save("class-C", "k1", { version: 2, state })
        state.n = 99
        yield* equal(
          yield* ss.load("class-C", "k1"),
          Option.some({ version: 2, state: { sessions: ["S1", "讲堂"], n: 2 } }),
          "load"
        )
        yield* equal(yield* ss.load("class-C", "k2"), Option.none(), "another key")
        yield* equal(yield* ss.load("class-D", "k1"), Option.none(), "another stream")
        yield* ss.save("class-C", "k1", { version: 5, state: { n: 5 } })
        yield* equal(yield* ss.load("class-C", "k1"), Option.some({ version: 5, state: { n: 5 } }), "overwritten")
      })
    )
}

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

// ---------------------------------------------------------------------------
// payloads
// ---------------------------------------------------------------------------

const text = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 40 })
  .map((s) => s.split(String.fromCharCode(0)).join(""))
  .filter((s) => s.trim().length > 0)

const unicodePayloads: Check = {
  id: "payloads.unicode",
  group: "payloads",
  title: "unicode text in payloads and meta reads back exactly (readStream, readAll, subscribe)",
  run: (ctx) =>
    property(
      ctx,
      fc.record({
        names: fc.array(
          fc.oneof(
            text,
            fc.constantFrom(
              "西青区委党校",
              "津门湖街道党校 🎓📚",
              "e\u0301 é",
              "مرحبا",
              "a\u2028b\u2029c",
              '"quoted" \\ back\\slash',
              "tab\tnew\nline"
            )
          ),
          { minLength: 1, maxLength: 6 }
        ),
        metaKey: text,
        metaValue: text
      }),
      ({ metaKey, metaValue, names }) =>
        Effect.gen(function* () {
          const es = yield* eventStore
          const events = names.map((name, i) => ({
            event: {
              type: "SchoolRegistered",
              data: { schoolId: `U${i}`, name, tier: "district" }
            } as unknown as Events.DomainEvent,
            meta: { [metaKey]: metaValue, note: name }
          }))
          for (const [i, e] of events.entries()) yield* es.append(`school-U${i}`, [e], "noStream")
          const expected = events.map((e) => ({ data: e.event.data, meta: e.meta }))
          const fromStreams = yield* Effect.forEach(events, (_, i) => collect(es.readStream(`school-U${i}`)))
          yield* equal(
            fromStreams.flat().map((r) => ({ data: r.data, meta: r.meta })),
            expected,
            "readStream"
          )
          const all = yield* collect(es.readAll())
          yield* equal(
            all.map((r) => ({ data: r.data, meta: r.meta })),
            expected,
            "readAll"
          )
          const sub = yield* within(ctx, es.subscribe().pipe(Stream.take(events.length), collect), "subscribe")
          yield* equal(
            sub.map((r) => ({ data: r.data, meta: r.meta })),
            expected,
            "subscribe"
          )
        })
    )
}

const largePayloads: Check = {
  id: "payloads.large",
  group: "payloads",
  title: "a large payload and a large append (1000 events) read back exactly",
  run: (ctx) =>
    withStore(
      ctx.makeLayer,
      Effect.gen(function* () {
        const es = yield* eventStore
        const unit = "党校学时 training 🎓 "
        const name =
          unit
            .repeat(Math.ceil(ctx.largePayloadChars / unit.length))
            .slice(0, ctx.largePayloadChars)
            .trim() + "."
        const big = {
          type: "SchoolRegistered",
          data: { schoolId: "Big", name, tier: "district" }
        } as unknown as Events.DomainEvent
        yield* es.append("school-Big", [{ event: big, meta: { blob: name.slice(0, 10_000) } }], "noStream")
        const [r] = yield* collect(es.readStream("school-Big"))
        yield* truthy(
          r !== undefined && (r.data as { name: string }).name === name,
          "the large payload reads back exactly"
        )
        yield* truthy(
          r !== undefined && (r.meta as { blob: string }).blob === name.slice(0, 10_000),
          "large meta reads back exactly"
        )
        const many = F.toAppend(
          "class-Many",
          Array.from({ length: 1000 }, (_, i) => i),
          (n) => F.uuidOf(n, 5)
        )
        const res = yield* es.append("class-Many", many, "noStream")
        yield* equal(res.version, 1000, "version after 1000 events")
        const back = yield* collect(es.readStream("class-Many"))
        yield* equal(
          back.map((x) => F.numberOf(x)),
          Array.from({ length: 1000 }, (_, i) => i),
          "1000 events in order"
        )
        const again = yield* es.append("class-Many", many, "noStream")
        yield* equal(again, res, "an idempotent retry of 1000 events")
      })
    )
}

// ---------------------------------------------------------------------------
// durability and upcasting (with the reopen option)
// ---------------------------------------------------------------------------

const reopenDurable: Check = {
  id: "reopen.durable",
  group: "reopen",
  title: "events, versions, ids, checkpoints, projection state and snapshots survive closing and reopening the store",
  needsReopen: true,
  run: (ctx) =>
    Effect.scoped(
      Effect.gen(function* () {
        const reopen = ctx.reopen as NonNullable<CheckContext["reopen"]>
        const storage = yield* reopen.storage
        const open = () => reopen.makeLayer(storage, {})
        const events = F.toAppend("member-D", [1, 2, 3], (n) => F.uuidOf(n, 6))
        const written = yield* withStore(
          open,
          Effect.gen(function* () {
            const es = yield* eventStore
            const r = yield* es.append("member-D", events, "noStream")
            yield* fill(es, "school-D", 2)
            yield* (yield* CheckpointStore.CheckpointStore).compareAndSet("cp", 0, 4)
            yield* (yield* CheckpointStore.ProjectionStore).save("proj", 0, {
              checkpoint: 4,
              state: { n: 4, 名: "值" }
            })
            yield* (yield* CheckpointStore.SnapshotStore).save("member-D", "k", { version: 3, state: { s: 1 } })
            return { result: r, all: yield* collect(es.readAll()) }
          })
        )
        yield* withStore(
          open,
          Effect.gen(function* () {
            const es = yield* eventStore
            const all = yield* collect(es.readAll())
            yield* equal(all, written.all, "readAll after reopening")
            yield* equal(yield* es.version("member-D"), 3, "version after reopening")
            yield* equal(yield* es.head(), written.all[written.all.length - 1]?.position, "head after reopening")
            yield* equal(
              yield* es.append("member-D", events, "noStream"),
              written.result,
              "an idempotent retry after reopening"
            )
            yield* equal(yield* (yield* CheckpointStore.CheckpointStore).get("cp"), 4, "checkpoint after reopening")
            yield* equal(
              yield* (yield* CheckpointStore.ProjectionStore).load("proj"),
              Option.some({ checkpoint: 4, state: { n: 4, 名: "值" } }),
              "projection state after reopening"
            )
            yield* equal(
              yield* (yield* CheckpointStore.SnapshotStore).load("member-D", "k"),
              Option.some({ version: 3, state: { s: 1 } }),
              "snapshot after reopening"
            )
            const r = yield* es.append("member-D", F.toAppend("member-D", [4]), 3)
            yield* equal(r.version, 4, "appending after reopening continues the stream")
            yield* truthy(
              (r.positions[0] as number) > (written.all[written.all.length - 1]?.position ?? 0),
              "positions continue to increase after reopening"
            )
          })
        )
      })
    )
}

const QuotaClaimedV2 = Schema.Struct({ ...Events.QuotaClaimed.fields, note: Schema.String })

const codecV2 = EventCodec.makeEventCodec({
  versions: { QuotaClaimed: { version: 2, schema: QuotaClaimedV2 } },
  upcasters: [{ type: "QuotaClaimed", fromVersion: 1, upcast: (d) => ({ ...d, note: "from v1" }) }]
})

const upcastOnRead: Check = {
  id: "reopen.upcastOnRead",
  group: "reopen",
  title:
    "events written at an older payload version are upcast on read by a codec with upcasters; new ones are not upcast twice",
  needsReopen: true,
  run: (ctx) =>
    Effect.scoped(
      Effect.gen(function* () {
        const reopen = ctx.reopen as NonNullable<CheckContext["reopen"]>
        const storage = yield* reopen.storage
        yield* withStore(
          () => reopen.makeLayer(storage, {}),
          Effect.flatMap(eventStore, (es) => fill(es, "school-Up", 2))
        )
        const check = (label: string, records: ReadonlyArray<EventStore.StoredEvent>, notes: ReadonlyArray<string>) =>
          equal(
            records.map((r) => ({ note: (r.data as { note?: string }).note, schemaVersion: r.schemaVersion })),
            notes.map((note) => ({ note, schemaVersion: 2 })),
            label
          )
        yield* withStore(
          () => reopen.makeLayer(storage, { codec: codecV2 }),
          Effect.gen(function* () {
            const es = yield* eventStore
            yield* check("readStream upcasts", yield* collect(es.readStream("school-Up")), ["from v1", "from v1"])
            yield* check("readAll upcasts", yield* collect(es.readAll()), ["from v1", "from v1"])
            yield* check(
              "subscribe upcasts",
              yield* within(ctx, es.subscribe().pipe(Stream.take(2), collect), "subscribe"),
              ["from v1", "from v1"]
            )
            const v2 = { type: "QuotaClaimed", data: { schoolId: "Up", year: 2026, traineeTimes: 1, note: "new" } }
            yield* es.append("school-Up", [{ event: v2 as unknown as Events.DomainEvent }], 2)
            yield* check("a v2 event reads back as written", yield* collect(es.readStream("school-Up")), [
              "from v1",
              "from v1",
              "new"
            ])
          })
        )
        yield* withStore(
          () => reopen.makeLayer(storage, { codec: codecV2 }),
          Effect.gen(function* () {
            const es = yield* eventStore
            yield* check("after reopening with v2", yield* collect(es.readAll()), ["from v1", "from v1", "new"])
          })
        )
      })
    )
}

/**
 * Every check, in the order the suite registers them.
 *
 * @since 0.1.0
 */
export const checks: ReadonlyArray<Check> = [
  expectedOnNewStream,
  expectedOnExistingStream,
  expectedOnFailedOnlyStream,
  appendResult,
  emptyAppend,
  atomicity,
  idempotentRetry,
  partialOverlap,
  readStreamRanges,
  recordsRoundTrip,
  readAllOrderAndFilters,
  subscribeCatchUpThenLive,
  subscribeConcurrentWriters,
  concurrentVersions,
  exactVersionRace,
  checkpointCas,
  projectionState,
  leases,
  snapshots,
  runnerCrashes,
  runnerOneWriter,
  unicodePayloads,
  largePayloads,
  reopenDurable,
  upcastOnRead
]
