// PostgreSQL adapter, the pieces beyond the port (issue 9): the bulk import against a COPY floor,
// and the read-model runner's catch-up through the SQL tables, then live single grants. Run on
// the BUILT packages (pnpm build), in the bench database (see bench/lib/pg.mjs):
//
//   node bench/lib/pg-readmodels.mjs [--members=2000] [--seed=2025] [--chunk=50000] [--json]
//
// Rows:
//   D1 import floor   COPY … FROM STDIN (pg-copy-streams) of the district into the floors' bare table
//   D1 import unnest  PostgresBulkImport.importRecords: chunks of one bulk_append call each
//                     (INSERT … SELECT FROM unnest of column arrays), validated records in
//   D1 import log     PostgresBulkImport.importLog: the same, from the log's lines, validation included
//   RM catch-up       PostgresReadModels: fold the imported district and write the three tables
//   RM live grant     one external grant at a time after the catch-up: rows written per save, latency

import path from "node:path"
import { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"
import { pathToFileURL } from "node:url"
import pgCopy from "pg-copy-streams"
import { needPackage, ROOT, scriptArgs } from "./packages.mjs"
import { benchUrl, connect, createEventTable, dropTable, needBenchDatabase, pg } from "./pg.mjs"

const args = scriptArgs()
const members = Number(args.members ?? 2000)
const seed = Number(args.seed ?? 2025)
const chunk = Number(args.chunk ?? 50_000)

const need = async (folder) =>
  // --source: the sources (run with `node --import tsx --conditions=@xueshi/source`)
  args.source === "true"
    ? import(pathToFileURL(path.join(ROOT, "packages", folder, "src/index.ts")).href)
    : needPackage(folder)

const db = await needBenchDatabase()
const core = await need("core")
const testing = await need("testing")
const adapter = await need("adapter-postgres")
const { Effect, Layer, Redacted, Stream } = await import("effect")
const { SqlClient } = await import("effect/sql")
const { PgClient } = await import("@effect/sql-pg")

const { EventCodec, LogValidator, Presets, Ledger } = core
const codec = EventCodec.EventLogCodec
const policy = Presets.xiqingDistrict
const lines = Array.from(testing.District.generateDistrict({ seed, members }), (r) => codec.encodeLine(r))
// the validated records (what importRecords takes), validated untimed
const validator = LogValidator.makeLogValidator({})
const records = []
for (const line of lines) {
  const o = validator.push(line)
  if (o._tag === "Record") records.push(o.record)
  else if (o._tag === "Error") throw new Error(`the generated log is not valid: ${o.error.message}`)
}
const n = records.length
const rows = []
const rate = (events, ms) => events / (ms / 1000)
const fmt = (v) => (v >= 1000 ? `${(v / 1000).toFixed(1)} k/s` : `${v.toFixed(0)}/s`)

// ---- floor: COPY of the same events into the floors' bare table -------------------------------
{
  const client = await connect()
  const table = `floor_rm_${process.pid}`
  try {
    const t = await createEventTable(client, table)
    const esc = (s) => s.replace(/\\/g, "\\\\")
    const now = new Date().toISOString()
    function* chunks() {
      let buf = ""
      for (const r of records) {
        const e = codec.encodeRecord(r)
        buf += `${esc(r.stream)}\t${r.version}\t${r.type}\t${esc(JSON.stringify(e.data))}\t${r.id ?? "\\N"}\t${e.recordedAt ?? now}\n`
        if (buf.length > 1 << 20) {
          yield buf
          buf = ""
        }
      }
      if (buf.length > 0) yield buf
    }
    const t0 = performance.now()
    await pipeline(
      Readable.from(chunks()),
      client.query(pgCopy.from(`COPY ${t} (stream, version, type, data, id, recorded_at) FROM STDIN`))
    )
    const ms = performance.now() - t0
    rows.push({ row: "D1 import floor: COPY", events: n, ms, value: rate(n, ms) })
  } finally {
    await dropTable(client, table).catch(() => {})
    await client.end()
  }
}

// ---- the adapter -----------------------------------------------------------------------------------
const { PostgresBulkImport, PostgresEventStore, PostgresReadModels } = adapter
const url = benchUrl()
const poolLayer = PgClient.layer({ url: Redacted.make(url), maxConnections: 20, applicationName: "xueshi bench rm" })
const schemaA = `bench_rm_${process.pid}`
const schemaB = `bench_rm_log_${process.pid}`
const dropSchemas = async () => {
  const client = await connect()
  try {
    for (const s of [schemaA, schemaB]) await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(s)} CASCADE`)
  } finally {
    await client.end()
  }
}

const program = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const storeA = yield* PostgresEventStore.make({ schema: schemaA })
  yield* PostgresEventStore.make({ schema: schemaB })
  // unnest, from validated records
  let t0 = performance.now()
  const a = yield* PostgresBulkImport.importRecords(schemaA, records, { chunkEvents: chunk })
  let ms = performance.now() - t0
  rows.push({
    row: "D1 import unnest (records)",
    events: a.imported,
    ms,
    value: rate(a.imported, ms),
    chunks: a.chunks
  })
  // the same from the log's lines, validation included
  t0 = performance.now()
  const b = yield* PostgresBulkImport.importLog(schemaB, lines, { chunkEvents: chunk })
  ms = performance.now() - t0
  rows.push({ row: "D1 import unnest (log, validated)", events: b.imported, ms, value: rate(b.imported, ms) })
  yield* sql.unsafe(`VACUUM ANALYZE ${schemaA}.events`)

  // the read-model runner's catch-up
  const rssBefore = process.resourceUsage().maxRSS / 1024
  t0 = performance.now()
  const runner = yield* PostgresReadModels.start(storeA.eventStore, { schema: schemaA, policy })
  yield* runner.whenCaughtUp
  ms = performance.now() - t0
  const st = yield* runner.stats
  const sizes = yield* sql.unsafe(
    `SELECT c.relname AS name, pg_total_relation_size(c.oid)::float8 AS bytes
       FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
      WHERE ns.nspname = $1 AND c.relkind = 'r' AND c.relname LIKE 'rm_%'`,
    [schemaA]
  )
  rows.push({
    row: "RM catch-up (fold + tables)",
    events: n,
    ms,
    value: rate(n, ms),
    saves: st.saves,
    rowsWritten: st.rowsWritten,
    peakRssMiB: Math.round(Math.max(rssBefore, process.resourceUsage().maxRSS / 1024)),
    tables: Object.fromEntries(sizes.map((r) => [r.name, `${(r.bytes / 2 ** 20).toFixed(1)} MiB`]))
  })
  // live: single external grants, one at a time
  const all = yield* Stream.runCollect(storeA.eventStore.readAll({ types: ["CreditGranted"] }))
  const external = all.filter((r) => r.data.source.kind === "external").slice(0, 20)
  const lat = []
  const perSave = []
  for (const [i, g] of external.entries()) {
    const before = yield* runner.stats
    const s = performance.now()
    yield* storeA.eventStore.append(
      g.stream,
      [{ event: { type: "CreditGranted", data: { ...g.data, grantId: `${g.data.grantId}-bench${i}` } } }],
      "any"
    )
    yield* runner.whenCaughtUp
    lat.push(performance.now() - s)
    const after = yield* runner.stats
    perSave.push(after.rowsWritten - before.rowsWritten)
  }
  lat.sort((x, y) => x - y)
  let totalRows = 0
  for (const t of Object.values(runner.tables)) {
    totalRows += (yield* sql.unsafe(`SELECT count(*)::int AS n FROM ${schemaA}.${t}`))[0].n
  }
  rows.push({
    row: "RM live grant (append → tables)",
    grants: external.length,
    p50ms: Number(lat[Math.floor(lat.length / 2)]?.toFixed(1)),
    maxRowsPerGrant: Math.max(...perSave),
    meanRowsPerGrant: Number((perSave.reduce((x, y) => x + y, 0) / Math.max(1, perSave.length)).toFixed(1)),
    tableRows: totalRows
  })
  // the tables agree with the ledger (a spot check of every member's compliance in the district year)
  const everything = yield* Stream.runCollect(storeA.eventStore.readAll())
  const ledger = Ledger.fromRecords(everything, policy)
  const got = yield* sql.unsafe(
    `SELECT member_id, requirement_id, status, hours_centi::int AS h FROM ${schemaA}.rm_member_compliance WHERE year = $1`,
    [2025]
  )
  const byKey = new Map(got.map((r) => [`${r.member_id}|${r.requirement_id}`, r]))
  let bad = 0
  for (const m of ledger.memberIds()) {
    for (const x of ledger.compliance(m, { year: 2025 })) {
      const r = byKey.get(`${m}|${x.requirementId}`)
      if (r === undefined || r.status !== x.status || r.h !== x.earned.hours) bad++
    }
  }
  rows.push({ row: "RM check", mismatches: bad })
})

try {
  // the scope inside the pool's: the runner and the stores stop before the pool closes
  await Effect.runPromise(Effect.scoped(program).pipe(Effect.provide(Layer.fresh(poolLayer))))
} finally {
  await dropSchemas()
}

const floor = rows[0].value
if (args.json === "true") console.log(JSON.stringify({ members, seed, events: n, chunk, rows }, null, 2))
else {
  console.log(`district: ${members} members, ${n} events (seed ${seed}); chunk ${chunk}; PostgreSQL ${db.version}`)
  for (const r of rows) {
    const ratio = r.value !== undefined && r !== rows[0] ? ` (${(r.value / floor).toFixed(2)}× COPY)` : ""
    const { row, value, ...rest } = r
    console.log(`${row}: ${value === undefined ? "" : fmt(value)}${ratio} ${JSON.stringify(rest)}`)
  }
}
