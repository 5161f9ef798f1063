/**
 * The commands of the `xueshi` bin, built with `effect/cli`: `generate`, `validate` and
 * `report`. Each fails only with a {@link CliFailure} (exit code, message, hint); see
 * docs/cli.md.
 *
 * @since 0.1.0
 */
import { createReadStream, createWriteStream } from "node:fs"
import { mkdir, stat, writeFile } from "node:fs/promises"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"
import {
  Calendar,
  DistrictReport,
  EventCodec,
  Input,
  Ledger,
  LogValidator,
  PolicySet,
  Presets,
  Rules
} from "@xueshi/core"
import { Console, Effect, Option, Result } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import * as CsvReport from "./CsvReport.js"
import { importRoster } from "./commands/ImportRoster.js"
import { importXapi } from "./commands/ImportXapi.js"
import { type CliFailure, invalid, messageOf, unavailable, usage } from "./Failure.js"
import * as HtmlReport from "./HtmlReport.js"
import type { Lang } from "./Labels.js"
import { ledgerOfStore } from "./Sources.js"
import { step } from "./Steps.js"
import * as TableReport from "./TableReport.js"

const lineReader = (path: string) =>
  createInterface({ input: createReadStream(path), crlfDelay: Number.POSITIVE_INFINITY })

/** Checks a log file can be read (exit 1 with a hint otherwise). */
const readable = (path: string, what = "log"): Effect.Effect<void, CliFailure> =>
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

const writeOut = (path: string, text: string): Effect.Effect<void, CliFailure> =>
  Effect.tryPromise({
    try: () => writeFile(path, text),
    catch: (e) => unavailable(`cannot write ${path}: ${messageOf(e)}`, "check that the folder exists and is writable")
  })

// ---------------------------------------------------------------------------------------------
// generate

const generate = Command.make(
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
    out: Flag.String("out").pipe(Flag.withDescription("The event-log-v1 file to write"))
  },
  ({ members, seed, year, out }) =>
    Effect.gen(function* () {
      if (members < 1)
        return yield* Effect.fail(usage(`--members must be at least 1, got ${members}`, "try --members 300"))
      if (year < 1900 || year > 9999)
        return yield* Effect.fail(usage(`--year ${year} is out of range`, "try --year 2025"))
      // loaded on demand: the generator lives in @xueshi/testing
      const { DistrictGenerator } = yield* Effect.promise(() => import("@xueshi/testing"))
      const records = DistrictGenerator.generateDistrict({ members, seed, year })
      yield* step(
        "generate",
        Effect.tryPromise({
          try: () =>
            pipeline(
              Readable.from(records).map((r) => `${EventCodec.EventLogCodec.encodeLine(r)}\n`),
              createWriteStream(out)
            ),
          catch: (e) =>
            unavailable(`cannot write ${out}: ${messageOf(e)}`, "check that the folder exists and is writable")
        })
      )
      yield* Console.error(`wrote ${out} (${members} members, seed ${seed}, ${year})`)
    })
).pipe(
  Command.withDescription("Write a seeded synthetic district as an event-log-v1 file"),
  Command.withExamples([
    { command: "xueshi generate --out district.jsonl", description: "A Xiqing-sized district (38,000 members)" },
    { command: "xueshi generate --members 300 --seed 7 --year 2025 --out small.jsonl", description: "A small one" }
  ])
)

// ---------------------------------------------------------------------------------------------
// validate

const validate = Command.make(
  "validate",
  {
    log: Argument.String("log").pipe(Argument.withDescription("The event-log-v1 file (.jsonl)")),
    all: Flag.Boolean("all").pipe(
      Flag.withDescription("List every error (up to --max-errors, default 1000)"),
      Flag.withDefault(false)
    ),
    maxErrors: Flag.Int("max-errors").pipe(Flag.withDescription("List up to N errors (implies --all)"), Flag.optional)
  },
  ({ log, all, maxErrors }) =>
    Effect.gen(function* () {
      if (Option.isSome(maxErrors) && maxErrors.value < 1)
        return yield* Effect.fail(
          usage(`--max-errors must be at least 1, got ${maxErrors.value}`, "try --max-errors 50")
        )
      yield* readable(log)
      const collectAll = all || Option.isSome(maxErrors)
      const report = yield* step(
        "validate",
        Effect.tryPromise({
          try: () =>
            LogValidator.validateAsyncLines(lineReader(log), {
              keepRecords: false,
              collectAll,
              ...(Option.isSome(maxErrors) ? { maxErrors: maxErrors.value } : {})
            }),
          catch: (e) => invalid(`cannot read the log ${log}: ${messageOf(e)}`, "check the file")
        })
      )
      if (report.ok) {
        yield* Console.log(`${log}: valid (${report.lines} lines, ${report.accepted} events)`)
        return
      }
      const byRule = new Map<string, number>()
      for (const error of report.errors) {
        byRule.set(error.rule, (byRule.get(error.rule) ?? 0) + 1)
        yield* Console.log(`${log}:${LogValidator.describeLogError(error)}`)
        yield* Console.log(`  hint: ${Rules.RuleCatalogue[error.rule]}`)
      }
      yield* Console.log(
        `${report.errors.length} error${report.errors.length === 1 ? "" : "s"}${collectAll ? "" : " (the first; --all lists more)"} in ${report.lines} lines read:`
      )
      for (const [rule, n] of [...byRule].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])))
        yield* Console.log(`  ${rule}: ${n}`)
      return yield* Effect.fail(
        invalid(`${log} is not a valid event log`, "fix the lines above; the rules are in docs/event-model.md")
      )
    })
).pipe(
  Command.withDescription("Check an event-log-v1 file: every line, every rule, references between streams"),
  Command.withExamples([
    {
      command: "xueshi validate district.jsonl",
      description: "Stop at the first error (exit 1), or say valid (exit 0)"
    },
    {
      command: "xueshi validate district.jsonl --max-errors 20",
      description: "List up to 20 errors and count them by rule"
    }
  ])
)

// ---------------------------------------------------------------------------------------------
// report

const loadPolicy = (spec: string): Effect.Effect<PolicySet.PolicySet, CliFailure> => {
  const preset = (Presets.presets as Record<string, { kind: string; value: unknown }>)[spec]
  if (preset !== undefined) {
    if (preset.kind === "policySet") return Effect.succeed(preset.value as PolicySet.PolicySet)
    return Effect.fail(
      usage(
        `${spec} is a ${preset.kind} preset, not a policy set`,
        "use a policy set: xiqing-district, national-2019, cadre-2023"
      )
    )
  }
  if (!spec.endsWith(".json"))
    return Effect.fail(
      usage(
        `unknown policy ${spec}`,
        "give a preset (xiqing-district, national-2019, cadre-2023) or a policy.json file"
      )
    )
  return readable(spec, "policy file").pipe(
    Effect.flatMap(() =>
      Effect.tryPromise({
        try: () => import("node:fs/promises").then((fs) => fs.readFile(spec, "utf8")),
        catch: (e) => invalid(`cannot read the policy file ${spec}: ${messageOf(e)}`, "check the path")
      })
    ),
    Effect.flatMap((text) => {
      const r = PolicySet.parsePolicySet(text)
      return Result.isSuccess(r)
        ? Effect.succeed(r.success)
        : Effect.fail(
            invalid(
              `${spec}: ${r.failure.path === "" ? "" : `${r.failure.path}: `}${r.failure.message}`,
              "see docs/policies/policy-sets.md and the policy-set JSON Schema in @xueshi/core/schema/"
            )
          )
    })
  )
}

/** The latest year with a session, when neither --year nor --as-of says. */
const latestYear = (ledger: Ledger.Ledger): number | undefined => {
  let year: number | undefined
  for (const c of ledger.facts.classes.values())
    for (const s of c.sessions.values()) {
      const y = Calendar.yearOfDate(s.date)
      if (year === undefined || y > year) year = y
    }
  return year
}

const ledgerOfLog = (log: string, policy: PolicySet.PolicySet): Effect.Effect<Ledger.Ledger, CliFailure> =>
  readable(log).pipe(
    Effect.flatMap(() => Ledger.fromLog(lineReader(log), policy)),
    Effect.mapError((e) =>
      e._tag === "CliFailure"
        ? e
        : e._tag === "LogError"
          ? invalid(`${log}:${LogValidator.describeLogError(e)}`, `nothing reported; run xueshi validate ${log} --all`)
          : invalid(`cannot read the log ${log}: ${e.message}`, "check the file")
    )
  )

const FORMATS = ["table", "json", "csv", "html"] as const

const report = Command.make(
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
      let asOf: Calendar.LocalDate | undefined
      if (Option.isSome(flags.asOf)) {
        const d = Input.localDate(flags.asOf.value, "--as-of")
        if (Result.isFailure(d))
          return yield* Effect.fail(
            usage(
              `--as-of ${flags.asOf.value}: ${d.failure.message}`,
              "write a date as YYYY-MM-DD, e.g. --as-of 2025-12-31"
            )
          )
        asOf = d.success
      }
      if (Option.isSome(flags.year) && asOf !== undefined && Calendar.yearOfDate(asOf) < flags.year.value)
        return yield* Effect.fail(
          usage(`--as-of ${asOf} is before the year ${flags.year.value}`, "give a date in or after the year")
        )
      if (flags.format === "csv" && Option.isNone(flags.out))
        return yield* Effect.fail(usage("--format csv writes one file per table", "give a folder: --out DIR"))
      if (Option.isSome(flags.log) === Option.isSome(flags.store))
        return yield* Effect.fail(
          usage(
            "give either a log file or --store",
            "xueshi report district.jsonl, or xueshi report --store file:<dir>"
          )
        )
      const policy = yield* loadPolicy(flags.policy)
      const source = Option.isSome(flags.log) ? flags.log.value : (flags.store as Option.Some<string>).value
      const ledger = yield* step(
        "read log",
        Option.isSome(flags.log) ? ledgerOfLog(flags.log.value, policy) : ledgerOfStore(source, policy)
      )
      const year = Option.isSome(flags.year)
        ? flags.year.value
        : asOf !== undefined
          ? Calendar.yearOfDate(asOf)
          : latestYear(ledger)
      if (year === undefined)
        return yield* Effect.fail(invalid(`${source} has no sessions to report on`, "give the year: --year 2025"))
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

// ---------------------------------------------------------------------------------------------

/**
 * The `xueshi` command with its subcommands.
 *
 * @since 0.1.0
 */
export const xueshi = Command.make("xueshi").pipe(
  Command.withDescription("xueshi (学时): Party members' training records as event streams"),
  Command.withSubcommands([generate, validate, report, importRoster, importXapi]),
  Command.withExamples([
    { command: "xueshi generate --members 300 --out district.jsonl", description: "A sample district" },
    { command: "xueshi report district.jsonl --format html --out report.html", description: "Its report" }
  ])
)
