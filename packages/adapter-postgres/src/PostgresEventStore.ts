/**
 * The PostgreSQL event store: the store that many processes and machines
 * share. One schema per store (see {@link PostgresSchema}); every append is ONE
 * call of the schema's `append` function (one round trip, events as one JSON
 * parameter); reads page by position below the visibility bound, so the global
 * feed never skips, repeats or reorders a stream's events; subscribers wake on
 * LISTEN/NOTIFY (when the client is a `PgClient`) and poll as a fallback.
 *
 * ```ts
 * import { PostgresEventStore } from "@xueshi/adapter-postgres"
 * const StoreLive = PostgresEventStore.layer({ url: "postgres://…/db", schema: "district_a" })
 * // or over your own pool:
 * const StoreLive2 = PostgresEventStore.layerClient({ schema: "district_a" }).pipe(Layer.provide(MyPgClient))
 * ```
 *
 * @since 0.1.0
 */
import { PgClient } from "@effect/sql-pg"
import { type AppendBatch, StoreServices as CoreStoreServices, EventCodec, type StoreErrors } from "@xueshi/core"
import { Effect, Layer, Redacted, type Scope } from "effect"
import { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { makeAppendBatch } from "./PostgresBatch.js"
import { ClusterChanged, StoreOpenFailed } from "./PostgresErrors.js"
import { makeReader, type ReaderOptions } from "./PostgresReads.js"
import { isValidSchemaName, migrate } from "./PostgresSchema.js"
import { makeSide } from "./PostgresSideStores.js"
import { makeWakeup } from "./PostgresWakeup.js"
import { makeAppend } from "./PostgresWrites.js"

/**
 * Options of a store over a client the caller provides.
 *
 * @category models
 * @since 0.1.0
 */
export interface PostgresStoreOptions extends ReaderOptions {
  /** The PostgreSQL schema of this store (a plain lower-case identifier); created if missing. */
  readonly schema: string
  /** The codec that encodes appends and decodes (and upcasts) reads; default: event-log-v1. */
  readonly codec?: EventCodec.EventCodec
  /** Run the migrations when the store opens (default true). */
  readonly migrate?: boolean
}

/**
 * Options of the one-line default: a connection URL and a schema.
 *
 * @category models
 * @since 0.1.0
 */
export interface PostgresUrlOptions extends PostgresStoreOptions {
  /** `postgres://user:password@host:port/database` */
  readonly url: string
  /** Connections in the pool (default 10). */
  readonly maxConnections?: number
}

/**
 * The services of a PostgreSQL store, and its extras.
 *
 * @category models
 * @since 0.1.0
 */
export interface PostgresStore extends CoreStoreServices.StoreServices {
  readonly schema: string
  readonly appendBatch: AppendBatch.AppendBatch["Service"]
  /**
   * The age in milliseconds of the oldest open transaction that holds an xid
   * (0 when none): it holds every reader's visibility bound back, so it is the
   * lag signal of subscribers. Other roles' sessions count only when the user
   * may see them (superuser or `pg_read_all_stats`).
   */
  readonly oldestWriterAgeMillis: () => Effect.Effect<number, StoreErrors.StoreUnavailable>
}

/**
 * The error of opening a store.
 *
 * @category models
 * @since 0.1.0
 */
export type OpenError = ClusterChanged | StoreOpenFailed

const openFailed = (schema: string, message: string) => (cause: unknown) =>
  new StoreOpenFailed({ schema, message: `${message}: ${String((cause as Error)?.message ?? cause)}`, cause })

/** The cluster's system identifier and the one stored with the schema. */
const checkCluster = (schema: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql
      .unsafe<{ stored: string; current: string }>(
        `SELECT m.system_identifier AS stored, (SELECT system_identifier::text FROM pg_control_system()) AS current
           FROM ${schema}.meta m`
      )
      .pipe(Effect.mapError(openFailed(schema, "cannot read the store's meta row")))
    const row = rows[0]
    if (row === undefined) {
      return yield* new StoreOpenFailed({ schema, message: `${schema}.meta has no row: run the migrations` })
    }
    if (row.stored !== row.current) {
      return yield* new ClusterChanged({
        schema,
        stored: row.stored,
        current: row.current,
        message:
          `store ${schema} was written in PostgreSQL cluster ${row.stored} but this is cluster ${row.current} ` +
          `(restored from a dump?): transaction ids restarted, so positions would not follow commits. ` +
          `Stop every writer, then run \`SELECT ${schema}.rebaseline()\` (PostgresEventStore.rebaseline) once; ` +
          `checkpoints stay valid. See docs/adapters/postgres.md, "Restore".`
      })
    }
    return row.current
  })

/**
 * Opens a store over the `SqlClient` in context (a `PgClient` too, when
 * present, for LISTEN/NOTIFY): runs the migrations (unless told not to),
 * checks the cluster and forks the wake-up listener into the scope.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (
  options: PostgresStoreOptions
): Effect.Effect<PostgresStore, OpenError, SqlClient.SqlClient | Scope.Scope> =>
  Effect.gen(function* () {
    const schema = options.schema
    if (!isValidSchemaName(schema)) {
      return yield* new StoreOpenFailed({
        schema,
        message: `schema name ${JSON.stringify(schema)} is not a plain lower-case identifier ([a-z_][a-z0-9_]*)`
      })
    }
    const sql = yield* SqlClient.SqlClient
    if (options.migrate !== false) {
      yield* migrate(schema).pipe(Effect.mapError(openFailed(schema, "the migrations failed")))
    }
    const systemIdentifier = yield* checkCluster(schema)
    const codec = options.codec ?? EventCodec.EventLogCodec
    const pg = yield* Effect.serviceOption(PgClient.PgClient)
    const wakeup = yield* makeWakeup(sql, schema, pg)
    const reader = makeReader(sql, schema, codec, wakeup, options)
    const append = makeAppend(sql, schema, codec, wakeup.appended)
    const side = makeSide(sql, schema, systemIdentifier)
    return {
      schema,
      eventStore: CoreStoreServices.eventStore("postgres", { append, ...reader }),
      appendBatch: CoreStoreServices.appendBatch("postgres", {
        appendBatch: makeAppendBatch(sql, schema, codec, wakeup.appended)
      }),
      ...side,
      oldestWriterAgeMillis: reader.oldestWriterAgeMillis
    }
  })

/**
 * The services of a store, as a context: the four of the port and `AppendBatch`.
 *
 * @category models
 * @since 0.1.0
 */
export type StoreServices = CoreStoreServices.BatchServices

/**
 * The four store services over the caller's own `SqlClient` (or `PgClient`)
 * layer: bring your own pool.
 *
 * @category layers
 * @since 0.1.0
 */
export const layerClient = (
  options: PostgresStoreOptions
): Layer.Layer<StoreServices, OpenError, SqlClient.SqlClient> =>
  Layer.effectContext(Effect.map(make(options), (store) => CoreStoreServices.context(store)))

/**
 * The one-line default: a pool over `url` and the store in `schema` (a
 * `SqlError` when the database cannot be reached).
 *
 * @category layers
 * @since 0.1.0
 */
export const layer = (options: PostgresUrlOptions): Layer.Layer<StoreServices, OpenError | SqlError> =>
  layerClient(options).pipe(
    Layer.provide(
      PgClient.layer({
        url: Redacted.make(options.url),
        maxConnections: options.maxConnections ?? 10,
        applicationName: `xueshi ${options.schema}`
      })
    )
  )

/**
 * Re-baselines a store after a restore into another cluster: new positions
 * continue above every stored one, checkpoints stay valid, and the store
 * records the new cluster. Run it once, with no writer running.
 *
 * @category utils
 * @since 0.1.0
 */
export const rebaseline = (schema: string): Effect.Effect<void, StoreOpenFailed, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    if (!isValidSchemaName(schema)) {
      return yield* new StoreOpenFailed({ schema, message: `schema name ${JSON.stringify(schema)} is not valid` })
    }
    const sql = yield* SqlClient.SqlClient
    yield* sql.unsafe(`SELECT ${schema}.rebaseline()`).pipe(Effect.mapError(openFailed(schema, "rebaseline failed")))
  })
