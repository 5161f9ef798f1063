/**
 * Runs the `xueshi` command on a list of arguments and answers the exit code. Parse errors
 * (unknown flags, bad values, a missing argument) become ONE line and a hint (exit 2); a
 * {@link CliFailure} prints its message and hint (its exit code); anything else is reported as
 * an internal error in one line (exit 70). Help goes to stdout, errors to stderr.
 *
 * @since 0.1.0
 */
import * as NodeServices from "@effect/platform-node/NodeServices"
import { Cause, Effect, Exit, Layer } from "effect"
import { CliError, CliOutput, Command } from "effect/cli"
import { xueshi } from "./Commands.js"
import { ExitCode } from "./Failure.js"

/**
 * The version the bin reports (`xueshi --version`).
 *
 * @category utils
 * @since 0.1.0
 */
export const version = "0.1.0"

// Help is printed as effect/cli formats it; an invalid invocation is left to `run` (one line and a hint).
const presenter = CliOutput.layerPresenter({
  present: (event) =>
    Effect.gen(function* () {
      const formatter = CliOutput.defaultFormatter({ colors: process.stdout.isTTY === true })
      if (event._tag === "Help")
        yield* Effect.sync(() => void process.stdout.write(`${formatter.formatHelpDoc(event.helpDoc)}\n`))
      else if (event._tag === "Version")
        yield* Effect.sync(() => void process.stdout.write(`${formatter.formatVersion(event.name, event.version)}\n`))
    })
})

const say = (line: string, hint: string) => process.stderr.write(`xueshi: ${line}\n  hint: ${hint}\n`)

const firstLine = (text: string) =>
  text
    .split("\n")
    .find((l) => l.trim() !== "")
    ?.trim() ?? text

/**
 * Runs `xueshi` with the given arguments (without `node` and the script); answers the exit code.
 *
 * @category runners
 * @since 0.1.0
 */
export const run = async (args: ReadonlyArray<string>): Promise<number> => {
  const program = Command.runWith(xueshi, { version, renderErrors: true })(args).pipe(
    Effect.provide(Layer.merge(NodeServices.layer, presenter))
  )
  const exit = await Effect.runPromiseExit(program)
  if (Exit.isSuccess(exit)) return ExitCode.ok
  const error = Cause.findErrorOption(exit.cause)
  if (error._tag === "None") {
    say(`internal error: ${firstLine(Cause.pretty(exit.cause))}`, "please report it with the command you ran")
    return 70
  }
  const e = error.value as { _tag?: string }
  if (e._tag === "CliFailure") {
    const f = e as { exitCode: number; message: string; hint: string }
    say(f.message, f.hint)
    return f.exitCode
  }
  if (CliError.isCliError(e)) {
    if (e._tag === "ShowHelp") {
      const errors = (e as CliError.ShowHelp).errors
      const path = (e as CliError.ShowHelp).commandPath.join(" ")
      if (errors.length === 0) return ExitCode.usage
      say(firstLine(errors[0]?.message ?? "invalid arguments"), `see ${path} --help`)
      return ExitCode.usage
    }
    say(firstLine(e.message), "see xueshi --help")
    return ExitCode.usage
  }
  say(
    `internal error: ${firstLine(String((e as { message?: unknown }).message ?? e))}`,
    "please report it with the command you ran"
  )
  return 70
}
