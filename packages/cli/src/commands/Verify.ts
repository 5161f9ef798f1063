/**
 * `xueshi verify <transcript> <log | --store URL>`: reads a transcript's verification line,
 * folds the same prefix of the log or store (its first `events` events), checks the prefix's
 * digest, renders the transcript again and compares it with the file, byte for byte. Exit 0
 * when both match, 1 when either does not (saying which, and the first differing line).
 *
 * @since 0.1.0
 */
import { readFile } from "node:fs/promises"
import { Console, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { invalid, messageOf } from "../Failure.js"
import { readable } from "../Files.js"
import { schemaFlag, sourceOf, storeFlag } from "../Sources.js"
import { parseVerificationLine } from "../TranscriptReport.js"
import { makeTranscript } from "./Transcript.js"

const firstDifference = (a: string, b: string): number => {
  const x = a.split("\n")
  const y = b.split("\n")
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) return i + 1
  return 0
}

/**
 * The `verify` command.
 *
 * @category utils
 * @since 0.1.0
 */
export const verifyCommand = Command.make(
  "verify",
  {
    transcript: Argument.String("transcript").pipe(Argument.withDescription("The transcript file (text or HTML)")),
    log: Argument.String("log").pipe(Argument.withDescription("The event-log-v1 file it came from"), Argument.optional),
    store: storeFlag("Or the store it came from").pipe(Flag.optional),
    schema: schemaFlag(),
    policy: Flag.String("policy").pipe(
      Flag.withDescription("The policy set, when the transcript's (a preset id or file path) is not at hand"),
      Flag.optional
    )
  },
  (flags) =>
    Effect.gen(function* () {
      const source = yield* sourceOf(flags.log, flags.store, "verify <transcript>", flags.schema)
      yield* readable(flags.transcript, "transcript")
      const text = yield* Effect.tryPromise({
        try: () => readFile(flags.transcript, "utf8"),
        catch: (e) => invalid(`cannot read the transcript ${flags.transcript}: ${messageOf(e)}`, "check the path")
      })
      const params = parseVerificationLine(text)
      if (params === undefined)
        return yield* Effect.fail(
          invalid(
            `${flags.transcript} has no verification line (xueshi-transcript: v1 …)`,
            "verify a transcript made by xueshi transcript, unaltered"
          )
        )
      const again = yield* makeTranscript(
        source,
        { ...params, policy: Option.getOrElse(flags.policy, () => params.policy) },
        params.events
      )
      if (again.params.sha256 !== params.sha256)
        return yield* Effect.fail(
          invalid(
            `the first ${params.events} events of ${source.location} are not the ones ${flags.transcript} came from (sha256 ${again.params.sha256.slice(0, 12)}…, transcript says ${params.sha256.slice(0, 12)}…)`,
            "verify against the log or store the transcript was made from"
          )
        )
      if (again.text !== text)
        return yield* Effect.fail(
          invalid(
            `${flags.transcript} differs from the transcript of ${params.member} the ledger gives, from line ${firstDifference(text, again.text)}`,
            `xueshi transcript ${params.member} … --year ${params.year} --format ${params.format} shows what the ledger says`
          )
        )
      yield* Console.log(
        `${flags.transcript}: verified — ${params.member} ${params.year}, the first ${params.events} events of ${source.location} (sha256 ${params.sha256})`
      )
    })
).pipe(
  Command.withDescription("Check a transcript against the log or store it came from"),
  Command.withExamples([
    { command: "xueshi verify M000123.txt district.jsonl", description: "Against a log" },
    { command: "xueshi verify M000123.html --store file:./store", description: "Against a store that has grown since" }
  ])
)
