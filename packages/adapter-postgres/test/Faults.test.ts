/**
 * Faults: a writer's backend terminated in the middle of an append (after its
 * events are inserted, before the stream row is updated) loses the whole
 * append, reports the retryable StoreUnavailable, and the retry writes it once.
 */
import type { EventStore, Events } from "@xueshi/core"
import { Context, Deferred, Effect, Fiber, Schedule, Stream } from "effect"
import { SqlClient } from "effect/sql"
import { expect, it } from "vitest"
import { exec, freshSchema, openStore, openStoreOnOwnPool, pgDescribe, pool } from "./helpers.js"

const quota = (n: number, id: string): EventStore.EventToAppend => ({
  event: {
    type: "QuotaClaimed",
    data: { schoolId: "A", year: 2025, traineeTimes: n }
  } as unknown as Events.DomainEvent,
  id
})
const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString(16).padStart(12, "0")}`

pgDescribe("postgres faults", () => {
  it("pg_terminate_backend on a writer mid-append: all or nothing, StoreUnavailable, and the retry appends once", async () => {
    const ctx = await pool()
    const sql = Context.get(ctx, SqlClient.SqlClient)
    const app = `xueshi victim ${process.pid}`
    const result = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const schema = yield* freshSchema
          const observer = yield* openStore(schema)
          yield* observer.eventStore.append("school-A", [quota(0, uuid(0))], "noStream")
          const victim = yield* openStoreOnOwnPool(schema, app, { migrate: false })
          // hold the stream row: the victim's append inserts its events, then waits on this lock
          const locked = yield* Deferred.make<void>()
          const release = yield* Deferred.make<void>()
          const holder = yield* Effect.forkChild(
            sql.withTransaction(
              Effect.gen(function* () {
                yield* sql.unsafe(`SELECT 1 FROM ${schema}.streams WHERE stream = 'school-A' FOR UPDATE`)
                yield* Deferred.succeed(locked, undefined)
                yield* Deferred.await(release)
              })
            )
          )
          yield* Deferred.await(locked)
          const batch = [1, 2, 3].map((n) => quota(n, uuid(n)))
          const appending = yield* Effect.forkChild(Effect.result(victim.eventStore.append("school-A", batch, 1)))
          // wait until the victim is blocked inside the append, its events inserted but not committed
          const pid = yield* exec<{ pid: number }>(
            `SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type = 'Lock'`,
            [app]
          ).pipe(
            Effect.flatMap((rows) =>
              rows[0] === undefined ? Effect.fail("not blocked yet") : Effect.succeed(rows[0].pid)
            ),
            Effect.retry(Schedule.spaced(20))
          )
          yield* exec(`SELECT pg_terminate_backend($1)`, [pid])
          const outcome = yield* Fiber.join(appending)
          yield* Deferred.succeed(release, undefined)
          yield* Fiber.join(holder)
          const afterKill = yield* Stream.runCollect(observer.eventStore.readStream("school-A"))
          const idsAfterKill = yield* exec<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.events`)
          // the retry (same ids, same expected version) on the victim's pool, which reconnects
          const retried = yield* victim.eventStore
            .append("school-A", batch, 1)
            .pipe(Effect.retry({ while: (e) => e._tag === "StoreUnavailable", times: 5 }))
          const again = yield* victim.eventStore.append("school-A", batch, 1)
          const final = yield* Stream.runCollect(observer.eventStore.readStream("school-A"))
          return { outcome, afterKill, stored: idsAfterKill[0]?.n, retried, again, final }
        })
      )
    )
    expect(result.outcome._tag).toBe("Failure")
    if (result.outcome._tag === "Failure") expect(result.outcome.failure._tag).toBe("StoreUnavailable")
    expect(result.afterKill.map((e) => e.version)).toEqual([1])
    expect(result.stored).toBe(1)
    expect(result.retried.version).toBe(4)
    expect(result.again).toEqual(result.retried)
    expect(result.final.map((e) => [e.version, e.id])).toEqual([0, 1, 2, 3].map((n) => [n + 1, uuid(n)]))
  })
})
