/**
 * `xueshi report`: a district's year as a terminal table, JSON, CSV files or one HTML file.
 *
 * @since 0.1.0
 */
import { mkdir } from "node:fs/promises"
import { join } from "node:path"
import { DistrictReport } from "@xueshi/core"
import { Console, Effect, Option } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import * as CsvReport from "../CsvReport.js"
import { type CliFailure, invalid, messageOf, unavailable, usage } from "../Failure.js"
import { writeOut } from "../Files.js"
import * as HtmlReport from "../HtmlReport.js"
import type { Lang } from "../Labels.js"
import { parseAsOf, resolveYear } from "../Period.js"
import { loadPolicy } from "../PolicyFlag.js"
import { ledgerOf, sourceOf } from "../Sources.js"
import { step } from "../Steps.js"
import * as TableReport from "../TableReport.js"

/** The output formats of `report`. @since 0.1.0 */
export const FORMATS = ["table", "json", "csv", "html"] as const

/** The `report` command. @since 0.1.0 */
export const report = Command.make(
  "report",
  {
    log: Argument.String("log").pipe(Argument.withDescription("The event-log-v1 file (.jsonl)"), Argument.optional),
    store: Flag.String("store").pipe(
      Flag.withDescription("Read an event store instead of a log: file:<dir> (read-only) or memory:"),
      Flag.optional
    ),
    policy: Flag.String("policy").pipe(
      Flag.withDescription("A policy-set preset id or a policy.json file (default xiqing-district)"),
      Flag.withDefault("xiqing-district")
    ),
    year: Flag.Int("year").pipe(
      Flag.withDescription("The year (default: the year of --as-of, else the log's latest year with sessions)"),
      Flag.optional
    ),
    asOf: Flag.String("as-of").pipe(
      Flag.withDescription("Business date YYYY-MM-DD (default: December 31 of the year)"),
      Flag.optional
    ),
    format: Flag.Literals("format", FORMATS).pipe(Flag.withDescription("Output format"), Flag.withDefault("table")),
    lang: Flag.Literals("lang", ["zh", "en"]).pipe(
      Flag.withDescription("Labels of table and csv: Chinese (zh) or identifiers (en)"),
      Flag.withDefault("zh")
    ),
    out: Flag.String("out").pipe(
      Flag.withDescription("Write to FILE (table, json, html) or into DIR (csv, required) instead of stdout"),
      Flag.optional
    )
  },
  (flags) =>
    Effect.gen(function* () {
      const lang = flags.lang as Lang
      const asOf = yield* parseAsOf(flags.asOf, flags.year)
      if (flags.format === "csv" && Option.isNone(flags.out))
        return yield* Effect.fail(usage("--format csv writes one file per table", "give a folder: --out DIR"))
      const source = yield* sourceOf(flags.log, flags.store, "report")
      const policy = yield* loadPolicy(flags.policy)
      const ledger = yield* step("read log", ledgerOf(source, policy))
      const year = resolveYear(flags.year, asOf, ledger)
      if (year === undefined)
        return yield* Effect.fail(
          invalid(`${source.location} has no sessions to report on`, "give the year: --year 2025")
        )
      const built = yield* step(
        "build report",
        Effect.sync(() => DistrictReport.build(ledger, asOf === undefined ? { year } : { year, asOf }))
      )
      yield* step("write", output(built, flags.format, lang, Option.getOrUndefined(flags.out)))
    })
).pipe(
  Command.withDescription("A district's year: the school roll-up, compliance, course mix, completion and quotas"),
  Command.withExamples([
    { command: "xueshi report district.jsonl", description: "The terminal layout, Chinese labels" },
    { command: "xueshi report district.jsonl --as-of 2025-06-30 --lang en", description: "Mid-year, identifiers" },
    {
      command: "xueshi report district.jsonl --format html --out report.html",
      description: "One file for the committee"
    },
    { command: "xueshi report district.jsonl --format csv --out csv/", description: "Six CSV files for Excel" },
    {
      command: "xueshi report district.jsonl --policy my-policy.json --format json",
      description: "A local policy set"
    },
    { command: "xueshi report --store file:./store --format html --out report.html", description: "From a file store" }
  ])
)

const output = (
  built: DistrictReport.DistrictReport,
  format: (typeof FORMATS)[number],
  lang: Lang,
  out: string | undefined
): Effect.Effect<void, CliFailure> => {
  if (format === "csv") {
    const dir = out as string
    return Effect.tryPromise({
      try: () => mkdir(dir, { recursive: true }),
      catch: (e) =>
        unavailable(`cannot create the folder ${dir}: ${messageOf(e)}`, "check the path and its permissions")
    }).pipe(
      Effect.flatMap(() =>
        Effect.forEach(CsvReport.render(built, { lang }), (f) => writeOut(join(dir, f.name), f.text))
      ),
      Effect.flatMap(() => Console.error(`wrote 6 CSV files to ${dir}`))
    )
  }
  const text =
    format === "json"
      ? `${DistrictReport.toJson(built)}\n`
      : format === "html"
        ? HtmlReport.render(built)
        : TableReport.render(built, { lang })
  if (out === undefined) return Effect.sync(() => void process.stdout.write(text))
  return writeOut(out, text).pipe(Effect.flatMap(() => Console.error(`wrote ${out}`)))
}
