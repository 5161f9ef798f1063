// PostgreSQL for the floors (and later the PostgreSQL adapter): the harness works in its own
// database (default xueshi_bench, created when missing, never dropped) and creates and drops
// only its own tables in it.
import pg from "pg"

export const BENCH_DB = "xueshi_bench"

/** The connection URL of the bench database: XUESHI_BENCH_PG_URL, else XUESHI_PG_URL with the database replaced, else local. */
export const benchUrl = () => {
  if (process.env.XUESHI_BENCH_PG_URL) return process.env.XUESHI_BENCH_PG_URL
  const base = process.env.XUESHI_PG_URL ?? "postgres://postgres@127.0.0.1:5432/postgres"
  const u = new URL(base)
  u.pathname = `/${BENCH_DB}`
  return u.toString()
}

const adminUrl = (url) => {
  const u = new URL(url)
  u.pathname = "/postgres"
  return u.toString()
}

export const connect = async (url = benchUrl()) => {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  return client
}

/** Checks the server and creates the bench database when missing. `{ ok, reason, version }`. */
export const ensureBenchDatabase = async (url = benchUrl()) => {
  const dbName = decodeURIComponent(new URL(url).pathname.slice(1))
  let admin
  try {
    admin = new pg.Client({ connectionString: adminUrl(url), connectionTimeoutMillis: 3000 })
    await admin.connect()
  } catch (e) {
    return { ok: false, reason: `PostgreSQL unreachable at ${new URL(url).host}: ${e.message}` }
  }
  try {
    const { rows } = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [dbName])
    if (rows.length === 0) await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(dbName)}`)
    const v = await admin.query("SHOW server_version")
    const sc = await admin.query("SHOW synchronous_commit")
    return { ok: true, version: v.rows[0].server_version, synchronousCommit: sc.rows[0].synchronous_commit }
  } catch (e) {
    return { ok: false, reason: `cannot prepare database ${dbName}: ${e.message}` }
  } finally {
    await admin.end().catch(() => {})
  }
}

/** A bare event table: identity position, unique (stream, version), jsonb payload. */
export const createEventTable = async (client, table) => {
  const t = pg.escapeIdentifier(table)
  await client.query(`DROP TABLE IF EXISTS ${t}`)
  await client.query(
    `CREATE TABLE ${t} (
      position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      stream text NOT NULL,
      version integer NOT NULL,
      type text NOT NULL,
      data jsonb NOT NULL,
      id uuid,
      recorded_at timestamptz NOT NULL,
      UNIQUE (stream, version)
    )`
  )
  return t
}

export const dropTable = async (client, table) => {
  await client.query(`DROP TABLE IF EXISTS ${pg.escapeIdentifier(table)}`)
}

export { pg }

/** The bench database for a standalone script: prints `skipped: …` and exits 0 without a server. */
export const needBenchDatabase = async () => {
  const db = await ensureBenchDatabase()
  if (!db.ok) {
    console.log(`skipped: ${db.reason}`)
    process.exit(0)
  }
  return db
}
