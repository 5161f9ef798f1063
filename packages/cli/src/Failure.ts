/**
 * The one error a command fails with: an exit code, one line saying what is wrong and one
 * line saying what to do. `Main` prints it as `xueshi: <message>` and `  hint: <hint>` on
 * stderr and exits with its code; nothing else (no stack trace) is printed.
 *
 * @since 0.1.0
 */
import { Data } from "effect"

/**
 * The documented exit codes: 0 ok, 1 invalid input (a bad log or policy file, a file that
 * cannot be read), 2 usage (bad flags or arguments), 3 store unavailable (an output that
 * cannot be written).
 *
 * @category values
 * @since 0.1.0
 */
export const ExitCode = { ok: 0, invalidInput: 1, usage: 2, unavailable: 3 } as const
/**
 * One of the keys or values of {@link ExitCode}.
 *
 * @category models
 * @since 0.1.0
 */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/**
 * A command's failure: what is wrong, what to do, and the exit code.
 *
 * @category errors
 * @since 0.1.0
 */
export class CliFailure extends Data.TaggedError("CliFailure")<{
  readonly exitCode: ExitCode
  readonly message: string
  readonly hint: string
}> {}

/**
 * A usage error (exit 2).
 *
 * @category utils
 * @since 0.1.0
 */
export const usage = (message: string, hint: string): CliFailure =>
  new CliFailure({ exitCode: ExitCode.usage, message, hint })

/**
 * An invalid input (exit 1).
 *
 * @category utils
 * @since 0.1.0
 */
export const invalid = (message: string, hint: string): CliFailure =>
  new CliFailure({ exitCode: ExitCode.invalidInput, message, hint })

/**
 * A store or output that is unavailable (exit 3).
 *
 * @category utils
 * @since 0.1.0
 */
export const unavailable = (message: string, hint: string): CliFailure =>
  new CliFailure({ exitCode: ExitCode.unavailable, message, hint })

/**
 * The message of an unknown thrown value (`Error.message`, or its text).
 *
 * @category utils
 * @since 0.1.0
 */
export const messageOf = (cause: unknown): string => (cause instanceof Error ? cause.message : String(cause))
