/**
 * The `xueshi` command: assembles the subcommands of `commands/` (one file per command) with
 * `Command.withSubcommands`. Each command fails only with a `CliFailure` (exit code,
 * message, hint); see docs/cli.md. To add a command, write `commands/<Name>.ts` and append it
 * to {@link subcommands}.
 *
 * @since 0.1.0
 */
import { Command } from "effect/cli"
import { explainCommand } from "./commands/Explain.js"
import { exportCommand } from "./commands/Export.js"
import { followCommand } from "./commands/Follow.js"
import { generate } from "./commands/Generate.js"
import { importCommand } from "./commands/Import.js"
import { importRoster } from "./commands/ImportRoster.js"
import { importXapi } from "./commands/ImportXapi.js"
import { report } from "./commands/Report.js"
import { transcriptCommand } from "./commands/Transcript.js"
import { validate } from "./commands/Validate.js"
import { verifyCommand } from "./commands/Verify.js"
import { whatIfCommand } from "./commands/WhatIf.js"

/**
 * The subcommands, in the order `xueshi --help` lists them.
 *
 * @category utils
 * @since 0.1.0
 */
export const subcommands = [
  // a log file
  generate,
  validate,
  // a store
  importCommand,
  exportCommand,
  // attendance from sheets and learning platforms
  importRoster,
  importXapi,
  // the district's year
  report,
  whatIfCommand,
  // one member
  explainCommand,
  transcriptCommand,
  verifyCommand,
  // operators
  followCommand
] as const

/**
 * The `xueshi` command with its subcommands.
 *
 * @category utils
 * @since 0.1.0
 */
export const xueshi = Command.make("xueshi").pipe(
  Command.withDescription("xueshi (学时): Party members' training records as event streams"),
  Command.withSubcommands(subcommands),
  Command.withExamples([
    { command: "xueshi generate --members 300 --out district.jsonl", description: "A sample district" },
    { command: "xueshi report district.jsonl --format html --out report.html", description: "Its report" }
  ])
)
