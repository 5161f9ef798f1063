/**
 * Projection runners: run a projection (any `{ name, initial, apply,
 * encodeState, decodeState }`, such as the projections of `policy/`) over the
 * global log from its checkpoint, in batches, saving state and checkpoint
 * together after each batch.
 *
 * - **Checkpoints never run ahead.** A batch is applied, then its state and its
 *   last position are saved in one compare-and-set step
 *   (`ProjectionStore.save`). A crash between batches loses at most the
 *   unsaved batch, which is read again from the saved checkpoint, so nothing is
 *   counted twice. After any failure the runner reloads the saved state (a
 *   projection may update its state in place, so the in-memory state is never
 *   trusted beyond the last save).
 * - **One writer per projection.** A runner works only while it holds the
 *   projection's lease (`ProjectionStore.acquireLease`), renewed after every
 *   batch and by a heartbeat. Other runners of the same projection (in this or
 *   other processes) wait as followers, refreshing their state from the saved
 *   one, and take over when the lease is released or expires. Even a runner
 *   that lost its lease without noticing cannot overwrite newer work: its save
 *   expects the checkpoint it loaded.
 * - `whenCaughtUp` waits until the runner has processed everything up to the
 *   store's head at the time of the call; `lag` is the distance in global
 *   positions and the age of the oldest unprocessed event; `rebuild` resets the
 *   saved state and runs from zero.
 *
 * The same engine ({@link startWith}) runs effectful batch handlers: the
 * credit reactor uses it to append commands through command handling.
 *
 * @since 0.1.0
 */
import {
  Cause,
  Clock,
  Deferred,
  Effect,
  Exit,
  Fiber,
  Metric,
  Option,
  Random,
  Schedule,
  Schema,
  Scope,
  Stream
} from "effect"
import { ProjectionStore } from "./CheckpointStore.js"
import { type EventFilter, EventStore, matchesFilter, type StoredEvent } from "./EventStore.js"
import { count, Metrics, noStackTrace, withAttributes } from "./Observability.js"
import { isPermanentlyUnavailable, type ReadError } from "./StoreErrors.js"

/**
 * What a runner needs of a projection. The projections of `policy/Projection.ts`
 * fit it: `initial` is read for a fresh state each time, `apply` may update the
 * state in place, and `encodeState`/`decodeState` give the JSON form saved with
 * the checkpoint.
 *
 * @category models
 * @since 0.1.0
 */
export interface RunnableProjection<State> {
  readonly name: string
  readonly initial: State
  readonly apply: (state: State, record: StoredEvent) => State
  readonly encodeState: (state: State) => unknown
  readonly decodeState: (json: unknown) => State
  /** The state as entries by key: a store that keeps keyed state saves only the changed ones. */
  readonly keyed?: KeyedState<State>
}

/**
 * A projection state made of entries by key (the fact store's schools, members,
 * classes and credit ledgers, say): which keys a record can change, and each
 * entry's JSON form. With it, a runner over a store that keeps keyed state
 * (`ProjectionStore.saveChanges`) saves after a batch only the entries that the
 * batch's records changed, so a save costs what changed; elsewhere it saves the
 * whole state (`encodeState`), as for any projection.
 *
 * Law: `decodeEntries` of the entries `encodeEntry` gives for every key ever
 * answered by `keysOf` answers every query like the state itself.
 *
 * @category models
 * @since 0.1.0
 */
export interface KeyedState<State> {
  /** The keys of the entries that applying `record` may change (or remove). */
  readonly keysOf: (record: StoredEvent) => Iterable<string>
  /** The JSON form of an entry, or `undefined` when the state holds none under `key` (removed). */
  readonly encodeEntry: (state: State, key: string) => unknown
  /** A state from entries (as `encodeEntry` wrote them), in any order. */
  readonly decodeEntries: (entries: Iterable<readonly [string, unknown]>) => State
}

/**
 * An effectful batch handler: the general form of what a runner runs.
 *
 * @category models
 * @since 0.1.0
 */
export interface BatchHandler<State, E = never, R = never> {
  readonly name: string
  /** A fresh initial state on every read (the one shape of a fold's initial state, see `Projection`). */
  readonly initial: State
  /** Handles the records of one batch (already filtered); may update `state` in place. */
  readonly handleBatch: (state: State, records: ReadonlyArray<StoredEvent>) => Effect.Effect<State, E, R>
  readonly encodeState: (state: State) => unknown
  readonly decodeState: (json: unknown) => State
  /** Keyed saves (see {@link KeyedState}); only for handlers whose state is changed by `keysOf` alone. */
  readonly keyed?: KeyedState<State>
}

/**
 * Options of a runner.
 *
 * @category models
 * @since 0.1.0
 */
export interface RunnerOptions {
  /** The name its state, checkpoint and lease are saved under (default: the projection's name). */
  readonly name?: string
  /** At most this many events per batch, i.e. per save (default 500). */
  readonly batchSize?: number
  /** Only these events are applied; the checkpoint still moves past the others. */
  readonly filter?: EventFilter
  /** This runner's identity for the lease (default: random). */
  readonly owner?: string
  /** How long a lease lasts unless renewed (default 10 s); renewed every third of it. */
  readonly leaseTtlMillis?: number
  /**
   * A snapshot cadence: save state and checkpoint (together, as always) only once
   * at least `events` events were processed or `millis` milliseconds passed since
   * the last save, and whenever a batch reaches the store's head. A crash loses
   * at most the unsaved tail, which is read again from the saved checkpoint onto
   * the saved state (nothing is counted twice). Default: a save after every batch.
   * Use it for pure projections with large states (a catch-up saves the state
   * `events / saveEvery.events` times instead of once per batch); an effectful
   * handler replays its unsaved batches after a crash, so keep the default there
   * unless its effects are idempotent.
   */
  readonly saveEvery?: { readonly events?: number; readonly millis?: number }
  /** How to retry after `StoreUnavailable` (default: jittered exponential from 50 ms, capped at 5 s, forever). */
  readonly retrySchedule?: Schedule.Schedule<unknown, unknown>
}

/**
 * A runner stopped for good: the store is corrupted, or the handler failed.
 *
 * @category errors
 * @since 0.1.0
 */
export class ProjectionRunnerError extends Schema.TaggedError<ProjectionRunnerError>()("ProjectionRunnerError", {
  name: Schema.String,
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {}

/**
 * The runner does not hold the projection's lease (for `rebuild`).
 *
 * @category errors
 * @since 0.1.0
 */
export class NotLeaseHolder extends Schema.TaggedError<NotLeaseHolder>()("NotLeaseHolder", {
  name: Schema.String,
  owner: Schema.String
}) {}

/**
 * How far a projection is behind: in global positions, and the age in
 * milliseconds of the oldest event it has not processed (0 when caught up).
 *
 * @category models
 * @since 0.1.0
 */
export interface Lag {
  readonly events: number
  readonly millis: number
}

/**
 * A running projection.
 *
 * @category models
 * @since 0.1.0
 */
export interface ProjectionRunner<State> {
  readonly name: string
  readonly owner: string
  /** Reads the current state (do not keep it: the runner updates it). */
  readonly read: <A>(f: (state: State) => A) => Effect.Effect<A>
  /** The checkpoint of the current state. */
  readonly checkpoint: Effect.Effect<number>
  /** Whether this runner holds the lease (is the writer). */
  readonly isLeader: Effect.Effect<boolean>
  /** Waits until everything up to the store's head at call time is processed. */
  readonly whenCaughtUp: Effect.Effect<void, ProjectionRunnerError | ReadError>
  readonly lag: Effect.Effect<Lag, ReadError>
  /** Resets the saved state and checkpoint and runs from zero (needs the lease). */
  readonly rebuild: Effect.Effect<void, NotLeaseHolder | ReadError>
  /** Completes when the runner stops for good (with its error). */
  readonly stopped: Effect.Effect<never, ProjectionRunnerError>
}

class LeaseLost extends Schema.TaggedError<LeaseLost>()("LeaseLost", {}) {}

const instantMillis = (iso: string | undefined): number | undefined => {
  if (iso === undefined) return undefined
  const t = Date.parse(iso)
  return Number.isNaN(t) ? undefined : t
}

/**
 * The batch handler of a pure projection.
 *
 * @category utils
 * @since 0.1.0
 */
export const handlerOf = <State>(projection: RunnableProjection<State>): BatchHandler<State> => ({
  name: projection.name,
  get initial() {
    return projection.initial
  },
  handleBatch: (state, records) =>
    Effect.sync(() => {
      let s = state
      for (const r of records) s = projection.apply(s, r)
      return s
    }),
  encodeState: projection.encodeState,
  decodeState: projection.decodeState,
  ...(projection.keyed === undefined ? {} : { keyed: projection.keyed })
})

/**
 * Starts a runner of a batch handler in the current scope; closing the scope
 * stops it and releases its lease.
 *
 * @category runners
 * @since 0.1.0
 */
export const startWith = <State, E, R>(
  handler: BatchHandler<State, E, R>,
  options: RunnerOptions = {}
): Effect.Effect<ProjectionRunner<State>, never, EventStore | ProjectionStore | Scope.Scope | R> =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const projections = yield* ProjectionStore
    const scope = yield* Effect.scope
    const name = options.name ?? handler.name
    const owner =
      options.owner ?? `runner-${(yield* Random.nextInt).toString(36)}-${(yield* Random.nextInt).toString(36)}`
    const batchSize = Math.max(1, options.batchSize ?? 500)
    const ttl = Math.max(1, options.leaseTtlMillis ?? 10_000)
    const beat = Math.max(1, Math.floor(ttl / 3))
    const filter = options.filter ?? {}
    const filtered = filter.categories !== undefined || filter.types !== undefined
    const retrySchedule =
      options.retrySchedule ??
      Schedule.min([Schedule.exponential("50 millis"), Schedule.spaced("5 seconds")]).pipe(Schedule.jittered)
    const attrs = { projection: name }

    const cadence = options.saveEvery
    const saveEvents = cadence === undefined ? 0 : Math.max(1, cadence.events ?? Number.POSITIVE_INFINITY)
    const saveMillis = cadence === undefined ? 0 : Math.max(0, cadence.millis ?? Number.POSITIVE_INFINITY)

    let state: State = handler.initial
    /** The position processed into `state`. */
    let checkpoint = 0
    /** The checkpoint saved with the state (≤ checkpoint); the next save expects it. */
    let savedCheckpoint = 0
    let unsaved = 0
    let lastSaveAt = 0
    let leader = false
    let progress = Deferred.makeUnsafe<void>()
    const stopped = Deferred.makeUnsafe<never, ProjectionRunnerError>()
    const signal = () => {
      const previous = progress
      progress = Deferred.makeUnsafe<void>()
      Deferred.doneUnsafe(previous, Exit.void)
    }
    // keyed saves when both the handler and the store know them; else whole-state saves
    const keyed =
      handler.keyed !== undefined && projections.saveChanges !== undefined && projections.loadKeyed !== undefined
        ? { state: handler.keyed, save: projections.saveChanges, load: projections.loadKeyed }
        : undefined
    /** Keys changed since the last save (keyed saves). */
    const pending = new Set<string>()
    type Saved = Option.Option<{ readonly checkpoint: number; readonly decode: () => State }>
    // suspended: every run reads the store again
    const loadSaved: Effect.Effect<Saved, ReadError> = Effect.suspend(() =>
      keyed === undefined
        ? Effect.map(projections.load(name), (o) =>
            Option.map(o, (s) => ({ checkpoint: s.checkpoint, decode: () => handler.decodeState(s.state) }))
          )
        : Effect.map(keyed.load(name), (o) =>
            Option.map(o, (s) => ({ checkpoint: s.checkpoint, decode: () => keyed.state.decodeEntries(s.entries) }))
          )
    )
    const adopt = (snapshot: Saved) =>
      Effect.sync(() => {
        state = Option.isSome(snapshot) ? snapshot.value.decode() : handler.initial
        checkpoint = Option.isSome(snapshot) ? snapshot.value.checkpoint : 0
        savedCheckpoint = checkpoint
        unsaved = 0
        pending.clear()
        signal()
      })
    /** Saves state and checkpoint (whole, or the changed entries), expecting the saved checkpoint. */
    const saveState = (next: State, position: number): Effect.Effect<boolean, ReadError> => {
      if (keyed === undefined) {
        return projections.save(name, savedCheckpoint, { checkpoint: position, state: handler.encodeState(next) })
      }
      const changed: Array<readonly [string, unknown]> = []
      const removed: Array<string> = []
      for (const k of Array.from(pending).sort()) {
        const v = keyed.state.encodeEntry(next, k)
        if (v === undefined) removed.push(k)
        else changed.push([k, v])
      }
      return keyed.save(name, savedCheckpoint, { checkpoint: position, changed, removed })
    }

    /** Waits as a follower (refreshing from the saved state) until the lease is ours. */
    const acquire = Effect.gen(function* () {
      while (true) {
        if (yield* projections.acquireLease(name, owner, ttl)) {
          leader = true
          return
        }
        leader = false
        const saved = yield* loadSaved
        if ((Option.isSome(saved) ? saved.value.checkpoint : 0) !== checkpoint) yield* adopt(saved)
        yield* Effect.sleep(beat)
      }
    })

    const heartbeat = Effect.gen(function* () {
      while (true) {
        yield* Effect.sleep(beat)
        if (!(yield* projections.acquireLease(name, owner, ttl))) return yield* new LeaseLost()
      }
    })

    const processBatch = (records: ReadonlyArray<StoredEvent>) =>
      Effect.gen(function* () {
        const last = records[records.length - 1] as StoredEvent
        const relevant = filtered ? records.filter((r) => matchesFilter(filter, r)) : records
        if (keyed !== undefined) for (const r of relevant) for (const k of keyed.state.keysOf(r)) pending.add(k)
        const next = relevant.length === 0 ? state : yield* handler.handleBatch(state, relevant)
        const head = yield* store.head()
        const now = yield* Clock.currentTimeMillis
        unsaved += records.length
        const due =
          cadence === undefined || unsaved >= saveEvents || now - lastSaveAt >= saveMillis || last.position >= head
        if (due) {
          if (!(yield* projections.acquireLease(name, owner, ttl))) return yield* new LeaseLost()
          const saved = yield* saveState(next, last.position)
          if (!saved) return yield* new LeaseLost()
          savedCheckpoint = last.position
          unsaved = 0
          pending.clear()
          lastSaveAt = now
        }
        state = next
        checkpoint = last.position
        signal()
        const age = instantMillis(last.recordedAt)
        yield* count(Metrics.projectionBatches, attrs)
        yield* count(Metrics.projectionEvents, attrs, records.length)
        yield* Metric.update(withAttributes(Metrics.projectionLagEvents, attrs), Math.max(0, head - checkpoint))
        yield* Metric.update(
          withAttributes(Metrics.projectionLagMillis, attrs),
          head > checkpoint && age !== undefined ? Math.max(0, now - age) : 0
        )
      }).pipe(
        Effect.withSpan(
          "xueshi.projection.batch",
          { attributes: { projection: name, events: records.length, from: records[0]?.position ?? 0 } },
          noStackTrace
        )
      )

    const consume = Effect.gen(function* () {
      yield* acquire
      yield* adopt(yield* loadSaved)
      const run = store.subscribe({ after: checkpoint }).pipe(
        Stream.chunks,
        Stream.runForEach((chunk) =>
          Effect.gen(function* () {
            for (let i = 0; i < chunk.length; i += batchSize) yield* processBatch(chunk.slice(i, i + batchSize))
          })
        )
      )
      return yield* Effect.raceFirst(run, heartbeat)
    })

    // a store that can never take the write (a read-only opener's projection store) stops the runner at once
    const isRetryable = (e: unknown) =>
      typeof e === "object" &&
      e !== null &&
      (e as { _tag?: unknown })._tag === "StoreUnavailable" &&
      !isPermanentlyUnavailable(e)

    const context = yield* Effect.context<R>()
    const supervised = consume.pipe(
      Effect.catchTag("LeaseLost", () =>
        Effect.sync(() => {
          leader = false
        })
      ),
      Effect.retry({ while: isRetryable, schedule: retrySchedule }),
      Effect.forever,
      Effect.catchCause((cause) => {
        if (Cause.hasInterruptsOnly(cause)) return Effect.failCause(cause)
        const error = new ProjectionRunnerError({
          name,
          message: `projection ${name} stopped: ${Cause.pretty(cause)}`,
          cause: Cause.squash(cause)
        })
        return Effect.andThen(
          Effect.sync(() => {
            leader = false
            Deferred.doneUnsafe(stopped, Effect.fail(error))
            signal()
          }),
          projections.releaseLease(name, owner).pipe(Effect.ignore)
        )
      }),
      Effect.provideContext(context)
    )

    yield* Scope.addFinalizer(
      scope,
      Effect.suspend(() => {
        leader = false
        return projections.releaseLease(name, owner).pipe(Effect.ignore)
      })
    )
    let fiber = yield* Effect.forkIn(supervised, scope)

    const whenCaughtUp: Effect.Effect<void, ProjectionRunnerError | ReadError> = Effect.gen(function* () {
      const target = yield* store.head()
      while (checkpoint < target) {
        if (Deferred.isDoneUnsafe(stopped)) return yield* Deferred.await(stopped)
        const wait = progress
        yield* Effect.raceFirst(Deferred.await(wait), Deferred.await(stopped))
      }
    })

    const lag: Effect.Effect<Lag, ReadError> = Effect.gen(function* () {
      const cp = checkpoint
      const head = yield* store.head()
      if (head <= cp) return { events: 0, millis: 0 }
      const next = yield* store.readAll({ after: cp, limit: 1 }).pipe(Stream.runHead)
      const now = yield* Clock.currentTimeMillis
      const t = Option.isSome(next) ? instantMillis(next.value.recordedAt) : undefined
      return { events: head - cp, millis: t === undefined ? 0 : Math.max(0, now - t) }
    })

    const rebuild: Effect.Effect<void, NotLeaseHolder | ReadError> = Effect.gen(function* () {
      yield* Fiber.interrupt(fiber)
      const held = yield* projections.acquireLease(name, owner, ttl)
      if (held) {
        yield* projections.reset(name)
        yield* adopt(Option.none())
      }
      fiber = yield* Effect.forkIn(supervised, scope)
      if (!held) return yield* new NotLeaseHolder({ name, owner })
    })

    return {
      name,
      owner,
      read: (f) => Effect.sync(() => f(state)),
      checkpoint: Effect.sync(() => checkpoint),
      isLeader: Effect.sync(() => leader),
      whenCaughtUp,
      lag,
      rebuild,
      stopped: Deferred.await(stopped)
    } satisfies ProjectionRunner<State>
  })

/**
 * Starts a runner of a projection in the current scope (see the module docs).
 *
 * @category runners
 * @since 0.1.0
 */
export const start = <State>(
  projection: RunnableProjection<State>,
  options: RunnerOptions = {}
): Effect.Effect<ProjectionRunner<State>, never, EventStore | ProjectionStore | Scope.Scope> =>
  startWith(handlerOf(projection), options)
