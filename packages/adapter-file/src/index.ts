/**
 * @xueshi/adapter-file — the file adapter: a crash-safe, append-only,
 * segmented event log on disk whose records are event-log-v1 lines.
 *
 * @since 0.1.0
 */

/** The on-disk format: line framing, checksums, segment summaries. @since 0.1.0 */
export * as FileFormat from "./FileFormat.js"
/** The file store: options, `make`, `layer`, `repairFileStore`. @since 0.1.0 */
export * as FileStore from "./FileStore.js"
/** The errors of opening a file store (`StoreLocked`). @since 0.1.0 */
export * as FileStoreErrors from "./FileStoreErrors.js"
/** What opening and repairing report. @since 0.1.0 */
export * as Recovery from "./Recovery.js"
