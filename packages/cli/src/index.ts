/**
 * `@xueshi/cli`: the `xueshi` command line and the pure renderers of a district report
 * (terminal table, CSV files, one-file HTML). See docs/cli.md and docs/reports.md.
 *
 * @since 0.1.0
 */
/** The `xueshi` command (effect/cli) with its subcommands. @since 0.1.0 */
export * as Commands from "./Commands.js"
/** The CSV files of a report (UTF-8 with BOM). @since 0.1.0 */
export * as CsvReport from "./CsvReport.js"
/** Exit codes and the failure every command fails with. @since 0.1.0 */
export * as Failure from "./Failure.js"
/** The text grid of the terminal layout. @since 0.1.0 */
export * as Grid from "./Grid.js"
/** The one-file HTML report. @since 0.1.0 */
export * as HtmlReport from "./HtmlReport.js"
/** Chinese labels and the identifiers. @since 0.1.0 */
export * as Labels from "./Labels.js"
/** Runs the command line on arguments, answers the exit code. @since 0.1.0 */
export * as Main from "./Main.js"
/** The terminal layout of a report. @since 0.1.0 */
export * as TableReport from "./TableReport.js"
/** The six tables of a report. @since 0.1.0 */
export * as Tables from "./Tables.js"
