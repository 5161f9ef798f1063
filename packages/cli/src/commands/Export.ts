/**
 * `xueshi export --store URL`: a store as an event-log-v1 file (every field in the contract's
 * order), to stdout or `--out FILE` (written to a temporary file beside it and renamed when
 * complete: all or nothing).
 *
 * @since 0.1.0
 */
import { createWriteStream } from "node:fs"
import { rename, rm, writeFile } from "node:fs/promises"
import { dirname, join } from "node:path"
import { EventStore, LogTransfer } from "@xueshi/core"
import { Console, Effect, Option, Stream } from "effect"
import { Command, Flag } from "effect/cli"
import { type CliFailure, messageOf, unavailable, usage } from "../Failure.js"
import { schemaFlag, storeFlag } from "../Sources.js"
import { type Meter, step } from "../Steps.js"
import * as StoreUrl from "../StoreUrl.js"

/**
 * The `export` command.
 *
 * @category utils
 * @since 0.1.0
 */
export const exportCommand = Command.make(
  "export",
  {
    store: storeFlag("The store to export"),
    schema: schemaFlag(),
    after: Flag.Int("after").pipe(
      Flag.withDescription("Only the events after this global position (default: all)"),
      Flag.optional
    ),
    out: Flag.String("out").pipe(Flag.withDescription("Write to FILE instead of stdout"), Flag.optional)
  },
  (flags) =>
    Effect.gen(function* () {
      if (Option.isSome(flags.after) && flags.after.value < 0)
        return yield* Effect.fail(usage(`--after must be 0 or more, got ${flags.after.value}`, "try --after 0"))
      const spec = yield* StoreUrl.parse(flags.store, flags.schema)
      const out = Option.getOrUndefined(flags.out)
      let meter: Meter | undefined
      const count = yield* step(
        "export",
        Effect.gen(function* () {
          const store = yield* EventStore.EventStore
          const head = yield* store.head()
          const lines = LogTransfer.exportLog(Option.isSome(flags.after) ? { after: flags.after.value } : {})
          let n = 0
          if (out === undefined) {
            yield* Stream.runForEachArray(lines, (chunk) =>
              Effect.sync(() => {
                process.stdout.write(`${chunk.join("\n")}\n`)
                n += chunk.length
              })
            )
            return n
          }
          const temp = join(dirname(out), `.${Date.now()}-${process.pid}.xueshi-export.tmp`)
          yield* Effect.tryPromise({
            try: () => writeFile(temp, ""),
            catch: (e) =>
              unavailable(`cannot write ${out}: ${messageOf(e)}`, "check that the folder exists and is writable")
          })
          const file = createWriteStream(temp)
          let failure: unknown
          file.on("error", (e) => {
            failure = e
          })
          yield* Stream.runForEachArray(lines, (chunk) =>
            Effect.sync(() => {
              file.write(`${chunk.join("\n")}\n`)
              n += chunk.length
              meter = { done: n, total: head }
            })
          ).pipe(
            Effect.flatMap(() =>
              Effect.tryPromise({
                try: () =>
                  new Promise<void>((resolve, reject) => {
                    if (failure !== undefined) return reject(failure)
                    file.on("error", reject)
                    file.end(() => resolve())
                  }).then(() => rename(temp, out)),
                catch: (e) =>
                  unavailable(`cannot write ${out}: ${messageOf(e)}`, "check that the folder exists and is writable")
              })
            ),
            Effect.onError(() =>
              Effect.promise(() => {
                file.destroy()
                return rm(temp, { force: true })
              })
            )
          )
          return n
        }).pipe(
          Effect.mapError(
            (e): CliFailure =>
              e._tag === "CliFailure"
                ? e
                : unavailable(`cannot read the store ${spec.url}: ${e.message}`, "check the store")
          ),
          Effect.provide(StoreUrl.layer(spec, { readOnly: true }))
        ),
        () => meter
      )
      if (out !== undefined) yield* Console.error(`wrote ${out} (${count} events from ${spec.url})`)
    })
).pipe(
  Command.withDescription("Export a store as an event-log-v1 file (export → import → export is byte-identical)"),
  Command.withExamples([
    { command: "xueshi export --store file:./store --out district.jsonl", description: "A file store to a log" },
    {
      command: "xueshi export --store postgres://postgres@127.0.0.1:5432/postgres?schema=xiqing > xiqing.jsonl",
      description: "A PostgreSQL store to stdout"
    },
    { command: "xueshi export --store file:./store --after 120000", description: "Only the newer events" }
  ])
)
