/**
 * The bulk import of the PostgreSQL store: a validated log into a store in
 * chunks of up to 65,535 events, each chunk ONE call of
 * `<schema>.bulk_append(...)` with the columns as arrays (a multi-row
 * `INSERT … SELECT FROM unnest($1::text[], …)`), one transaction per chunk.
 *
 * Inside a chunk's transaction, before it has an xid, the function takes the
 * store's advisory lock alone (every append holds it shared): no append is in
 * flight while a chunk writes, so positions follow the commit order exactly as
 * appends do, with one lock whatever the number of the chunk's streams (a lock
 * per stream overflowed the server's lock table on a district's chunk). Each stream must continue
 * where it stands (the chunk's first version of a stream is the stored
 * version + 1): a writer racing the import makes it fail, never interleave.
 * Chunks whose event ids are all stored already are skipped, so an import that
 * stopped half-way (a lost connection) is completed by running it again.
 *
 * Measured against `COPY … FROM STDIN` of the same events in the same run
 * (docs/adapters/postgres.md, "Bulk import"): 0.76–0.92×, about the 0.8×
 * target, so the adapter adds no COPY client for it.
 *
 * @since 0.1.0
 */
import {
  EventCodec as Codecs,
  type EventCodec,
  type LogSource,
  type LogValidator,
  LogSource as Sources,
  type StoreErrors
} from "@xueshi/core"
import { Clock, Effect, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { isValidSchemaName, MAX_EVENTS_PER_APPEND, storeLockKey, XID_SCALE } from "./PostgresSchema.js"
import { unavailable } from "./PostgresWrites.js"

/**
 * Options of a bulk import.
 *
 * @category models
 * @since 0.1.0
 */
export interface BulkImportOptions {
  /** Events per chunk, i.e. per transaction (default 50,000; at most 65,535). */
  readonly chunkEvents?: number
  /** The codec (default event-log-v1). */
  readonly codec?: EventCodec.EventCodec
  /** Called after each chunk with the events imported so far. */
  readonly onProgress?: (imported: number) => void
}

/**
 * What a bulk import did.
 *
 * @category models
 * @since 0.1.0
 */
export interface BulkImportResult {
  /** Events written. */
  readonly imported: number
  /** Events of chunks already stored (a re-run). */
  readonly skipped: number
  /** Transactions (chunks) written. */
  readonly chunks: number
}

/**
 * A chunk could not be imported: a stream does not continue where it stands
 * (another writer, or the log does not fit the store), or some but not all of
 * its event ids are stored already.
 *
 * @category errors
 * @since 0.1.0
 */
export class BulkImportConflict extends Schema.TaggedError<BulkImportConflict>()("BulkImportConflict", {
  schema: Schema.String,
  message: Schema.String,
  stream: Schema.optionalKey(Schema.String)
}) {}

const functionDdl = (s: string) => `CREATE OR REPLACE FUNCTION ${s}.bulk_append(
    p_streams text[], p_versions integer[], p_types text[], p_data text[], p_meta text[], p_ids text[],
    p_sv integer[], p_rec text[])
  RETURNS TABLE (status text, n integer, first_position bigint, detail text)
  LANGUAGE plpgsql
  SET plan_cache_mode = force_custom_plan
  AS $fn$
  DECLARE
    v_n integer := coalesce(array_length(p_streams, 1), 0);
    v_found integer;
    v_bad text;
    v_base bigint;
    v_first bigint;
  BEGIN
    IF pg_current_xact_id_if_assigned() IS NOT NULL THEN
      RAISE EXCEPTION 'xueshi: a bulk append must not run in a transaction that has already written'
        USING ERRCODE = 'XS001';
    END IF;
    IF v_n = 0 THEN
      RETURN QUERY SELECT 'ok'::text, 0, NULL::bigint, NULL::text;
      RETURN;
    END IF;
    IF v_n > ${MAX_EVENTS_PER_APPEND} THEN
      RAISE EXCEPTION 'xueshi: % events in one bulk append, at most ${MAX_EVENTS_PER_APPEND}', v_n USING ERRCODE = 'XS002';
    END IF;
    -- the store's lock alone, before the transaction has an xid: no append is in flight, and
    -- one lock whatever the number of streams (a lock per stream overflows the lock table)
    PERFORM pg_advisory_xact_lock(${storeLockKey(s)});
    SELECT count(*)::integer INTO v_found FROM ${s}.events e
     WHERE e.id IS NOT NULL AND lower(e.id) = ANY (SELECT lower(x) FROM unnest(p_ids) x WHERE x <> '');
    IF v_found > 0 THEN
      RETURN QUERY SELECT 'found'::text, v_found, NULL::bigint, NULL::text;
      RETURN;
    END IF;
    SELECT f.stream INTO v_bad
      FROM (SELECT x.stream, min(x.version) AS lo, max(x.version) AS hi, count(*) AS c
              FROM unnest(p_streams, p_versions) AS x(stream, version) GROUP BY x.stream) f
      LEFT JOIN ${s}.streams st ON st.stream = f.stream
     WHERE f.lo <> coalesce(st.version, 0) + 1 OR f.hi - f.lo + 1 <> f.c
     LIMIT 1;
    IF v_bad IS NOT NULL THEN
      RETURN QUERY SELECT 'wrong'::text, 0, NULL::bigint, v_bad;
      RETURN;
    END IF;
    SELECT m.xid_base INTO v_base FROM ${s}.meta m;
    v_first := (pg_current_xact_id()::text::bigint + v_base) * ${XID_SCALE} + 1;
    INSERT INTO ${s}.events (position, stream, version, type, data, meta, id, schema_version, recorded_at)
    SELECT v_first + t.o - 1, t.stream, t.version, t.type, t.data::json, nullif(t.meta, '')::json, nullif(t.id, ''), t.sv, t.rec
      FROM unnest(p_streams, p_versions, p_types, p_data, p_meta, p_ids, p_sv, p_rec)
           WITH ORDINALITY AS t(stream, version, type, data, meta, id, sv, rec, o);
    INSERT INTO ${s}.streams AS st (stream, version)
    SELECT x.stream, max(x.version) FROM unnest(p_streams, p_versions) AS x(stream, version) GROUP BY x.stream
        ON CONFLICT (stream) DO UPDATE SET version = excluded.version;
    RETURN QUERY SELECT 'ok'::text, v_n, v_first, NULL::text;
  END
  $fn$`

interface Columns {
  streams: Array<string>
  versions: Array<number>
  types: Array<string>
  data: Array<string>
  /** "" for none (not JSON, so unambiguous): the client cannot send an array of only nulls */
  meta: Array<string>
  /** "" for none (an id is never empty) */
  ids: Array<string>
  sv: Array<number>
  rec: Array<string>
}

const emptyColumns = (): Columns => ({
  streams: [],
  versions: [],
  types: [],
  data: [],
  meta: [],
  ids: [],
  sv: [],
  rec: []
})

/**
 * Imports records that are already valid (a validated log, a generator) into
 * the store in `schema`, in log order, in chunks (see the module docs).
 *
 * @category utils
 * @since 0.1.0
 */
export const importRecords = (
  schema: string,
  records: Iterable<EventCodec.LogRecord>,
  options: BulkImportOptions = {}
): Effect.Effect<BulkImportResult, BulkImportConflict | StoreErrors.StoreUnavailable, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    if (!isValidSchemaName(schema)) {
      return yield* new BulkImportConflict({ schema, message: `schema ${JSON.stringify(schema)} is not valid` })
    }
    const sql = yield* SqlClient.SqlClient
    const codec = options.codec ?? Codecs.EventLogCodec
    const chunkEvents = Math.min(MAX_EVENTS_PER_APPEND, Math.max(1, options.chunkEvents ?? 50_000))
    yield* sql
      .withTransaction(
        Effect.andThen(
          sql.unsafe(`SELECT pg_advisory_xact_lock(hashtext('xueshi.migrate'), hashtext($1))`, [schema]),
          sql.unsafe(functionDdl(schema))
        )
      )
      .pipe(Effect.mapError(unavailable(`bulk import into ${schema}`)))
    const now = new Date(yield* Clock.currentTimeMillis).toISOString()
    let imported = 0
    let skipped = 0
    let chunks = 0
    const flush = (c: Columns) =>
      Effect.gen(function* () {
        const n = c.streams.length
        if (n === 0) return
        const rows = yield* sql
          .unsafe<{ status: string; n: number; detail: string | null }>(
            `SELECT status, n, detail FROM ${schema}.bulk_append($1::text[], $2::int[], $3::text[], $4::text[],
               $5::text[], $6::text[], $7::int[], $8::text[])`,
            [c.streams, c.versions, c.types, c.data, c.meta, c.ids, c.sv, c.rec]
          )
          .pipe(Effect.mapError(unavailable(`bulk import into ${schema}`)))
        const row = rows[0]
        if (row?.status === "ok") {
          imported += n
          chunks++
        } else if (row?.status === "found") {
          const withIds = c.ids.filter((id) => id !== "").length
          if (row.n !== n || withIds !== n) {
            return yield* new BulkImportConflict({
              schema,
              message: `${row.n} of the ${n} events of a chunk are stored already (by id): a partial overlap`
            })
          }
          skipped += n
        } else {
          return yield* new BulkImportConflict({
            schema,
            message: `stream ${row?.detail} does not continue where it stands in the store (another writer, or the log does not fit)`,
            ...(row?.detail == null ? {} : { stream: row.detail })
          })
        }
        options.onProgress?.(imported + skipped)
      })
    let c = emptyColumns()
    for (const r of records) {
      if (r.version === undefined) {
        return yield* new BulkImportConflict({
          schema,
          stream: r.stream,
          message: `a record of ${r.stream} has no version: import an unvalidated log with importLog`
        })
      }
      const e = codec.encodeRecord(r) as {
        readonly data: unknown
        readonly meta?: unknown
        readonly schemaVersion: number
        readonly recordedAt?: string
      }
      c.streams.push(r.stream)
      c.versions.push(r.version as number)
      c.types.push(r.type)
      c.data.push(JSON.stringify(e.data))
      c.meta.push(e.meta === undefined ? "" : JSON.stringify(e.meta))
      c.ids.push(r.id ?? "")
      c.sv.push(e.schemaVersion)
      c.rec.push(e.recordedAt ?? now)
      if (c.streams.length >= chunkEvents) {
        yield* flush(c)
        c = emptyColumns()
      }
    }
    yield* flush(c)
    return { imported, skipped, chunks }
  })

/**
 * Validates a whole log (event-log-v1; nothing is written unless every line is
 * valid, the error names the line, field and rule), then bulk-imports it.
 * The store must hold nothing of the log's streams beyond what the log
 * continues (checked per chunk). Holds the validated records in memory.
 *
 * @category utils
 * @since 0.1.0
 */
export const importLog = <E = never, R = never>(
  schema: string,
  source: LogSource.LogSource<E, R>,
  options: BulkImportOptions = {}
): Effect.Effect<
  BulkImportResult,
  LogValidator.LogError | LogSource.LogSourceError | BulkImportConflict | StoreErrors.StoreUnavailable | E,
  SqlClient.SqlClient | R
> =>
  Effect.gen(function* () {
    const accepted: Array<EventCodec.LogRecord> = []
    yield* Sources.validated(
      source,
      (r) => accepted.push(r),
      options.codec === undefined ? {} : { codec: options.codec }
    )
    return yield* importRecords(schema, accepted, options)
  })
