/**
 * `xueshi import-roster <file.csv|file.xlsx> --class <id> [--mapping mapping.json] --store URL
 * [--valid-rows]`: a sign-in sheet (签到表) into a class's events through command handling (see
 * docs/import.md). Every bad row is printed (`sheet!row column: rule: message`) and nothing is
 * written (exit 1), unless `--valid-rows` imports the others (exit 0).
 *
 * @since 0.1.0
 */
import { existsSync } from "node:fs"
import { readFile, stat } from "node:fs/promises"
import { extname } from "node:path"
import type { EventStore } from "@xueshi/core"
import type { RosterImport, RosterMapping } from "@xueshi/import"
import { Console, Effect, type Layer, Option, Result } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { type CliFailure, invalid, messageOf, unavailable, usage } from "../Failure.js"
import { schemaFlag, storeFlag } from "../Sources.js"
import { step } from "../Steps.js"
import * as StoreUrl from "../StoreUrl.js"

/**
 * The writable event store of a `--store` URL (`file:<dir>`, `memory:` for a trial, or
 * `postgres://…`, see {@link StoreUrl.parse}). A roster or a statement batch refers to classes
 * already stored, so a file store's folder must exist; a store that cannot be opened is exit 3.
 *
 * @category utils
 * @since 0.1.0
 */
export const writableStore = (
  url: string | undefined,
  schema: Option.Option<string> = Option.none()
): Effect.Effect<Layer.Layer<EventStore.EventStore, CliFailure>, CliFailure> => {
  if (url === undefined)
    return Effect.fail(usage("give the store to import into", "--store file:<dir> (or memory: for a trial)"))
  return Effect.flatMap(StoreUrl.parse(url, schema), (spec) =>
    spec.kind === "file" && !existsSync(spec.directory)
      ? Effect.fail(unavailable(`the store ${url} is unavailable: no such folder`, "check the path of the store"))
      : Effect.succeed(StoreUrl.layer(spec, { readOnly: false }) as Layer.Layer<EventStore.EventStore, CliFailure>)
  )
}

/**
 * Reads a file as text (exit 1 with a hint when it cannot be read).
 *
 * @category utils
 * @since 0.1.0
 */
export const readText = (path: string, what: string): Effect.Effect<string, CliFailure> =>
  Effect.tryPromise({
    try: async () => {
      const s = await stat(path)
      if (!s.isFile()) throw new Error("not a file")
      return readFile(path, "utf8")
    },
    catch: (e) =>
      invalid(
        `cannot read the ${what} ${path}: ${(e as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : messageOf(e)}`,
        "check the path"
      )
  })

/**
 * Counts by type as `AttendanceRecorded 7, LeaveGranted 2`.
 *
 * @category utils
 */
export const countsText = (byType: Readonly<Record<string, number>>): string =>
  Object.entries(byType)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([t, n]) => `${t} ${n}`)
    .join(", ")

const describeIssue = (i: RosterImport.RosterIssue): string =>
  `${i.sheet}!${i.row}${i.column === "" ? "" : ` ${i.column}`}: ${i.rule}: ${i.message}`

/**
 * The `import-roster` command.
 *
 * @category utils
 * @since 0.1.0
 */
export const importRoster = Command.make(
  "import-roster",
  {
    file: Argument.String("file").pipe(Argument.withDescription("The sign-in sheet (.csv, UTF-8, or .xlsx)")),
    classId: Flag.String("class").pipe(
      Flag.withDescription("The class the sheet is about (planned, sessions scheduled)")
    ),
    mapping: Flag.String("mapping").pipe(
      Flag.withDescription("A mapping file (JSON: columns, status words, layout; default: the Chinese headers)"),
      Flag.optional
    ),
    store: storeFlag("The store to import into").pipe(Flag.optional),
    schema: schemaFlag(),
    validRows: Flag.Boolean("valid-rows").pipe(
      Flag.withDescription("Import the valid rows and report the others (default: nothing unless every row is valid)"),
      Flag.withDefault(false)
    )
  },
  (flags) =>
    Effect.gen(function* () {
      const ext = extname(flags.file).toLowerCase()
      if (ext !== ".csv" && ext !== ".xlsx")
        return yield* Effect.fail(
          usage(`${flags.file} is not a .csv or .xlsx file`, "give a sign-in sheet: 签到表.csv or 签到表.xlsx")
        )
      const layer = yield* writableStore(Option.getOrUndefined(flags.store), flags.schema)
      // loaded on demand: the importers' parsers are not needed by the other commands
      const { RosterImport, RosterMapping } = yield* Effect.promise(() => import("@xueshi/import"))
      let mapping: RosterMapping.RosterMapping | undefined
      if (Option.isSome(flags.mapping)) {
        const text = yield* readText(flags.mapping.value, "mapping file")
        const decoded = RosterMapping.parse(text)
        if (Result.isFailure(decoded))
          return yield* Effect.fail(
            invalid(
              `${flags.mapping.value}: ${decoded.failure.path === "" ? "" : `${decoded.failure.path}: `}${decoded.failure.message}`,
              "see the mapping format in docs/import.md"
            )
          )
        mapping = decoded.success
      }
      const result = yield* step(
        "import",
        RosterImport.importFile(flags.file, {
          classId: flags.classId,
          validRows: flags.validRows,
          ...(mapping === undefined ? {} : { mapping })
        }).pipe(Effect.provide(layer))
      ).pipe(
        Effect.catch((e) =>
          Effect.gen(function* () {
            if (e._tag === "CliFailure") return yield* Effect.fail(e)
            if (e._tag === "RosterRejected") {
              for (const i of e.issues) yield* Console.log(describeIssue(i))
              const rows = new Set(e.issues.filter((i) => i.row > 1).map((i) => i.row)).size
              return yield* Effect.fail(
                invalid(
                  `${flags.file}: ${rows === 0 ? "the sheet is refused" : `${rows} bad row${rows === 1 ? "" : "s"}`}, nothing written`,
                  "fix the rows above (the rules are in docs/import.md), or --valid-rows to import the others"
                )
              )
            }
            if (e._tag === "SheetError")
              return yield* Effect.fail(invalid(`cannot read ${flags.file}: ${e.message}`, "check the file"))
            return yield* Effect.fail(
              unavailable(`the store refused the import: ${e.message}`, "run it again (a re-import is safe)")
            )
          })
        )
      )
      for (const i of result.issues) yield* Console.log(`left out: ${describeIssue(i)}`)
      yield* Console.log(
        `${flags.file}: ${result.rows} rows, ${result.appended} events appended${result.appended === 0 ? "" : ` (${countsText(result.byType)})`}, ${result.unchanged} unchanged${result.issues.length === 0 ? "" : `, ${result.issues.length} left out`}`
      )
    })
).pipe(
  Command.withDescription(
    "Import a sign-in sheet (签到表, CSV or XLSX) into a class: attendance, leave, make-ups, corrections"
  ),
  Command.withExamples([
    {
      command: "xueshi import-roster 签到表.xlsx --class C1 --store file:./store",
      description: "Chinese headers (姓名/党员编号/课程/日期/时长/考勤状态), one row per member and session"
    },
    {
      command: "xueshi import-roster sheet.csv --class C1 --mapping mapping.json --store file:./store --valid-rows",
      description: "Your own columns; import the valid rows, list the others"
    }
  ])
)
