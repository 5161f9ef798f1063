/**
 * `xueshi import-xapi <statements.json|ndjson> --mapping mapping.json --store URL
 * [--valid-statements]`: xAPI statements into attendance and external credit (see
 * docs/import.md). Every bad statement is printed (`#n (line l) id path: rule: message`) and
 * nothing is written (exit 1), unless `--valid-statements` imports the others (exit 0).
 *
 * @since 0.1.0
 */
import type { XapiStatement } from "@xueshi/import"
import { Console, Effect, Result } from "effect"
import { Argument, Command, Flag } from "effect/cli"
import { invalid, unavailable } from "../Failure.js"
import { schemaFlag, storeFlag } from "../Sources.js"
import { step } from "../Steps.js"
import { countsText, readText, writableStore } from "./ImportRoster.js"

const describeIssue = (i: XapiStatement.XapiIssue): string =>
  `#${i.statement}${i.line === undefined ? "" : ` (line ${i.line})`}${i.statementId === undefined ? "" : ` ${i.statementId}`}${i.path === "" ? "" : ` ${i.path}`}: ${i.rule}: ${i.message}`

/**
 * The `import-xapi` command.
 *
 * @category utils
 * @since 0.1.0
 */
export const importXapi = Command.make(
  "import-xapi",
  {
    file: Argument.String("statements").pipe(
      Argument.withDescription("The statements: a JSON array, an LRS StatementResult, or NDJSON")
    ),
    mapping: Flag.String("mapping").pipe(
      Flag.withDescription(
        "The mapping file (JSON: actor accounts → member ids, activities → sessions or external sources)"
      )
    ),
    store: storeFlag("The store to import into").pipe(Flag.optional),
    schema: schemaFlag(),
    validStatements: Flag.Boolean("valid-statements").pipe(
      Flag.withDescription("Import the valid statements and report the others (default: all or nothing)"),
      Flag.withDefault(false)
    )
  },
  (flags) =>
    Effect.gen(function* () {
      const layer = yield* writableStore(flags.store._tag === "Some" ? flags.store.value : undefined, flags.schema)
      // loaded on demand: the importers' parsers are not needed by the other commands
      const { XapiImport, XapiMapping } = yield* Effect.promise(() => import("@xueshi/import"))
      const mappingText = yield* readText(flags.mapping, "mapping file")
      const mapping = XapiMapping.parse(mappingText)
      if (Result.isFailure(mapping))
        return yield* Effect.fail(
          invalid(
            `${flags.mapping}: ${mapping.failure.path === "" ? "" : `${mapping.failure.path}: `}${mapping.failure.message}`,
            "see the xAPI mapping format in docs/import.md"
          )
        )
      const text = yield* readText(flags.file, "statements file")
      const result = yield* step(
        "import",
        XapiImport.importText(text, { mapping: mapping.success, validStatements: flags.validStatements }).pipe(
          Effect.provide(layer)
        )
      ).pipe(
        Effect.catch((e) =>
          Effect.gen(function* () {
            if (e._tag === "CliFailure") return yield* Effect.fail(e)
            if (e._tag === "XapiRejected") {
              for (const i of e.issues) yield* Console.log(describeIssue(i))
              const n = new Set(e.issues.map((i) => i.statement)).size
              return yield* Effect.fail(
                invalid(
                  `${flags.file}: ${n} bad statement${n === 1 ? "" : "s"}, nothing written`,
                  "fix the statements above (the rules are in docs/import.md), or --valid-statements to import the others"
                )
              )
            }
            return yield* Effect.fail(
              unavailable(`the store refused the import: ${e.message}`, "run it again (a re-import is safe)")
            )
          })
        )
      )
      for (const i of result.issues) yield* Console.log(`left out: ${describeIssue(i)}`)
      yield* Console.log(
        `${flags.file}: ${result.statements} statements, ${result.appended} events appended${result.appended === 0 ? "" : ` (${countsText(result.byType)})`}, ${result.skipped} already imported, ${result.ignored.length} ignored${result.issues.length === 0 ? "" : `, ${new Set(result.issues.map((i) => i.statement)).size} left out`}`
      )
    })
).pipe(
  Command.withDescription(
    "Import xAPI statements: attended/completed/passed/waived → attendance or external credit; voided → revoked"
  ),
  Command.withExamples([
    {
      command: "xueshi import-xapi statements.json --mapping xapi-mapping.json --store file:./store",
      description: "A batch exported from an LRS; a re-import is a no-op"
    }
  ])
)
