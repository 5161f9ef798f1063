/**
 * Read models as plain SQL tables, kept by a PostgreSQL projection runner.
 *
 * The runner folds the store's log through the core's ledger fold
 * (`Ledger.makeFold`, credit derived as the live ledger derives it, nothing
 * appended) and keeps three tables in the store's schema — `member_compliance`,
 * `school_rollup`, `course_mix` (see {@link ReadModelRows} and
 * docs/adapters/postgres.md, where their columns are the public contract).
 *
 * - **Only changed rows are written.** At each save the runner recomputes what
 *   the events since the last save may have changed and compares every row with
 *   the one it last wrote: the upserts (and deletes) are exactly the rows whose
 *   values changed, so a save costs what changed, not the size of the state.
 * - **Rows and checkpoint in one transaction.** The rows, the checkpoint
 *   (`<prefix>state`, compare-and-set on the previous one) and, every
 *   `snapshotEvery` events, the fold's snapshot (`<prefix>fold`) commit
 *   together. A runner killed mid-batch (its connection terminated) loses the
 *   uncommitted batch and, on reconnecting, reloads the snapshot and replays
 *   the log up to the saved checkpoint: rows hold absolute values recomputed
 *   from the fold, so nothing is counted twice.
 * - **One active runner per projection across processes.** A runner writes only
 *   while its own reserved connection holds a session advisory lock on the
 *   projection; every save runs on that connection. When the holder dies (or
 *   its connection does) the lock is released by the server and a waiting
 *   runner takes over within `pollMillis`.
 * - **Rebuilds beside the live model.** `rebuild` folds the log from zero into
 *   shadow tables while the live tables keep being served and updated; when it
 *   has caught up, the leader pauses, brings the shadow to the head and swaps the
 *   tables in one transaction.
 *
 * @since 0.1.0
 */
import { type EventStore, Ledger, type PolicySet, type StoreErrors } from "@xueshi/core"
import { Deferred, Effect, Exit, Fiber, Option, Schema, type Scope, Semaphore, Stream } from "effect"
import { SqlClient } from "effect/sql"
import type { Connection } from "effect/sql/SqlConnection"
import { isValidSchemaName } from "./PostgresSchema.js"
import { unavailable } from "./PostgresWrites.js"
import * as Fold from "./ReadModelFold.js"
import * as Rows from "./ReadModelRows.js"
import * as Sql from "./ReadModelSql.js"

/**
 * Options of a read-model runner.
 *
 * @category models
 * @since 0.1.0
 */
export interface ReadModelOptions {
  /** The store's schema (the tables live there). */
  readonly schema: string
  /** The policy set the ledger folds under. */
  readonly policy: PolicySet.PolicySet
  /** The projection's name: its lock, checkpoint and snapshot (default `read_models`). */
  readonly name?: string
  /** Prefix of the tables (default `rm_`: `rm_member_compliance`, …); a plain lower-case identifier part. */
  readonly prefix?: string
  /**
   * Save (rows and checkpoint) after at least this many events (default 20,000), and always on
   * reaching the head (a short page) and when idle.
   */
  readonly saveEvents?: number
  /** Save the fold's snapshot with the rows every this many events (default 100,000). */
  readonly snapshotEvery?: number
  /** How often a follower tries the lock, and an idle leader checks its connection (default 250 ms). */
  readonly pollMillis?: number
  /** Rows per write statement (default 5,000). */
  readonly rowsPerStatement?: number
}

/**
 * A read-model runner stopped for good (the store is corrupted, the tables are
 * not ours, …).
 *
 * @category errors
 * @since 0.1.0
 */
export class ReadModelError extends Schema.TaggedError<ReadModelError>()("ReadModelError", {
  name: Schema.String,
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {}

/**
 * `rebuild` was asked of a runner that does not hold the projection's lock.
 *
 * @category errors
 * @since 0.1.0
 */
export class NotLeader extends Schema.TaggedError<NotLeader>()("NotLeader", {
  name: Schema.String
}) {}

/**
 * What a runner did (this process only).
 *
 * @category models
 * @since 0.1.0
 */
export interface ReadModelStats {
  /** Committed saves. */
  readonly saves: number
  /** Rows written by them (upserts and deletes). */
  readonly rowsWritten: number
  /** Rows written by the last save, by table. */
  readonly lastSave: Readonly<Record<Rows.TableName, number>>
  /** Times it (re)loaded the state from the database (after a start, a failure or a takeover). */
  readonly loads: number
  /** Rebuilds swapped in. */
  readonly rebuilds: number
}

/**
 * A running read-model runner.
 *
 * @category models
 * @since 0.1.0
 */
export interface ReadModelRunner {
  readonly name: string
  /** The table names, with the prefix. */
  readonly tables: Readonly<Record<Rows.TableName, string>>
  /** Whether this runner holds the lock (is the writer). */
  readonly isLeader: Effect.Effect<boolean>
  /** The checkpoint saved in the database (by whichever runner leads). */
  readonly savedCheckpoint: Effect.Effect<number, StoreErrors.StoreUnavailable>
  /** Waits until the saved checkpoint reaches the store's head at call time (whoever leads). */
  readonly whenCaughtUp: Effect.Effect<void, StoreErrors.ReadError | ReadModelError>
  readonly stats: Effect.Effect<ReadModelStats>
  /** Rebuilds the tables from zero beside the live ones and swaps them in (needs the lock). */
  readonly rebuild: Effect.Effect<void, NotLeader | ReadModelError>
  /** Completes when the runner stops for good. */
  readonly stopped: Effect.Effect<never, ReadModelError>
}

/** The connection was lost or the lock taken over: reload from the database. */
class Reload extends Schema.TaggedError<Reload>()("Reload", { reason: Schema.String }) {}

const IDENT_PART = /^[a-z_][a-z0-9_]{0,30}$/

/**
 * Starts a read-model runner in the current scope over `store` (the PostgreSQL
 * store's event store) and the `SqlClient` in context (its pool: the runner
 * reserves one connection for its lock and saves). Closing the scope stops it
 * and releases the lock.
 *
 * @category runners
 * @since 0.1.0
 */
export const start = (
  store: EventStore.EventStore["Service"],
  options: ReadModelOptions
): Effect.Effect<ReadModelRunner, ReadModelError, SqlClient.SqlClient | Scope.Scope> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const s = options.schema
    const name = options.name ?? "read_models"
    const prefix = options.prefix ?? "rm_"
    if (!isValidSchemaName(s) || !IDENT_PART.test(prefix)) {
      return yield* new ReadModelError({ name, message: `schema ${s} or prefix ${prefix} is not a plain identifier` })
    }
    const policy = options.policy
    const saveEvents = Math.max(1, options.saveEvents ?? 20_000)
    const snapshotEvery = Math.max(1, options.snapshotEvery ?? 100_000)
    const pollMillis = Math.max(1, options.pollMillis ?? 250)
    const perStatement = Math.max(1, options.rowsPerStatement ?? 5000)
    const tables = {
      member_compliance: `${prefix}member_compliance`,
      school_rollup: `${prefix}school_rollup`,
      course_mix: `${prefix}course_mix`
    } as const
    const stateTable = `${s}.${prefix}state`
    const foldTable = `${s}.${prefix}fold`

    const at: Sql.RunnerTables = { schema: s, name, stateTable, foldTable }
    yield* Sql.ensureTables(sql, at, tables).pipe(
      Effect.mapError(
        (e) => new ReadModelError({ name, message: `cannot create the read-model tables: ${e.message}`, cause: e })
      )
    )

    // ---- statements on the reserved connection -------------------------------
    const run = Sql.run
    const lockKey = `hashtext('xueshi.rm.${s}'), hashtext($1)`
    const writeChanges = (conn: Connection, target: Readonly<Record<Rows.TableName, string>>, changes: Rows.Changes) =>
      Sql.writeChanges(conn, s, target, changes, perStatement)
    const inTransaction = Sql.inTransaction

    // ---- state ---------------------------------------------------------------
    let leader = false
    let stats = {
      saves: 0,
      rowsWritten: 0,
      lastSave: { member_compliance: 0, school_rollup: 0, course_mix: 0 },
      loads: 0,
      rebuilds: 0
    }
    const stopped = Deferred.makeUnsafe<never, ReadModelError>()
    const writer = yield* Semaphore.make(1)
    let rebuildRequest: Deferred.Deferred<void, NotLeader | ReadModelError> | undefined

    const freshFold = () => Fold.fresh(policy)
    const { push, committed, adoptBaseline } = Fold
    const replay = (f: Fold.Fold, after: number, until: number) => Fold.replay(store, f, after, until)

    /** Loads the live state from the database (under the lock). */
    const load = (conn: Connection) =>
      Effect.gen(function* () {
        const st = yield* run(conn, `SELECT checkpoint::float8 AS checkpoint FROM ${stateTable} WHERE name = $1`, [
          name
        ])
        const checkpoint = Number(st[0]?.checkpoint ?? 0)
        const snap = yield* run(
          conn,
          `SELECT checkpoint::float8 AS checkpoint, state FROM ${foldTable} WHERE name = $1`,
          [name]
        )
        const f = freshFold()
        const row = snap[0]
        if (row !== undefined && Number(row.checkpoint) <= checkpoint) {
          f.fold = Ledger.decodeFold(policy, row.state)
          f.checkpoint = Number(row.checkpoint)
        }
        yield* replay(f, f.checkpoint, checkpoint)
        f.checkpoint = checkpoint
        f.sinceSnapshot = 0
        yield* adoptBaseline(f)
        stats = { ...stats, loads: stats.loads + 1 }
        return f
      })

    /** One save of the live fold: rows, checkpoint and (when due) the snapshot, in one transaction. */
    const save = (conn: Connection, f: Fold.Fold, expected: number) =>
      Effect.gen(function* () {
        const { changes, pending } = f.tracker.compute(f.fold.current(), f.baseline)
        const snapshot = f.sinceSnapshot >= snapshotEvery
        const ok = yield* inTransaction(
          conn,
          Effect.gen(function* () {
            if (!(yield* Sql.moveCheckpoint(conn, at, expected, f.checkpoint, { swap: false }))) return false
            yield* writeChanges(conn, tables, changes)
            if (snapshot) yield* Sql.saveSnapshot(conn, at, f.checkpoint, Ledger.encodeFold(f.fold))
            return true
          })
        )
        if (!ok) return yield* new Reload({ reason: "the checkpoint moved: another runner wrote" })
        committed(f, pending)
        if (snapshot) f.sinceSnapshot = 0
        const lastSave = {
          member_compliance: changes.member_compliance.upserts.length + changes.member_compliance.deletes.length,
          school_rollup: changes.school_rollup.upserts.length + changes.school_rollup.deletes.length,
          course_mix: changes.course_mix.upserts.length + changes.course_mix.deletes.length
        }
        stats = {
          ...stats,
          saves: stats.saves + 1,
          rowsWritten: stats.rowsWritten + Rows.changeCount(changes),
          lastSave
        }
      })

    // ---- rebuild ---------------------------------------------------------------
    const shadowTables = {
      member_compliance: `${tables.member_compliance}_shadow`,
      school_rollup: `${tables.school_rollup}_shadow`,
      course_mix: `${tables.course_mix}_shadow`
    } as const

    /** Builds the shadow tables from zero (beside the live model, on pool connections). */
    const buildShadow = Effect.gen(function* () {
      const f = freshFold()
      for (const t of Rows.TABLES) {
        yield* sql.unsafe(`DROP TABLE IF EXISTS ${s}.${shadowTables[t]}`)
        yield* sql.unsafe(Sql.tableDdl(s, t, shadowTables[t]))
      }
      const flush = Effect.scoped(
        Effect.gen(function* () {
          const conn = yield* sql.reserve
          const { changes, pending } = f.tracker.compute(f.fold.current(), f.baseline)
          yield* inTransaction(conn, writeChanges(conn, shadowTables, changes))
          committed(f, pending)
        })
      )
      const head = yield* store.head()
      yield* store.readAll({ after: 0 }).pipe(
        Stream.takeWhile((r) => r.position <= head),
        Stream.runForEachArray((records) =>
          Effect.gen(function* () {
            push(f, records)
            if (f.unsaved >= saveEvents) yield* flush
          })
        )
      )
      yield* flush
      return f
    })

    /** Brings the shadow to the head and swaps it in, on the leader's connection (live batches paused). */
    const swap = (conn: Connection, live: Fold.Fold, shadow: Fold.Fold) =>
      Effect.gen(function* () {
        const head = yield* store.head()
        if (head > shadow.checkpoint) yield* replay(shadow, shadow.checkpoint, head)
        const { changes, pending } = shadow.tracker.compute(shadow.fold.current(), shadow.baseline)
        const ok = yield* inTransaction(
          conn,
          Effect.gen(function* () {
            if (!(yield* Sql.moveCheckpoint(conn, at, live.checkpoint, shadow.checkpoint, { swap: true }))) return false
            yield* writeChanges(conn, shadowTables, changes)
            for (const t of Rows.TABLES) {
              const l = tables[t]
              const sh = shadowTables[t]
              yield* run(conn, `LOCK TABLE ${s}.${l} IN ACCESS EXCLUSIVE MODE`)
              yield* run(conn, `DROP TABLE ${s}.${l}`)
              yield* run(conn, `ALTER TABLE ${s}.${sh} RENAME TO ${l}`)
              yield* run(conn, `ALTER TABLE ${s}.${l} RENAME CONSTRAINT ${sh}_pkey TO ${l}_pkey`)
            }
            yield* Sql.saveSnapshot(conn, at, shadow.checkpoint, Ledger.encodeFold(shadow.fold))
            return true
          })
        )
        if (!ok) return yield* new Reload({ reason: "the checkpoint moved during the swap" })
        committed(shadow, pending)
        shadow.sinceSnapshot = 0
        stats = { ...stats, rebuilds: stats.rebuilds + 1 }
      })

    // ---- the leader's loop -------------------------------------------------------
    const lead = (conn: Connection) =>
      Effect.gen(function* () {
        let f = yield* load(conn)
        let saved = f.checkpoint
        let shadow: Fiber.Fiber<Fold.Fold, unknown> | undefined
        let request: Deferred.Deferred<void, NotLeader | ReadModelError> | undefined
        const maybeSave = (force: boolean) =>
          Effect.gen(function* () {
            if (f.checkpoint === saved) return
            if (!force && f.unsaved < saveEvents) return
            yield* save(conn, f, saved)
            saved = f.checkpoint
          })
        const step = Effect.gen(function* () {
          // a rebuild asked for: start the shadow build; when it is done, swap it in
          if (rebuildRequest !== undefined && request === undefined) {
            request = rebuildRequest
            rebuildRequest = undefined
            shadow = yield* Effect.forkChild(buildShadow)
          }
          if (shadow !== undefined && request !== undefined) {
            const done = yield* Fiber.await(shadow).pipe(Effect.timeoutOption(0))
            if (Option.isSome(done)) {
              const r = request
              shadow = undefined
              request = undefined
              if (Exit.isFailure(done.value)) {
                yield* Deferred.fail(
                  r,
                  new ReadModelError({ name, message: `rebuild failed: ${String(done.value.cause)}` })
                )
              } else {
                const built = done.value.value
                yield* maybeSave(true)
                yield* swap(conn, f, built)
                f = built
                saved = f.checkpoint
                yield* Deferred.succeed(r, undefined)
              }
            }
          }
        })
        const head = yield* store.head()
        // the subscription pages by the store's page size; a save when due, and on reaching the head
        yield* store.subscribe({ after: f.checkpoint }).pipe(
          Stream.chunks,
          Stream.runForEach((chunk) =>
            writer.withPermits(1)(
              Effect.gen(function* () {
                const records = Array.from(chunk).filter((r) => r.position > f.checkpoint)
                if (records.length > 0) push(f, records)
                const atHead = records.length === 0 || f.checkpoint >= head || records.length < 1000
                yield* maybeSave(atHead)
                yield* step
              })
            )
          ),
          Effect.raceFirst(
            // an idle leader: check the connection (and pending rebuilds) every poll
            Effect.forever(
              Effect.gen(function* () {
                yield* Effect.sleep(pollMillis)
                yield* writer.withPermits(1)(
                  Effect.gen(function* () {
                    yield* run(conn, "SELECT 1")
                    yield* maybeSave(true)
                    yield* step
                  })
                )
              })
            )
          )
        )
      })

    /** Reserve a connection, wait for the lock, lead until something fails; forever. */
    const supervised = Effect.forever(
      Effect.scoped(
        Effect.gen(function* () {
          const conn = yield* sql.reserve
          for (;;) {
            const got = yield* run(conn, `SELECT pg_try_advisory_lock(${lockKey}) AS ok`, [name])
            if (got[0]?.ok === true) break
            if (rebuildRequest !== undefined) {
              const r = rebuildRequest
              rebuildRequest = undefined
              yield* Deferred.fail(r, new NotLeader({ name }))
            }
            yield* Effect.sleep(pollMillis)
          }
          leader = true
          yield* Effect.addFinalizer(() =>
            Effect.sync(() => {
              leader = false
            }).pipe(Effect.andThen(Effect.ignore(run(conn, `SELECT pg_advisory_unlock(${lockKey})`, [name]))))
          )
          yield* lead(conn)
        })
      ).pipe(
        // a lost connection, a moved checkpoint or an unavailable store: start again (after a pause)
        Effect.catch((e: unknown) => {
          const tag = (e as { _tag?: unknown } | undefined)?._tag
          if (tag === "StoreCorrupted") return Effect.fail(e)
          return Effect.sleep(pollMillis)
        })
      )
    ).pipe(
      Effect.catchCause((cause) =>
        Effect.sync(() => {
          leader = false
          Deferred.doneUnsafe(
            stopped,
            Effect.fail(new ReadModelError({ name, message: `read models ${name} stopped: ${String(cause)}` }))
          )
        })
      )
    )
    yield* Effect.forkScoped(supervised)

    const savedCheckpoint = sql
      .unsafe<{ checkpoint: number }>(`SELECT checkpoint::float8 AS checkpoint FROM ${stateTable} WHERE name = $1`, [
        name
      ])
      .pipe(
        Effect.map((rows) => Number(rows[0]?.checkpoint ?? 0)),
        Effect.mapError(unavailable("read-model checkpoint"))
      )

    const whenCaughtUp = Effect.gen(function* () {
      const target = yield* store.head()
      for (;;) {
        if (Deferred.isDoneUnsafe(stopped)) return yield* Deferred.await(stopped)
        if ((yield* savedCheckpoint) >= target) return
        yield* Effect.sleep(Math.min(pollMillis, 50))
      }
    })

    const rebuild = Effect.suspend(() => {
      if (!leader) return Effect.fail(new NotLeader({ name }))
      const d = Deferred.makeUnsafe<void, NotLeader | ReadModelError>()
      rebuildRequest = d
      return Deferred.await(d)
    })

    return {
      name,
      tables,
      isLeader: Effect.sync(() => leader),
      savedCheckpoint,
      whenCaughtUp,
      stats: Effect.sync(() => stats),
      rebuild,
      stopped: Deferred.await(stopped)
    } satisfies ReadModelRunner
  })
