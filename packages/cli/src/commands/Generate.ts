/**
 * `xueshi generate`: the seeded synthetic district written as an event-log-v1 file.
 *
 * @since 0.1.0
 */
import { createWriteStream } from "node:fs"
import { mkdir } from "node:fs/promises"
import { dirname } from "node:path"
import { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"
import { EventCodec } from "@xueshi/core"
import { Console, Effect } from "effect"
import { Command, Flag } from "effect/cli"
import { messageOf, unavailable, usage } from "../Failure.js"
import { setTimings, step, summary } from "../Steps.js"
import { timingsFlag } from "./Report.js"

/** The lines of the records in chunks of about 1 MiB of text: one write each, not one per line. */
function* chunksOf(records: Iterable<EventCodec.LogRecord>): Generator<string> {
  let parts: Array<string> = []
  let size = 0
  for (const r of records) {
    const line = `${EventCodec.EventLogCodec.encodeLine(r)}\n`
    parts.push(line)
    size += line.length
    if (size >= 1 << 20) {
      yield parts.join("")
      parts = []
      size = 0
    }
  }
  if (parts.length > 0) yield parts.join("")
}

/**
 * The `generate` command.
 *
 * @category utils
 * @since 0.1.0
 */
export const generate = Command.make(
  "generate",
  {
    members: Flag.Int("members").pipe(
      Flag.withDescription("Number of members (default 38000, the size of Xiqing)"),
      Flag.withDefault(38_000)
    ),
    seed: Flag.Int("seed").pipe(Flag.withDescription("Seed of the generator (default 2025)"), Flag.withDefault(2025)),
    year: Flag.Int("year").pipe(
      Flag.withDescription("Calendar year of the district (default 2025)"),
      Flag.withDefault(2025)
    ),
    timings: timingsFlag,
    out: Flag.String("out").pipe(Flag.withDescription("The event-log-v1 file to write"))
  },
  ({ members, seed, year, out, timings }) =>
    Effect.gen(function* () {
      setTimings(timings)
      if (members < 1)
        return yield* Effect.fail(usage(`--members must be at least 1, got ${members}`, "try --members 300"))
      if (year < 1900 || year > 9999)
        return yield* Effect.fail(usage(`--year ${year} is out of range`, "try --year 2025"))
      // loaded on demand: the generator lives in @xueshi/testing
      const { District } = yield* Effect.promise(() => import("@xueshi/testing"))
      const records = District.generateDistrict({ members, seed, year })
      yield* Effect.tryPromise({
        try: () => mkdir(dirname(out), { recursive: true }),
        catch: (e) =>
          unavailable(`cannot create the folder of ${out}: ${messageOf(e)}`, "check the path and its permissions")
      })
      yield* step(
        "generate",
        Effect.tryPromise({
          try: () => pipeline(Readable.from(chunksOf(records)), createWriteStream(out)),
          catch: (e) =>
            unavailable(`cannot write ${out}: ${messageOf(e)}`, "check that the folder exists and is writable")
        })
      )
      yield* Console.error(`wrote ${out} (${members} members, seed ${seed}, ${year})`)
      yield* summary()
    })
).pipe(
  Command.withDescription("Write a seeded synthetic district as an event-log-v1 file"),
  Command.withExamples([
    { command: "xueshi generate --out district.jsonl", description: "A Xiqing-sized district (38,000 members)" },
    { command: "xueshi generate --members 300 --seed 7 --year 2025 --out small.jsonl", description: "A small one" }
  ])
)
