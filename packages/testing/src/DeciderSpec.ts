/**
 * Given / when / then specifications of deciders, written as tables:
 *
 * ```ts
 * DeciderSpec.table(SchoolDecider, {
 *   "registers a school": given().when(registerSchool(XQ)).then([schoolRegistered(XQ)]),
 *   "refuses a second registration": given(schoolRegistered(XQ)).when(registerSchool(XQ)).then("school.alreadyRegistered")
 * })
 * ```
 *
 * `given` folds the events with the decider's `evolve` (checking each with the
 * kind's invariant check first, so a scenario cannot start from an impossible
 * history), `when` runs `decide`, and `then` is either the events expected or
 * the id of the rule the command must break.
 *
 * @since 0.1.0
 */

import { deepStrictEqual, strictEqual } from "node:assert"
import { Commands, type Decider, type Events, type Rules } from "@xueshi/core"
import { Result } from "effect"
import { registrarOf, type TestRegistrar } from "./Registrar.js"

/**
 * One scenario: events so far, a command, and the expected events or rule.
 *
 * @since 0.1.0
 */
export interface Scenario<C = unknown, E extends Events.DomainEvent = Events.DomainEvent> {
  readonly given: ReadonlyArray<E>
  readonly when: C
  readonly then: ReadonlyArray<E> | Rules.RuleId
}

/**
 * Starts a scenario with the events that happened before.
 *
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
    then: (expected: ReadonlyArray<Events.DomainEvent> | Rules.RuleId): Scenario<C> => ({
      given: events,
      when: command,
      // biome-ignore lint/suspicious/noThenProperty: the expected outcome of a scenario (never a function)
      then: expected
    })
  })
})

/**
 * Runs a scenario against a stream kind and asserts its outcome (node:assert, so vitest reports a diff).
 *
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
  } else {
    deepStrictEqual(
      Result.isSuccess(outcome) ? outcome.success : { refused: outcome.failure.rule, message: outcome.failure.message },
      scenario.then
    )
  }
}

/**
 * Registers one vitest test per row of a specification table.
 *
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
 * @since 0.1.0
 */
export const ask = <E extends Events.DomainEvent>(event: E, facts?: Decider.Facts): Commands.CommandFor<E> =>
  Commands.makeCommand(
    COMMAND_OF_EVENT[event.type] as Commands.CommandType,
    event.data as never,
    facts
  ) as unknown as Commands.CommandFor<E>
