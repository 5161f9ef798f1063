// The PostgreSQL scale run (issue 9): `pnpm bench --scale` (not in CI). A quarter of a province
// — 10 million events by default — in ONE store: districts of the demo's generator (each its own
// seed, its ids prefixed `d<k>.` so the districts are disjoint) streamed into the store by the
// bulk import, never held in memory; then a cold replay of the whole store in global order
// through the bench fold; then a projection runner catching up from an empty checkpoint with
// keyed saves (one entry per member); the database size on disk; the Node process's peak RSS
// after each step (it must stay bounded: streaming, not loading).
//
//   node bench/scale.mjs [--events=10000000] [--members=38000] [--chunk=50000] [--batch=2000]
//                        [--save-events=200000] [--keep] [--json]
//
// Runs the BUILT packages (pnpm build) in the bench database (bench/lib/pg.mjs); the store is the
// schema scale_<pid>, dropped at the end unless --keep.
import { makeFold } from "./lib/fold.mjs"
import { needPackage, scriptArgs } from "./lib/packages.mjs"
import { benchUrl, connect, needBenchDatabase, pg } from "./lib/pg.mjs"

const args = scriptArgs()
const target = Number(args.events ?? 10_000_000)
const members = Number(args.members ?? 38_000)
const chunkEvents = Number(args.chunk ?? 50_000)
const batchSize = Number(args.batch ?? 2_000)
const saveEvents = Number(args["save-events"] ?? 200_000)

const need = needPackage
const db = await needBenchDatabase()
const core = await need("core")
const testing = await need("testing")
const adapter = await need("adapter-postgres")
const { Effect, Layer, Stream } = await import("effect")
const { CheckpointStore, EventCodec, LogValidator, ProjectionRunner, EventStore } = core
const { District } = testing
const { PostgresBulkImport, PostgresEventStore } = adapter

const rssMiB = () => Math.round(process.resourceUsage().maxRSS / 1024)
const rows = []
const row = (r) => {
  rows.push(r)
  if (args.json !== "true") console.log(`${r.step}: ${JSON.stringify({ ...r, step: undefined })}`)
}

// ---- the districts, relabelled: every id of district k gets the prefix `d<k>.` -------------------
const ID_KEYS = new Set(["memberId", "schoolId", "parentId", "classId", "sessionId", "grantId"])
const relabel = (value, prefix) => {
  if (Array.isArray(value)) return value.map((v) => relabel(v, prefix))
  if (value === null || typeof value !== "object") return value
  const out = {}
  for (const [k, v] of Object.entries(value)) {
    out[k] = ID_KEYS.has(k) && typeof v === "string" ? `${prefix}${v}` : relabel(v, prefix)
  }
  return out
}
const relabelRecord = (r, prefix) => {
  const dash = r.stream.indexOf("-")
  return {
    ...r,
    stream: `${r.stream.slice(0, dash + 1)}${prefix}${r.stream.slice(dash + 1)}`,
    data: relabel(r.data, prefix)
  }
}
/** Records of districts 0, 1, … until `limit` events, relabelled and versioned; `timing.genMs` is the time spent generating. */
function* province(limit, size, timing) {
  let n = 0
  for (let k = 0; n < limit; k++) {
    const versions = new Map()
    const prefix = `d${k}.`
    timing.districts = k + 1
    let t = performance.now()
    for (const r of District.generateDistrict({ seed: 2025 + k, members: size })) {
      const x = relabelRecord(r, prefix)
      const version = (versions.get(x.stream) ?? 0) + 1
      versions.set(x.stream, version)
      timing.genMs += performance.now() - t
      yield { ...x, version }
      t = performance.now()
      if (++n >= limit) return
    }
    timing.genMs += performance.now() - t
    if (k === 0) timing.rssAfterFirstDistrict = rssMiB()
  }
}

// the relabelling keeps a log valid: two small districts, one after the other, pass the validator
{
  const validator = LogValidator.makeLogValidator({})
  let lines = 0
  for (const r of province(Number.POSITIVE_INFINITY, 300, { genMs: 0 })) {
    const { version, ...rest } = r
    const o = validator.push(EventCodec.EventLogCodec.encodeLine(rest))
    if (o._tag === "Error") throw new Error(`a relabelled district is not valid: ${o.error.message}`)
    if (++lines > 2 * 12_000) break
  }
  const end = validator.end?.()
  if (end !== undefined && end._tag === "Error")
    throw new Error(`a relabelled district is not valid: ${end.error.message}`)
}

// ---- the run -------------------------------------------------------------------------------------
const schema = `scale_${process.pid}`
const url = benchUrl()
const { PgClient } = await import("@effect/sql-pg")
const { Redacted } = await import("effect")
const pool = PgClient.layer({ url: Redacted.make(url), maxConnections: 4, applicationName: "xueshi bench scale" })
const sizeOf = async () => {
  const client = await connect()
  try {
    const s = await client.query(
      `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::float8 AS bytes
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind IN ('r', 'm')`,
      [schema]
    )
    const d = await client.query("SELECT pg_database_size(current_database())::float8 AS bytes")
    return {
      storeGiB: Number((s.rows[0].bytes / 2 ** 30).toFixed(2)),
      databaseGiB: Number((d.rows[0].bytes / 2 ** 30).toFixed(2))
    }
  } finally {
    await client.end()
  }
}

/** A projection with one entry per member: events and grants counted (bounded state, keyed saves). */
const perMember = {
  name: "scale-per-member",
  get initial() {
    return new Map()
  },
  apply: (state, record) => {
    const m = record.data?.memberId
    if (typeof m !== "string") return state
    const e = state.get(m) ?? [0, 0]
    e[0]++
    if (record.type === "CreditGranted") e[1]++
    state.set(m, e)
    return state
  },
  encodeState: (state) => [...state],
  decodeState: (json) => new Map(json),
  keyed: {
    keysOf: (record) => (typeof record.data?.memberId === "string" ? [record.data.memberId] : []),
    encodeEntry: (state, key) => state.get(key) ?? null,
    decodeEntries: (entries) => {
      const m = new Map()
      for (const [k, v] of entries) if (v !== null) m.set(k, v)
      return m
    }
  }
}

const program = Effect.gen(function* () {
  const opened = yield* PostgresEventStore.make({ schema })
  const store = opened.eventStore
  // import, streaming
  const timing = { genMs: 0, districts: 0, rssAfterFirstDistrict: 0 }
  let t0 = performance.now()
  const imported = yield* PostgresBulkImport.importRecords(schema, province(target, members, timing), { chunkEvents })
  let ms = performance.now() - t0
  const importMs = ms - timing.genMs
  row({
    step: "import",
    events: imported.imported,
    districts: timing.districts,
    chunks: imported.chunks,
    wallSeconds: Number((ms / 1000).toFixed(1)),
    generatingSeconds: Number((timing.genMs / 1000).toFixed(1)),
    importRate: Math.round(imported.imported / (importMs / 1000)),
    rateWithGeneration: Math.round(imported.imported / (ms / 1000)),
    peakRssMiBAfterFirstDistrict: timing.rssAfterFirstDistrict,
    peakRssMiB: rssMiB()
  })
  t0 = performance.now()
  yield* Effect.promise(async () => {
    const client = await connect()
    try {
      await client.query(`VACUUM ANALYZE ${pg.escapeIdentifier(schema)}.events`)
    } finally {
      await client.end()
    }
  })
  row({
    step: "vacuum analyze",
    seconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
    ...(yield* Effect.promise(sizeOf))
  })
  // cold replay in global order, streaming
  const fold = makeFold()
  t0 = performance.now()
  yield* Stream.runForEachArray(store.readAll(), (records) =>
    Effect.sync(() => {
      for (const r of records) fold.apply(r)
    })
  )
  ms = performance.now() - t0
  const digest = fold.digest()
  row({
    step: "replay",
    events: digest.events,
    seconds: Number((ms / 1000).toFixed(1)),
    rate: Math.round(digest.events / (ms / 1000)),
    inOrder: digest.disorder === 0,
    peakRssMiB: rssMiB()
  })
  if (digest.events !== imported.imported) throw new Error(`replayed ${digest.events} of ${imported.imported} events`)
  // a runner catching up from nothing, keyed saves
  t0 = performance.now()
  const runner = yield* ProjectionRunner.start(perMember, { batchSize, saveEvery: { events: saveEvents } }).pipe(
    Effect.provideService(EventStore.EventStore, store),
    Effect.provideService(CheckpointStore.ProjectionStore, opened.projections)
  )
  yield* runner.whenCaughtUp
  ms = performance.now() - t0
  const membersSeen = yield* runner.read((s) => s.size)
  row({
    step: "runner catch-up",
    events: imported.imported,
    seconds: Number((ms / 1000).toFixed(1)),
    rate: Math.round(imported.imported / (ms / 1000)),
    members: membersSeen,
    batchSize,
    saveEvery: saveEvents,
    peakRssMiB: rssMiB()
  })
})

try {
  await Effect.runPromise(Effect.scoped(program).pipe(Effect.provide(Layer.fresh(pool))))
  row({ step: "size", ...(await sizeOf()), peakRssMiB: rssMiB() })
} finally {
  if (args.keep !== "true") {
    const client = await connect()
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`)
    } finally {
      await client.end()
    }
  }
}
if (args.json === "true")
  console.log(JSON.stringify({ target, members, chunkEvents, postgres: db.version, rows }, null, 2))
