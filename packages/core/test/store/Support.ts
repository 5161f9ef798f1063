// Shared by the store tests: the memory adapter (by relative path: @xueshi/core cannot
// depend on an adapter package) and small helpers.
import { Effect, type Layer, type Scope } from "effect"
import { MemoryEventStore } from "../../../adapter-memory/src/index.js"
import type { CheckpointStore, EventStore } from "../../src/index.js"

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
