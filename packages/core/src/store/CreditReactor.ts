/**
 * The credit reactor: runs a credit accrual over the global log and appends
 * the `CreditGranted` / `CreditRevoked` it decides to `credit-⟨memberId⟩`
 * streams through command handling, exactly once in effect.
 *
 * What it runs is a parameter, a {@link Reaction} (the credit accrual of
 * `policy/Accrual`, `Accrual.reactor(policy)`, is one): a deterministic fold
 * that, for each record, answers its next state and the credit commands the
 * record causes, with deterministic grant ids. The reactor runs it with the projection runner's engine (checkpoint, batches, lease), and
 * handles a batch's commands BEFORE it saves the batch's checkpoint. After a
 * crash the unsaved batch is read again and its commands are decided again:
 *
 * - a grant that was already appended is refused by the credit decider as
 *   `credit.duplicateGrant`, a revocation as `credit.alreadyRevoked` — the
 *   reactor counts both as done;
 * - the events carry ids derived from the stream, grant id and kind
 *   ({@link CommandHandler.eventIdFrom}), so even a raw re-append is an
 *   idempotent no-op at the store.
 *
 * Any other rule violation stops the reactor (its `stopped` fails), because it
 * means the accrual and the ledger disagree.
 *
 * @since 0.1.0
 */
import { Effect, type Scope } from "effect"
import type { CreditCommand } from "../CreditDecider.js"
import { CreditDecider } from "../CreditDecider.js"
import type { ProjectionStore } from "./CheckpointStore.js"
import { eventIdFrom, type HandleError, type HandleOptions, handle } from "./CommandHandler.js"
import type { EventFilter, EventStore, StoredEvent } from "./EventStore.js"
import { type ProjectionRunner, type RunnerOptions, startWith } from "./ProjectionRunner.js"

/**
 * What a credit reactor runs: a fold over the log that answers the credit
 * commands each record causes (`Accrual.reactor(policy)` is the credit accrual
 * as one). Must be deterministic (same records, same commands, same grant ids);
 * `react` may update the state in place. Its `initial` has the one shape of
 * every fold's initial state (see `Projection`): a fresh state on every read.
 *
 * @category models
 * @since 0.1.0
 */
export interface Reaction<State> {
  readonly name: string
  /** A fresh initial state on every read (a getter, or a value that is never changed, such as `null`). */
  readonly initial: State
  readonly react: (state: State, record: StoredEvent) => readonly [State, ReadonlyArray<CreditCommand>]
  readonly encodeState: (state: State) => unknown
  readonly decodeState: (json: unknown) => State
  /** The records it reads (default: all but credit streams, its own output). */
  readonly filter?: EventFilter
}

/**
 * @deprecated use {@link Reaction} (`Accrual` also names the credit-determination module).
 * @category models
 * @since 0.1.0
 */
export type Accrual<State> = Reaction<State>

/**
 * A reaction without state: each record maps to its commands.
 *
 * @category utils
 * @since 0.1.0
 */
export const stateless = (
  name: string,
  commandsOf: (record: StoredEvent) => ReadonlyArray<CreditCommand>,
  filter?: EventFilter
): Reaction<null> => ({
  name,
  initial: null,
  react: (state, record) => [state, commandsOf(record)],
  encodeState: () => null,
  decodeState: () => null,
  ...(filter === undefined ? {} : { filter })
})

/**
 * Options of the reactor.
 *
 * @category models
 * @since 0.1.0
 */
export interface ReactorOptions extends RunnerOptions {
  /** Options of command handling (retry schedule, meta, recordedAt). */
  readonly handle?: Omit<HandleOptions<CreditCommand, unknown>, "eventId" | "snapshot">
}

/**
 * The id of the event a credit command appends: deterministic, from the stream,
 * the grant id and the kind of change.
 *
 * @category utils
 * @since 0.1.0
 */
export const creditEventId = (command: CreditCommand): string =>
  eventIdFrom(
    `credit-${command.data.memberId}/${command.data.grantId}/${command.type === "GrantCredit" ? "granted" : "revoked"}`
  )

/**
 * Handles one credit command; a grant or a revocation that is already in the
 * ledger counts as done. Answers whether it appended anything.
 *
 * @category utils
 * @since 0.1.0
 */
export const applyCreditCommand = (
  command: CreditCommand,
  options: ReactorOptions["handle"] = {}
): Effect.Effect<boolean, HandleError, EventStore> =>
  handle(`credit-${command.data.memberId}`, CreditDecider, command, {
    ...options,
    // derived from facts the store already checked; see ReactorOptions
    references: false,
    eventId: () => creditEventId(command)
  }).pipe(
    Effect.map((r) => r.events.length > 0),
    Effect.catchIf(
      (e): e is HandleError =>
        e._tag === "RuleViolation" &&
        ((command.type === "GrantCredit" && e.rule === "credit.duplicateGrant") ||
          (command.type === "RevokeCredit" && e.rule === "credit.alreadyRevoked")),
      () => Effect.succeed(false)
    )
  )

/**
 * Starts the reactor in the current scope (closing it stops the reactor and
 * releases its lease). The returned runner's state is the reaction's state.
 *
 * @category runners
 * @since 0.1.0
 */
export const start = <State>(
  reaction: Reaction<State>,
  options: ReactorOptions = {}
): Effect.Effect<ProjectionRunner<State>, never, EventStore | ProjectionStore | Scope.Scope> =>
  startWith(
    {
      name: reaction.name,
      get initial() {
        return reaction.initial
      },
      encodeState: reaction.encodeState,
      decodeState: reaction.decodeState,
      handleBatch: (state, records) =>
        Effect.gen(function* () {
          let s = state
          for (const record of records) {
            const [next, commands] = reaction.react(s, record)
            s = next
            for (const command of commands) yield* applyCreditCommand(command, options.handle)
          }
          return s
        })
    },
    {
      ...options,
      filter: options.filter ?? reaction.filter ?? { categories: ["school", "member", "class"] }
    }
  )
