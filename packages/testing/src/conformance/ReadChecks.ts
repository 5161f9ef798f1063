/**
 * The conformance checks of the store port's contract on reading (readStream ranges, records, readAll order and filters).
 *
 * @since 0.1.0
 */
import type { EventStore, Events } from "@xueshi/core"
import { Effect } from "effect"
import fc from "fast-check"
import { type Check, collect, eachCase, eventStore, fill, keyOf, strictlyIncreasing } from "./CheckKit.js"
import * as F from "./Fixtures.js"
import { equal, property, truthy, withStore } from "./Harness.js"

/** The first `limit` of what a query would return (all without a limit). */
const limitOf = <A>(expected: ReadonlyArray<A>, limit: number | undefined): ReadonlyArray<A> =>
  limit === undefined ? expected : expected.slice(0, limit)

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
          yield* eachCase(queries, (q) =>
            Effect.gen(function* () {
              const versions = Array.from({ length: n }, (_, i) => i + 1)
              const expected =
                q.direction === "backwards"
                  ? versions.reverse().filter((v) => v <= (q.from ?? n) && v >= (q.to ?? 1))
                  : versions.filter((v) => v >= (q.from ?? 1) && v <= (q.to ?? n))
              const got = yield* collect(es.readStream(stream, q))
              yield* equal(
                got.map((r) => r.version),
                limitOf(expected, q.limit),
                `readStream(${JSON.stringify(q)}) of ${n} events`
              )
              yield* truthy(
                got.every((r) => r.stream === stream && F.numberOf(r) === r.version),
                `readStream(${JSON.stringify(q)}) returns the stream's own events`
              )
            })
          )
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
          yield* eachCase(queries, (q) => {
            const expected = all
              .filter((r) => r.position > (q.after ?? 0))
              .filter(
                (r) =>
                  q.categories === undefined ||
                  (q.categories as ReadonlyArray<string>).includes(r.stream.split("-")[0] as string)
              )
              .filter((r) => q.types === undefined || (q.types as ReadonlyArray<string>).includes(r.type))
            return Effect.flatMap(collect(es.readAll(q)), (got) =>
              equal(got.map(keyOf), limitOf(expected, q.limit).map(keyOf), `readAll(${JSON.stringify(q)})`)
            )
          })
        })
    )
}

/**
 * The checks of this group, in the order the suite registers them.
 *
 * @category checks
 * @since 0.1.0
 */
export const readChecks: ReadonlyArray<Check> = [readStreamRanges, recordsRoundTrip, readAllOrderAndFilters]
