/**
 * `xueshi report`: a district's year as a terminal table, JSON, CSV files, one HTML file, or
 * all of them into one folder (`--format all`).
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import { mkdir } from "node:fs/promises"
import { join } from "node:path"
import { DistrictReport } from "@xueshi/core"
import { Console, Effect, Option } from "effect"
import { Command, Flag } from "effect/cli"
import * as CsvReport from "../CsvReport.js"
import { type CliFailure, messageOf, unavailable, usage } from "../Failure.js"
import { writeOut } from "../Files.js"
import * as HtmlReport from "../HtmlReport.js"
import type { Lang } from "../Labels.js"
import { shortfallExplanations } from "../MemberRecord.js"
import { ledgerOf, load, sourceFlags } from "../Sources.js"
import { type Meter, setTimings, step, summary } from "../Steps.js"
import * as TableReport from "../TableReport.js"

/**
 * The output formats of `report`.
 *
 * @category constants
 * @since 0.1.0
 */
export const FORMATS = ["table", "json", "csv", "html", "all"] as const
/**
 * One of {@link FORMATS}.
 *
 * @category models
 * @since 0.1.0
 */
export type Format = (typeof FORMATS)[number]

/**
 * `--lang`.
 *
 * @category utils
 * @since 0.1.0
 */
export const langFlag = Flag.Literals("lang", ["zh", "en"]).pipe(
  Flag.withDescription("Labels: Chinese (zh) or identifiers (en)"),
  Flag.withDefault("zh")
)

/**
 * `--timings`.
 *
 * @category utils
 * @since 0.1.0
 */
export const timingsFlag = Flag.Boolean("timings").pipe(
  Flag.withDescription("Print each step's wall time and the peak RSS to stderr, even when not a terminal"),
  Flag.withDefault(false)
)

/**
 * The `report` command.
 *
 * @category utils
 * @since 0.1.0
 */
export const report = Command.make(
  "report",
  {
    ...sourceFlags,
    format: Flag.Literals("format", FORMATS).pipe(
      Flag.withDescription("Output format (all: report.html, report.json, report.txt and csv/ into --out DIR)"),
      Flag.withDefault("table")
    ),
    lang: langFlag,
    out: Flag.String("out").pipe(
      Flag.withDescription("Write to FILE (table, json, html) or into DIR (csv, all: required) instead of stdout"),
      Flag.optional
    ),
    timings: timingsFlag
  },
  (flags) =>
    Effect.gen(function* () {
      setTimings(flags.timings)
      const lang = flags.lang as Lang
      if ((flags.format === "csv" || flags.format === "all") && Option.isNone(flags.out))
        return yield* Effect.fail(usage(`--format ${flags.format} writes several files`, "give a folder: --out DIR"))
      let meter: (() => Meter) | undefined
      const { ledger, year, asOf } = yield* load(flags, "report", (source, policy) =>
        step(
          source.kind === "log" ? "read log" : "read store",
          ledgerOf(source, policy, (m) => {
            meter = m
          }),
          () => meter?.()
        )
      )
      const built = yield* step(
        "build report",
        Effect.sync(() => DistrictReport.build(ledger, asOf === undefined ? { year } : { year, asOf }))
      )
      const html: HtmlReport.RenderOptions =
        flags.format === "html" || flags.format === "all"
          ? {
              explanations: yield* step(
                "explain shortfalls",
                Effect.sync(() => shortfallExplanations(ledger, built.shortfalls, { year, asOf }))
              )
            }
          : {}
      yield* step("write", output(built, flags.format, lang, Option.getOrUndefined(flags.out), html))
      yield* summary()
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
      command: "xueshi report --store file:./store --format all --out out/ --timings",
      description: "From a file store: HTML, JSON, text and CSV into out/, with step times"
    },
    {
      command: "xueshi report --store postgres://postgres@127.0.0.1:5432/postgres?schema=xiqing --format json",
      description: "From a PostgreSQL store"
    },
    {
      command: "xueshi report district.jsonl --policy my-policy.json --format json",
      description: "A local policy set"
    }
  ])
)

const mkdirOut = (dir: string): Effect.Effect<void, CliFailure> =>
  Effect.tryPromise({
    try: () => mkdir(dir, { recursive: true }),
    catch: (e) => unavailable(`cannot create the folder ${dir}: ${messageOf(e)}`, "check the path and its permissions")
  }).pipe(Effect.asVoid)

const csvInto = (built: DistrictReport.DistrictReport, dir: string, lang: Lang) =>
  mkdirOut(dir).pipe(
    Effect.flatMap(() => Effect.forEach(CsvReport.render(built, { lang }), (f) => writeOut(join(dir, f.name), f.text)))
  )

const output = (
  built: DistrictReport.DistrictReport,
  format: Format,
  lang: Lang,
  out: string | undefined,
  html: HtmlReport.RenderOptions
): Effect.Effect<void, CliFailure> => {
  if (format === "csv") {
    const dir = out as string
    return csvInto(built, dir, lang).pipe(Effect.flatMap(() => Console.error(`wrote 6 CSV files to ${dir}`)))
  }
  if (format === "all") {
    const dir = out as string
    const json = DistrictReport.toJson(built)
    return Effect.gen(function* () {
      yield* mkdirOut(dir)
      yield* writeOut(join(dir, "report.html"), HtmlReport.render(built, html))
      yield* writeOut(join(dir, "report.json"), `${json}\n`)
      yield* writeOut(join(dir, "report.txt"), TableReport.render(built, { lang }))
      yield* csvInto(built, join(dir, "csv"), lang)
      yield* Console.error(
        `wrote ${join(dir, "report.html")}, report.json, report.txt and csv/ (6 files); report sha256 ${createHash("sha256").update(json).digest("hex")}`
      )
    })
  }
  const text =
    format === "json"
      ? `${DistrictReport.toJson(built)}\n`
      : format === "html"
        ? HtmlReport.render(built, html)
        : TableReport.render(built, { lang })
  if (out === undefined) return Effect.sync(() => void process.stdout.write(text))
  return writeOut(out, text).pipe(Effect.flatMap(() => Console.error(`wrote ${out}`)))
}
