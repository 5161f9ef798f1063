/**
 * Command handling over the store port: load a stream's state (snapshot +
 * tail), decide, append with the loaded version as the expected version, and
 * on `WrongExpectedVersion` (someone wrote in between) start again, on a
 * bounded, jittered schedule.
 *
 * ```ts
 * const result = yield* CommandHandler.handle(
 *   "class-C1",
 *   ClassDecider.ClassDecider,
 *   Commands.makeCommand("RecordAttendance", { classId, sessionId, memberId, minutes: 90 })
 * )
 * ```
 *
 * Errors are typed: the decider's `RuleViolation`, and the store's append and
 * read errors (`WrongExpectedVersion` only once the retries are spent).
 * Snapshots are optional per decider (a {@link SnapshotPolicy}); they are read
 * and written through the `SnapshotStore` when one is provided, and a missing,
 * stale or undecodable snapshot only means a longer replay.
 *
 * @since 0.1.0
 */
import { Effect, Option, Schedule, Stream } from "effect"
import { v5 as uuidV5, validate as uuidValidate, version as uuidVersion } from "uuid"
import { type Command, CommandEvents, eventOfCommand } from "../Commands.js"
import type { Decider, ReferencedFacts } from "../Decider.js"
import { type DomainEvent, EventCatalogue, streamOf } from "../Events.js"
import type { MemberState } from "../MemberDecider.js"
import { checkReferences, type ReferenceCheck, referencedStreams, sessionIn } from "../References.js"
import type { RuleViolation } from "../Rules.js"
import type { SchoolState } from "../SchoolDecider.js"
import { StreamKinds } from "../StreamKinds.js"
import { SnapshotStore } from "./CheckpointStore.js"
import { type AppendResult, EventStore, type EventToAppend } from "./EventStore.js"
import { count, Metrics, noStackTrace } from "./Observability.js"
import type { AppendError, ReadError, WrongExpectedVersion } from "./StoreErrors.js"

/**
 * How a decider's state is snapshotted.
 *
 * @category models
 * @since 0.1.0
 */
export interface SnapshotPolicy<State> {
  /** Names the state's encoding; change it when the state's shape changes (old snapshots are then ignored). */
  readonly key: string
  /** Save a snapshot once at least this many events follow the last one (default 50). */
  readonly every?: number
  readonly encode: (state: State) => unknown
  /** The state from its encoding, or `undefined` to ignore the snapshot. */
  readonly decode: (json: unknown) => State | undefined
}

/**
 * Options of {@link handle}.
 *
 * @category models
 * @since 0.1.0
 */
export interface HandleOptions<Command, State> {
  readonly snapshot?: SnapshotPolicy<State>
  /**
   * When to try again after `WrongExpectedVersion` (default {@link defaultRetry}:
   * jittered exponential from 5 ms, at most 8 retries).
   */
  readonly retry?: Schedule.Schedule<unknown, WrongExpectedVersion>
  /** Event ids (UUIDs) of the decided events; deterministic ids make a repeated command harmless. */
  readonly eventId?: (event: DomainEvent, index: number, command: Command) => string | undefined
  /** Meta of the appended events (actor, correlationId, …). */
  readonly meta?: Readonly<Record<string, unknown>>
  /** recordedAt of the appended events (default: the store's clock). */
  readonly recordedAt?: string
  /**
   * Check the command's references to other streams (default `true`): the school
   * a class or member names, the member who enrols or is credited, the session a
   * grant names must exist, with the log validator's rule ids
   * (`class.unknownSchool`, `enrollment.unknownMember`, …). Turn off only for
   * commands derived from facts already checked (the credit reactor does).
   */
  readonly references?: boolean
}

/**
 * The outcome of a handled command.
 *
 * @category models
 * @since 0.1.0
 */
export interface HandleResult<Event, State> {
  readonly stream: string
  /** The stream's version after the command. */
  readonly version: number
  /** Global positions of the appended events (none when the decider decided nothing). */
  readonly positions: ReadonlyArray<number>
  /** The events decided and appended. */
  readonly events: ReadonlyArray<Event>
  /** The state after the events. */
  readonly state: State
  /** Attempts made (1 unless a concurrent write forced a retry). */
  readonly attempts: number
}

/**
 * The errors of {@link handle}.
 *
 * @category models
 * @since 0.1.0
 */
export type HandleError = RuleViolation | AppendError

/**
 * The default retry schedule after `WrongExpectedVersion`: exponential from
 * 5 ms, jittered, at most 8 retries.
 *
 * @category utils
 * @since 0.1.0
 */
export const defaultRetry: Schedule.Schedule<unknown, WrongExpectedVersion> = Schedule.exponential("5 millis").pipe(
  Schedule.jittered,
  Schedule.upTo({ times: 8 })
)

/**
 * A stream's state and version: from the snapshot (if a policy and a
 * `SnapshotStore` are present and the snapshot is usable) plus the events after it.
 *
 * @category utils
 * @since 0.1.0
 */
export const load = <Command, Event, State>(
  stream: string,
  decider: Decider<Command, Event, State>,
  options: { readonly snapshot?: SnapshotPolicy<State> } = {}
): Effect.Effect<
  { readonly state: State; readonly version: number; readonly snapshotVersion: number },
  ReadError,
  EventStore
> =>
  Effect.gen(function* () {
    const store = yield* EventStore
    let state = decider.initialState
    let version = 0
    let snapshotVersion = 0
    const policy = options.snapshot
    if (policy !== undefined) {
      const snapshots = yield* Effect.serviceOption(SnapshotStore)
      if (Option.isSome(snapshots)) {
        const saved = yield* snapshots.value.load(stream, policy.key).pipe(Effect.orElseSucceed(() => Option.none()))
        if (Option.isSome(saved)) {
          const decoded = policy.decode(saved.value.state)
          if (decoded !== undefined) {
            state = decoded
            version = saved.value.version
            snapshotVersion = saved.value.version
          }
        }
      }
    }
    // the fold owns its state (a copy, evolved in place where the decider allows): linear in the stream
    const { own, evolveOwned } = decider as {
      readonly own?: (state: State) => State
      readonly evolveOwned?: (state: State, event: Event) => State
    }
    const owned = own !== undefined && evolveOwned !== undefined
    const tail = yield* Stream.runFold(
      store.readStream(stream, { from: version + 1 }),
      () => ({ state: owned ? own(state) : state, version }),
      (acc, record) => {
        const event = record as unknown as Event
        acc.state = owned ? evolveOwned(acc.state, event) : decider.evolve(acc.state, event)
        acc.version = record.version
        return acc
      }
    )
    if (snapshotVersion > 0 && tail.version === snapshotVersion) {
      // no tail: make sure the snapshot is not ahead of the stream (a store restored from an older backup)
      const current = yield* store.version(stream)
      if (current < snapshotVersion) return yield* load(stream, decider, {})
    }
    return { state: tail.state, version: tail.version, snapshotVersion }
  })

const isDomainCommand = (command: unknown): command is Parameters<typeof eventOfCommand>[0] =>
  typeof command === "object" &&
  command !== null &&
  typeof (command as { type?: unknown }).type === "string" &&
  Object.hasOwn(CommandEvents, (command as { type: string }).type) &&
  typeof (command as { data?: unknown }).data === "object"

/**
 * Loads the other streams a domain command refers to and checks its references
 * (see `References`); other commands have none.
 *
 * @category utils
 * @since 0.1.0
 */
export const loadReferences = (command: unknown): Effect.Effect<ReferenceCheck, ReadError, EventStore> =>
  Effect.gen(function* () {
    if (!isDomainCommand(command)) return {}
    const event = eventOfCommand(command) as DomainEvent
    const streams = referencedStreams(event)
    if (streams.length === 0) return {}
    const states = new Map<string, unknown>()
    for (const stream of streams) {
      const category = stream.slice(0, stream.indexOf("-")) as keyof typeof StreamKinds
      const loaded = yield* load(stream, StreamKinds[category])
      if (loaded.version > 0) states.set(stream, loaded.state)
    }
    return checkReferences(event, {
      school: (id) => states.get(`school-${id}`) as SchoolState | undefined,
      member: (id) => states.get(`member-${id}`) as MemberState | undefined,
      session: (classId, sessionId) => sessionIn(states.get(`class-${classId}`) as never, sessionId)
    })
  })

/**
 * With references checked, the command's rules see exactly the facts looked up in the store (what
 * the validator will see), never facts the command brought along.
 */
const withFacts = <Command>(command: Command, facts: ReferencedFacts | undefined): Command => {
  const { facts: _, ...rest } = command as Command & { facts?: ReferencedFacts }
  return (facts === undefined ? rest : { ...rest, facts }) as Command
}

/**
 * Handles a command on a stream (see the module docs).
 *
 * @category utils
 * @since 0.1.0
 */
export const handle = <Command, Event extends DomainEvent, State>(
  stream: string,
  decider: Decider<Command, Event, State>,
  command: Command,
  options: HandleOptions<Command, State> = {}
): Effect.Effect<HandleResult<Event, State>, HandleError, EventStore> =>
  Effect.gen(function* () {
    const store = yield* EventStore
    let attempts = 0
    const attempt = Effect.gen(function* () {
      attempts++
      if (attempts > 1) yield* count(Metrics.commandRetries, {})
      const loaded = yield* load(stream, decider, options.snapshot === undefined ? {} : { snapshot: options.snapshot })
      const checked = options.references !== false && isDomainCommand(command)
      const refs = checked ? yield* loadReferences(command) : {}
      // the stream's own rules first, then its references: the log validator's order
      const decided = decider.decide(checked ? withFacts(command, refs.facts) : command, loaded.state)
      if (decided._tag === "Failure") return yield* Effect.fail(decided.failure)
      if (refs.error !== undefined) return yield* Effect.fail(refs.error)
      const events = decided.success
      if (events.length === 0) {
        return { stream, version: loaded.version, positions: [], events, state: loaded.state, attempts }
      }
      const toAppend: Array<EventToAppend> = events.map((event, i) => {
        const id = options.eventId?.(event, i, command)
        return {
          event,
          ...(id === undefined ? {} : { id }),
          ...(options.recordedAt === undefined ? {} : { recordedAt: options.recordedAt }),
          ...(options.meta === undefined ? {} : { meta: options.meta })
        }
      })
      const appended: AppendResult = yield* store.append(stream, toAppend, loaded.version)
      let state = loaded.state
      for (const e of events) state = decider.evolve(state, e)
      const policy = options.snapshot
      if (policy !== undefined && appended.version - loaded.snapshotVersion >= (policy.every ?? 50)) {
        const snapshots = yield* Effect.serviceOption(SnapshotStore)
        if (Option.isSome(snapshots)) {
          // a snapshot is an optimisation: failing to save one never fails the command
          yield* snapshots.value
            .save(stream, policy.key, { version: appended.version, state: policy.encode(state) })
            .pipe(Effect.ignore)
        }
      }
      return { stream, version: appended.version, positions: appended.positions, events, state, attempts }
    })
    return yield* attempt.pipe(
      Effect.retry({
        while: (e: HandleError) => e._tag === "WrongExpectedVersion",
        schedule: (options.retry ?? defaultRetry) as Schedule.Schedule<unknown, HandleError>
      })
    )
  }).pipe(
    Effect.tap((r) => count(Metrics.commands, { outcome: r.events.length === 0 ? "noop" : "ok" })),
    Effect.tapError((e) => count(Metrics.commands, { outcome: e._tag })),
    Effect.withSpan("xueshi.command.handle", { attributes: { stream } }, noStackTrace)
  )

/**
 * Handles a domain command on the stream it is addressed to, with that stream
 * kind's decider (`RecordAttendance` on `class-<classId>`, …).
 *
 * @category utils
 * @since 0.1.0
 */
export const handleCommand = (
  command: Command,
  options: HandleOptions<Command, unknown> = {}
): Effect.Effect<HandleResult<DomainEvent, unknown>, HandleError, EventStore> => {
  const event = eventOfCommand(command) as DomainEvent
  return handle(streamOf(event), StreamKinds[EventCatalogue[event.type].category], command, options)
}

/**
 * The namespace of xueshi's deterministic event ids: the RFC 9562 name-based
 * UUID (v5) of the DNS name `event-id.xueshi` (`v5("event-id.xueshi", v5.DNS)`).
 *
 * @category constants
 * @since 0.2.0
 */
export const EVENT_ID_NAMESPACE = "d644ad9d-43c5-5273-a9e2-6133a48c5509"

/**
 * A deterministic event id from a key, such as `credit-M1/G-2025-S1/granted`:
 * the RFC 9562 name-based UUID, version 5 (SHA-1), of the key in
 * {@link EVENT_ID_NAMESPACE}. The same key always gives the same id, so a
 * command repeated after a crash appends nothing new.
 *
 * Ids written before 0.2.0 came from {@link legacyEventIdFrom} (four FNV-1a
 * hashes in the UUID version-8 layout); they stay valid ids of the events they
 * name. The two are told apart by the version digit (the 13th hex digit, the
 * first of the third group): `5` for these ids, `8` for the legacy ones (see
 * {@link eventIdVersion}).
 *
 * @category utils
 * @since 0.1.0
 */
export const eventIdFrom = (key: string): string => uuidV5(key, EVENT_ID_NAMESPACE)

const fnv = (text: string, seed: number): number => {
  let h = seed >>> 0
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 16777619) >>> 0
  }
  // final avalanche (murmur3 fmix32)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b) >>> 0
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35) >>> 0
  h ^= h >>> 16
  return h >>> 0
}

/**
 * The deterministic event id of a key as versions before 0.2.0 wrote it (four
 * seeded FNV-1a hashes in the UUID version-8 layout). Kept so that a program
 * can recognise the id an event got before: a store's idempotent retry compares
 * ids, so a command first appended before 0.2.0 and retried after is a retry
 * only with this id.
 *
 * @category utils
 * @since 0.2.0
 */
export const legacyEventIdFrom = (key: string): string => {
  const hex = (n: number) => n.toString(16).padStart(8, "0")
  const a = hex(fnv(key, 0x811c9dc5))
  const b = hex(fnv(key, 0x01000193))
  const c = hex(fnv(key, 0x9e3779b9))
  const d = hex(fnv(key, 0x7f4a7c15))
  const variant = ((parseInt(c.slice(0, 1), 16) & 0x3) | 0x8).toString(16)
  return `${a}-${b.slice(0, 4)}-8${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4, 8)}${d}`
}

/**
 * The UUID version of an event id: `5` for the deterministic ids of
 * {@link eventIdFrom}, `8` for the legacy ones of {@link legacyEventIdFrom},
 * `4` for random ones (importers, users), `undefined` when it is not a UUID.
 *
 * @category utils
 * @since 0.2.0
 */
export const eventIdVersion = (id: string): number | undefined => (uuidValidate(id) ? uuidVersion(id) : undefined)
