/**
 * The decider shape shared by every stream kind (after Emmett): an initial
 * state, `evolve` to fold events, and `decide` to turn a command into events or
 * a typed {@link RuleViolation}. Deciders are pure: no clock, no randomness;
 * time comes in the command.
 *
 * Each stream kind states its invariants once, in `check(state, event, facts)`;
 * `decide` builds the command's event and runs `check`, and the log validator
 * runs the same `check` on every imported line. So a decider can never emit an
 * event its own validator would reject.
 *
 * **Why commands, when each asks for one event.** Today every `decide` is
 * `[eventOfCommand(command)]` checked by `check`: a command decides nothing but
 * whether its event may happen. The split stays because the two halves have
 * different callers. The rules judge *events*, since the log validator has only
 * events (an imported line has no command), so `check` must be written on
 * events. A *command* is what a caller may ask for before anything happened: it
 * is validated at the boundary (`Input`), it names the stream it is addressed
 * to, it tells command handling which other streams to load for the reference
 * rules (`References.referencedStreams` of its event), and it carries the
 * {@link ReferencedFacts} found there, which no stored event carries. And
 * `decide` is the seam where a command may come to decide more than one event,
 * or none, without any caller changing. The cost is a mapping of one line per
 * command type (`Commands.CommandEvents`).
 *
 * @since 0.1.0
 */
import { Result } from "effect"
import type { DomainEvent, StreamCategory } from "./Events.js"
import type { RuleViolation } from "./Rules.js"
import type { TraineeCategory } from "./Vocabulary.js"

/**
 * Facts of the streams an event references that its own stream's rules need: the
 * categories of the member who enrols (for the class's audience). The reference
 * rules (`References.checkReferences`) find them: command handling in the streams
 * it loads for the command (`CommandHandler.loadReferences`), the log validator in
 * the log it has replayed. Absent facts skip the rule. (Not the projections' fact
 * store, the `Facts` module.)
 *
 * @category models
 * @since 0.1.0
 */
export interface ReferencedFacts {
  readonly memberCategories?: ReadonlyArray<TraineeCategory>
}

/**
 * @deprecated use {@link ReferencedFacts} (`Facts` also names the projections' fact store).
 * @category models
 * @since 0.1.0
 */
export type Facts = ReferencedFacts

/**
 * A decider: `initialState`, `evolve(state, event)`, `decide(command, state)`.
 *
 * @category models
 * @since 0.1.0
 */
export interface Decider<Command, Event, State> {
  /**
   * The state of a stream with no event: one value, never changed (`evolve` answers new
   * states; an in-place fold copies it with `own` first). The one shape of a fold's initial
   * state: see `Projection`.
   */
  readonly initialState: State
  readonly evolve: (state: State, event: Event) => State
  readonly decide: (command: Command, state: State) => Result.Result<ReadonlyArray<Event>, RuleViolation>
}

/**
 * A stream kind: its decider plus the invariant check that `decide` and the log
 * validator share.
 *
 * @category models
 * @since 0.1.0
 */
export interface StreamKind<Command, Event extends DomainEvent, State> extends Decider<Command, Event, State> {
  readonly category: StreamCategory
  /** The first rule that `event` breaks given `state` (and `facts`), if any. */
  readonly check: (state: State, event: Event, facts?: ReferencedFacts) => RuleViolation | undefined
  /**
   * A copy of a state that its caller owns (for {@link StreamKind.evolveOwned}); absent when
   * `evolve` is already cheap.
   */
  readonly own?: (state: State) => State
  /**
   * `evolve` for a caller that owns the state (made by `own`, never shared, never read again
   * after this call): may update it in place and return it. Same result as `evolve`.
   */
  readonly evolveOwned?: (state: State, event: Event) => State
}

/**
 * Folds events into a state with a decider's `evolve`.
 *
 * @category utils
 * @since 0.1.0
 */
export const fold = <Event, State>(
  decider: Pick<Decider<unknown, Event, State>, "initialState" | "evolve"> & {
    readonly own?: (state: State) => State
    readonly evolveOwned?: (state: State, event: Event) => State
  },
  events: Iterable<Event>,
  from: State = decider.initialState
): State => {
  const { own, evolveOwned } = decider
  if (own !== undefined && evolveOwned !== undefined) {
    // the fold owns its intermediate states: a copy of `from`, evolved in place
    let state: State | undefined
    for (const e of events) state = evolveOwned(state ?? own(from), e)
    return state ?? from
  }
  let state = from
  for (const e of events) state = decider.evolve(state, e)
  return state
}

/**
 * Builds `decide` from a command → events mapping and the kind's `check`: every
 * produced event is checked against the state as it evolves.
 *
 * @category utils
 * @since 0.1.0
 */
export const decideWith =
  <Command extends { readonly facts?: ReferencedFacts }, Event extends DomainEvent, State>(
    toEvents: (command: Command, state: State) => ReadonlyArray<Event>,
    check: (state: State, event: Event, facts?: ReferencedFacts) => RuleViolation | undefined,
    evolve: (state: State, event: Event) => State
  ) =>
  (command: Command, state: State): Result.Result<ReadonlyArray<Event>, RuleViolation> => {
    const events = toEvents(command, state)
    let s = state
    for (const e of events) {
      const v = check(s, e, command.facts)
      if (v !== undefined) return Result.fail(v)
      s = evolve(s, e)
    }
    return Result.succeed(events)
  }
