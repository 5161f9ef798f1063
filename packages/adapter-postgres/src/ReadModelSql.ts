/**
 * The SQL of the read-model runner ({@link PostgresReadModels}): the DDL of its
 * tables, the statements it runs on its reserved connection (transactions, the
 * checkpoint's compare-and-set, the fold's snapshot) and the write of a save's
 * changed rows.
 *
 * @since 0.1.0
 */

import { Effect, Exit } from "effect"
import type { SqlClient } from "effect/sql"
import type { Connection } from "effect/sql/SqlConnection"
import type { SqlError } from "effect/sql/SqlError"
import * as Rows from "./ReadModelRows.js"

/**
 * Where one runner's data live: the schema, its state and fold tables (schema-qualified) and
 * the projection's name.
 *
 * @category models
 * @since 0.1.0
 */
export interface RunnerTables {
  readonly schema: string
  readonly name: string
  readonly stateTable: string
  readonly foldTable: string
}

/**
 * A statement on a reserved connection.
 *
 * @category runners
 * @since 0.1.0
 */
export const run = (conn: Connection, text: string, params: ReadonlyArray<unknown> = []) =>
  conn.execute(text, params, undefined) as Effect.Effect<ReadonlyArray<Record<string, unknown>>, SqlError>

/**
 * The `CREATE TABLE IF NOT EXISTS` of a read-model table (its shape from {@link Rows.SHAPES}) named `as`.
 *
 * @category utils
 * @since 0.1.0
 */
export const tableDdl = (schema: string, table: Rows.TableName, as: string): string => {
  const shape = Rows.SHAPES[table]
  const cols = [...shape.key, ...shape.values].map((col, i) =>
    i < shape.key.length ? `${col.name} ${col.type} NOT NULL` : `${col.name} ${col.type}`
  )
  return `CREATE TABLE IF NOT EXISTS ${schema}.${as} (
        ${[...cols, ...shape.generated, "updated_at timestamptz NOT NULL DEFAULT now()"].join(",\n        ")},
        CONSTRAINT ${as}_pkey PRIMARY KEY (${shape.key.map((k) => k.name).join(", ")}))`
}

/**
 * Creates (if missing, under the schema's migration lock) the runner's state and fold tables,
 * the read-model tables and the projection's state row at checkpoint 0.
 *
 * @category utils
 * @since 0.1.0
 */
export const ensureTables = (
  sql: SqlClient.SqlClient,
  at: RunnerTables,
  tables: Readonly<Record<Rows.TableName, string>>
): Effect.Effect<void, SqlError> =>
  sql.withTransaction(
    Effect.gen(function* () {
      const s = at.schema
      yield* sql.unsafe(`SELECT pg_advisory_xact_lock(hashtext('xueshi.migrate'), hashtext($1))`, [s])
      yield* sql.unsafe(`CREATE SCHEMA IF NOT EXISTS ${s}`)
      yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS ${at.stateTable} (
            name text PRIMARY KEY, checkpoint bigint NOT NULL, generation integer NOT NULL DEFAULT 0,
            system_identifier text NOT NULL, updated_at timestamptz NOT NULL DEFAULT now())`)
      yield* sql.unsafe(`CREATE TABLE IF NOT EXISTS ${at.foldTable} (
            name text PRIMARY KEY, checkpoint bigint NOT NULL, state json NOT NULL,
            updated_at timestamptz NOT NULL DEFAULT now())`)
      for (const t of Rows.TABLES) yield* sql.unsafe(tableDdl(s, t, tables[t]))
      yield* sql.unsafe(
        `INSERT INTO ${at.stateTable} (name, checkpoint, system_identifier)
             SELECT $1, 0, system_identifier::text FROM pg_control_system() ON CONFLICT (name) DO NOTHING`,
        [at.name]
      )
    })
  )

/**
 * Runs `body` in a transaction on `conn`: committed when it succeeds, rolled back otherwise
 * (its beginning and end not interruptible).
 *
 * @category utils
 * @since 0.1.0
 */
export const inTransaction = <A, E>(conn: Connection, body: Effect.Effect<A, E>) =>
  Effect.uninterruptibleMask((restore) =>
    Effect.gen(function* () {
      yield* run(conn, "BEGIN")
      const exit = yield* Effect.exit(restore(body))
      if (Exit.isSuccess(exit)) {
        yield* run(conn, "COMMIT")
        return exit.value
      }
      yield* Effect.ignore(run(conn, "ROLLBACK"))
      return yield* exit
    })
  )

/**
 * Moves the projection's checkpoint from `expected` to `next` (a compare-and-set; `swap` also
 * counts a new generation): whether it moved.
 *
 * @category utils
 * @since 0.1.0
 */
export const moveCheckpoint = (
  conn: Connection,
  at: RunnerTables,
  expected: number,
  next: number,
  options: { readonly swap: boolean }
) =>
  Effect.map(
    run(
      conn,
      `UPDATE ${at.stateTable} SET checkpoint = $3::bigint,${options.swap ? " generation = generation + 1," : ""} updated_at = now()
                WHERE name = $1 AND checkpoint = $2::bigint RETURNING 1 AS ok`,
      [at.name, expected, next]
    ),
    (moved) => moved.length > 0
  )

/**
 * Writes the fold's snapshot at `checkpoint` (its encoded state as JSON).
 *
 * @category utils
 * @since 0.1.0
 */
export const saveSnapshot = (conn: Connection, at: RunnerTables, checkpoint: number, state: unknown) =>
  run(
    conn,
    `INSERT INTO ${at.foldTable} (name, checkpoint, state) VALUES ($1, $2::bigint, $3::json)
               ON CONFLICT (name) DO UPDATE SET checkpoint = excluded.checkpoint, state = excluded.state,
                 updated_at = now()`,
    [at.name, checkpoint, JSON.stringify(state)]
  )

/**
 * Writes a save's changed rows into the tables `target` (deletes, then upserts, at most
 * `perStatement` rows a statement).
 *
 * @category utils
 * @since 0.1.0
 */
export const writeChanges = (
  conn: Connection,
  schema: string,
  target: Readonly<Record<Rows.TableName, string>>,
  changes: Rows.Changes,
  perStatement: number
) =>
  Effect.gen(function* () {
    for (const t of Rows.TABLES) {
      const shape = Rows.SHAPES[t]
      const all = [...shape.key, ...shape.values]
      const keyNames = shape.key.map((k) => k.name)
      const typed = (cols: ReadonlyArray<Rows.Column>) => cols.map((col) => `${col.name} ${col.type}`).join(", ")
      const toObjects = (rows: ReadonlyArray<Rows.Row>, cols: ReadonlyArray<Rows.Column>) =>
        JSON.stringify(rows.map((r) => Object.fromEntries(cols.map((col, i) => [col.name, r[i]]))))
      const { upserts, deletes } = changes[t]
      for (let i = 0; i < deletes.length; i += perStatement) {
        yield* run(
          conn,
          `DELETE FROM ${schema}.${target[t]} d USING json_to_recordset($1::json) AS x(${typed(shape.key)})
                WHERE ${keyNames.map((k) => `d.${k} = x.${k}`).join(" AND ")}`,
          [toObjects(deletes.slice(i, i + perStatement), shape.key)]
        )
      }
      for (let i = 0; i < upserts.length; i += perStatement) {
        const names = all.map((col) => col.name)
        yield* run(
          conn,
          `INSERT INTO ${schema}.${target[t]} (${names.join(", ")})
               SELECT ${names.join(", ")} FROM json_to_recordset($1::json) AS x(${typed(all)})
               ON CONFLICT (${keyNames.join(", ")}) DO UPDATE SET
                 ${shape.values.map((v) => `${v.name} = excluded.${v.name}`).join(", ")}, updated_at = now()`,
          [toObjects(upserts.slice(i, i + perStatement), all)]
        )
      }
    }
  })
