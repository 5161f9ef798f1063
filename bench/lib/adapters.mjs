// The adapter registry. An entry is
//   { name, floor, durability?, workloads, phased?, available(): Promise<boolean>, reason,
//     makeLayer(config): Promise<Layer | { layer, dispose }>, cleanup?(config), tearTail?(config) }
// - `floor` is the family of floors its rows are compared with: "array" (memory), "jsonl"
//   (files; `durability` picks flush-per-batch or not), "pg" (PostgreSQL);
// - `config` is { dir, runId, durability }: dir is a fresh directory of this repetition, runId
//   a unique name (a schema, a database...) shared by the phases of one repetition;
// - `phased`: the store outlives the process, so D1 imports in one child and replays in a fresh
//   one (and D2 opens it cold in a third); otherwise D1 runs in one process.
// The workloads only see the `EventStore` the layer provides. A new adapter joins the table with
// one entry here; nothing else in the harness changes.
import fs from "node:fs"
import path from "node:path"
import { Context, Effect, Layer, Option, Stream } from "effect"
import { findExport, loadWorkspacePackage } from "./packages.mjs"
import { benchUrl, connect, ensureBenchDatabase, pg } from "./pg.mjs"

const ALL = ["W1", "W2", "W3", "W4", "D1"]

/** Resolves a constructor export to a layer: a Layer as is, or a function called with the options. */
const toLayer = (found, options) => {
  const v = found.value
  if (Layer.isLayer(v)) return v
  if (typeof v === "function") {
    const layer = v(options)
    if (Layer.isLayer(layer)) return layer
    throw new Error(`${found.path}(options) did not return a Layer`)
  }
  throw new Error(`${found.path} is neither a Layer nor a function`)
}

/** A probe that loads the first existing package folder and finds a layer constructor in it. */
const probe = (folders, candidates) => {
  let cached
  return async () => {
    if (cached !== undefined) return cached
    let last = { ok: false, reason: `none of packages/{${folders.join(",")}} exists yet` }
    for (const folder of folders) {
      const loaded = await loadWorkspacePackage(folder)
      if (!loaded.ok) {
        if (!loaded.reason.endsWith("does not exist yet")) last = loaded
        continue
      }
      const found = findExport(loaded.module, candidates)
      if (found === undefined) {
        last = { ok: false, reason: `${loaded.name} exports none of ${candidates.map((c) => c.join(".")).join(", ")}` }
        continue
      }
      cached = { ok: true, found, name: loaded.name, version: loaded.version, stale: loaded.stale }
      return cached
    }
    cached = last
    return cached
  }
}

const entry = (spec) => {
  const e = {
    ...spec,
    reason: undefined,
    info: undefined,
    async available() {
      const r = await spec.probe()
      e.reason = r.ok ? undefined : r.reason
      e.info = r.ok ? { package: r.name, version: r.version, constructor: r.found.path, stale: r.stale } : undefined
      if (r.ok && spec.extraCheck !== undefined) {
        const x = await spec.extraCheck()
        if (!x.ok) {
          e.reason = x.reason
          return false
        }
      }
      return r.ok
    }
  }
  return e
}

// --- memory ----------------------------------------------------------------
const memoryProbe = probe(
  ["adapter-memory"],
  [["MemoryEventStore", "layer"], ["layerMemoryStore"], ["layerMemory"], ["layer"]]
)

// --- file ------------------------------------------------------------------
const fileProbe = probe(
  ["adapter-file"],
  [["FileStore", "layer"], ["FileStore", "layerFileStore"], ["layerFileStore"], ["FileEventStore", "layer"], ["layer"]]
)

/** The newest log segment of a file store: the last, by name, of its largest files ending in .jsonl/.log/.seg. */
const lastSegment = (dir) => {
  const files = []
  const walk = (d) => {
    for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, ent.name)
      if (ent.isDirectory()) walk(p)
      else if (/\.(jsonl|log|seg|ndjson)$/.test(ent.name) && !/quarantine|checkpoint|snapshot|index|lock/i.test(p))
        files.push(p)
    }
  }
  walk(dir)
  files.sort()
  return files[files.length - 1]
}

const fileEntry = (durability, workloads) =>
  entry({
    name: `file (${durability})`,
    floor: "jsonl",
    durability,
    workloads,
    phased: true,
    probe: fileProbe,
    async makeLayer(config) {
      const r = await fileProbe()
      return toLayer(r.found, { directory: config.dir, durability: config.durability ?? durability })
    },
    /** What the open reported (the file store's recovery report), read from the layer's context. */
    async openReport(ctx) {
      const loaded = await loadWorkspacePackage("adapter-file")
      const tag = loaded.ok ? loaded.module.FileStore?.FileStore : undefined
      if (tag === undefined) return undefined
      const found = Context.getOption(ctx, tag)
      return Option.isSome(found) ? found.value.recovery : undefined
    },
    /** Cuts the last record of the newest segment half-way; returns { file, cut }. */
    tearTail(config) {
      const file = lastSegment(config.dir)
      if (file === undefined) throw new Error(`no segment file found under ${config.dir}`)
      const size = fs.statSync(file).size
      const len = Math.min(size, 1 << 20)
      const buf = Buffer.alloc(len)
      const fd = fs.openSync(file, "r+")
      try {
        fs.readSync(fd, buf, 0, len, size - len)
        const end = buf[len - 1] === 10 ? len - 1 : len
        const prev = buf.subarray(0, end).lastIndexOf(10)
        const lineStart = size - len + prev + 1
        const cutAt = lineStart + Math.max(1, Math.floor((size - lineStart) / 2))
        fs.ftruncateSync(fd, cutAt)
        return { file: path.relative(config.dir, file), cut: size - cutAt }
      } finally {
        fs.closeSync(fd)
      }
    }
  })

// --- postgres (the adapter of a later issue; joins when its package is built) ----------------
const pgProbe = probe(
  ["adapter-postgres", "adapter-pg", "adapter-sql-pg", "adapter-postgresql"],
  [
    ["PostgresEventStore", "layer"],
    ["PgEventStore", "layer"],
    ["layerPostgresStore"],
    ["layerPgStore"],
    ["layerPostgres"],
    ["layer"]
  ]
)

const pgEntry = entry({
  name: "postgres",
  floor: "pg",
  workloads: ALL,
  phased: true,
  probe: pgProbe,
  extraCheck: () => ensureBenchDatabase(),
  /** Each repetition gets its own schema (runId) in the bench database, dropped by cleanup. */
  async makeLayer(config) {
    const r = await pgProbe()
    const client = await connect()
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(config.runId)}`)
    } finally {
      await client.end()
    }
    const url = benchUrl()
    return toLayer(r.found, { url, connectionString: url, schema: config.runId })
  },
  /**
   * D1 import through the adapter's import path, the bulk import
   * (`PostgresBulkImport.importRecords`: chunks of one `bulk_append` call each), as the issue
   * compares it with COPY; the port's appends are what W1–W3 measure.
   */
  async importDistrict(config, district) {
    const loaded = await loadWorkspacePackage("adapter-postgres")
    const { PostgresBulkImport, PostgresEventStore } = loaded.module
    const { PgClient } = await import("@effect/sql-pg")
    const { Redacted } = await import("effect")
    const client = await connect()
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(config.runId)}`)
    } finally {
      await client.end()
    }
    const records = []
    const versions = new Map()
    for (const a of district.appends) {
      for (const e of a.events) {
        const version = (versions.get(a.stream) ?? 0) + 1
        versions.set(a.stream, version)
        records.push({ stream: a.stream, ...e.event, version, id: e.id, recordedAt: e.recordedAt, schemaVersion: 1 })
      }
    }
    const pool = PgClient.layer({ url: Redacted.make(benchUrl()), maxConnections: 4 })
    return Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const opened = yield* PostgresEventStore.make({ schema: config.runId })
          const t0 = performance.now()
          const r = yield* PostgresBulkImport.importRecords(config.runId, records)
          const ms = performance.now() - t0
          const head = yield* opened.eventStore.head()
          const stored = yield* Stream.runCount(opened.eventStore.readAll())
          const errors =
            stored === r.imported && r.imported === records.length
              ? []
              : [`stored ${stored} of ${records.length} (head ${head})`]
          return [
            {
              row: "D1 import",
              value: r.imported / (ms / 1000),
              unit: "events/s",
              ms,
              notes: `bulk import, ${r.chunks} chunks`,
              check: { ok: errors.length === 0, errors }
            }
          ]
        })
      ).pipe(Effect.provide(Layer.fresh(pool)))
    )
  },
  async cleanup(config) {
    const client = await connect()
    try {
      await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(config.runId)} CASCADE`)
    } finally {
      await client.end()
    }
  }
})

export const adapters = [
  entry({
    name: "memory",
    floor: "array",
    workloads: ALL,
    phased: false,
    probe: memoryProbe,
    async makeLayer() {
      const r = await memoryProbe()
      return toLayer(r.found, {})
    }
  }),
  fileEntry("always", ["W1", "W2", "W3", "W4"]),
  fileEntry("grouped", ["W1", "W2", "W3"]),
  fileEntry("never", ["W2", "D1"]),
  pgEntry
]

/**
 * A deliberately broken adapter for `--self-test`: the memory adapter with a `readAll` that drops
 * every 97th event and an `append` that ignores the expected version. The run must fail.
 */
export const brokenAdapter = entry({
  name: "broken (self-test)",
  floor: "array",
  workloads: ["W3", "W4"],
  phased: false,
  probe: memoryProbe,
  async makeLayer() {
    const r = await memoryProbe()
    const inner = toLayer(r.found, {})
    const { EventStore } = await import("@xueshi/core")
    return Layer.effect(
      EventStore.EventStore,
      Effect.gen(function* () {
        const store = yield* EventStore.EventStore
        return {
          ...store,
          append: (stream, events) => store.append(stream, events, "any"),
          readAll: (options) => Stream.filter(store.readAll(options), (e) => e.position % 97 !== 0)
        }
      })
    ).pipe(Layer.provide(inner))
  }
})

export const adapterByName = (name) => [...adapters, brokenAdapter].find((a) => a.name === name)
