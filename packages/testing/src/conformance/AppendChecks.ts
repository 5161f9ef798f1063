/**
 * The conformance checks of the store port's contract on append (expected versions, results, atomicity, idempotency).
 *
 * @since 0.1.0
 */
import type { EventStore, StoreErrors } from "@xueshi/core"
import { Effect } from "effect"
import fc from "fast-check"
import {
  type Check,
  collect,
  eachCase,
  eventStore,
  expectNothingWritten,
  fill,
  keyOf,
  type Store,
  snapshotOf,
  strictlyIncreasing,
  versionsOf
} from "./CheckKit.js"
import * as F from "./Fixtures.js"
import { equal, failsWith, property, truthy, withStore } from "./Harness.js"

/**
 * The expected-version table: for each case, a fresh stream (`streamOf(i)`) at
 * version `prior`, an append of `size` events expecting `expected`; when the
 * case succeeds, the result and the stream's versions; when it fails, a
 * `WrongExpectedVersion` naming the stream, the expectation and the actual
 * version, and nothing written.
 */
const expectedVersionTable = (
  es: Store,
  table: {
    readonly streamOf: (i: number) => string
    readonly prior: number
    readonly size: number
    readonly cases: ReadonlyArray<readonly [EventStore.ExpectedVersion, boolean]>
  }
) =>
  eachCase(table.cases, ([expected, ok], i) =>
    Effect.gen(function* () {
      const { prior, size } = table
      const stream = table.streamOf(i)
      yield* fill(es, stream, prior)
      const what = `append ${size} to ${stream} (version ${prior}) expecting ${String(expected)}`
      const before = yield* snapshotOf(es)
      const events = F.toAppend(
        stream,
        Array.from({ length: size }, (_, k) => prior + 1 + k)
      )
      const priorVersions = Array.from({ length: prior }, (_, k) => k + 1)
      if (ok) {
        const r = yield* es.append(stream, events, expected)
        yield* equal(
          { stream: r.stream, version: r.version, positions: r.positions.length },
          { stream, version: prior + size, positions: size },
          `${what}: result`
        )
        yield* truthy(
          strictlyIncreasing([before.head, ...r.positions]),
          `${what}: positions ${r.positions} must increase from the head ${before.head}`
        )
        yield* equal(yield* es.version(stream), prior + size, `${what}: version`)
        yield* equal(
          yield* versionsOf(es, stream),
          [...priorVersions, ...Array.from({ length: size }, (_, k) => prior + 1 + k)],
          `${what}: versions`
        )
      } else {
        const e = (yield* failsWith(
          es.append(stream, events, expected),
          "WrongExpectedVersion",
          what
        )) as StoreErrors.WrongExpectedVersion
        yield* equal(
          { stream: e.stream, expected: e.expected, actual: e.actual },
          { stream, expected, actual: prior },
          `${what}: error`
        )
        yield* equal(yield* es.version(stream), prior, `${what}: version`)
        yield* equal(yield* versionsOf(es, stream), priorVersions, `${what}: readStream`)
        yield* expectNothingWritten(es, before, what)
      }
    })
  )

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
        yield* expectedVersionTable(es, {
          streamOf: (i) => `school-New${i}`,
          prior: 0,
          size: 2,
          cases: [
            ["any", true],
            ["noStream", true],
            [0, true],
            ["streamExists", false],
            [1, false],
            [3, false]
          ]
        })
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
      Effect.flatMap(eventStore, (es) =>
        expectedVersionTable(es, {
          streamOf: (i) => `member-Old${i}`,
          prior: 2,
          size: 1,
          cases: [
            ["any", true],
            ["streamExists", true],
            [2, true],
            ["noStream", false],
            [0, false],
            [1, false],
            [5, false]
          ]
        })
      )
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
        yield* eachCase(["noStream", 0, "any", "streamExists", 2] as const, (expected) =>
          Effect.flatMap(es.append(stream, events, expected), (again) =>
            equal(again, first, `retry expecting ${String(expected)} returns the original result`)
          )
        )
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
        yield* eachCase(cases, ([what, stream, events]) =>
          Effect.andThen(
            failsWith(es.append(stream, events, "any"), "DuplicateEventConflict", what),
            expectNothingWritten(es, before, what)
          )
        )
        yield* equal(yield* versionsOf(es, x), [1, 2], "versions of the stream")
        yield* equal(yield* es.version(y), 0, "the other stream")
      })
    )
}

/**
 * The checks of this group, in the order the suite registers them.
 *
 * @category checks
 * @since 0.1.0
 */
export const appendChecks: ReadonlyArray<Check> = [
  expectedOnNewStream,
  expectedOnExistingStream,
  expectedOnFailedOnlyStream,
  appendResult,
  emptyAppend,
  atomicity,
  idempotentRetry,
  partialOverlap
]
