/**
 * Waking subscribers: a "something was appended" signal completed by this
 * process's own appends and, when the client is a `PgClient`, by NOTIFY on the
 * store's channel (from any process); waiters also wake after a poll interval,
 * the fallback when notifications are lost or unavailable.
 *
 * @since 0.1.0
 */
import type { PgClient } from "@effect/sql-pg"
import { Deferred, Effect, Exit, Option, Queue, Schedule, type Scope } from "effect"
import { channelOf } from "./PostgresSchema.js"

/**
 * The wake-up signal of one store.
 *
 * @since 0.1.0
 */
export interface Wakeup {
  /** The signal to wait on; take it BEFORE looking for new rows, so no wake-up is lost. */
  readonly current: () => Deferred.Deferred<void>
  /** Completes the current signal (and replaces it). */
  readonly notify: () => void
  /** Whether NOTIFY reaches this store (false: polling only). */
  readonly listening: boolean
}

/**
 * Makes the signal and, with a `PgClient`, forks the LISTEN loop into the scope
 * (it reconnects every second after a lost connection, waking everyone then).
 *
 * @since 0.1.0
 */
export const makeWakeup = (
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
    return { current: () => signal, notify, listening: Option.isSome(pg) }
  })
