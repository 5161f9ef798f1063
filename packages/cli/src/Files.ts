/**
 * File helpers of the commands: a log read as strict bytes, a path checked readable (exit 1 with a
 * hint otherwise), a text written where `--out` says (exit 3 when it cannot be).
 *
 * @since 0.1.0
 */
import { createReadStream, type ReadStream } from "node:fs"
import { stat, writeFile } from "node:fs/promises"
import { LogSource } from "@xueshi/core"
import { Effect } from "effect"
import { type CliFailure, invalid, messageOf, unavailable } from "./Failure.js"

/**
 * The bytes of a log file as a strict {@link LogSource.LogBytes} source: lines end at `\n` only
 * (a lone `\r` is refused by the validator, not taken as a line end) and invalid UTF-8 is refused
 * with the line and byte offset (`node:readline` would replace it with U+FFFD). The file is
 * opened when the source is read, so nothing is read before the reader asks. `onOpen` receives
 * the stream opened (the progress meter reads its `bytesRead`).
 *
 * @category utils
 * @since 0.1.0
 */
export const logBytes = (path: string, onOpen?: (input: ReadStream) => void): LogSource.LogBytes =>
  LogSource.bytes({
    [Symbol.asyncIterator]: () => {
      const input = createReadStream(path)
      onOpen?.(input)
      return input[Symbol.asyncIterator]()
    }
  })

/**
 * Checks a file can be read (exit 1 with a hint otherwise).
 *
 * @category utils
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
 * @category utils
 * @since 0.1.0
 */
export const writeOut = (path: string, text: string): Effect.Effect<void, CliFailure> =>
  Effect.tryPromise({
    try: () => writeFile(path, text),
    catch: (e) => unavailable(`cannot write ${path}: ${messageOf(e)}`, "check that the folder exists and is writable")
  })
