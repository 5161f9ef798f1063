/**
 * A ledger kept live over any event store: one call starts it, and it answers
 * like a ledger built from the store's log at every moment it is caught up.
 *
 * There is one runner, not a credit reactor and projections to start in the
 * right order: each record is folded into the one fact store and the credit it
 * causes is derived at once, in the same step. With `credit: "append"` (the
 * default) the derived `CreditGranted` / `CreditRevoked` are also appended to
 * the members' `credit-…` streams, exactly once in effect (deterministic event
 * ids; a grant already in the ledger counts as done), BEFORE the batch's
 * checkpoint is saved; when they come back through the log they are
 * recognised and change nothing. With `credit: "derive"` nothing is written to
 * the event store (a follower of another process's writer, or a what-if).
 *
 * ```ts
 * const live = yield* LiveLedger.start(Presets.national2019)
 * yield* live.whenCaughtUp
 * const ledger = yield* live.ledger // answers as of now
 * ```
 *
 * The runner's state and checkpoint are saved in the `ProjectionStore` (so it
 * resumes where it stopped), under one lease (one writer across processes).
 *
 * @since 0.1.0
 */
import { Effect, type Scope, Stream } from "effect"
import { decodeFold, encodeFold, type Ledger, type LedgerFold, makeFold } from "../Ledger.js"
import type { PolicySet } from "../policy/PolicySet.js"
import { policyKey } from "../policy/PolicySet.js"
import type { ProjectionStore } from "./CheckpointStore.js"
import { applyCreditCommand, type ReactorOptions } from "./CreditReactor.js"
import { EventStore } from "./EventStore.js"
import { type ProjectionRunner, startWith } from "./ProjectionRunner.js"
import type { ReadError } from "./StoreErrors.js"

/**
 * Options of {@link start}.
 *
 * @category models
 * @since 0.1.0
 */
export interface LiveLedgerOptions extends Omit<ReactorOptions, "filter"> {
  /** `append` (default): record the derived credit in the store; `derive`: keep it in memory only. */
  readonly credit?: "append" | "derive"
}

/**
 * How often a live ledger saves its state with its checkpoint, by default: every 20,000 events or
 * 10 seconds, and always when it reaches the head. Its effects (credit appends) are idempotent,
 * so a crash replays the unsaved tail without counting anything twice.
 *
 * @category utils
 * @since 0.1.0
 */
export const defaultSaveEvery = { events: 20_000, millis: 10_000 } as const

/**
 * A live ledger.
 *
 * @category models
 * @since 0.1.0
 */
export interface LiveLedger {
  /** The ledger as of the last processed batch (read it at once, do not keep it across batches). */
  readonly ledger: Effect.Effect<Ledger>
  readonly runner: ProjectionRunner<LedgerFold>
}

/**
 * Starts a live ledger in the current scope (closing the scope stops it).
 *
 * @category runners
 * @since 0.1.0
 */
export const start = (
  policy: PolicySet,
  options: LiveLedgerOptions = {}
): Effect.Effect<LiveLedger, never, EventStore | ProjectionStore | Scope.Scope> =>
  Effect.gen(function* () {
    const append = (options.credit ?? "append") === "append"
    const runner = yield* startWith(
      {
        name: `ledger/${policyKey(policy)}`,
        get initial() {
          return makeFold(policy)
        },
        encodeState: encodeFold,
        decodeState: (json) => decodeFold(policy, json),
        handleBatch: (fold, records) =>
          Effect.gen(function* () {
            for (const record of records) {
              const commands = fold.pushLive(record)
              if (append) for (const command of commands) yield* applyCreditCommand(command, options.handle)
            }
            return fold
          })
      },
      { ...options, saveEvery: options.saveEvery ?? defaultSaveEvery }
    )
    return { runner, ledger: runner.read((fold) => fold.current()) }
  })

/**
 * A ledger of the store's log as it stands now (read once, not kept live).
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromStore = (policy: PolicySet): Effect.Effect<Ledger, ReadError, EventStore> =>
  Effect.gen(function* () {
    const store = yield* EventStore
    const fold = makeFold(policy)
    yield* Stream.runForEachArray(store.readAll(), (records) =>
      Effect.sync(() => {
        for (const r of records) fold.push(r)
      })
    )
    return fold.finish()
  })
