/**
 * The global order under real concurrency: commits out of xid order, and 16
 * writers on separate connections (each its own pool, like 16 processes)
 * behind a barrier while a subscription runs.
 */
import { EventCodec, type EventStore, type Events } from "@xueshi/core"
import { Context, Deferred, Effect, Fiber, Option, Result, Stream } from "effect"
import { SqlClient } from "effect/sql"
import fc from "fast-check"
import { expect, it } from "vitest"
import { encodeEvents } from "../src/PostgresWrites.js"
import { freshSchema, openStore, openStoreOnOwnPool, pgDescribe, pool } from "./helpers.js"

const quota = (school: string, n: number, id?: string): EventStore.EventToAppend => ({
  event: {
    type: "QuotaClaimed",
    data: { schoolId: school, year: 2025, traineeTimes: n }
  } as unknown as Events.DomainEvent,
  ...(id === undefined ? {} : { id })
})

const uuid = (a: number, b: number): string =>
  `${a.toString(16).padStart(8, "0")}-0000-4000-8000-${b.toString(16).padStart(12, "0")}`

/**
 * A appends to `school-A` inside a transaction it keeps open (its xid, hence its positions,
 * taken first); `commitA` lets it commit, `a` is its fiber.
 */
const holdOpenAppend = (sql: SqlClient.SqlClient, schema: string) =>
  Effect.gen(function* () {
    const aWrote = yield* Deferred.make<void>()
    const commitA = yield* Deferred.make<void>()
    const payload = Result.getOrThrow(
      encodeEvents("school-A", [quota("A", 1)], new Date().toISOString(), EventCodec.EventLogCodec)
    )
    const a = yield* Effect.forkChild(
      sql.withTransaction(
        Effect.gen(function* () {
          yield* sql.unsafe(`SELECT * FROM ${schema}.append($1, $2, $3::json)`, ["school-A", "any", payload])
          yield* Deferred.succeed(aWrote, undefined)
          yield* Deferred.await(commitA)
        })
      )
    )
    yield* Deferred.await(aWrote)
    return { commitA, a }
  })

pgDescribe("postgres global order", () => {
  it("commits out of xid order: a running subscription delivers both events, once each, in position order", async () => {
    const ctx = await pool()
    const sql = Context.get(ctx, SqlClient.SqlClient)
    const got = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const schema = yield* freshSchema
          const store = yield* openStore(schema)
          const es = store.eventStore
          const seen: Array<EventStore.StoredEvent> = []
          const sub = yield* Effect.forkChild(
            es.subscribe().pipe(
              Stream.tap((r) => Effect.sync(() => seen.push(r))),
              Stream.take(2),
              Stream.runCollect
            )
          )
          // A takes its xid (and positions) first, inside a transaction it keeps open…
          const { commitA, a } = yield* holdOpenAppend(sql, schema)
          // …B takes a later one and commits first
          const b = yield* es.append("school-B", [quota("B", 2)], "noStream")
          yield* Effect.sleep(300) // several polls and B's NOTIFY: nothing may be delivered past A's open xid
          const beforeA = seen.length
          // head answers every event committed before the call: it waits for A, older than B
          const headWhileAOpen = yield* Effect.timeoutOption(es.head(), 300)
          yield* Deferred.succeed(commitA, undefined)
          yield* Fiber.join(a)
          const events = yield* Fiber.join(sub)
          const all = yield* Stream.runCollect(es.readAll())
          const headAfter = yield* es.head()
          return { beforeA, headWhileAOpen, headAfter, b, events, all }
        })
      )
    )
    expect(got.beforeA).toBe(0)
    expect(Option.isNone(got.headWhileAOpen)).toBe(true)
    expect(got.headAfter).toBe(got.b.positions[0])
    expect(got.events.map((r) => r.stream)).toEqual(["school-A", "school-B"])
    expect(got.events[1]?.position).toBe(got.b.positions[0])
    expect(got.all.map((r) => r.position)).toEqual(got.events.map((r) => r.position))
  })

  it("a read that cannot settle (an older transaction stays open) is a retryable StoreUnavailable, then answers", async () => {
    const ctx = await pool()
    const sql = Context.get(ctx, SqlClient.SqlClient)
    const got = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const schema = yield* freshSchema
          const store = yield* openStore(schema, { settleMillis: 200 })
          const es = store.eventStore
          const { commitA, a } = yield* holdOpenAppend(sql, schema)
          const b = yield* es.append("school-B", [quota("B", 2)], "noStream")
          const head = yield* Effect.flip(es.head())
          const read = yield* Effect.flip(Stream.runCollect(es.readAll()))
          yield* Deferred.succeed(commitA, undefined)
          yield* Fiber.join(a)
          const after = yield* es.head()
          const all = yield* Stream.runCollect(es.readAll())
          return { head, read, b, after, all }
        })
      )
    )
    expect(got.head._tag).toBe("StoreUnavailable")
    expect(got.head.message).toMatch(/held back/)
    expect(got.read._tag).toBe("StoreUnavailable")
    expect(got.after).toBe(got.b.positions[0])
    expect(got.all.map((r) => r.stream)).toEqual(["school-A", "school-B"])
  })

  it("16 writers on separate connections behind a barrier, with a subscription running: versions 1..n, one winner per version, every event once and each stream in order", async () => {
    const writers = 16
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4 }),
        fc.array(fc.array(fc.tuple(fc.nat(3), fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 4 }), {
          minLength: writers,
          maxLength: writers
        }),
        async (streamCount, plans) => {
          const outcome = await Effect.runPromise(
            Effect.scoped(
              Effect.gen(function* () {
                const schema = yield* freshSchema
                const observer = yield* openStore(schema)
                const total = plans.reduce((n, p) => n + p.reduce((m, [, size]) => m + size, 0), 0)
                const subscribed = yield* Effect.forkChild(
                  observer.eventStore.subscribe().pipe(Stream.take(total), Stream.runCollect)
                )
                // each writer: its own pool and store, like a process (one connection for its
                // appends, one held by its LISTEN)
                const stores = yield* Effect.forEach(
                  plans,
                  (_, w) => openStoreOnOwnPool(schema, `xueshi writer ${w}`),
                  { concurrency: writers }
                )
                const barrier = yield* Deferred.make<void>()
                const wins: Array<{ stream: string; from: number; to: number }> = []
                const committed: Array<string> = []
                const fibers = yield* Effect.forEach(stores, (store, w) =>
                  Effect.forkChild(
                    Effect.gen(function* () {
                      yield* Deferred.await(barrier)
                      const es = store.eventStore
                      for (let b = 0; b < (plans[w] ?? []).length; b++) {
                        const [pick, size] = (plans[w] ?? [])[b] as [number, number]
                        const school = `S${pick % streamCount}`
                        const stream = `school-${school}`
                        const events = Array.from({ length: size }, (_, i) =>
                          quota(school, w * 100 + b * 10 + i, uuid(w, b * 10 + i))
                        )
                        for (;;) {
                          const v = yield* es.version(stream)
                          const r = yield* Effect.result(es.append(stream, events, v))
                          if (Result.isSuccess(r)) {
                            wins.push({ stream, from: v + 1, to: r.success.version })
                            for (const e of events) committed.push(e.id as string)
                            break
                          }
                          if (r.failure._tag !== "WrongExpectedVersion") return yield* Effect.fail(r.failure)
                        }
                      }
                    })
                  )
                )
                yield* Deferred.succeed(barrier, undefined)
                yield* Effect.forEach(fibers, Fiber.join, { discard: true })
                const live = yield* Fiber.join(subscribed)
                const cold = yield* Stream.runCollect(observer.eventStore.readAll())
                const streams = new Map<string, Array<EventStore.StoredEvent>>()
                for (let s = 0; s < streamCount; s++) {
                  const name = `school-S${s}`
                  streams.set(name, yield* Stream.runCollect(observer.eventStore.readStream(name)))
                }
                const versions = new Map<string, number>()
                for (const name of streams.keys()) versions.set(name, yield* observer.eventStore.version(name))
                return { live, cold, streams, versions, wins, committed, total }
              })
            )
          )
          const { live, cold, streams, versions, wins, committed, total } = outcome
          // every stream holds versions 1..n and version() says n
          for (const [name, events] of streams) {
            expect(events.map((e) => e.version)).toEqual(events.map((_, i) => i + 1))
            expect(versions.get(name)).toBe(events.length)
            // one winner per version: the winning appends tile 1..n exactly
            const tiles = wins.filter((w) => w.stream === name).sort((a, b) => a.from - b.from)
            let next = 1
            for (const t of tiles) {
              expect(t.from).toBe(next)
              next = t.to + 1
            }
            expect(next).toBe(events.length + 1)
          }
          // the subscription and a cold replay: every committed event once, each stream in order
          for (const feed of [live, cold]) {
            expect(feed.length).toBe(total)
            expect(new Set(feed.map((e) => e.id)).size).toBe(total)
            expect([...feed.map((e) => e.id as string)].sort()).toEqual([...committed].sort())
            for (let i = 1; i < feed.length; i++) {
              expect((feed[i] as EventStore.StoredEvent).position).toBeGreaterThan(
                (feed[i - 1] as EventStore.StoredEvent).position
              )
            }
            const last = new Map<string, number>()
            for (const e of feed) {
              expect(e.version).toBe((last.get(e.stream) ?? 0) + 1)
              last.set(e.stream, e.version)
            }
          }
        }
      ),
      { numRuns: Math.min(8, fc.readConfigureGlobal().numRuns ?? 8) }
    )
  }, 240_000)
})
