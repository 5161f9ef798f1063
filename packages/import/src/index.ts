/**
 * @xueshi/import — attendance from where districts already keep it: sign-in
 * sheets (签到表, CSV/XLSX) and learning platforms (xAPI statements), turned into
 * training-record events through the core's command handling.
 *
 * @since 0.1.0
 */

/** Batch command handling: decide everything first, then one append per stream. @since 0.1.0 */
export * as CommandPlan from "./CommandPlan.js"
/** The rows of a sign-in sheet as member × session entries, every bad row reported. @since 0.1.0 */
export * as RosterEntries from "./RosterEntries.js"
/** A sign-in sheet into a class's events: diff, corrections, all or nothing. @since 0.1.0 */
export * as RosterImport from "./RosterImport.js"
/** The mapping file of a sign-in sheet: columns, status words, layout. @since 0.1.0 */
export * as RosterMapping from "./RosterMapping.js"
/** Reading CSV (csv-parse) and XLSX (exceljs) sheets. @since 0.1.0 */
export * as RosterSheet from "./RosterSheet.js"
/** xAPI statements into attendance and external credit; voiding; idempotent on statement id. @since 0.1.0 */
export * as XapiImport from "./XapiImport.js"
/** The mapping file of an xAPI batch: actors to members, activities to sessions or external sources. @since 0.1.0 */
export * as XapiMapping from "./XapiMapping.js"
/** xAPI statement validation (Learning Locker's validator) and batch parsing. @since 0.1.0 */
export * as XapiStatement from "./XapiStatement.js"
