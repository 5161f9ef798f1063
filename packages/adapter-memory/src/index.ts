/**
 * @xueshi/adapter-memory — the in-memory event store: the reference adapter
 * of the store port, for tests, small tools and embedding.
 *
 * @since 0.1.0
 */

/** The in-memory event store, checkpoint, projection and snapshot stores. @since 0.1.0 */
export * as MemoryEventStore from "./MemoryEventStore.js"
