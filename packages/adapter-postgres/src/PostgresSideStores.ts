/**
 * Checkpoints, projection state, leases and stream snapshots on PostgreSQL.
 * Every operation is one statement (one transaction): a projection's state
 * and checkpoint change together under compare-and-set on the checkpoint;
 * leases use the database clock, so processes on several machines agree.
 * Checkpoints and projection rows record the cluster (`system_identifier`)
 * they were written in.
 *
 * Keyed projection state lives in `projection_keys` (name, checkpoint) and
 * `projection_entries` (name, key, value), created on first use; a save is one
 * statement: the checkpoint's compare-and-set, the removed keys deleted and the
 * changed entries upserted, all or nothing.
 *
 * @since 0.1.0
 */
import { CheckpointStore as Checkpoints, type StoreErrors } from "@xueshi/core"
import { Effect, Option } from "effect"
import type { SqlClient } from "effect/sql"
import { unavailable } from "./PostgresWrites.js"

/**
 * The CTEs `u` and `i` of a compare-and-set of the row `name = $1` of `table`: its `column`
 * moves from `$2` to `$3` (an update), or a missing row is inserted at `$3` when `$2` is 0;
 * `systemIdentifier` is the parameter of the cluster's identifier. Each returns one row when it
 * wrote.
 */
const compareAndSet = (table: string, column: string, systemIdentifier: string) =>
  `u AS (UPDATE ${table} SET ${column} = $3::bigint, system_identifier = ${systemIdentifier}, updated_at = now()
          WHERE name = $1 AND ${column} = $2::bigint RETURNING 1),
   i AS (INSERT INTO ${table} (name, ${column}, system_identifier)
         SELECT $1, $3::bigint, ${systemIdentifier} WHERE $2::bigint = 0
            AND NOT EXISTS (SELECT 1 FROM ${table} WHERE name = $1)
         ON CONFLICT (name) DO NOTHING RETURNING 1)`

/**
 * The checkpoint, projection and snapshot stores of the store in `schema`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeSide = (
  sql: SqlClient.SqlClient,
  schema: string,
  systemIdentifier: string
): {
  readonly checkpoints: Checkpoints.CheckpointStore["Service"]
  readonly projections: Checkpoints.ProjectionStore["Service"]
  readonly snapshots: Checkpoints.SnapshotStore["Service"]
} => {
  const s = schema
  const one = <A extends object>(what: string, text: string, params: ReadonlyArray<unknown>) =>
    sql.unsafe<A>(text, params).pipe(Effect.mapError(unavailable(what)))

  const checkpoints = Checkpoints.CheckpointStore.of({
    get: (name) =>
      Effect.map(
        one<{ position: number }>(
          `checkpoint ${name}`,
          `SELECT position::float8 AS position FROM ${s}.checkpoints WHERE name = $1`,
          [name]
        ),
        (rows) => rows[0]?.position ?? 0
      ),
    compareAndSet: (name, expected, next) =>
      Effect.map(
        one<{ n: number }>(
          `checkpoint ${name}`,
          `WITH ${compareAndSet(`${s}.checkpoints`, "position", "$4")}
           SELECT ((SELECT count(*) FROM u) + (SELECT count(*) FROM i))::int AS n`,
          [name, expected, next, systemIdentifier]
        ),
        (rows) => (rows[0]?.n ?? 0) > 0
      )
  })

  // the keyed tables, created once (concurrent creators may race: try again)
  let keyedReady = false
  const keyedTables: Effect.Effect<void, StoreErrors.StoreUnavailable> = Effect.suspend(
    (): Effect.Effect<void, StoreErrors.StoreUnavailable> =>
      keyedReady
        ? Effect.void
        : Effect.andThen(
            one(
              "keyed projection tables",
              `CREATE TABLE IF NOT EXISTS ${s}.projection_keys (
               name text PRIMARY KEY,
               checkpoint bigint NOT NULL,
               system_identifier text NOT NULL,
               updated_at timestamptz NOT NULL DEFAULT now()
             )`,
              []
            ),
            one(
              "keyed projection tables",
              `CREATE TABLE IF NOT EXISTS ${s}.projection_entries (
               name text NOT NULL,
               key text NOT NULL,
               value json NOT NULL,
               PRIMARY KEY (name, key)
             )`,
              []
            )
          ).pipe(
            Effect.retry({ times: 3 }),
            Effect.asVoid,
            Effect.tap(() =>
              Effect.sync(() => {
                keyedReady = true
              })
            )
          )
  )

  const projections = Checkpoints.ProjectionStore.of({
    load: (name) =>
      Effect.map(
        one<{ checkpoint: number; state: unknown }>(
          `projection ${name}`,
          `SELECT checkpoint::float8 AS checkpoint, state FROM ${s}.projections WHERE name = $1`,
          [name]
        ),
        (rows) => Option.map(Option.fromNullishOr(rows[0]), (r) => ({ checkpoint: r.checkpoint, state: r.state }))
      ),
    save: (name, expectedCheckpoint, snapshot) =>
      Effect.map(
        one<{ n: number }>(
          `projection ${name}`,
          `WITH u AS (UPDATE ${s}.projections SET checkpoint = $3::bigint, state = $4::json, system_identifier = $5,
                              updated_at = now()
                       WHERE name = $1 AND checkpoint = $2::bigint RETURNING 1),
                i AS (INSERT INTO ${s}.projections (name, checkpoint, state, system_identifier)
                      SELECT $1, $3::bigint, $4::json, $5 WHERE $2::bigint = 0
                         AND NOT EXISTS (SELECT 1 FROM ${s}.projections WHERE name = $1)
                      ON CONFLICT (name) DO NOTHING RETURNING 1)
           SELECT ((SELECT count(*) FROM u) + (SELECT count(*) FROM i))::int AS n`,
          [name, expectedCheckpoint, snapshot.checkpoint, JSON.stringify(snapshot.state ?? null), systemIdentifier]
        ),
        (rows) => (rows[0]?.n ?? 0) > 0
      ),
    reset: (name) =>
      Effect.andThen(
        keyedTables,
        Effect.asVoid(
          one(
            `projection ${name}`,
            `WITH p AS (DELETE FROM ${s}.projections WHERE name = $1),
                  k AS (DELETE FROM ${s}.projection_keys WHERE name = $1)
             DELETE FROM ${s}.projection_entries WHERE name = $1`,
            [name]
          )
        )
      ),
    loadKeyed: (name) =>
      Effect.andThen(
        keyedTables,
        Effect.map(
          one<{ checkpoint: number; entries: Array<[string, unknown]> }>(
            `projection ${name}`,
            `SELECT k.checkpoint::float8 AS checkpoint,
                    COALESCE((SELECT json_agg(json_build_array(e.key, e.value))
                                FROM ${s}.projection_entries e WHERE e.name = $1), '[]'::json) AS entries
               FROM ${s}.projection_keys k WHERE k.name = $1`,
            [name]
          ),
          (rows) =>
            Option.map(Option.fromNullishOr(rows[0]), (r) => ({
              checkpoint: r.checkpoint,
              entries: [...r.entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
            }))
        )
      ),
    saveChanges: (name, expectedCheckpoint, changes) =>
      Effect.andThen(
        keyedTables,
        Effect.map(
          one<{ n: number }>(
            `projection ${name}`,
            `WITH ${compareAndSet(`${s}.projection_keys`, "checkpoint", "$6")},
                  ok AS (SELECT 1 AS one FROM u UNION ALL SELECT 1 FROM i),
                  d AS (DELETE FROM ${s}.projection_entries e
                         WHERE e.name = $1 AND e.key IN (SELECT json_array_elements_text($5::json))
                           AND EXISTS (SELECT 1 FROM ok) RETURNING 1),
                  w AS (INSERT INTO ${s}.projection_entries (name, key, value)
                        SELECT $1, c.value->>0, c.value->1 FROM json_array_elements($4::json) c
                         WHERE EXISTS (SELECT 1 FROM ok)
                        ON CONFLICT (name, key) DO UPDATE SET value = excluded.value RETURNING 1)
             SELECT (SELECT count(*) FROM ok)::int AS n`,
            [
              name,
              expectedCheckpoint,
              changes.checkpoint,
              JSON.stringify(changes.changed.map(([k, v]) => [k, v ?? null])),
              JSON.stringify(changes.removed),
              systemIdentifier
            ]
          ),
          (rows) => (rows[0]?.n ?? 0) > 0
        )
      ),
    acquireLease: (name, owner, ttlMillis) =>
      Effect.map(
        one<{ owner: string }>(
          `lease ${name}`,
          `INSERT INTO ${s}.leases AS l (name, owner, expires_at)
           VALUES ($1, $2, clock_timestamp() + $3::float8 * interval '1 millisecond')
           ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
            WHERE l.owner = excluded.owner OR l.expires_at <= clock_timestamp()
           RETURNING l.owner`,
          [name, owner, ttlMillis]
        ),
        (rows) => rows.length > 0
      ),
    releaseLease: (name, owner) =>
      Effect.asVoid(one(`lease ${name}`, `DELETE FROM ${s}.leases WHERE name = $1 AND owner = $2`, [name, owner]))
  })

  const snapshots = Checkpoints.SnapshotStore.of({
    load: (stream, key) =>
      Effect.map(
        one<{ version: number; state: unknown }>(
          `snapshot ${stream}`,
          `SELECT version, state FROM ${s}.snapshots WHERE key = $1 AND stream = $2`,
          [key, stream]
        ),
        (rows) => Option.map(Option.fromNullishOr(rows[0]), (r) => ({ version: r.version, state: r.state }))
      ),
    save: (stream, key, snapshot) =>
      Effect.asVoid(
        one(
          `snapshot ${stream}`,
          `INSERT INTO ${s}.snapshots (key, stream, version, state) VALUES ($1, $2, $3, $4::json)
           ON CONFLICT (key, stream) DO UPDATE SET version = excluded.version, state = excluded.state, updated_at = now()`,
          [key, stream, snapshot.version, JSON.stringify(snapshot.state ?? null)]
        )
      )
  })

  return { checkpoints, projections, snapshots }
}
