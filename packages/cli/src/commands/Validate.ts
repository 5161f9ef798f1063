/**
 * `xueshi validate <log>`: every line, every rule, the references between streams; exit 0 or 1.
 *
 * @since 0.1.0
 */
import { LogValidator, Rules } from "@xueshi/core"
import { Console, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { invalid, messageOf, usage } from "../Failure.js"
import { lineReader, readable } from "../Files.js"
import { step } from "../Steps.js"

/** The `validate` command. @since 0.1.0 */
export const validate = Command.make(
  "validate",
  {
    log: Argument.String("log").pipe(Argument.withDescription("The event-log-v1 file (.jsonl)")),
    all: Flag.Boolean("all").pipe(
      Flag.withDescription("List every error (up to --max-errors, default 1000)"),
      Flag.withDefault(false)
    ),
    maxErrors: Flag.Int("max-errors").pipe(Flag.withDescription("List up to N errors (implies --all)"), Flag.optional)
  },
  ({ log, all, maxErrors }) =>
    Effect.gen(function* () {
      if (Option.isSome(maxErrors) && maxErrors.value < 1)
        return yield* Effect.fail(
          usage(`--max-errors must be at least 1, got ${maxErrors.value}`, "try --max-errors 50")
        )
      yield* readable(log)
      const collectAll = all || Option.isSome(maxErrors)
      const report = yield* step(
        "validate",
        Effect.tryPromise({
          try: () =>
            LogValidator.validateAsyncLines(lineReader(log), {
              keepRecords: false,
              collectAll,
              ...(Option.isSome(maxErrors) ? { maxErrors: maxErrors.value } : {})
            }),
          catch: (e) => invalid(`cannot read the log ${log}: ${messageOf(e)}`, "check the file")
        })
      )
      if (report.ok) {
        yield* Console.log(`${log}: valid (${report.lines} lines, ${report.accepted} events)`)
        return
      }
      const byRule = new Map<string, number>()
      for (const error of report.errors) {
        byRule.set(error.rule, (byRule.get(error.rule) ?? 0) + 1)
        yield* Console.log(`${log}:${LogValidator.describeLogError(error)}`)
        yield* Console.log(`  hint: ${Rules.RuleCatalogue[error.rule]}`)
      }
      yield* Console.log(
        `${report.errors.length} error${report.errors.length === 1 ? "" : "s"}${collectAll ? "" : " (the first; --all lists more)"} in ${report.lines} lines read:`
      )
      for (const [rule, n] of [...byRule].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])))
        yield* Console.log(`  ${rule}: ${n}`)
      return yield* Effect.fail(
        invalid(`${log} is not a valid event log`, "fix the lines above; the rules are in docs/event-model.md")
      )
    })
).pipe(
  Command.withDescription("Check an event-log-v1 file: every line, every rule, references between streams"),
  Command.withExamples([
    {
      command: "xueshi validate district.jsonl",
      description: "Stop at the first error (exit 1), or say valid (exit 0)"
    },
    {
      command: "xueshi validate district.jsonl --max-errors 20",
      description: "List up to 20 errors and count them by rule"
    }
  ])
)
