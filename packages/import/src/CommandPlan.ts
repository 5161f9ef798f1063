/**
 * Command handling for a whole batch, planned before anything is written: the
 * importers turn rows and statements into commands, and a plan decides each one
 * with its stream kind's decider (the core's `decide`, as `CommandHandler.handle`
 * does) against the stream as loaded from the store plus what the plan already
 * decided, after checking its references to other streams
 * (`CommandHandler.loadReferences`: the member who enrols or is credited). A
 * refused command leaves the plan as it was; {@link CommandPlan.commit} then
 * appends each stream's decided events in one append at the version loaded, so a
 * writer racing the import makes it fail (`WrongExpectedVersion`) instead of
 * interleaving. When the store provides `AppendBatch` (all of ours do), those
 * appends go as one all-or-nothing batch (for a plan of at most about 20,000
 * events; a bigger one in batches of that size): a plan refused at its
 * 50th stream stores nothing of the 49 before it.
 *
 * @since 0.1.0
 */
import {
  AppendBatch,
  CommandHandler,
  Commands,
  EventStore,
  type Events,
  Input,
  References,
  type Rules,
  type StoreErrors,
  StreamKinds
} from "@xueshi/core"
import { Effect, Option, Result, Stream } from "effect"

type ReferenceCheck = References.ReferenceCheck

/**
 * A stored or planned event as a plan sees it: the event, its id and meta.
 *
 * @category models
 * @since 0.1.0
 */
export interface PlannedEvent {
  readonly event: Events.DomainEvent
  readonly id: string
  readonly meta: Readonly<Record<string, unknown>>
}

/**
 * A stream as loaded: its decider state, the version loaded, and every event
 * with its id and meta (stored first, then planned).
 *
 * @category models
 * @since 0.1.0
 */
export interface LoadedStream {
  readonly stream: string
  readonly loadedVersion: number
  state: unknown
  readonly stored: ReadonlyArray<PlannedEvent>
  readonly planned: Array<PlannedEvent>
}

/**
 * Why a command was refused: the core's `RuleViolation` (a rule of the stream or
 * a reference) or an `InputError` (a payload that fails its schema).
 *
 * @category models
 * @since 0.1.0
 */
export type Refusal = Rules.RuleViolation | Input.InputError

/**
 * A plan (see the module docs).
 *
 * @category models
 * @since 0.1.0
 */
export interface CommandPlan {
  /** The stream, loaded once from the store and kept with what the plan decided. */
  readonly stream: (stream: string) => Effect.Effect<LoadedStream, StoreErrors.ReadError>
  /**
   * Decides a command given in wire form (`Input.command`) on its stream; on
   * success its events are planned with the ids `eventId` gives.
   */
  readonly decide: (
    type: Commands.CommandType,
    data: unknown,
    options: {
      /** The id of a decided event; `version` is the one it will have in its stream. */
      readonly eventId: (event: Events.DomainEvent, version: number) => string
      readonly meta: Readonly<Record<string, unknown>>
    }
  ) => Effect.Effect<Result.Result<ReadonlyArray<Events.DomainEvent>, Refusal>, StoreErrors.ReadError>
  /**
   * Loads what deciding a command needs — its stream and the streams it refers to — so that
   * {@link CommandPlan.decideNow} can decide it without effects.
   */
  readonly prepare: (type: Commands.CommandType, data: unknown) => Effect.Effect<void, StoreErrors.ReadError>
  /** {@link CommandPlan.decide} without effects, once {@link CommandPlan.prepare} has loaded what it needs (throws otherwise). */
  readonly decideNow: (
    type: Commands.CommandType,
    data: unknown,
    options: {
      readonly eventId: (event: Events.DomainEvent, version: number) => string
      readonly meta: Readonly<Record<string, unknown>>
    }
  ) => Result.Result<ReadonlyArray<Events.DomainEvent>, Refusal>
  /** {@link CommandPlan.atomically} for a body without effects. */
  readonly atomicallyNow: (body: () => boolean) => boolean
  /** Runs `body`; if it answers `false`, every stream it touched is put back as it was before. */
  readonly atomically: <E, R>(body: Effect.Effect<boolean, E, R>) => Effect.Effect<boolean, E, R>
  /** Events planned so far, over all streams. */
  readonly plannedCount: () => number
  /**
   * Appends each stream's planned events (one append per stream, at the version loaded), as one
   * `AppendBatch` when the store has it; answers the count.
   */
  readonly commit: () => Effect.Effect<number, StoreErrors.AppendError, EventStore.EventStore>
}

/** What an atomic section saved of each stream it touched: the state and planned length before it. */
type Journal = Map<string, { readonly state: unknown; readonly length: number }>

/** At most about this many events in one batch of a commit (the store's `AppendBatch`). */
const BATCH_EVENTS = 20_000

const categoryOf = (stream: string) => stream.slice(0, stream.indexOf("-")) as Events.StreamCategory

/**
 * A new plan over the store in context.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make: Effect.Effect<CommandPlan, never, EventStore.EventStore> = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const streams = new Map<string, LoadedStream>()
  let journal: Journal | undefined

  const stream = (name: string): Effect.Effect<LoadedStream, StoreErrors.ReadError> => {
    const cached = streams.get(name)
    if (cached !== undefined) return Effect.succeed(cached)
    const kind = StreamKinds.StreamKinds[categoryOf(name)]
    return Stream.runFold(
      store.readStream(name),
      // the fold owns its state (a copy, evolved in place where the kind allows): linear in the stream
      () => ({
        state: (kind.own === undefined ? kind.initialState : kind.own(kind.initialState)) as unknown,
        version: 0,
        stored: [] as Array<PlannedEvent>
      }),
      (acc, r) => {
        const event = { type: r.type, data: r.data } as Events.DomainEvent
        acc.state =
          kind.own !== undefined && kind.evolveOwned !== undefined
            ? kind.evolveOwned(acc.state, event)
            : kind.evolve(acc.state, event)
        acc.version = r.version
        acc.stored.push({ event, id: r.id ?? "", meta: (r.meta ?? {}) as Record<string, unknown> })
        return acc
      }
    ).pipe(
      Effect.map((acc) => {
        const loaded: LoadedStream = {
          stream: name,
          loadedVersion: acc.version,
          state: acc.state,
          stored: acc.stored,
          planned: []
        }
        streams.set(name, loaded)
        return loaded
      })
    )
  }

  // reference checks, by what they depend on: the event type, the streams referenced and the grant's source
  const references = new Map<string, ReferenceCheck>()
  const referenceKey = (event: Events.DomainEvent, streamsOf: ReadonlyArray<string>) =>
    `${event.type}|${streamsOf.join("|")}|${event.type === "CreditGranted" ? JSON.stringify(event.data.source) : ""}`

  const prepare: CommandPlan["prepare"] = (type, data) =>
    Effect.gen(function* () {
      const command = Input.command(type, data)
      if (Result.isFailure(command)) return
      yield* stream(Input.streamOf(command.success))
      const event = Commands.eventOfCommand(command.success) as Events.DomainEvent
      const refStreams = References.referencedStreams(event)
      if (refStreams.length === 0) return
      const key = referenceKey(event, refStreams)
      if (references.has(key)) return
      references.set(key, yield* CommandHandler.loadReferences(command.success))
    }).pipe(Effect.provideService(EventStore.EventStore, store))

  const decideNow: CommandPlan["decideNow"] = (type, data, options) => {
    const command = Input.command(type, data)
    if (Result.isFailure(command)) return Result.fail(command.failure)
    const name = Input.streamOf(command.success)
    const loaded = streams.get(name)
    if (loaded === undefined) throw new Error(`CommandPlan: ${name} is not loaded (call prepare first)`)
    const event = Commands.eventOfCommand(command.success) as Events.DomainEvent
    const refStreams = References.referencedStreams(event)
    const refs: ReferenceCheck =
      refStreams.length === 0 ? {} : (references.get(referenceKey(event, refStreams)) as ReferenceCheck)
    if (refs === undefined)
      throw new Error(`CommandPlan: the references of ${type} are not loaded (call prepare first)`)
    const kind = StreamKinds.StreamKinds[categoryOf(name)]
    const withFacts = refs.facts === undefined ? command.success : { ...command.success, facts: refs.facts }
    // the stream's own rules first, then its references: the order of CommandHandler.handle and the validator
    const decided = kind.decide(withFacts, loaded.state)
    if (Result.isFailure(decided)) return Result.fail(decided.failure)
    if (refs.error !== undefined) return Result.fail(refs.error)
    if (journal !== undefined && !journal.has(name))
      journal.set(name, { state: loaded.state, length: loaded.planned.length })
    for (const e of decided.success) {
      loaded.state = kind.evolve(loaded.state, e)
      const version = loaded.loadedVersion + loaded.planned.length + 1
      loaded.planned.push({ event: e, id: options.eventId(e, version), meta: options.meta })
    }
    return Result.succeed(decided.success)
  }

  const decide: CommandPlan["decide"] = (type, data, options) =>
    Effect.map(prepare(type, data), () => decideNow(type, data, options))

  /** Ends an atomic section's journal: its streams rolled back (not `ok`), else handed to the outer one. */
  const endJournal = (outer: Journal | undefined, mine: Journal, ok: boolean): void => {
    journal = outer
    if (!ok) {
      for (const [name, saved] of mine) {
        const loaded = streams.get(name) as LoadedStream
        loaded.state = saved.state
        loaded.planned.length = saved.length
      }
    } else if (outer !== undefined) {
      for (const [name, saved] of mine) if (!outer.has(name)) outer.set(name, saved)
    }
  }

  const atomicallyNow = (body: () => boolean): boolean => {
    const outer = journal
    const mine: Journal = new Map()
    journal = mine
    let ok = false
    try {
      ok = body()
    } finally {
      endJournal(outer, mine, ok)
    }
    return ok
  }

  const atomically = <E, R>(body: Effect.Effect<boolean, E, R>): Effect.Effect<boolean, E, R> =>
    Effect.suspend(() => {
      const outer = journal
      const mine: Journal = new Map()
      journal = mine
      return body.pipe(
        Effect.tap((ok) => Effect.sync(() => endJournal(outer, mine, ok))),
        Effect.onError(() =>
          Effect.sync(() => {
            journal = outer
          })
        )
      )
    })

  const plannedCount = () => {
    let n = 0
    for (const s of streams.values()) n += s.planned.length
    return n
  }

  const commit = () =>
    Effect.gen(function* () {
      const appends: Array<AppendBatch.StreamAppend> = []
      for (const s of streams.values()) {
        if (s.planned.length === 0) continue
        appends.push({
          stream: s.stream,
          events: s.planned.map((p) => ({ event: p.event, id: p.id, meta: p.meta })),
          expected: s.loadedVersion
        })
      }
      let appended = 0
      const batches = yield* Effect.serviceOption(AppendBatch.AppendBatch)
      if (Option.isSome(batches)) {
        // all or nothing per batch: a sheet's plan is one batch unless it holds more than BATCH_EVENTS events
        for (let from = 0; from < appends.length; ) {
          let to = from
          let events = 0
          while (to < appends.length && (to === from || events < BATCH_EVENTS))
            events += (appends[to++] as AppendBatch.StreamAppend).events.length
          yield* batches.value.appendBatch(appends.slice(from, to))
          appended += events
          from = to
        }
        return appended
      }
      for (const a of appends) {
        yield* store.append(a.stream, a.events, a.expected)
        appended += a.events.length
      }
      return appended
    })

  return { stream, prepare, decide, decideNow, atomically, atomicallyNow, plannedCount, commit }
})
