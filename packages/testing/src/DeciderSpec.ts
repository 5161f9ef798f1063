/**
 * Given / when / then specifications of deciders, written as tables:
 *
 * ```ts
 * DeciderSpec.table(SchoolDecider, {
 *   "registers a school": given()
 *     .when(registerSchool(XQ))
 *     .then([schoolRegistered(XQ)])
 *     .so(registerSchool(XQ), "school.alreadyRegistered"),
 *   "refuses a second registration": given(schoolRegistered(XQ)).when(registerSchool(XQ)).then("school.alreadyRegistered")
 * })
 * ```
 *
 * `given` folds the events with the decider's `evolve` (checking each with the
 * kind's invariant check first, so a scenario cannot start from an impossible
 * history), `when` runs `decide`, and `then` is either the events expected or
 * the id of the rule the command must break.
 *
 * An accepted row must also say what its events change, with `so`: a later
 * command and its outcome once the events are folded (or a probe of the state
 * and its value). The outcome must differ from the one the same command gets
 * before the events, so the row fails when `decide` echoes a command that
 * `evolve` then ignores or folds wrongly, not only when the events differ.
 *
 * @since 0.1.0
 */

import { deepStrictEqual, notDeepStrictEqual, strictEqual } from "node:assert"
import { Commands, type Decider, type Events, type Rules } from "@xueshi/core"
import { Result } from "effect"
import { registrarOf, type TestRegistrar } from "./Registrar.js"

/**
 * One scenario: events so far, a command, and the expected events or rule.
 *
 * @category models
 * @since 0.1.0
 */
export interface Scenario<C = unknown, E extends Events.DomainEvent = Events.DomainEvent> {
  readonly given: ReadonlyArray<E>
  readonly when: C
  readonly then: ReadonlyArray<E> | Rules.RuleId
  /** What the accepted events change (required of an accepted row). */
  readonly consequence?: Consequence
}

/**
 * What an accepted row's events change: the outcome of a later command (events
 * or a rule), or the value of a probe of the state, once they are folded.
 *
 * @category models
 * @since 0.1.0
 */
export type Consequence =
  | {
      readonly _tag: "Command"
      readonly when: unknown
      readonly outcome: ReadonlyArray<Events.DomainEvent> | Rules.RuleId
    }
  | { readonly _tag: "Probe"; readonly probe: (state: never) => unknown; readonly equals: unknown }

/**
 * An accepted scenario still to say what its events change (not a row of a
 * table until it does).
 *
 * @category models
 * @since 0.1.0
 */
export interface AcceptedScenario<C> {
  /** The outcome of a later command once the events are folded (it must differ before them). */
  readonly so: {
    (command: unknown, then: ReadonlyArray<Events.DomainEvent> | Rules.RuleId): Scenario<C>
    <S>(probe: (state: S) => unknown, equals: unknown): Scenario<C>
  }
}

/**
 * Starts a scenario with the events that happened before.
 *
 * @category utils
 * @since 0.1.0
 */
export const given = (...events: ReadonlyArray<Events.DomainEvent>) => ({
  /** The command under test. */
  when: <C>(command: C) => ({
    /**
     * The events `decide` must return, or the rule it must report. (This makes
     * the builder look like a thenable: build scenarios, never `await` them.)
     */
    // biome-ignore lint/suspicious/noThenProperty: the given/when/then vocabulary of specification tables
    then: (<E extends ReadonlyArray<Events.DomainEvent> | Rules.RuleId>(
      expected: E
    ): E extends Rules.RuleId ? Scenario<C> : AcceptedScenario<C> => {
      const scenario: Scenario<C> = {
        given: events,
        when: command,
        // biome-ignore lint/suspicious/noThenProperty: the expected outcome of a scenario (never a function)
        then: expected
      }
      if (typeof expected === "string") return scenario as never
      return {
        so: (what: unknown, then: unknown): Scenario<C> => ({
          ...scenario,
          consequence:
            typeof what === "function"
              ? { _tag: "Probe", probe: what as (state: never) => unknown, equals: then }
              : { _tag: "Command", when: what, outcome: then as ReadonlyArray<Events.DomainEvent> | Rules.RuleId }
        })
      } as never
    }) as {
      (expected: Rules.RuleId): Scenario<C>
      (expected: ReadonlyArray<Events.DomainEvent>): AcceptedScenario<C>
    }
  })
})

const outcomeOf = <C, E extends Events.DomainEvent, S>(kind: Decider.StreamKind<C, E, S>, command: C, state: S) => {
  const outcome = kind.decide(command, state)
  return Result.isSuccess(outcome) ? outcome.success : outcome.failure.rule
}

const show = (u: unknown): string => (typeof u === "string" ? `refused: ${u}` : JSON.stringify(u))

/**
 * Runs a scenario against a stream kind and asserts its outcome (node:assert, so vitest reports a diff).
 *
 * @category utils
 * @since 0.1.0
 */
export const verify = <C, E extends Events.DomainEvent, S>(
  kind: Decider.StreamKind<C, E, S>,
  scenario: Scenario<unknown>
): void => {
  let state = kind.initialState
  ;(scenario.given as ReadonlyArray<E>).forEach((e, i) => {
    const broken = kind.check(state, e)
    if (broken !== undefined) {
      throw new Error(`given event ${i + 1} (${e.type}) is impossible: [${broken.rule}] ${broken.message}`)
    }
    state = kind.evolve(state, e)
  })
  const outcome = kind.decide(scenario.when as C, state)
  if (typeof scenario.then === "string") {
    strictEqual(
      Result.isFailure(outcome) ? outcome.failure.rule : JSON.stringify({ accepted: outcome.success }),
      scenario.then
    )
    return
  }
  deepStrictEqual(
    Result.isSuccess(outcome) ? outcome.success : { refused: outcome.failure.rule, message: outcome.failure.message },
    scenario.then
  )
  const so = scenario.consequence
  if (so === undefined) {
    throw new Error("an accepted row must say what its events change: add .so(command, outcome) or .so(probe, value)")
  }
  const after = (scenario.then as ReadonlyArray<E>).reduce(kind.evolve, state)
  if (so._tag === "Command") {
    const before = outcomeOf(kind, so.when as C, state)
    deepStrictEqual(
      outcomeOf(kind, so.when as C, after),
      so.outcome,
      "the later command's outcome once the events are folded"
    )
    notDeepStrictEqual(
      before,
      so.outcome,
      `the later command gets ${show(before)} before the events too: the consequence must depend on them`
    )
  } else {
    const probe = so.probe as (state: S) => unknown
    deepStrictEqual(probe(after), so.equals, "the probe of the state once the events are folded")
    notDeepStrictEqual(probe(state), so.equals, "the probe has this value before the events too")
  }
}

/**
 * Registers one vitest test per row of a specification table.
 *
 * @category utils
 * @since 0.1.0
 */
export const table = <C, E extends Events.DomainEvent, S>(
  kind: Decider.StreamKind<C, E, S>,
  rows: Readonly<Record<string, Scenario<unknown>>>,
  vitest?: TestRegistrar
): void => {
  const { it } = registrarOf(vitest, "DeciderSpec.table")
  for (const [name, scenario] of Object.entries(rows)) {
    const outcome =
      typeof scenario.then === "string"
        ? `refused: ${scenario.then}`
        : `emits ${scenario.then.map((e) => e.type).join(", ") || "nothing"}`
    it(`${name} → ${outcome}`, () => verify(kind, scenario))
  }
}

/**
 * The rules a set of scenarios expect to be broken (to check a table covers a kind's rules).
 *
 * @category utils
 * @since 0.1.0
 */
export const rulesCovered = (rows: Readonly<Record<string, Scenario<unknown>>>): ReadonlySet<Rules.RuleId> =>
  new Set(Object.values(rows).flatMap((s) => (typeof s.then === "string" ? [s.then] : [])))

const COMMAND_OF_EVENT: Readonly<Record<string, Commands.CommandType>> = Object.fromEntries(
  Object.entries(Commands.CommandEvents).map(([c, e]) => [e, c as Commands.CommandType])
)

/**
 * The command that asks for an event (`SessionScheduled` → `ScheduleSession`),
 * with optional facts: lets a table say "when asked for this event".
 *
 * @category utils
 * @since 0.1.0
 */
export const ask = <E extends Events.DomainEvent>(event: E, facts?: Decider.ReferencedFacts): Commands.CommandFor<E> =>
  Commands.makeCommand(
    COMMAND_OF_EVENT[event.type] as Commands.CommandType,
    event.data as never,
    facts
  ) as unknown as Commands.CommandFor<E>
