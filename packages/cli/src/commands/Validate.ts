/**
 * `xueshi validate <log>`: every line, every rule, the references between streams; exit 0 or 1.
 *
 * @since 0.1.0
 */
import { LogSource, LogValidator, Rules } from "@xueshi/core"
import { Console, Effect, Option, Stream } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { invalid, usage } from "../Failure.js"
import { logBytes, readable } from "../Files.js"
import { step } from "../Steps.js"

/**
 * The `validate` command.
 *
 * @category rules
 * @since 0.1.0
 */
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
      // a line the byte reader refuses (invalid UTF-8, too long) ends the read: the lines before
      // it are checked (and listed with --all), the refusal is the last error listed
      let readEnded: LogValidator.LogError | undefined
      const lines = LogSource.lines<never, never>(logBytes(log)).pipe(
        Stream.catchTag("LogError", (e) => {
          readEnded = new LogValidator.LogError({
            line: e.line,
            rule: e.rule,
            path: e.path,
            message: `${e.message}; reading stopped here, the lines after it were not checked`,
            ...(e.stream === undefined ? {} : { stream: e.stream })
          })
          return Stream.empty
        })
      )
      const checked = yield* step(
        "validate",
        LogValidator.validateStream(lines, {
          keepRecords: false,
          collectAll,
          ...(Option.isSome(maxErrors) ? { maxErrors: maxErrors.value } : {})
        }).pipe(Effect.mapError((e) => invalid(`cannot read the log ${log}: ${e.message}`, "check the file")))
      )
      // without --all the first error is the one: a refusal met after it is not listed
      if (readEnded !== undefined && !collectAll && checked.errors.length > 0) readEnded = undefined
      const report =
        readEnded === undefined ? checked : { ...checked, ok: false, errors: [...checked.errors, readEnded] }
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
        `${report.errors.length} error${report.errors.length === 1 ? "" : "s"}${collectAll || readEnded !== undefined ? "" : " (the first; --all lists more)"} in ${report.lines} lines read${readEnded === undefined ? "" : ` (reading stopped at line ${readEnded.line})`}:`
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
