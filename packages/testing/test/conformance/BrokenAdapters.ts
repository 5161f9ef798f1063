/**
 * Deliberately broken adapters: each wraps the (correct) memory adapter and
 * breaks ONE rule of the port, the way real event stores get it wrong. The
 * self-test runs the conformance checks against each and expects the named
 * checks to fail.
 */
import { AppendBatch, CheckpointStore, EventStore } from "@xueshi/core"
import { Context, Effect, Layer, Option, PubSub, Stream } from "effect"
// A relative import keeps the package graph acyclic (adapter-memory's tests depend on @xueshi/testing).
import { MemoryEventStore } from "../../../adapter-memory/src/index.js"
import type { Reopen, StoreServices } from "../../src/conformance/Harness.js"

type Services = {
  eventStore: EventStore.EventStore["Service"]
  checkpoints: CheckpointStore.CheckpointStore["Service"]
  projections: CheckpointStore.ProjectionStore["Service"]
  snapshots: CheckpointStore.SnapshotStore["Service"]
}

/** A layer of the memory adapter with some of its services replaced. */
const breaking = (
  modify: (s: Services) => Effect.Effect<Partial<Services>>,
  options: MemoryEventStore.MemoryStoreOptions = {}
): Layer.Layer<StoreServices> =>
  Layer.effectContext(
    Effect.gen(function* () {
      const m = MemoryEventStore.make(options)
      const s: Services = {
        eventStore: m.eventStore,
        checkpoints: m.checkpoints,
        projections: m.projections,
        snapshots: m.snapshots
      }
      const r = { ...s, ...(yield* modify(s)) }
      return Context.make(EventStore.EventStore, r.eventStore).pipe(
        Context.add(CheckpointStore.CheckpointStore, r.checkpoints),
        Context.add(CheckpointStore.ProjectionStore, r.projections),
        Context.add(CheckpointStore.SnapshotStore, r.snapshots)
      )
    })
  )

/** A layer of the memory adapter whose `AppendBatch` is replaced (the rest of the store is correct). */
const breakingBatch = (
  appendBatch: (m: MemoryEventStore.MemoryStore) => AppendBatch.AppendBatch["Service"]["appendBatch"]
): Layer.Layer<StoreServices> =>
  Layer.syncContext(() => {
    const m = MemoryEventStore.make()
    return Context.add(
      Context.make(EventStore.EventStore, m.eventStore).pipe(
        Context.add(CheckpointStore.CheckpointStore, m.checkpoints),
        Context.add(CheckpointStore.ProjectionStore, m.projections),
        Context.add(CheckpointStore.SnapshotStore, m.snapshots)
      ),
      AppendBatch.AppendBatch,
      AppendBatch.AppendBatch.of({ appendBatch: appendBatch(m) })
    )
  })

const withStore = (s: Services, patch: Partial<EventStore.EventStore["Service"]>) =>
  Effect.succeed({ eventStore: EventStore.EventStore.of({ ...s.eventStore, ...patch }) })

/** A broken adapter and the checks that must catch it. */
export interface BrokenAdapter {
  readonly name: string
  readonly fault: string
  readonly makeLayer: () => Layer.Layer<StoreServices>
  readonly reopen?: Reopen<MemoryEventStore.MemoryStorage>
  readonly caughtBy: ReadonlyArray<string>
}

const memoryReopen: Reopen<MemoryEventStore.MemoryStorage> = {
  storage: Effect.sync(() => MemoryEventStore.makeStorage()),
  makeLayer: (storage, options) =>
    MemoryEventStore.layer(options.codec === undefined ? { storage } : { storage, codec: options.codec })
}

/** Every broken adapter. */
export const brokenAdapters: ReadonlyArray<BrokenAdapter> = [
  {
    name: "batchNotAtomic",
    fault: "a batch runs its appends one by one, so a refused append leaves the ones before it stored",
    makeLayer: () =>
      breakingBatch(
        (m) => (appends) => Effect.forEach(appends, (a) => m.eventStore.append(a.stream, a.events, a.expected))
      ),
    caughtBy: ["batch.allOrNothing"]
  },
  {
    name: "batchByStream",
    fault: "a batch writes its appends grouped by stream, not in the batch's order",
    makeLayer: () =>
      breakingBatch((m) => (appends) => {
        const order = appends
          .map((a, i) => [a, i] as const)
          .sort((x, y) => (x[0].stream < y[0].stream ? -1 : x[0].stream > y[0].stream ? 1 : x[1] - y[1]))
        return Effect.map(
          (m.appendBatch as AppendBatch.AppendBatch["Service"]).appendBatch(order.map(([a]) => a)),
          (results) => {
            const out: Array<EventStore.AppendResult> = []
            order.forEach(([, i], k) => {
              out[i] = results[k] as EventStore.AppendResult
            })
            return out
          }
        )
      }),
    caughtBy: ["batch.sameAsAppends"]
  },
  {
    name: "batchIgnoresExpected",
    fault: "a batch appends with any expected version (no check), so racing writers land where they did not expect",
    makeLayer: () =>
      breakingBatch(
        (m) => (appends) =>
          (m.appendBatch as AppendBatch.AppendBatch["Service"]).appendBatch(
            appends.map((a) => ({ ...a, expected: "any" }))
          )
      ),
    caughtBy: ["batch.concurrent"]
  },
  {
    name: "batchDropsIds",
    fault: "a batch drops the events' ids, so the same batch again is written twice",
    makeLayer: () =>
      breakingBatch(
        (m) => (appends) =>
          (m.appendBatch as AppendBatch.AppendBatch["Service"]).appendBatch(
            appends.map((a) => ({ ...a, events: a.events.map((e) => ({ event: e.event })) }))
          )
      ),
    caughtBy: ["batch.retry", "batch.sameAsAppends"]
  },
  {
    name: "ignoresNoStream",
    fault: "treats expected noStream as any (a PostgreSQL store that does no check)",
    makeLayer: () =>
      breaking((s) =>
        withStore(s, {
          append: (stream, events, expected) =>
            s.eventStore.append(stream, events, expected === "noStream" ? "any" : expected)
        })
      ),
    caughtBy: ["append.expectedVersion.existingStream", "append.empty"]
  },
  {
    name: "streamExistsUnchecked",
    fault: "treats streamExists as no check",
    makeLayer: () =>
      breaking((s) =>
        withStore(s, {
          append: (stream, events, expected) =>
            s.eventStore.append(stream, events, expected === "streamExists" ? "any" : expected)
        })
      ),
    caughtBy: ["append.expectedVersion.newStream", "append.expectedVersion.failedOnlyStream"]
  },
  {
    name: "skipsInReadAll",
    fault: "readAll skips the second event it would return",
    makeLayer: () =>
      breaking((s) =>
        withStore(s, {
          readAll: (options) =>
            s.eventStore.readAll(options).pipe(
              Stream.zipWithIndex,
              Stream.filter(([, i]) => i !== 1),
              Stream.map(([r]) => r)
            )
        })
      ),
    caughtBy: ["append.result", "read.allOrderAndFilters", "transfer.roundTrip"]
  },
  {
    name: "notAtomic",
    fault: "appends event by event, so an invalid event leaves the events before it stored",
    makeLayer: () =>
      breaking((s) =>
        withStore(s, {
          append: (stream, events, expected) =>
            Effect.gen(function* () {
              let last: EventStore.AppendResult = {
                stream,
                version: yield* s.eventStore.version(stream),
                positions: []
              }
              const positions: Array<number> = []
              for (const [i, e] of events.entries()) {
                last = yield* s.eventStore
                  .append(stream, [e], i === 0 ? expected : "any")
                  .pipe(
                    Effect.mapError((err) =>
                      err._tag === "EventEncodingError" ? ({ ...err, index: i } as typeof err) : err
                    )
                  )
                positions.push(...last.positions)
              }
              return { ...last, positions }
            })
        })
      ),
    caughtBy: ["append.atomicity", "append.expectedVersion.failedOnlyStream"]
  },
  {
    name: "unlockedAppend",
    fault: "checks the expected version, yields, then writes: concurrent writers both pass the check",
    makeLayer: () =>
      breaking((s) =>
        withStore(s, {
          append: (stream, events, expected) =>
            Effect.gen(function* () {
              const current = yield* s.eventStore.version(stream)
              yield* Effect.yieldNow
              return yield* s.eventStore.append(
                stream,
                events,
                typeof expected === "number" && expected === current ? "any" : expected
              )
            })
        })
      ),
    caughtBy: ["concurrency.exactVersionRace", "concurrency.versions"]
  },
  {
    name: "ignoresEventIds",
    fault: "drops event ids, so a retried append is written twice",
    makeLayer: () =>
      breaking((s) =>
        withStore(s, {
          append: (stream, events, expected) =>
            s.eventStore.append(
              stream,
              events.map(({ id: _id, ...rest }) => rest),
              expected
            )
        })
      ),
    caughtBy: ["append.idempotentRetry", "append.partialOverlap", "read.records", "transfer.roundTrip"]
  },
  {
    name: "subscribeGap",
    fault: "subscribe reads the catch-up, then subscribes to live events: events written in between are lost",
    makeLayer: () =>
      breaking((s) =>
        Effect.gen(function* () {
          const live = yield* PubSub.unbounded<EventStore.StoredEvent>()
          return {
            eventStore: EventStore.EventStore.of({
              ...s.eventStore,
              append: (stream, events, expected) =>
                Effect.tap(s.eventStore.append(stream, events, expected), (r) =>
                  r.positions.length === 0
                    ? Effect.void
                    : s.eventStore.readAll({ after: (r.positions[0] as number) - 1, limit: r.positions.length }).pipe(
                        Stream.runForEach((e) => PubSub.publish(live, e)),
                        Effect.orDie
                      )
                ),
              subscribe: (options = {}) =>
                Stream.concat(
                  s.eventStore.readAll(options),
                  Stream.unwrap(
                    Effect.as(
                      Effect.yieldNow,
                      Stream.fromPubSub(live).pipe(Stream.filter((e) => EventStore.matchesFilter(options, e)))
                    )
                  )
                )
            })
          }
        })
      ),
    caughtBy: ["subscribe.concurrentWriters"]
  },
  {
    name: "subscribeRepeats",
    fault: "subscribe re-delivers the event at its checkpoint",
    makeLayer: () =>
      breaking((s) =>
        withStore(s, {
          subscribe: (options = {}) =>
            s.eventStore.subscribe({ ...options, after: Math.max(0, (options.after ?? 0) - 1) })
        })
      ),
    caughtBy: ["subscribe.catchUpThenLive", "subscribe.concurrentWriters"]
  },
  {
    name: "backwardsIgnored",
    fault: "readStream reads forwards whatever the direction",
    makeLayer: () =>
      breaking((s) =>
        withStore(s, {
          readStream: (stream, options = {}) => {
            const { direction: _d, ...rest } = options
            return s.eventStore.readStream(stream, rest)
          }
        })
      ),
    caughtBy: ["read.streamRanges"]
  },
  {
    name: "diesOnMissingStream",
    fault: "readStream of a missing stream dies instead of reading nothing",
    makeLayer: () =>
      breaking((s) =>
        withStore(s, {
          readStream: (stream, options) =>
            Stream.unwrap(
              Effect.map(s.eventStore.version(stream), (v) =>
                v === 0 ? Stream.die(new Error(`no stream ${stream}`)) : s.eventStore.readStream(stream, options)
              )
            )
        })
      ),
    caughtBy: ["append.expectedVersion.newStream", "read.streamRanges", "transfer.commandIntegrity"]
  },
  {
    name: "checkpointCasIgnoresExpected",
    fault: "compareAndSet always sets",
    makeLayer: () =>
      breaking((s) =>
        Effect.succeed({
          checkpoints: CheckpointStore.CheckpointStore.of({
            ...s.checkpoints,
            compareAndSet: (name, _expected, next) =>
              Effect.flatMap(s.checkpoints.get(name), (current) => s.checkpoints.compareAndSet(name, current, next))
          })
        })
      ),
    caughtBy: ["checkpoints.compareAndSet"]
  },
  {
    name: "checkpointAheadOfState",
    fault: "saves the new checkpoint with the previous state: the checkpoint runs ahead of the state it claims",
    makeLayer: () =>
      breaking((s) =>
        Effect.sync(() => {
          const previous = new Map<string, unknown>()
          return {
            projections: CheckpointStore.ProjectionStore.of({
              ...s.projections,
              save: (name, expected, snapshot) => {
                const state = previous.has(name) ? previous.get(name) : snapshot.state
                return Effect.tap(
                  s.projections.save(name, expected, { checkpoint: snapshot.checkpoint, state }),
                  (ok) =>
                    Effect.sync(() => {
                      if (ok) previous.set(name, snapshot.state)
                    })
                )
              }
            })
          }
        })
      ),
    caughtBy: ["projections.stateAndCheckpointTogether", "projections.runnerCrashNeverDoubleCounts"]
  },
  {
    name: "projectionSaveIgnoresExpected",
    fault: "saves projection state without comparing the checkpoint (a stale writer overwrites newer work)",
    makeLayer: () =>
      breaking((s) =>
        Effect.succeed({
          projections: CheckpointStore.ProjectionStore.of({
            ...s.projections,
            save: (name, _expected, snapshot) =>
              Effect.flatMap(s.projections.load(name), (current) =>
                s.projections.save(name, current._tag === "Some" ? current.value.checkpoint : 0, snapshot)
              )
          })
        })
      ),
    caughtBy: ["projections.stateAndCheckpointTogether"]
  },
  {
    name: "keyedIgnoresExpected",
    fault: "saves keyed changes without comparing the checkpoint (a stale runner overwrites newer entries)",
    makeLayer: () =>
      breaking((s) =>
        Effect.succeed({
          projections: CheckpointStore.ProjectionStore.of({
            ...s.projections,
            saveChanges: (name, _expected, changes) =>
              Effect.flatMap(s.projections.loadKeyed?.(name) ?? Effect.succeed(Option.none()), (current) =>
                (s.projections.saveChanges as NonNullable<typeof s.projections.saveChanges>)(
                  name,
                  Option.isSome(current) ? current.value.checkpoint : 0,
                  changes
                )
              )
          })
        })
      ),
    caughtBy: ["projections.keyedChangesTogether"]
  },
  {
    name: "keyedForgetsCheckpoint",
    fault: "loads keyed entries without their checkpoint: a restarted runner folds the events again onto them",
    makeLayer: () =>
      breaking((s) =>
        Effect.succeed({
          projections: CheckpointStore.ProjectionStore.of({
            ...s.projections,
            loadKeyed: (name) =>
              Effect.map(
                (s.projections.loadKeyed as NonNullable<typeof s.projections.loadKeyed>)(name),
                Option.map((snapshot) => ({ checkpoint: 0, entries: snapshot.entries }))
              )
          })
        })
      ),
    caughtBy: ["projections.keyedRunner"]
  },
  {
    name: "keyedKeepsLastSave",
    fault: "keeps only the entries of the last keyed save (each save replaces the state instead of changing it)",
    makeLayer: () =>
      breaking((s) =>
        Effect.succeed({
          projections: CheckpointStore.ProjectionStore.of({
            ...s.projections,
            saveChanges: (name, expected, changes) =>
              Effect.flatMap(s.projections.loadKeyed?.(name) ?? Effect.succeed(Option.none()), (current) =>
                (s.projections.saveChanges as NonNullable<typeof s.projections.saveChanges>)(name, expected, {
                  ...changes,
                  // every key saved before and not in this save is dropped
                  removed: [
                    ...changes.removed,
                    ...(Option.isSome(current)
                      ? current.value.entries
                          .map(([key]) => key)
                          .filter((key) => !changes.changed.some(([k]) => k === key))
                      : [])
                  ]
                })
              )
          })
        })
      ),
    caughtBy: ["projections.keyedRunner", "projections.keyedChangesTogether"]
  },
  {
    name: "leaseAlwaysGranted",
    fault: "grants a lease to whoever asks",
    makeLayer: () =>
      breaking((s) =>
        Effect.succeed({
          projections: CheckpointStore.ProjectionStore.of({
            ...s.projections,
            acquireLease: () => Effect.succeed(true)
          })
        })
      ),
    caughtBy: ["projections.leases", "projections.runnerOneWriter"]
  },
  {
    name: "forgetfulReopen",
    fault: "persists nothing: a reopened store is empty",
    makeLayer: () => MemoryEventStore.layer(),
    reopen: {
      ...memoryReopen,
      makeLayer: (_storage, options) => memoryReopen.makeLayer(MemoryEventStore.makeStorage(), options)
    },
    caughtBy: ["reopen.durable", "reopen.upcastOnRead"]
  },
  {
    name: "noUpcasting",
    fault: "ignores the codec it is opened with, so older payloads are never upcast",
    makeLayer: () => MemoryEventStore.layer(),
    reopen: { ...memoryReopen, makeLayer: (storage) => memoryReopen.makeLayer(storage, {}) },
    caughtBy: ["reopen.upcastOnRead"]
  }
]

/** The correct adapter the broken ones wrap, with its reopen hook. */
export const correct = {
  makeLayer: (): Layer.Layer<StoreServices> => MemoryEventStore.layer(),
  reopen: memoryReopen
}
