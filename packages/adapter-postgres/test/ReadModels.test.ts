/**
 * Read models as SQL tables: after catching up a generated district the tables
 * agree exactly with the ledger's queries; a later event writes only the rows
 * it changed; a runner restarted resumes without writing anything again; a
 * runner whose sessions are terminated mid-batch resumes without counting
 * twice; two runners fail over; a rebuild beside the live model swaps in.
 */
import type { EventStore, Events } from "@xueshi/core"
import { Context, Effect, Schedule, type Scope, Stream } from "effect"
import { SqlClient } from "effect/sql"
import { expect, it } from "vitest"
import { PostgresReadModels } from "../src/index.js"
import { exec, freshSchema, openStore, pgDescribe, pool } from "./helpers.js"
import {
  districtLines,
  expectTablesAgree,
  importInto,
  ledgerOf,
  ownPool,
  type Pool,
  policy,
  terminate
} from "./readModelKit.js"

const run = <A, E>(effect: Effect.Effect<A, E, Scope.Scope>) => Effect.runPromise(Effect.scoped(effect))

/** Starts a runner over `store` with the pool `ctx` (default: the shared pool). */
const startRunner = (
  store: { readonly eventStore: EventStore.EventStore["Service"]; readonly schema: string },
  options: Partial<PostgresReadModels.ReadModelOptions> = {},
  ctx?: Pool
) =>
  Effect.flatMap(ctx === undefined ? Effect.promise(() => pool()) : Effect.succeed(ctx), (c) =>
    Effect.provideService(
      PostgresReadModels.start(store.eventStore, { schema: store.schema, policy, pollMillis: 50, ...options }),
      SqlClient.SqlClient,
      Context.get(c, SqlClient.SqlClient)
    )
  )

/**
 * Waits until the runner has saved everything committed so far. (`whenCaughtUp` aims at the head,
 * which lags the last commit while any transaction of the shared cluster is open; here the target
 * is the last committed position.)
 */
const caughtUp = (runner: PostgresReadModels.ReadModelRunner, schema: string) =>
  Effect.gen(function* () {
    const rows = yield* exec<{ p: number }>(`SELECT coalesce(max(position), 0)::float8 AS p FROM ${schema}.events`)
    const target = rows[0]?.p ?? 0
    yield* runner.savedCheckpoint.pipe(
      Effect.retry({ times: 20, schedule: Schedule.spaced(50) }),
      Effect.repeat({ until: (c) => c >= target, schedule: Schedule.spaced(20) })
    )
  })

/** An extra external grant for the member of the first external grant in the log (a new grant id). */
const extraGrant = (store: { readonly eventStore: EventStore.EventStore["Service"] }) =>
  Effect.gen(function* () {
    const all = yield* Stream.runCollect(store.eventStore.readAll({ types: ["CreditGranted"] }))
    const external = all.find((r) => (r.data as { source: { kind: string } }).source.kind === "external")
    if (external === undefined) return yield* Effect.die("no external grant in the district")
    const data = external.data as { memberId: string; grantId: string }
    const event = { type: "CreditGranted", data: { ...data, grantId: `${data.grantId}-extra` } }
    yield* store.eventStore.append(external.stream, [{ event: event as unknown as Events.DomainEvent }], "any")
    return data.memberId
  })

pgDescribe("postgres read models", () => {
  it("catch-up of a district: the tables agree with the ledger; a later grant writes only the rows it changed; a restart writes nothing", async () => {
    const got = await run(
      Effect.gen(function* () {
        const schema = yield* freshSchema
        const store = yield* openStore(schema)
        yield* importInto(store, districtLines())
        const first = yield* Effect.scoped(
          Effect.gen(function* () {
            const runner = yield* startRunner(store, { saveEvents: 400 })
            yield* caughtUp(runner, schema)
            const checked = yield* expectTablesAgree(schema, yield* ledgerOf(store))
            const afterCatchUp = yield* runner.stats
            // one more grant: only that member's rows (and the roll-up rows it moves) are written
            const member = yield* extraGrant(store)
            yield* caughtUp(runner, schema)
            const afterGrant = yield* runner.stats
            yield* expectTablesAgree(schema, yield* ledgerOf(store))
            const rows = yield* exec<{ n: number }>(
              `SELECT count(*)::int AS n FROM ${schema}.rm_member_compliance WHERE member_id = $1`,
              [member]
            )
            return { checked, afterCatchUp, afterGrant, memberRows: rows[0]?.n ?? 0 }
          })
        )
        // a new runner resumes from the saved checkpoint: it loads, and has nothing to write
        const second = yield* Effect.scoped(
          Effect.gen(function* () {
            const runner = yield* startRunner(store)
            yield* runner.stats.pipe(Effect.repeat({ until: (st) => st.loads > 0, schedule: Schedule.spaced(20) }))
            yield* caughtUp(runner, schema)
            yield* Effect.sleep(200)
            return yield* runner.stats
          })
        )
        yield* expectTablesAgree(schema, yield* ledgerOf(store))
        return { first, second }
      })
    )
    const { checked, afterCatchUp, afterGrant, memberRows } = got.first
    expect(checked.members).toBeGreaterThan(100)
    expect(afterCatchUp.saves).toBeGreaterThan(1)
    // the catch-up wrote each row at least once
    expect(afterCatchUp.rowsWritten).toBeGreaterThanOrEqual(checked.members + checked.rollup + checked.mix)
    // the grant: one save, at most that member's rows, no course mix, far fewer than the tables hold
    expect(afterGrant.saves).toBe(afterCatchUp.saves + 1)
    expect(afterGrant.lastSave.member_compliance).toBeGreaterThan(0)
    expect(afterGrant.lastSave.member_compliance).toBeLessThanOrEqual(memberRows)
    expect(afterGrant.lastSave.course_mix).toBe(0)
    expect(afterGrant.rowsWritten - afterCatchUp.rowsWritten).toBeLessThan(checked.rollup / 2 + memberRows)
    expect(got.second.loads).toBe(1)
    expect(got.second.rowsWritten).toBe(0)
  }, 120_000)

  it("pg_terminate_backend on the runner mid-batch: it reloads and resumes, and the tables count every event once", async () => {
    const app = `xueshi rm kill ${process.pid}`
    const got = await run(
      Effect.gen(function* () {
        const schema = yield* freshSchema
        const store = yield* openStore(schema)
        yield* importInto(store, districtLines(11, 80))
        const ctx = (yield* ownPool(app)) as Pool
        const runner = yield* startRunner(store, { saveEvents: 100, snapshotEvery: 300 }, ctx)
        let killed = 0
        for (let k = 0; k < 6; k++) {
          yield* Effect.sleep(150)
          killed += yield* terminate(app)
        }
        yield* caughtUp(runner, schema)
        yield* expectTablesAgree(schema, yield* ledgerOf(store))
        return { killed, stats: yield* runner.stats }
      })
    )
    expect(got.killed).toBeGreaterThan(0)
    expect(got.stats.loads).toBeGreaterThan(1)
  }, 120_000)

  it("two runners in two processes: one writes; kill the holder's connection and the other takes over, exactly", async () => {
    const appA = `xueshi rm A ${process.pid}`
    const appB = `xueshi rm B ${process.pid}`
    const got = await run(
      Effect.gen(function* () {
        const schema = yield* freshSchema
        const store = yield* openStore(schema)
        yield* importInto(store, districtLines(7, 50))
        const a = yield* startRunner(store, {}, (yield* ownPool(appA)) as Pool)
        yield* a.isLeader.pipe(Effect.repeat({ until: (l) => l, schedule: Schedule.spaced(20) }))
        const b = yield* startRunner(store, {}, (yield* ownPool(appB)) as Pool)
        yield* caughtUp(a, schema)
        const bLedBefore = yield* b.isLeader
        const holders = () =>
          exec<{ app: string }>(
            `SELECT a.application_name AS app FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
              WHERE l.locktype = 'advisory' AND l.granted AND a.application_name IN ($1, $2)`,
            [appA, appB]
          )
        const before = yield* holders()
        yield* terminate(appA)
        yield* b.isLeader.pipe(Effect.repeat({ until: (l) => l, schedule: Schedule.spaced(20) }))
        yield* extraGrant(store)
        yield* caughtUp(b, schema)
        yield* expectTablesAgree(schema, yield* ledgerOf(store))
        const after = yield* holders()
        return { bLedBefore, before, after, aLeads: yield* a.isLeader, bStats: yield* b.stats }
      })
    )
    expect(got.bLedBefore).toBe(false)
    expect(got.before.map((r) => r.app)).toEqual([appA])
    expect(got.after.map((r) => r.app)).toEqual([appB])
    expect(got.aLeads).toBe(false)
    expect(got.bStats.saves).toBeGreaterThan(0)
  }, 120_000)

  it("a rebuild runs beside the live model and swaps in: rows damaged by hand are right again", async () => {
    const got = await run(
      Effect.gen(function* () {
        const schema = yield* freshSchema
        const store = yield* openStore(schema)
        yield* importInto(store, districtLines(3, 40))
        const runner = yield* startRunner(store)
        yield* caughtUp(runner, schema)
        yield* exec(`UPDATE ${schema}.rm_member_compliance SET hours_centi = hours_centi + 1`)
        yield* exec(`DELETE FROM ${schema}.rm_course_mix WHERE dimension = 'total'`)
        const damaged = yield* Effect.flip(expectTablesAgree(schema, yield* ledgerOf(store)).pipe(Effect.sandbox))
        yield* runner.rebuild
        // events appended after the rebuild land in the swapped-in tables
        yield* extraGrant(store)
        yield* caughtUp(runner, schema)
        yield* expectTablesAgree(schema, yield* ledgerOf(store))
        const shadows = yield* exec<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1 AND tablename LIKE '%shadow%'`,
          [schema]
        )
        return { damaged: damaged !== undefined, stats: yield* runner.stats, shadows: shadows[0]?.n }
      })
    )
    expect(got.damaged).toBe(true)
    expect(got.stats.rebuilds).toBe(1)
    expect(got.shadows).toBe(0)
  }, 120_000)
})
