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
 * @since 0.1.0
 */
import { Result } from "effect"
import type { DomainEvent, StreamCategory } from "./Events.js"
import type { RuleViolation } from "./Rules.js"
import type { TraineeCategory } from "./Vocabulary.js"

/**
 * Facts from other streams that a stream's rules need: the categories of the
 * member who enrols (for the class's audience). A command handler looks them up;
 * the log validator knows them from the log. Absent facts skip the rule.
 *
 * @since 0.1.0
 */
export interface Facts {
  readonly memberCategories?: ReadonlyArray<TraineeCategory>
}

/**
 * A decider: `initialState`, `evolve(state, event)`, `decide(command, state)`.
 *
 * @since 0.1.0
 */
export interface Decider<Command, Event, State> {
  readonly initialState: State
  readonly evolve: (state: State, event: Event) => State
  readonly decide: (command: Command, state: State) => Result.Result<ReadonlyArray<Event>, RuleViolation>
}

/**
 * A stream kind: its decider plus the invariant check that `decide` and the log
 * validator share.
 *
 * @since 0.1.0
 */
export interface StreamKind<Command, Event extends DomainEvent, State> extends Decider<Command, Event, State> {
  readonly category: StreamCategory
  /** The first rule that `event` breaks given `state` (and `facts`), if any. */
  readonly check: (state: State, event: Event, facts?: Facts) => RuleViolation | undefined
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
 * @since 0.1.0
 */
export const decideWith =
  <Command extends { readonly facts?: Facts }, Event extends DomainEvent, State>(
    toEvents: (command: Command, state: State) => ReadonlyArray<Event>,
    check: (state: State, event: Event, facts?: Facts) => RuleViolation | undefined,
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
