/**
 * The batch append of the PostgreSQL store (`AppendBatch`): several streams'
 * appends in ONE transaction, decided by the shared rules
 * (`AppendBatch.planAppends`) in the process against what the store holds.
 *
 * The transaction first takes the store's advisory lock alone, before it has
 * an xid (every append holds that lock shared, as a bulk-import chunk does):
 * no append is in flight while a batch decides and writes, so the versions and
 * ids it read cannot change under it, and its positions follow the commit
 * order as every append's do, with one lock whatever the number of its
 * streams. Then, in five more statements: the batch's streams' versions, the
 * stored events among the batch's ids (when it has ids), the first position
 * (which gives the transaction its xid), the rows, as arrays (`INSERT … SELECT
 * FROM unnest(…)`, events as parameters), and the streams' versions. A
 * refused append rolls the whole batch back. At most 65,535 events a batch
 * (the positions of one transaction).
 *
 * @since 0.1.0
 */
import { AppendBatch, type EventCodec, type EventStore, StoreErrors } from "@xueshi/core"
import { Clock, Effect, Result } from "effect"
import type { SqlClient } from "effect/sql"
import { MAX_EVENTS_PER_APPEND, storeLockKey, XID_SCALE } from "./PostgresSchema.js"
import { unavailable } from "./PostgresWrites.js"

type StoredIdLocation = { readonly stream: string; readonly version: number; readonly position: number }

/**
 * Makes the `appendBatch` of the store in `schema`; `onAppended` runs after a
 * batch that wrote (it wakes this process's subscribers).
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeAppendBatch = (
  sql: SqlClient.SqlClient,
  schema: string,
  codec: EventCodec.EventCodec,
  onAppended: () => void
): AppendBatch.AppendBatch["Service"]["appendBatch"] => {
  const failed = unavailable(`batch append into ${schema}`)
  return (appends) =>
    Effect.gen(function* () {
      const total = appends.reduce((n, a) => n + a.events.length, 0)
      if (total > MAX_EVENTS_PER_APPEND) {
        return yield* new StoreErrors.EventEncodingError({
          stream: appends[0]?.stream ?? "",
          index: MAX_EVENTS_PER_APPEND,
          rule: "append.size",
          path: "",
          message: `${total} events in one batch; the PostgreSQL store takes at most ${MAX_EVENTS_PER_APPEND}`
        })
      }
      const recordedAt = new Date(yield* Clock.currentTimeMillis).toISOString()
      const streams = [...new Set(appends.map((a) => a.stream))]
      const ids = [
        ...new Set(appends.flatMap((a) => a.events.flatMap((e) => (e.id === undefined ? [] : [e.id.toLowerCase()]))))
      ]
      const written = yield* sql
        .withTransaction(
          Effect.gen(function* () {
            yield* sql.unsafe(`SELECT pg_advisory_xact_lock(${storeLockKey(schema)})`)
            const versions = new Map<string, number>()
            for (const r of yield* sql.unsafe<{ stream: string; version: number }>(
              `SELECT stream, version FROM ${schema}.streams WHERE stream = ANY ($1::text[])`,
              [streams]
            ))
              versions.set(r.stream, r.version)
            const stored = new Map<string, StoredIdLocation>()
            if (ids.length > 0) {
              for (const r of yield* sql.unsafe<{ id: string; stream: string; version: number; position: number }>(
                `SELECT id, stream, version, position::float8 AS position FROM ${schema}.events
                  WHERE lower(id) = ANY ($1::text[]) AND id IS NOT NULL`,
                [ids]
              ))
                stored.set(r.id.toLowerCase(), { stream: r.stream, version: r.version, position: r.position })
            }
            const [first] = yield* sql.unsafe<{ first: number }>(
              `SELECT ((pg_current_xact_id()::text::bigint + xid_base) * ${XID_SCALE} + 1)::float8 AS first FROM ${schema}.meta`
            )
            const view: AppendBatch.StoreView = {
              head: (first?.first ?? 1) - 1,
              version: (stream) => versions.get(stream) ?? 0,
              lookupId: (id) => stored.get(id.toLowerCase())
            }
            const planned = AppendBatch.planAppends(appends, view, recordedAt, { codec })
            if (Result.isFailure(planned)) return yield* Effect.fail(planned.failure)
            const batch = planned.success
            if (batch.head === view.head) return { results: batch.appends.map((a) => a.result), wrote: false }
            const cols = {
              streams: [] as Array<string>,
              versions: [] as Array<number>,
              types: [] as Array<string>,
              data: [] as Array<string>,
              meta: [] as Array<string>,
              ids: [] as Array<string>,
              sv: [] as Array<number>,
              rec: [] as Array<string>
            }
            const heads = new Map<string, number>()
            for (const a of batch.appends) {
              for (const r of a.records) {
                const e = codec.encodeRecord(r) as {
                  readonly data: unknown
                  readonly meta?: unknown
                  readonly schemaVersion: number
                  readonly recordedAt: string
                }
                cols.streams.push(r.stream)
                cols.versions.push(r.version)
                cols.types.push(r.type)
                cols.data.push(JSON.stringify(e.data))
                cols.meta.push(e.meta === undefined ? "" : JSON.stringify(e.meta))
                cols.ids.push(r.id ?? "")
                cols.sv.push(e.schemaVersion)
                cols.rec.push(e.recordedAt)
              }
              if (a.records.length > 0) heads.set(a.stream, a.result.version)
            }
            // positions are the first position + the row's place in the batch, as planned
            yield* sql.unsafe(
              `INSERT INTO ${schema}.events (position, stream, version, type, data, meta, id, schema_version, recorded_at)
               SELECT $1::bigint + t.o - 1, t.stream, t.version, t.type, t.data::json, nullif(t.meta, '')::json,
                      nullif(t.id, ''), t.sv, t.rec
                 FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::int[], $9::text[])
                      WITH ORDINALITY AS t(stream, version, type, data, meta, id, sv, rec, o)`,
              [
                view.head + 1,
                cols.streams,
                cols.versions,
                cols.types,
                cols.data,
                cols.meta,
                cols.ids,
                cols.sv,
                cols.rec
              ]
            )
            yield* sql.unsafe(
              `INSERT INTO ${schema}.streams AS st (stream, version)
               SELECT * FROM unnest($1::text[], $2::int[])
                   ON CONFLICT (stream) DO UPDATE SET version = excluded.version`,
              [[...heads.keys()], [...heads.values()]]
            )
            return { results: batch.appends.map((a) => a.result), wrote: true }
          })
        )
        .pipe(
          Effect.catchTag("SqlError", (e) => Effect.fail(failed(e))),
          Effect.map((r) => r as { results: ReadonlyArray<EventStore.AppendResult>; wrote: boolean })
        )
      if (written.wrote) onAppended()
      return written.results
    })
}
