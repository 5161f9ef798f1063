// Shared by the store tests: the memory adapter (by relative path: @xueshi/core cannot
// depend on an adapter package) and small helpers.
import { Context, Effect, Layer, type Scope } from "effect"
import { MemoryEventStore } from "../../../adapter-memory/src/index.js"
import { CheckpointStore, EventStore, StoreErrors } from "../../src/index.js"

export { MemoryEventStore }

export type Services =
  | EventStore.EventStore
  | CheckpointStore.CheckpointStore
  | CheckpointStore.ProjectionStore
  | CheckpointStore.SnapshotStore

/** Runs an effect over a fresh memory store (or `layer`), scoped. */
export const run = <A, E>(
  effect: Effect.Effect<A, E, Services | Scope.Scope>,
  layer: Layer.Layer<Services> = MemoryEventStore.layer()
): Promise<A> => Effect.runPromise(Effect.scoped(Effect.provide(Effect.scoped(effect), layer)))

/** Runs an effect and answers its exit. */
export const runExit = <A, E>(
  effect: Effect.Effect<A, E, Services | Scope.Scope>,
  layer: Layer.Layer<Services> = MemoryEventStore.layer()
) => Effect.runPromiseExit(Effect.scoped(Effect.provide(Effect.scoped(effect), layer)))

/**
 * A memory store whose first `failures.left` projection saves (after the first `options.after`
 * successful ones, which it records in `options.saves`) fail (a crash after a batch's
 * effects, before its checkpoint): the runner must reload and redeliver the batch.
 */
export const crashyStore = (
  failures: { left: number },
  options: { readonly after?: number; readonly saves?: Array<number> } = {}
): Layer.Layer<Services> =>
  Layer.effectContext(
    Effect.sync(() => {
      const m = MemoryEventStore.make()
      return Context.make(EventStore.EventStore, m.eventStore).pipe(
        Context.add(CheckpointStore.CheckpointStore, m.checkpoints),
        Context.add(
          CheckpointStore.ProjectionStore,
          CheckpointStore.ProjectionStore.of({
            ...m.projections,
            save: (name, expected, snapshot) =>
              Effect.suspend(() => {
                // the saves after the first `options.after` ones crash, `failures.left` times
                if ((options.saves?.length ?? 0) >= (options.after ?? 0) && failures.left-- > 0)
                  return Effect.fail(new StoreErrors.StoreUnavailable({ message: "crash before the checkpoint" }))
                options.saves?.push(snapshot.checkpoint)
                return m.projections.save(name, expected, snapshot)
              })
          })
        ),
        Context.add(CheckpointStore.SnapshotStore, m.snapshots)
      )
    })
  )
