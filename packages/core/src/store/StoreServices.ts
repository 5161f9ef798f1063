/**
 * What every adapter hands out: the four services of the store port as one
 * value ({@link StoreServices}), the context a layer of them provides
 * ({@link context}) and the instrumented event store ({@link eventStore}).
 * Shared here so that each adapter's `make` and `layer` build them the same way
 * (see docs/store/writing-an-adapter.md, "make and layer").
 *
 * @since 0.1.0
 */
import { Context } from "effect"
import { AppendBatch } from "./AppendBatch.js"
import { CheckpointStore, ProjectionStore, SnapshotStore } from "./CheckpointStore.js"
import { EventStore } from "./EventStore.js"
import { instrumentAppendBatch, instrumentEventStore } from "./Observability.js"

/**
 * The four services of one store, as an adapter's `make` returns them.
 *
 * @category models
 * @since 0.1.0
 */
export interface StoreServices {
  readonly eventStore: EventStore["Service"]
  readonly checkpoints: CheckpointStore["Service"]
  readonly projections: ProjectionStore["Service"]
  readonly snapshots: SnapshotStore["Service"]
  /** The optional batch append (`AppendBatch`), for a store that writes many streams in one step. */
  readonly appendBatch?: AppendBatch["Service"]
}

/**
 * The services an adapter's `layer` provides.
 *
 * @category models
 * @since 0.1.0
 */
export type Services = EventStore | CheckpointStore | ProjectionStore | SnapshotStore

/**
 * The services of a store that also provides the optional `AppendBatch` (as all of ours do).
 *
 * @category models
 * @since 0.1.0
 */
export type BatchServices = Services | AppendBatch

/**
 * The context of a store's four services (an adapter's layer: `Layer.effectContext` of it),
 * with its `AppendBatch` when it has one (then typed as {@link BatchServices}; look it up with
 * `Effect.serviceOption` where a store may lack it).
 *
 * @category utils
 * @since 0.1.0
 */
export function context(
  store: StoreServices & { readonly appendBatch: AppendBatch["Service"] }
): Context.Context<BatchServices>
/**
 * The context of a store's four services (a store without `AppendBatch`).
 *
 * @category utils
 * @since 0.1.0
 */
export function context(store: StoreServices): Context.Context<Services>
/**
 * The context of a store's services (see the overloads).
 *
 * @category utils
 * @since 0.1.0
 */
export function context(store: StoreServices): Context.Context<Services> {
  const services = Context.make(EventStore, store.eventStore).pipe(
    Context.add(CheckpointStore, store.checkpoints),
    Context.add(ProjectionStore, store.projections),
    Context.add(SnapshotStore, store.snapshots)
  )
  return store.appendBatch === undefined ? services : Context.add(services, AppendBatch, store.appendBatch)
}

/**
 * An adapter's event store with the standard spans and metrics, named by `adapter`.
 *
 * @category utils
 * @since 0.1.0
 */
export const eventStore = (adapter: string, service: EventStore["Service"]): EventStore["Service"] =>
  instrumentEventStore(EventStore.of(service), adapter)

/**
 * An adapter's batch append with the standard span and metrics, named by `adapter`.
 *
 * @category utils
 * @since 0.1.0
 */
export const appendBatch = (adapter: string, service: AppendBatch["Service"]): AppendBatch["Service"] =>
  instrumentAppendBatch(AppendBatch.of(service), adapter)
