/**
 * File helpers of the commands: a log read line by line, a path checked readable (exit 1 with a
 * hint otherwise), a text written where `--out` says (exit 3 when it cannot be).
 *
 * @since 0.1.0
 */
import { createReadStream } from "node:fs"
import { stat, writeFile } from "node:fs/promises"
import { createInterface } from "node:readline"
import { Effect } from "effect"
import { type CliFailure, invalid, messageOf, unavailable } from "./Failure.js"

/**
 * The lines of a file, read as a stream.
 *
 * @since 0.1.0
 */
export const lineReader = (path: string): AsyncIterable<string> => ({
  // opened when iterated: a readline interface reads at once, and drops the lines no one iterates yet
  [Symbol.asyncIterator]: () =>
    createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY })[Symbol.asyncIterator]()
})

/**
 * Checks a file can be read (exit 1 with a hint otherwise).
 *
 * @since 0.1.0
 */
export const readable = (path: string, what = "log"): Effect.Effect<void, CliFailure> =>
  Effect.tryPromise({
    try: () => stat(path),
    catch: (e) =>
      invalid(
        `cannot read the ${what} ${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : messageOf(e)}`,
        "check the path (xueshi generate --out FILE writes a sample log)"
      )
  }).pipe(
    Effect.flatMap((s) =>
      s.isFile()
        ? Effect.void
        : Effect.fail(invalid(`the ${what} ${path} is not a file`, "give the path of a .jsonl log"))
    )
  )

/**
 * Writes a text file (exit 3 when it cannot be written).
 *
 * @since 0.1.0
 */
export const writeOut = (path: string, text: string): Effect.Effect<void, CliFailure> =>
  Effect.tryPromise({
    try: () => writeFile(path, text),
    catch: (e) => unavailable(`cannot write ${path}: ${messageOf(e)}`, "check that the folder exists and is writable")
  })
