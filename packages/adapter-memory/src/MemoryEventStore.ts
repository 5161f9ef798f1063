/**
 * The in-memory event store: the reference implementation of the store port
 * (`EventStore`, `CheckpointStore`, `ProjectionStore`, `SnapshotStore`) and
 * the embedded default for tests and small tools.
 *
 * Concurrency between fibers: every mutation (an append, a compare-and-set, a
 * save, a lease) runs as ONE synchronous step, with no yield point between its
 * checks and its writes, so no other fiber can run in between: on a
 * single-threaded runtime that step is the lock, and it is atomic. Reads are
 * lazy streams over the stored arrays; a subscription reads by position after
 * the last position it delivered and, when it has read everything, waits for
 * the "head changed" signal that every append completes, so it can neither
 * skip nor repeat an event whatever the writers do.
 *
 * Storage: the data live in a {@link MemoryStorage}, which outlives a layer.
 * Two layers over one storage behave like two processes over one database
 * (each with its own codec), which is how tests reopen a store.
 *
 * @since 0.1.0
 */

import type { CheckpointStore as CheckpointStoreModule } from "@xueshi/core"
import {
  AppendBatch,
  type AppendRules,
  CheckpointStore as Checkpoints,
  EventCodec,
  EventStore,
  Pagination,
  StoreErrors,
  StoreServices
} from "@xueshi/core"
import { Clock, Deferred, Effect, Exit, Layer, Option, Result, Stream } from "effect"

type StoredEvent = EventStore.StoredEvent
type ProjectionSnapshot = CheckpointStoreModule.ProjectionSnapshot
type StreamSnapshot = CheckpointStoreModule.StreamSnapshot

/**
 * One stored event: the record as decoded by the codec that wrote it.
 *
 * @category models
 * @since 0.1.0
 */
export interface MemoryEntry {
  readonly writer: EventCodec.EventCodec
  readonly record: StoredEvent
}

/**
 * The data of a memory store. Create one with {@link makeStorage}; pass it to
 * {@link layer} to share it between layers (a reopen).
 *
 * @category models
 * @since 0.1.0
 */
export interface MemoryStorage {
  /** Events by global position - 1. */
  readonly entries: Array<MemoryEntry>
  /** Each stream's global positions, by version - 1. */
  readonly streams: Map<string, Array<number>>
  /** Where each event id (lower case) is stored. */
  readonly ids: Map<string, AppendRules.StoredIdLocation>
  readonly checkpoints: Map<string, number>
  readonly projections: Map<string, ProjectionSnapshot>
  /** Keyed projection states: checkpoint and entries (key → JSON text of the value) by name. */
  readonly keyed: Map<string, { checkpoint: number; readonly entries: Map<string, string> }>
  readonly leases: Map<string, { readonly owner: string; readonly expiresAt: number }>
  readonly snapshots: Map<string, StreamSnapshot>
  /** Decoded records by reading codec (a codec other than the writer's decodes lazily). */
  readonly decoded: Map<EventCodec.EventCodec, Array<StoredEvent | undefined>>
  /** Completed (and replaced) whenever the head moves. */
  signal: Deferred.Deferred<void>
}

/**
 * Makes empty storage.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeStorage = (): MemoryStorage => ({
  entries: [],
  streams: new Map(),
  ids: new Map(),
  checkpoints: new Map(),
  projections: new Map(),
  keyed: new Map(),
  leases: new Map(),
  snapshots: new Map(),
  decoded: new Map(),
  signal: Deferred.makeUnsafe<void>()
})

/**
 * Options of a memory store.
 *
 * @category models
 * @since 0.1.0
 */
export interface MemoryStoreOptions {
  /** The data; default: fresh, empty storage. */
  readonly storage?: MemoryStorage
  /** The codec that encodes appends and decodes (and upcasts) reads; default: event-log-v1. */
  readonly codec?: EventCodec.EventCodec
  /** How many events a read step decodes at a time (default 256). */
  readonly pageSize?: number
}

/**
 * The services of a memory store.
 *
 * @category models
 * @since 0.1.0
 */
export interface MemoryStore extends StoreServices.StoreServices {
  readonly storage: MemoryStorage
  readonly appendBatch: AppendBatch.AppendBatch["Service"]
}

let lastMillis = Number.NaN
let lastIso = ""
/** The clock's time as ISO text, formatted once per millisecond (appends in one millisecond share it). */
const nowIso = (millis: number): string => {
  if (millis !== lastMillis) {
    lastIso = new Date(millis).toISOString()
    lastMillis = millis
  }
  return lastIso
}

/**
 * Makes the services of a memory store over `options.storage`: directly, not as
 * an `Effect` like the other adapters' `make`, since a memory store opens
 * nothing (see docs/store/writing-an-adapter.md, "make and layer").
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: MemoryStoreOptions = {}): MemoryStore => {
  const storage = options.storage ?? makeStorage()
  const codec = options.codec ?? EventCodec.EventLogCodec
  const pageSize = Math.max(1, options.pageSize ?? 256)
  let cache = storage.decoded.get(codec)
  if (cache === undefined) {
    cache = []
    storage.decoded.set(codec, cache)
  }
  const decodedCache = cache

  /** The record at `position`, decoded by this store's codec. */
  const recordAt = (position: number): Result.Result<StoredEvent, StoreErrors.StoreCorrupted> => {
    const hit = decodedCache[position - 1]
    if (hit !== undefined) return Result.succeed(hit)
    const entry = storage.entries[position - 1]
    if (entry === undefined) {
      return Result.fail(
        new StoreErrors.StoreCorrupted({
          message: `no event at position ${position}`,
          location: `position ${position}`
        })
      )
    }
    let record: StoredEvent
    if (entry.writer === codec) {
      record = entry.record
    } else {
      const decoded = codec.decodeRecord(entry.writer.encodeRecord(entry.record))
      if (Result.isFailure(decoded)) {
        const v = decoded.failure
        return Result.fail(
          new StoreErrors.StoreCorrupted({
            message: `the event at position ${position} does not decode: ${v.rule} at ${v.path}: ${v.message}`,
            location: `position ${position}`
          })
        )
      }
      record = decoded.success as StoredEvent
    }
    decodedCache[position - 1] = record
    return Result.succeed(record)
  }

  const decodeRange = (
    positions: ReadonlyArray<number>
  ): Effect.Effect<Array<StoredEvent>, StoreErrors.StoreCorrupted> =>
    Effect.suspend(() => {
      const out: Array<StoredEvent> = []
      for (const p of positions) {
        const r = recordAt(p)
        if (Result.isFailure(r)) return Effect.fail(r.failure)
        out.push(r.success)
      }
      return Effect.succeed(out)
    })

  const version = (stream: string): number => storage.streams.get(stream)?.length ?? 0

  const notify = (): void => {
    const previous = storage.signal
    storage.signal = Deferred.makeUnsafe<void>()
    Deferred.doneUnsafe(previous, Exit.void)
  }

  const view: AppendBatch.StoreView = {
    get head() {
      return storage.entries.length
    },
    version,
    lookupId: (id) => storage.ids.get(id.toLowerCase())
  }

  /** Decides and stores a batch in one synchronous step: checks and writes cannot interleave. */
  const commit = (
    appends: ReadonlyArray<AppendBatch.StreamAppend>,
    millis: number
  ): Effect.Effect<ReadonlyArray<EventStore.AppendResult>, StoreErrors.AppendError> => {
    const planned = AppendBatch.planAppends(appends, view, nowIso(millis), { codec })
    if (Result.isFailure(planned)) return Effect.fail(planned.failure)
    let wrote = false
    for (const a of planned.success.appends) {
      if (a.records.length === 0) continue
      wrote = true
      let positions = storage.streams.get(a.stream)
      if (positions === undefined) {
        positions = []
        storage.streams.set(a.stream, positions)
      }
      for (const record of a.records) {
        storage.entries.push({ writer: codec, record })
        decodedCache[record.position - 1] = record
        positions.push(record.position)
        if (record.id !== undefined) {
          storage.ids.set(record.id.toLowerCase(), {
            stream: a.stream,
            version: record.version,
            position: record.position
          })
        }
      }
    }
    if (wrote) notify()
    return Effect.succeed(planned.success.appends.map((a) => a.result))
  }

  const append: EventStore.EventStore["Service"]["append"] = (stream, events, expected) =>
    Effect.flatMap(Clock.currentTimeMillis, (millis) =>
      Effect.map(
        Effect.suspend(() => commit([{ stream, events, expected }], millis)),
        (results) => results[0] as EventStore.AppendResult
      )
    )

  const appendBatch: AppendBatch.AppendBatch["Service"]["appendBatch"] = (appends) =>
    Effect.flatMap(Clock.currentTimeMillis, (millis) => Effect.suspend(() => commit(appends, millis)))

  const readStream: EventStore.EventStore["Service"]["readStream"] = (stream, readOptions) =>
    Stream.suspend(() => Pagination.streamPages(storage.streams.get(stream) ?? [], readOptions, pageSize, decodeRange))

  /** Reads a page after `after` up to `until`: the matching records and the last position scanned. */
  const scan = (
    after: number,
    until: number,
    filter: EventStore.EventFilter,
    max: number
  ): Effect.Effect<readonly [Array<StoredEvent>, number], StoreErrors.StoreCorrupted> =>
    Effect.suspend(() => {
      const out: Array<StoredEvent> = []
      const filtered = filter.categories !== undefined || filter.types !== undefined
      let p = after
      let scanned = 0
      while (p < until && out.length < max && scanned < pageSize * 8) {
        p++
        scanned++
        if (filtered) {
          const entry = storage.entries[p - 1] as MemoryEntry
          // the stream and type never change across codecs: filter before decoding
          if (!EventStore.matchesFilter(filter, entry.record)) continue
        }
        const r = recordAt(p)
        if (Result.isFailure(r)) return Effect.fail(r.failure)
        out.push(r.success)
      }
      return Effect.succeed([out, p] as const)
    })

  const readAll: EventStore.EventStore["Service"]["readAll"] = (readOptions = {}) =>
    Stream.suspend(() => Pagination.allPages(readOptions, storage.entries.length, pageSize, scan))

  const subscribe: EventStore.EventStore["Service"]["subscribe"] = (subscribeOptions = {}) =>
    Stream.paginate(Math.max(0, subscribeOptions.after ?? 0), (after: number) =>
      Effect.suspend(
        (): Effect.Effect<readonly [ReadonlyArray<StoredEvent>, Option.Option<number>], StoreErrors.StoreCorrupted> => {
          // checking the head and taking the signal happen in one synchronous step:
          // an append after this step completes the signal we wait on
          const head = storage.entries.length
          if (head <= after) return Effect.as(Deferred.await(storage.signal), [[], Option.some(after)] as const)
          return Effect.map(
            scan(after, head, subscribeOptions, pageSize),
            ([records, last]) => [records, Option.some(last)] as const
          )
        }
      )
    )

  const eventStore = StoreServices.eventStore("memory", {
    append,
    readStream,
    readAll,
    subscribe,
    version: (stream) => Effect.sync(() => version(stream)),
    head: () => Effect.sync(() => storage.entries.length)
  })

  const checkpoints = Checkpoints.CheckpointStore.of({
    get: (name) => Effect.sync(() => storage.checkpoints.get(name) ?? 0),
    compareAndSet: (name, expected, next) =>
      Effect.sync(() => {
        if ((storage.checkpoints.get(name) ?? 0) !== expected) return false
        storage.checkpoints.set(name, next)
        return true
      })
  })

  const projections = Checkpoints.ProjectionStore.of({
    load: (name) => Effect.sync(() => Option.fromNullishOr(storage.projections.get(name))),
    save: (name, expectedCheckpoint, snapshot) =>
      Effect.sync(() => {
        if ((storage.projections.get(name)?.checkpoint ?? 0) !== expectedCheckpoint) return false
        // state and checkpoint are one value: they change together
        storage.projections.set(name, { checkpoint: snapshot.checkpoint, state: structuredClone(snapshot.state) })
        return true
      }),
    reset: (name) =>
      Effect.sync(() => {
        storage.projections.delete(name)
        storage.keyed.delete(name)
      }),
    loadKeyed: (name) =>
      Effect.sync(() => {
        const k = storage.keyed.get(name)
        if (k === undefined) return Option.none()
        const entries = Array.from(k.entries, ([key, text]) => [key, JSON.parse(text) as unknown] as const)
        entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
        return Option.some({ checkpoint: k.checkpoint, entries })
      }),
    saveChanges: (name, expectedCheckpoint, changes) =>
      Effect.sync(() => {
        const k = storage.keyed.get(name)
        if ((k?.checkpoint ?? 0) !== expectedCheckpoint) return false
        // kept by value (as JSON text: they are JSON values), copied before anything changes:
        // entries and checkpoint change together
        const changed = changes.changed.map(([key, v]) => [key, JSON.stringify(v)] as const)
        const target = k ?? { checkpoint: 0, entries: new Map<string, string>() }
        for (const key of changes.removed) target.entries.delete(key)
        for (const [key, v] of changed) target.entries.set(key, v)
        target.checkpoint = changes.checkpoint
        storage.keyed.set(name, target)
        return true
      }),
    acquireLease: (name, owner, ttlMillis) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Effect.sync(() => {
          const lease = storage.leases.get(name)
          if (lease !== undefined && lease.owner !== owner && lease.expiresAt > now) return false
          storage.leases.set(name, { owner, expiresAt: now + ttlMillis })
          return true
        })
      ),
    releaseLease: (name, owner) =>
      Effect.sync(() => {
        if (storage.leases.get(name)?.owner === owner) storage.leases.delete(name)
      })
  })

  const snapshots = Checkpoints.SnapshotStore.of({
    load: (stream, key) => Effect.sync(() => Option.fromNullishOr(storage.snapshots.get(`${key}\u0000${stream}`))),
    save: (stream, key, snapshot) =>
      Effect.sync(() => {
        storage.snapshots.set(`${key}\u0000${stream}`, {
          version: snapshot.version,
          state: structuredClone(snapshot.state)
        })
      })
  })

  return {
    storage,
    eventStore,
    checkpoints,
    projections,
    snapshots,
    appendBatch: StoreServices.appendBatch("memory", { appendBatch })
  }
}

/**
 * A layer of the four store services over one memory store, and its `AppendBatch`.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (options: MemoryStoreOptions = {}): Layer.Layer<StoreServices.BatchServices> =>
  Layer.syncContext(() => StoreServices.context(make(options)))
