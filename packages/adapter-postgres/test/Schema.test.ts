/**
 * Schemas and tenancy: migrations from an empty schema, re-runs and
 * concurrent runs; two stores in one database never see each other; a store
 * moved to another cluster refuses to open until it is re-baselined; the lag
 * signal sees an open writing transaction.
 */
import type { EventStore, Events } from "@xueshi/core"
import { Context, Deferred, Effect, Fiber, Stream } from "effect"
import { SqlClient } from "effect/sql"
import { expect, it } from "vitest"
import { PostgresEventStore, PostgresSchema } from "../src/index.js"
import { exec, freshSchema, makePool, openStore, pgDescribe, pool } from "./helpers.js"

const quota = (n: number, id?: string): EventStore.EventToAppend => ({
  event: {
    type: "QuotaClaimed",
    data: { schoolId: "A", year: 2025, traineeTimes: n }
  } as unknown as Events.DomainEvent,
  ...(id === undefined ? {} : { id })
})
const ID = "11111111-2222-4333-8444-555555555555"

const run = <A, E>(effect: Effect.Effect<A, E, import("effect").Scope.Scope>) =>
  Effect.runPromise(Effect.scoped(effect))

pgDescribe("postgres schema and tenancy", () => {
  it("migrates an empty schema once; re-runs do nothing; 6 concurrent runs on separate pools are safe", async () => {
    const pools = await Promise.all(Array.from({ length: 6 }, () => makePool(2)))
    const got = await run(
      Effect.gen(function* () {
        const schema = yield* freshSchema
        const concurrent = yield* Effect.all(
          pools.map((ctx) => Effect.provide(PostgresSchema.migrate(schema), ctx)),
          { concurrency: "unbounded" }
        )
        const again = yield* Effect.provide(
          PostgresSchema.migrate(schema),
          pools[0] as Context.Context<SqlClient.SqlClient>
        )
        const recorded = yield* exec<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.xueshi_migrations`)
        const store = yield* openStore(schema)
        const r = yield* store.eventStore.append("school-A", [quota(1)], "noStream")
        return { concurrent, again, recorded: recorded[0]?.n, version: r.version }
      })
    )
    // exactly one run did the work, the others found it done
    expect(got.concurrent.filter((ran) => ran.length > 0)).toEqual([[1, 2, 3, 4]])
    expect(got.again).toEqual([])
    expect(got.recorded).toBe(4)
    expect(got.version).toBe(1)
  })

  it("refuses a schema name that is not a plain identifier", async () => {
    const ctx = await pool()
    const exit = await Effect.runPromiseExit(
      Effect.scoped(Effect.provide(PostgresEventStore.make({ schema: 'a"; DROP TABLE x; --' }), ctx))
    )
    expect(exit._tag).toBe("Failure")
    expect(String(exit)).toContain("StoreOpenFailed")
  })

  it("two stores in one database are isolated: streams, versions, ids, positions and checkpoints", async () => {
    const got = await run(
      Effect.gen(function* () {
        const a = yield* openStore(yield* freshSchema)
        const b = yield* openStore(yield* freshSchema)
        yield* a.eventStore.append("school-A", [quota(1, ID), quota(2)], "noStream")
        // the same stream and the same event id in the other store: a new stream, a new event
        const rb = yield* b.eventStore.append("school-A", [quota(9, ID)], "noStream")
        yield* a.checkpoints.compareAndSet("p", 0, 5)
        return {
          rb,
          aAll: yield* Stream.runCollect(a.eventStore.readAll()),
          bAll: yield* Stream.runCollect(b.eventStore.readAll()),
          aVersion: yield* a.eventStore.version("school-A"),
          bVersion: yield* b.eventStore.version("school-A"),
          bCheckpoint: yield* b.checkpoints.get("p")
        }
      })
    )
    expect(got.rb.version).toBe(1)
    expect(got.aAll.map((e) => (e.data as { traineeTimes: number }).traineeTimes)).toEqual([1, 2])
    expect(got.bAll.map((e) => (e.data as { traineeTimes: number }).traineeTimes)).toEqual([9])
    expect([got.aVersion, got.bVersion]).toEqual([2, 1])
    expect(got.bCheckpoint).toBe(0)
  })

  it("a store from another cluster refuses to open with ClusterChanged naming the fix; rebaseline continues above every stored position", async () => {
    const got = await run(
      Effect.gen(function* () {
        const schema = yield* freshSchema
        const store = yield* openStore(schema)
        const first = yield* store.eventStore.append("school-A", [quota(1)], "noStream")
        yield* store.checkpoints.compareAndSet("p", 0, first.positions[0] as number)
        // a restore into a new cluster: another system identifier, and stored xids far ahead of ours
        yield* exec(`UPDATE ${schema}.meta SET system_identifier = '1'`)
        const ahead = ((yield* exec<{ x: string }>(`SELECT pg_current_xact_id()::text AS x`))[0]?.x ?? "0") as string
        const far = (BigInt(ahead) + 1_000_000n) * 65536n + 1n
        yield* exec(`UPDATE ${schema}.events SET position = $1::bigint`, [far.toString()])
        const refused = yield* Effect.flip(openStore(schema))
        const ctx = yield* Effect.promise(() => pool())
        yield* Effect.provide(PostgresEventStore.rebaseline(schema), ctx)
        const reopened = yield* openStore(schema)
        const next = yield* reopened.eventStore.append("school-A", [quota(2)], 1)
        return {
          refused,
          far: Number(far),
          next: next.positions[0] as number,
          all: yield* Stream.runCollect(reopened.eventStore.readAll()),
          checkpoint: yield* reopened.checkpoints.get("p"),
          first: first.positions[0] as number
        }
      })
    )
    expect(got.refused._tag).toBe("ClusterChanged")
    expect(got.refused.message).toContain("rebaseline()")
    expect(got.next).toBeGreaterThan(got.far)
    expect(got.all.map((e) => e.position)).toEqual([got.far, got.next])
    expect(got.checkpoint).toBe(got.first)
  })

  it("the lag signal reports an open writing transaction", async () => {
    const ctx = await pool()
    const sql = Context.get(ctx, SqlClient.SqlClient)
    const age = await run(
      Effect.gen(function* () {
        const store = yield* openStore(yield* freshSchema)
        const open = yield* Deferred.make<void>()
        const done = yield* Deferred.make<void>()
        const writer = yield* Effect.forkChild(
          sql.withTransaction(
            Effect.gen(function* () {
              yield* sql.unsafe(`SELECT pg_current_xact_id()::text AS xid`)
              yield* Deferred.succeed(open, undefined)
              yield* Deferred.await(done)
            })
          )
        )
        yield* Deferred.await(open)
        yield* Effect.sleep(20)
        const age = yield* store.oldestWriterAgeMillis()
        yield* Deferred.succeed(done, undefined)
        yield* Fiber.join(writer)
        return age
      })
    )
    expect(age).toBeGreaterThan(0)
  })
})
