/**
 * Checkpoints, projection state and stream snapshots: the stores a projection
 * runner and command handling persist through, beside the event store.
 *
 * @since 0.1.0
 */
import { Context, type Effect, type Option } from "effect"
import type { ReadError } from "./StoreErrors.js"

/**
 * Named checkpoints (global positions) with compare-and-set. A checkpoint that
 * was never set reads as 0.
 *
 * @category services
 * @since 0.1.0
 */
export class CheckpointStore extends Context.Service<
  CheckpointStore,
  {
    readonly get: (name: string) => Effect.Effect<number, ReadError>
    /** Sets `name` to `next` if it is `expected` now; answers whether it did. */
    readonly compareAndSet: (name: string, expected: number, next: number) => Effect.Effect<boolean, ReadError>
  }
>()("@xueshi/core/CheckpointStore") {}

/**
 * A projection's persisted state and the checkpoint it reflects, saved together.
 * `state` is the projection's own JSON encoding of its state.
 *
 * @category models
 * @since 0.1.0
 */
export interface ProjectionSnapshot {
  readonly checkpoint: number
  readonly state: unknown
}

/**
 * A keyed projection state as saved: its checkpoint and its entries (key → the
 * projection's JSON encoding of that entry), sorted by key.
 *
 * @category models
 * @since 0.1.0
 */
export interface KeyedSnapshot {
  readonly checkpoint: number
  readonly entries: ReadonlyArray<readonly [string, unknown]>
}

/**
 * The change of a keyed projection state since its last save: the entries
 * written (key → JSON value), the keys removed, and the checkpoint they reach.
 * A key is in at most one of `changed` and `removed`.
 *
 * @category models
 * @since 0.1.0
 */
export interface KeyedChanges {
  readonly checkpoint: number
  readonly changed: ReadonlyArray<readonly [string, unknown]>
  readonly removed: ReadonlyArray<string>
}

/**
 * Projection state stores: state and checkpoint saved in one step (atomically
 * where the backend allows), guarded by compare-and-set on the checkpoint, and
 * a lease so that one writer at a time runs a projection.
 *
 * A store may also keep **keyed** state (`loadKeyed` / `saveChanges`): a
 * projection whose state is a set of entries saves only the entries a batch
 * changed, with the checkpoint, in one step; so a save costs what changed, not
 * the whole state. A name's keyed state is kept apart from its whole state
 * (`save`/`load`), with its own checkpoint; `reset` removes both. A store
 * without them runs every projection with whole-state saves.
 *
 * @category services
 * @since 0.1.0
 */
export class ProjectionStore extends Context.Service<
  ProjectionStore,
  {
    readonly load: (name: string) => Effect.Effect<Option.Option<ProjectionSnapshot>, ReadError>
    /**
     * Saves `snapshot` if the stored checkpoint is `expectedCheckpoint` (0: none
     * stored); answers whether it did. State and checkpoint change together or not at all.
     */
    readonly save: (
      name: string,
      expectedCheckpoint: number,
      snapshot: ProjectionSnapshot
    ) => Effect.Effect<boolean, ReadError>
    /** Removes a projection's state and checkpoint, whole and keyed (for a rebuild from zero). */
    readonly reset: (name: string) => Effect.Effect<void, ReadError>
    /** The keyed state of `name` and its checkpoint (none: nothing saved keyed). */
    readonly loadKeyed?: (name: string) => Effect.Effect<Option.Option<KeyedSnapshot>, ReadError>
    /**
     * Applies `changes` to the keyed state of `name` and sets its checkpoint, if its
     * checkpoint is `expectedCheckpoint` now (0: none saved); answers whether it did.
     * The entries and the checkpoint change together or not at all.
     */
    readonly saveChanges?: (
      name: string,
      expectedCheckpoint: number,
      changes: KeyedChanges
    ) => Effect.Effect<boolean, ReadError>
    /**
     * Takes or renews the lease of `name` for `owner` until `ttlMillis` from now;
     * answers whether `owner` holds it. Another owner's live lease is refused.
     */
    readonly acquireLease: (name: string, owner: string, ttlMillis: number) => Effect.Effect<boolean, ReadError>
    /** Gives the lease up if `owner` holds it. */
    readonly releaseLease: (name: string, owner: string) => Effect.Effect<void, ReadError>
  }
>()("@xueshi/core/ProjectionStore") {}

/**
 * A stream snapshot: a decider's state at a version, in the decider's JSON encoding.
 *
 * @category models
 * @since 0.1.0
 */
export interface StreamSnapshot {
  readonly version: number
  readonly state: unknown
}

/**
 * Stream snapshots for command handling. Optional and never required for
 * correctness: a missing or stale snapshot only means a longer replay.
 *
 * @category services
 * @since 0.1.0
 */
export class SnapshotStore extends Context.Service<
  SnapshotStore,
  {
    readonly load: (stream: string, key: string) => Effect.Effect<Option.Option<StreamSnapshot>, ReadError>
    readonly save: (stream: string, key: string, snapshot: StreamSnapshot) => Effect.Effect<void, ReadError>
  }
>()("@xueshi/core/SnapshotStore") {}
