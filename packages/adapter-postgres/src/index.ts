/**
 * @xueshi/adapter-postgres — the PostgreSQL event store: the store that many
 * processes and machines share, on `effect/sql` and `@effect/sql-pg`.
 *
 * @since 0.1.0
 */

/** Bulk import of a validated log: chunks of multi-row INSERT … SELECT FROM unnest. @since 0.1.0 */
export * as PostgresBulkImport from "./PostgresBulkImport.js"
/** The errors of opening a store (`ClusterChanged`, `StoreOpenFailed`). @since 0.1.0 */
export * as PostgresErrors from "./PostgresErrors.js"
/** The store: `layer({ url, schema })`, `layerClient`, `make`, `rebaseline`. @since 0.1.0 */
export * as PostgresEventStore from "./PostgresEventStore.js"
/** Read models as SQL tables, kept by a runner with one writer across processes. @since 0.1.0 */
export * as PostgresReadModels from "./PostgresReadModels.js"
/** The schema of a store and its migrations. @since 0.1.0 */
export * as PostgresSchema from "./PostgresSchema.js"
/** The rows of the read-model tables, and their change tracking (pure). @since 0.1.0 */
export * as ReadModelRows from "./ReadModelRows.js"
