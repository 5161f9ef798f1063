/**
 * `xueshi import <log> --store URL`: an event-log-v1 file into a store, all or nothing by
 * default (`LogTransfer.importLog`: the whole log validated on top of what the store holds
 * before anything is appended), idempotent on event ids.
 *
 * @since 0.1.0
 */

import { FileStore } from "@xueshi/adapter-file"
import { LogTransfer, LogValidator, type StoreErrors } from "@xueshi/core"
import { Console, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { type CliFailure, invalid, messageOf, unavailable, usage } from "../Failure.js"
import { readable } from "../Files.js"
import { countingReader, schemaFlag, storeFlag } from "../Sources.js"
import { type Meter, setTimings, step, summary } from "../Steps.js"
import * as StoreUrl from "../StoreUrl.js"
import { timingsFlag } from "./Report.js"

/**
 * A store's append and read errors as CLI failures.
 *
 * @category utils
 * @since 0.1.0
 */
export const storeFailure =
  (url: string) =>
  (e: StoreErrors.AppendError | StoreErrors.StoreReadOnly): CliFailure => {
    switch (e._tag) {
      case "WrongExpectedVersion":
        return unavailable(
          `another writer appended to ${url} during the import: ${e.message}`,
          "stop the other writer and run the import again (lines with ids are skipped if already stored)"
        )
      case "DuplicateEventConflict":
        return invalid(
          `the store ${url} holds a different event with the same id: ${e.message}`,
          "give the event a new id"
        )
      case "EventEncodingError":
        return invalid(`an event cannot be stored: ${e.message}`, "run xueshi validate on the log")
      default:
        return unavailable(`the store ${url} is unavailable: ${e.message}`, "check the store and run the import again")
    }
  }

/**
 * The `import` command.
 *
 * @category utils
 * @since 0.1.0
 */
export const importCommand = Command.make(
  "import",
  {
    log: Argument.String("log").pipe(Argument.withDescription("The event-log-v1 file (.jsonl) to import")),
    store: storeFlag("The store to import into (a file:<dir> is created if missing, memory: is a dry run)"),
    schema: schemaFlag("; created if missing"),
    validPrefix: Flag.Boolean("valid-prefix").pipe(
      Flag.withDescription(
        "Import the lines before the first invalid one, report it and exit 1 (default: all or nothing)"
      ),
      Flag.withDefault(false)
    ),
    timings: timingsFlag,
    batchSize: Flag.Int("batch-size").pipe(
      Flag.withDescription("At most N events per append (default 500)"),
      Flag.withDefault(500)
    )
  },
  (flags) =>
    Effect.gen(function* () {
      setTimings(flags.timings)
      if (flags.batchSize < 1)
        return yield* Effect.fail(
          usage(`--batch-size must be at least 1, got ${flags.batchSize}`, "try --batch-size 500")
        )
      const spec = yield* StoreUrl.parse(flags.store, flags.schema)
      yield* readable(flags.log)
      const { source, meter: bytes } = countingReader(flags.log)
      let appending: Meter | undefined
      const result = yield* step(
        "import",
        LogTransfer.importLog(source, {
          mode: flags.validPrefix ? "validPrefix" : "allOrNothing",
          batchSize: flags.batchSize,
          onProgress: ({ lines, appended }) => {
            appending = { done: appended, total: lines }
          }
        }).pipe(
          Effect.catchDefect((d) =>
            Effect.fail(invalid(`${spec.url}: ${messageOf(d)}`, "import into an empty store, or repair this one"))
          ),
          Effect.mapError((e): CliFailure => {
            if (e._tag === "CliFailure") return e
            if (e._tag === "LogError")
              return invalid(
                `${flags.log}:${LogValidator.describeLogError(e)}`,
                `nothing imported; run xueshi validate ${flags.log} --all`
              )
            if (e._tag === "LogSourceError")
              return invalid(`cannot read the log ${flags.log}: ${e.message}`, "check the file")
            return storeFailure(spec.url)(e)
          }),
          Effect.tap(() =>
            Effect.flatMap(Effect.serviceOption(FileStore.FileStore), (fs) =>
              Option.isSome(fs) ? fs.value.flush.pipe(Effect.mapError((e) => storeFailure(spec.url)(e))) : Effect.void
            )
          ),
          Effect.provide(
            spec.kind === "file" ? StoreUrl.bulkFileLayer(spec) : StoreUrl.layer(spec, { readOnly: false })
          )
        ),
        () => appending ?? bytes()
      )
      const skipped = result.skipped === 0 ? "" : `, ${result.skipped} already stored`
      const dry = spec.kind === "memory" ? " (memory: a dry run, nothing kept)" : ""
      yield* Console.log(
        `imported ${result.appended} events from ${result.lines} lines of ${flags.log} into ${spec.url}${skipped}${dry}`
      )
      yield* summary()
      if (result.rejected !== undefined)
        return yield* Effect.fail(
          invalid(
            `${flags.log}:${LogValidator.describeLogError(result.rejected)}`,
            `the lines before it were imported; fix it and import again (lines with ids are skipped if already stored)`
          )
        )
    })
).pipe(
  Command.withDescription("Import an event-log-v1 file into a store, all or nothing (validated against what it holds)"),
  Command.withExamples([
    {
      command: "xueshi import district.jsonl --store file:./store",
      description: "Into a file store (created if missing)"
    },
    {
      command: "xueshi import district.jsonl --store postgres://postgres@127.0.0.1:5432/postgres --schema xiqing",
      description: "Into a PostgreSQL store"
    },
    {
      command: "xueshi import district.jsonl --store memory:",
      description: "A dry run: validate against an empty store"
    },
    { command: "xueshi import part.jsonl --store file:./store --valid-prefix", description: "Keep what is valid" }
  ])
)
