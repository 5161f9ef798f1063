/**
 * The checks of import, export and integrity across streams that every adapter
 * runs with the rest of the conformance suite:
 *
 * - export → import into an empty store → export is byte-identical, and
 *   importing the same log again appends nothing;
 * - import is all or nothing: a log with one broken rule stores nothing and
 *   names the line and the rule; `validPrefix` stores exactly the lines before it;
 * - any sequence of commands that command handling accepts exports to a log the
 *   validator accepts with references checked, and a refused command breaks the
 *   rule the validator would name for its event.
 *
 * @since 0.1.0
 */
import { CommandHandler, Commands, EventCodec, Events, LogTransfer, LogValidator, type Rules } from "@xueshi/core"
import { Cause, Effect, Exit } from "effect"
import fc from "fast-check"
import { districtHistory, type History, renderLines, renderText } from "../District.js"
import { invalidMutation } from "../Mutations.js"
import { commandAgainst } from "../TargetedCommands.js"
import type { Check } from "./Checks.js"
import { equal, failWith, property, truthy, withStore } from "./Harness.js"

const small = { subdistricts: 2, communitiesPerSubdistrict: 2, members: 10, classes: 3, sessionsPerClass: 3 } as const

/** Gives every line an id (deterministic), so that re-importing is a no-op by the contract. */
const withIds = (history: History): History =>
  history.map((line, i) =>
    line.id === undefined ? { ...line, id: CommandHandler.eventIdFrom(`conformance/${i}/${line.stream}`) } : line
  )

const positionsOf = (text: string): Array<number> =>
  text
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => (JSON.parse(l) as { position: number }).position)
/** Whether an export's positions are exactly 1..n (as the memory and file adapters assign them). */
const dense = (text: string): boolean => positionsOf(text).every((p, i) => p === i + 1)
const increasing = (xs: ReadonlyArray<number>): boolean => xs.every((x, i) => i === 0 || x > (xs[i - 1] as number))
const withoutPositions = (text: string): string => text.replace(/,"position":\d+/g, "")

const roundTrip: Check = {
  id: "transfer.roundTrip",
  group: "import and export",
  title:
    "export → import into an empty store → export is byte-identical (but for sparse store-assigned positions); importing again appends nothing",
  heavy: true,
  run: (ctx) =>
    property(
      ctx,
      districtHistory(small).map(withIds),
      (history) =>
        Effect.gen(function* () {
          const imported = yield* LogTransfer.importLog(renderText(history))
          yield* equal(imported.appended, history.length, "events appended by the first import")
          const first = yield* LogTransfer.exportText()
          yield* truthy(LogValidator.validateText(first).ok, "the export is a valid log")
          const second = yield* withStore(
            ctx.makeLayer,
            Effect.andThen(LogTransfer.importLog(first), LogTransfer.exportText())
          )
          if (dense(first)) yield* equal(second, first, "export of a store imported from an export")
          else {
            // positions that are not 1..n are the store's own (PostgreSQL's encode transaction ids):
            // another store assigns others, so the round trip is byte-identical but for `position`
            yield* equal(withoutPositions(second), withoutPositions(first), "export of a store imported from an export")
            yield* truthy(increasing(positionsOf(second)), "positions of the second export increase")
          }
          const again = yield* LogTransfer.importLog(first)
          yield* equal([again.appended, again.skipped], [0, history.length], "re-import: appended and skipped")
          yield* equal(yield* LogTransfer.exportText(), first, "the export after a re-import")
        }),
      { heavy: true }
    )
}

const allOrNothing: Check = {
  id: "transfer.allOrNothing",
  group: "import and export",
  title:
    "a log with one broken rule stores nothing (the error names line and rule); validPrefix stores the lines before it",
  heavy: true,
  run: (ctx) =>
    property(
      ctx,
      districtHistory(small).chain((h) => fc.tuple(fc.constant(h), invalidMutation(h))),
      ([, mutation]) =>
        Effect.gen(function* () {
          const text = `${mutation.lines.join("\n")}\n`
          const exit = yield* Effect.exit(LogTransfer.importLog(text))
          if (Exit.isSuccess(exit)) return yield* failWith(`import accepted a log that breaks ${mutation.rule}`)
          const found = Cause.findErrorOption(exit.cause)
          const error = found._tag === "Some" ? (found.value as LogValidator.LogError) : undefined
          yield* equal(
            [error?.line, error?.rule],
            [mutation.line, mutation.rule],
            `the import's error (${mutation.note})`
          )
          yield* equal(yield* LogTransfer.exportText(), "", "the store after a rejected import")
          const prefix = yield* LogTransfer.importLog(text, { mode: "validPrefix" })
          yield* equal(prefix.rejected?.line, mutation.line, "validPrefix: the rejected line")
          const expected = LogValidator.validateLines(mutation.lines.slice(0, mutation.line - 1)).accepted
          yield* equal(prefix.appended, expected, "validPrefix: events appended (the valid lines before the error)")
        }),
      { heavy: true }
    )
}

const commandsKeepTheLogValid: Check = {
  id: "transfer.commandIntegrity",
  group: "import and export",
  title:
    "commands that command handling accepts export to a valid log (references checked); refusals name the validator's rule",
  heavy: true,
  run: (ctx) =>
    property(
      ctx,
      districtHistory(small).chain((h) =>
        fc.tuple(fc.constant(h), fc.array(commandAgainst(h), { minLength: 1, maxLength: 12 }))
      ),
      ([history, commands]) =>
        Effect.gen(function* () {
          yield* LogTransfer.importLog(renderLines(history))
          for (const command of commands) {
            const before = yield* LogTransfer.exportText()
            const event = Commands.eventOfCommand(command) as Events.DomainEvent
            const line = EventCodec.EventLogCodec.encodeLine({
              ...event,
              stream: Events.streamOf(event),
              schemaVersion: 1
            } as EventCodec.LogRecord)
            const verdict = LogValidator.validateText(`${before}${line}\n`)
            const handled = yield* Effect.exit(CommandHandler.handleCommand(command))
            if (Exit.isSuccess(handled)) {
              if (handled.value.events.length === 0) continue
              yield* truthy(
                verdict.ok,
                `${command.type} accepted by command handling, but the validator says ${verdict.errors[0]?.rule}`
              )
            } else {
              const rule = ruleOf(handled.cause)
              yield* equal(
                verdict.ok ? "accepted by the validator" : verdict.errors[0]?.rule,
                rule,
                `${command.type} refused by command handling`
              )
            }
          }
          const after = yield* LogTransfer.exportText()
          const report = LogValidator.validateText(after)
          yield* truthy(report.ok, `the export validates with references (${report.errors[0]?.message})`)
        }),
      { heavy: true }
    )
}

const ruleOf = (cause: Cause.Cause<unknown>): Rules.RuleId | string => {
  const found = Cause.findErrorOption(cause)
  const error = found._tag === "Some" ? (found.value as { _tag?: string; rule?: Rules.RuleId }) : undefined
  return error?._tag === "RuleViolation" && error.rule !== undefined
    ? error.rule
    : `another failure: ${error?._tag ?? Cause.pretty(cause)}`
}

/**
 * The import, export and integrity checks.
 *
 * @category checks
 * @since 0.1.0
 */
export const transferChecks: ReadonlyArray<Check> = [roundTrip, allOrNothing, commandsKeepTheLogValid]
