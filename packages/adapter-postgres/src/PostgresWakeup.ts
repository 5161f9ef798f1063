/**
 * Waking subscribers: a "something was appended" signal completed by this
 * process's own appends and, when the client is a `PgClient`, by NOTIFY on the
 * store's channel (from any process); waiters also wake after a poll interval,
 * the fallback when notifications are lost or unavailable.
 *
 * The NOTIFY is sent after the append's commit, by a background fiber that
 * coalesces the appends of a burst into one: a `pg_notify` inside the append
 * transaction would serialize every commit of the database on the
 * notification queue's lock (measured: 8 concurrent writers lost half their
 * throughput).
 *
 * @since 0.1.0
 */
import type { PgClient } from "@effect/sql-pg"
import { Deferred, Effect, Exit, Option, Queue, Schedule, type Scope } from "effect"
import type { SqlClient } from "effect/sql"
import { channelOf } from "./PostgresSchema.js"

/**
 * The wake-up signal of one store.
 *
 * @category models
 * @since 0.1.0
 */
export interface Wakeup {
  /** The signal to wait on; take it BEFORE looking for new rows, so no wake-up is lost. */
  readonly current: () => Deferred.Deferred<void>
  /** Completes the current signal (and replaces it). */
  readonly notify: () => void
  /** After an append of this process: wakes its own subscribers and, soon, every other process's. */
  readonly appended: () => void
  /** Whether NOTIFY reaches this store (false: polling only). */
  readonly listening: boolean
}

/**
 * Makes the signal and, with a `PgClient`, forks the LISTEN loop into the scope
 * (it reconnects every second after a lost connection, waking everyone then).
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeWakeup = (
  sql: SqlClient.SqlClient,
  schema: string,
  pg: Option.Option<PgClient.PgClient>
): Effect.Effect<Wakeup, never, Scope.Scope> =>
  Effect.gen(function* () {
    let signal = Deferred.makeUnsafe<void>()
    const notify = (): void => {
      const previous = signal
      signal = Deferred.makeUnsafe<void>()
      Deferred.doneUnsafe(previous, Exit.void)
    }
    if (Option.isSome(pg)) {
      const client = pg.value
      const listen = Effect.scoped(
        Effect.gen(function* () {
          const queue = yield* client.listen(channelOf(schema))
          notify() // anything appended while we were not listening
          for (;;) {
            yield* Queue.take(queue)
            notify()
          }
        })
      )
      yield* Effect.forkScoped(
        listen.pipe(
          Effect.tapError(() => Effect.sync(notify)),
          Effect.retry(Schedule.spaced(1000)),
          Effect.ignore
        )
      )
    }
    // the NOTIFY sender: one pg_notify per burst of appends, off the appends' path
    let pending = Deferred.makeUnsafe<void>()
    const channel = channelOf(schema)
    yield* Effect.forkScoped(
      Effect.forever(
        Effect.gen(function* () {
          yield* Deferred.await(pending)
          pending = Deferred.makeUnsafe<void>()
          yield* Effect.ignore(sql.unsafe(`SELECT pg_notify($1, '')`, [channel]))
        })
      )
    )
    const appended = (): void => {
      notify()
      Deferred.doneUnsafe(pending, Exit.void)
    }
    return { current: () => signal, notify, appended, listening: Option.isSome(pg) }
  })
