/**
 * The file store: the event store, checkpoint, projection and snapshot stores
 * of one directory on disk (see docs/adapters/file.md).
 *
 * ```
 * <directory>/
 *   FORMAT                         {"format":"xueshi-file-store/1"}
 *   LOCK                           the writer's pid, host, start time
 *   segments/<20-digit first position>.jsonl          event-log-v1 lines + "$file"
 *   segments/<20-digit first position>.summary.json   per-segment summary
 *   quarantine/                    cut torn tails and set-aside segments
 *   state/{checkpoints,projections,leases,snapshots}/<escaped name>.json
 *   state/keyed/<escaped name>.jsonl   keyed projection state: a journal of saves
 * ```
 *
 * One writer process per directory (the lock); any number of read-only
 * openers, in any process, that can tail the log.
 *
 * @since 0.1.0
 */
import { mkdir } from "node:fs/promises"
import {
  type AppendBatch,
  CheckpointStore,
  EventCodec,
  type EventStore,
  Pagination,
  StoreErrors,
  StoreServices
} from "@xueshi/core"
import { Clock, Context, Effect, Layer, Option, type Scope, Semaphore, Stream } from "effect"
import { StoreLocked } from "./FileStoreErrors.js"
import { FileIo, Io } from "./internal/Io.js"
import { scopedLock } from "./internal/Lock.js"
import { type Durability, Log, toStoreError, unavailable } from "./internal/Log.js"
import { escapeName, KeyedJournals, StateFiles, snapshotFileName } from "./internal/State.js"
import type { RecoveryReport, RepairReport } from "./Recovery.js"

type StoredEvent = EventStore.StoredEvent
type ReadError = StoreErrors.ReadError

/**
 * When an append resolves: `always` after its data is flushed with fdatasync
 * (the default); `grouped` the same, but concurrent appends are coalesced into
 * one write and one flush (group commit); `never` without flushing (for tests
 * and bulk imports: a crash of the machine may lose acknowledged appends, a
 * crash of the process does not).
 *
 * @category models
 * @since 0.1.0
 */
export type FileDurability = Durability

/**
 * Options of a file store.
 *
 * @category models
 * @since 0.1.0
 */
export interface FileStoreOptions {
  /** The store's directory (created by a writer if absent). */
  readonly directory: string
  /** Default `always`. */
  readonly durability?: FileDurability
  /** A segment is rolled when an append would take it past this size (default 64 MiB, at most 1 GiB). */
  readonly segmentBytes?: number
  /** The active segment's summary is refreshed every this many bytes (default 4 MiB), bounding the scan at open. */
  readonly summaryIntervalBytes?: number
  /** Open without the write lock: appends and state writes fail; reads see what the writer appends. */
  readonly readOnly?: boolean
  /**
   * `quick` (default): trust a segment summary once its checksum, its size and its
   * last record check out, parse only what no summary covers. `full`: parse and
   * check every line of every segment.
   */
  readonly verify?: "quick" | "full"
  /**
   * Keep a mark of what was acknowledged (`segments/ACKNOWLEDGED`, one small
   * write and flush more per commit): then opening refuses a segment cut below
   * it, even exactly at an append boundary past its last summary, which the
   * lines alone cannot tell from a shorter log. Default `false` (see
   * docs/adapters/file-recovery.md, "What a truncation can hide").
   */
  readonly recordAcknowledged?: boolean
  /** How often a read-only subscription looks for new events, in milliseconds (default 50). */
  readonly pollMillis?: number
  /** The codec that encodes appends and decodes reads (default event-log-v1). */
  readonly codec?: EventCodec.EventCodec
}

/**
 * An open file store.
 *
 * @category models
 * @since 0.1.0
 */
export interface FileStoreService extends StoreServices.StoreServices {
  readonly appendBatch: AppendBatch.AppendBatch["Service"]
  readonly directory: string
  readonly readOnly: boolean
  readonly durability: FileDurability
  /** What opening did: torn tail cut, summaries rebuilt, what was scanned. */
  readonly recovery: RecoveryReport
  /** Flushes all appended data to disk (useful with `never`). */
  readonly flush: Effect.Effect<void, StoreErrors.StoreUnavailable | StoreErrors.StoreCorrupted>
  /** Read-only openers: reads what the writer appended since the last look (reads do this by themselves). */
  readonly refresh: Effect.Effect<void, ReadError>
}

/**
 * The file store service (beside the four port services its layer provides).
 *
 * @category services
 * @since 0.1.0
 */
export class FileStore extends Context.Service<FileStore, FileStoreService>()("@xueshi/adapter-file/FileStore") {}

/**
 * Errors of opening a file store.
 *
 * @category models
 * @since 0.1.0
 */
export type OpenError = StoreLocked | StoreErrors.StoreCorrupted | StoreErrors.StoreUnavailable

const MiB = 1024 * 1024

const openError = (e: unknown): OpenError => (e instanceof StoreLocked ? e : toStoreError(e))

const readError = (e: unknown): ReadError => toStoreError(e)

const appendError = (e: unknown): StoreErrors.AppendError =>
  e instanceof StoreErrors.WrongExpectedVersion ||
  e instanceof StoreErrors.DuplicateEventConflict ||
  e instanceof StoreErrors.EventEncodingError
    ? e
    : toStoreError(e)

const tryRead = <A>(f: () => Promise<A>): Effect.Effect<A, ReadError> => Effect.tryPromise({ try: f, catch: readError })

/** The file operations: the provided `FileIo` (tests inject faults there), or Node's. */
const ioOf = Effect.map(
  Effect.serviceOption(FileIo),
  Option.getOrElse(() => new Io(undefined))
)

const configOf = (options: FileStoreOptions, io: Io) => {
  const segmentBytes = Math.floor(options.segmentBytes ?? 64 * MiB)
  if (!(segmentBytes >= 1 && segmentBytes <= 1024 * MiB)) throw new RangeError("segmentBytes must be in 1 … 1 GiB")
  return {
    directory: options.directory,
    durability: options.durability ?? "always",
    segmentBytes,
    summaryIntervalBytes: Math.max(1, Math.floor(options.summaryIntervalBytes ?? 4 * MiB)),
    readOnly: options.readOnly ?? false,
    verify: options.verify ?? "quick",
    recordAcknowledged: options.recordAcknowledged ?? false,
    codec: options.codec ?? EventCodec.EventLogCodec,
    io
  } as const
}

/**
 * Opens (or creates) a file store in a scope: takes the write lock (unless
 * read-only), reads the segment summaries, scans what they do not cover and
 * cuts a torn tail into quarantine. Closing the scope waits for pending
 * appends, writes the active segment's summary and releases the lock.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (options: FileStoreOptions): Effect.Effect<FileStoreService, OpenError, Scope.Scope> =>
  Effect.gen(function* () {
    const io = yield* ioOf
    const config = yield* Effect.try({ try: () => configOf(options, io), catch: (e) => toStoreError(e) })
    const { directory, readOnly, durability } = config
    if (!readOnly) {
      yield* Effect.tryPromise({ try: () => mkdir(directory, { recursive: true }), catch: openError })
      yield* scopedLock(io, directory)
    }
    const log = new Log(config)
    const { report } = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: async () => {
          try {
            return await log.open()
          } catch (e) {
            await log.close().catch(() => undefined)
            throw e
          }
        },
        catch: openError
      }),
      () => Effect.promise(() => log.close().catch(() => undefined))
    )
    const state = new StateFiles(directory, io, durability !== "never", readOnly)
    const keyed = new KeyedJournals(state)
    const pollMillis = Math.max(1, options.pollMillis ?? 50)

    const refresh = tryRead(() => log.refresh())

    /** Waits until the head passes `after` (or the store closes). */
    const waitForMore = (after: number): Effect.Effect<void, ReadError> =>
      readOnly
        ? Effect.gen(function* () {
            for (;;) {
              yield* refresh
              if (log.head > after || log.isClosed) return
              yield* Effect.sleep(pollMillis)
            }
          })
        : Effect.callback<void>((resume) => {
            if (log.head > after || log.isClosed) {
              resume(Effect.void)
              return
            }
            const cancel = log.onCommit(() => resume(Effect.void))
            return Effect.sync(cancel)
          })

    const append: EventStore.EventStore["Service"]["append"] = (stream, events, expected) =>
      Effect.flatMap(Clock.currentTimeMillis, (millis) =>
        Effect.tryPromise({
          try: () => log.append(stream, events, expected, new Date(millis).toISOString()),
          catch: appendError
        })
      )

    const appendBatch: AppendBatch.AppendBatch["Service"]["appendBatch"] = (appends) =>
      Effect.flatMap(Clock.currentTimeMillis, (millis) =>
        Effect.tryPromise({
          try: () => log.appendBatch(appends, new Date(millis).toISOString()),
          catch: appendError
        })
      )

    const readStream: EventStore.EventStore["Service"]["readStream"] = (stream, readOptions) =>
      Stream.unwrap(
        Effect.map(refresh, () =>
          Pagination.streamPages(log.positionsOf(stream), readOptions, Log.PAGE, (page) =>
            tryRead(() => log.readPositions(page))
          )
        )
      )

    /** Reads after `after` up to `until`, at most `max` matching: the records and the last position looked at. */
    const scan = (
      after: number,
      until: number,
      filter: EventStore.EventFilter,
      max: number
    ): Effect.Effect<readonly [Array<StoredEvent>, number], ReadError> =>
      tryRead(async () => {
        const categories = filter.categories as ReadonlyArray<string> | undefined
        const types = filter.types as ReadonlyArray<unknown> | undefined
        const keep = types === undefined ? undefined : (json: Record<string, unknown>) => types.includes(json.type)
        const out: Array<StoredEvent> = []
        const budget = Log.PAGE * 8
        let p = after
        while (p < until && out.length < max && p - after < budget) {
          const batch: Array<number> = []
          while (p < until && batch.length < max - out.length && p - after < budget) {
            p++
            if (categories !== undefined) {
              const stream = log.streamOfPosition(p)
              if (!categories.includes(stream.slice(0, stream.indexOf("-")))) continue
            }
            batch.push(p)
          }
          for (const record of await log.readPositions(batch, keep)) out.push(record)
        }
        return [out, p] as const
      })

    const readAll: EventStore.EventStore["Service"]["readAll"] = (readOptions = {}) =>
      Stream.unwrap(Effect.map(refresh, () => Pagination.allPages(readOptions, log.head, Log.PAGE, scan)))

    const subscribe: EventStore.EventStore["Service"]["subscribe"] = (subscribeOptions = {}) =>
      Stream.paginate(Math.max(0, subscribeOptions.after ?? 0), (after: number) =>
        Effect.gen(function* () {
          yield* refresh
          const head = log.head
          if (head <= after) {
            // a subscription that outlives its store ends with an error instead of spinning
            if (log.isClosed) return yield* Effect.fail(unavailable("the store is closed"))
            yield* waitForMore(after)
            return [[], Option.some(after)] as const
          }
          const [records, last] = yield* scan(after, head, subscribeOptions, Log.PAGE)
          return [records, Option.some(last)] as const
        })
      )

    const eventStore = StoreServices.eventStore("file", {
      append,
      readStream,
      readAll,
      subscribe,
      version: (stream) => Effect.map(refresh, () => log.version(stream)),
      head: () => Effect.map(refresh, () => log.head)
    })

    const stateRead = <A>(f: () => Promise<A>) => tryRead(f)
    /** State mutations run one at a time (compare-and-set within the writer process); once started, to the end. */
    const stateLock = yield* Semaphore.make(1)
    const stateWrite = <A>(f: () => Promise<A>) =>
      stateLock.withPermit(
        Effect.uninterruptible(
          tryRead(async () => {
            state.assertWritable()
            return f()
          })
        )
      )

    const checkpoints = CheckpointStore.CheckpointStore.of({
      get: (name) =>
        stateRead(async () => {
          const j = await state.read("checkpoints", `${escapeName(name)}.json`, { name })
          return typeof j?.checkpoint === "number" ? j.checkpoint : 0
        }),
      compareAndSet: (name, expected, next) =>
        stateWrite(async () => {
          const file = `${escapeName(name)}.json`
          const j = await state.read("checkpoints", file, { name })
          const current = typeof j?.checkpoint === "number" ? j.checkpoint : 0
          if (current !== expected) return false
          await state.write("checkpoints", file, { name, checkpoint: next })
          return true
        })
    })

    const loadProjection = async (name: string): Promise<CheckpointStore.ProjectionSnapshot | undefined> => {
      const j = await state.read("projections", `${escapeName(name)}.json`, { name })
      return j === undefined || typeof j.checkpoint !== "number"
        ? undefined
        : { checkpoint: j.checkpoint, state: j.state }
    }

    const projections = CheckpointStore.ProjectionStore.of({
      load: (name) => stateRead(async () => Option.fromNullishOr(await loadProjection(name))),
      save: (name, expectedCheckpoint, snapshot) =>
        stateWrite(async () => {
          if (((await loadProjection(name))?.checkpoint ?? 0) !== expectedCheckpoint) return false
          await state.write("projections", `${escapeName(name)}.json`, {
            name,
            checkpoint: snapshot.checkpoint,
            state: snapshot.state
          })
          return true
        }),
      reset: (name) =>
        stateWrite(async () => {
          await state.remove("projections", `${escapeName(name)}.json`)
          await keyed.remove(name)
        }),
      loadKeyed: (name) =>
        stateRead(async () => {
          const read = await keyed.read(name)
          return read === undefined
            ? Option.none()
            : Option.some({ checkpoint: read.journal.checkpoint, entries: read.entries })
        }),
      saveChanges: (name, expectedCheckpoint, changes) =>
        stateWrite(() => keyed.save(name, expectedCheckpoint, changes)),
      acquireLease: (name, owner, ttlMillis) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          stateWrite(async () => {
            const file = `${escapeName(name)}.json`
            const lease = await state.read("leases", file, { name })
            if (lease !== undefined && lease.owner !== owner && (lease.expiresAt as number) > now) return false
            await state.write("leases", file, { name, owner, expiresAt: now + ttlMillis })
            return true
          })
        ),
      releaseLease: (name, owner) =>
        stateWrite(async () => {
          const file = `${escapeName(name)}.json`
          const lease = await state.read("leases", file, { name })
          if (lease?.owner === owner) await state.remove("leases", file)
        })
    })

    const snapshotFile = snapshotFileName
    const snapshots = CheckpointStore.SnapshotStore.of({
      load: (stream, key) =>
        stateRead(async () => {
          const j = await state.read("snapshots", snapshotFile(stream, key), { stream, key })
          return j === undefined || typeof j.version !== "number"
            ? Option.none()
            : Option.some({ version: j.version, state: j.state })
        }),
      save: (stream, key, snapshot) =>
        stateWrite(() =>
          state.write("snapshots", snapshotFile(stream, key), {
            stream,
            key,
            version: snapshot.version,
            state: snapshot.state
          })
        )
    })

    return {
      directory,
      readOnly,
      durability,
      recovery: report,
      eventStore,
      checkpoints,
      projections,
      snapshots,
      appendBatch: StoreServices.appendBatch("file", { appendBatch }),
      flush: Effect.tryPromise({ try: () => log.flush(), catch: (e) => toStoreError(e) }),
      refresh
    } satisfies FileStoreService
  })

/**
 * @deprecated use {@link make}
 * @category constructors
 * @since 0.1.0
 */
export const makeFileStore = make

/**
 * A layer of a file store: {@link FileStore} and the four port services.
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (options: FileStoreOptions): Layer.Layer<FileStore | StoreServices.BatchServices, OpenError> =>
  Layer.effectContext(Effect.map(make(options), (store) => Context.add(StoreServices.context(store), FileStore, store)))

/**
 * @deprecated use {@link layer}
 * @category layers
 * @since 0.1.0
 */
export const layerFileStore = layer

/**
 * Repairs a store that refuses to open with `StoreCorrupted`: takes the write
 * lock, checks every line, and moves everything from the first bad record (from
 * the start of the append it belongs to) into `quarantine/`: the rest of that
 * segment and every later segment. Reports what it set aside. A healthy store
 * is left as it is (`repaired: false`).
 *
 * @category utils
 * @since 0.1.0
 */
export const repairFileStore = (options: {
  readonly directory: string
  readonly codec?: EventCodec.EventCodec
}): Effect.Effect<RepairReport, StoreLocked | StoreErrors.StoreUnavailable | StoreErrors.StoreCorrupted> =>
  Effect.scoped(
    Effect.gen(function* () {
      const io = yield* ioOf
      const config = configOf(
        { directory: options.directory, verify: "full", ...(options.codec ? { codec: options.codec } : {}) },
        io
      )
      yield* scopedLock(io, options.directory)
      const log = new Log(config)
      const { repair } = yield* Effect.acquireRelease(
        Effect.tryPromise({ try: () => log.open({ repair: true }), catch: openError }),
        () => Effect.promise(() => log.close().catch(() => undefined))
      )
      return repair as RepairReport
    })
  )
