// The PostgreSQL floor: a bare table written and read with node-postgres, the least SQL that
// keeps an event log: one INSERT per transaction, a 100-row INSERT, COPY, and keyset-paged
// SELECT by position. The (stream, version) unique key is the expected-version check.

import { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"
import pgCopy from "pg-copy-streams"
import { eventAt, idOf, recordedAtOf, streamOf, w3Streams, wireData } from "../events.mjs"
import { idSetChecksum, makeFold } from "../fold.mjs"
import { connect, createEventTable, dropTable } from "../pg.mjs"
import { percentile } from "../stats.mjs"

const COLUMNS = "(stream, version, type, data, id, recorded_at)"
const UNIQUE_VIOLATION = "23505"

const rowOf = (stream, e, version) => [
  stream,
  version,
  e.event.type,
  JSON.stringify(wireData(e.event.type, e.event.data)),
  e.id,
  e.recordedAt
]

const withTable = async (name, body) => {
  const client = await connect()
  const table = `floor_${name}_${process.pid}`
  try {
    const t = await createEventTable(client, table)
    return await body(client, t, table)
  } finally {
    await dropTable(client, table).catch(() => {})
    await client.end().catch(() => {})
  }
}

/** W1: one INSERT per transaction (autocommit), prepared. */
export const w1 = (appends) =>
  withTable("w1", async (client, t) => {
    const text = `INSERT INTO ${t} ${COLUMNS} VALUES ($1, $2, $3, $4, $5, $6)`
    const lat = new Float64Array(appends.length)
    const t0 = performance.now()
    for (let i = 0; i < appends.length; i++) {
      const a = appends[i]
      const s = performance.now()
      await client.query({ name: "w1", text, values: rowOf(a.stream, a.events[0], a.expected + 1) })
      lat[i] = performance.now() - s
    }
    const ms = performance.now() - t0
    return [
      {
        row: "W1",
        value: appends.length / (ms / 1000),
        unit: "appends/s",
        ms,
        p50: percentile(lat, 0.5),
        p99: percentile(lat, 0.99)
      }
    ]
  })

const multiInsert = (t, n) => {
  const values = []
  for (let i = 0; i < n; i++) {
    const b = i * 6
    values.push(`($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, $${b + 5}, $${b + 6})`)
  }
  return `INSERT INTO ${t} ${COLUMNS} VALUES ${values.join(", ")}`
}

/** W2: one multi-row INSERT per batch of 100 (one transaction each). */
export const w2 = (appends) =>
  withTable("w2", async (client, t) => {
    const statements = new Map()
    let n = 0
    const t0 = performance.now()
    for (const a of appends) {
      const k = a.events.length
      let text = statements.get(k)
      if (text === undefined) {
        text = multiInsert(t, k)
        statements.set(k, text)
      }
      const values = []
      for (let i = 0; i < k; i++) values.push(...rowOf(a.stream, a.events[i], a.expected + i + 1))
      await client.query({ name: `w2_${k}`, text, values })
      n += k
    }
    const ms = performance.now() - t0
    return [{ row: "W2", value: n / (ms / 1000), unit: "events/s", ms }]
  })

/** W3: 8 connections; each reads the stream's version, INSERTs the next, retries on a unique violation. */
export const w3 = (seed, { workers, perWorker, streams }) =>
  withTable("w3", async (admin, t) => {
    const clients = await Promise.all(Array.from({ length: workers }, () => connect()))
    try {
      let conflicts = 0
      const committed = []
      const t0 = performance.now()
      await Promise.all(
        clients.map(async (client, w) => {
          const picks = w3Streams(seed, w, perWorker, streams)
          for (let i = 0; i < perWorker; i++) {
            const s = picks[i]
            const name = streamOf(s).name
            const id = idOf(seed, "W3", w * perWorker + i)
            for (;;) {
              const r = await client.query({
                name: "v",
                text: `SELECT coalesce(max(version), 0) AS v FROM ${t} WHERE stream = $1`,
                values: [name]
              })
              const v = r.rows[0].v
              const ev = { event: eventAt(seed, s, v + 1), id, recordedAt: recordedAtOf(w * perWorker + i) }
              try {
                await client.query({
                  name: "ins",
                  text: `INSERT INTO ${t} ${COLUMNS} VALUES ($1, $2, $3, $4, $5, $6)`,
                  values: rowOf(name, ev, v + 1)
                })
                break
              } catch (e) {
                if (e.code !== UNIQUE_VIOLATION) throw e
                conflicts++
              }
            }
            committed.push(id)
          }
        })
      )
      const ms = performance.now() - t0
      const total = workers * perWorker
      const errors = []
      const { rows } = await admin.query(`SELECT id::text AS id FROM ${t} ORDER BY position`)
      if (rows.length !== total) errors.push(`table holds ${rows.length} rows, ${total} committed`)
      if (idSetChecksum(rows.map((r) => r.id)) !== idSetChecksum(committed)) errors.push("replay checksum differs")
      const gaps = await admin.query(
        `SELECT count(*)::int AS n FROM (SELECT stream, max(version) AS m, count(*) AS c FROM ${t} GROUP BY stream) s WHERE m <> c`
      )
      if (gaps.rows[0].n !== 0) errors.push(`${gaps.rows[0].n} streams have version gaps`)
      return [
        {
          row: "W3",
          value: total / (ms / 1000),
          unit: "events/s",
          ms,
          conflicts,
          check: { ok: errors.length === 0, errors }
        }
      ]
    } finally {
      await Promise.all(clients.map((c) => c.end().catch(() => {})))
    }
  })

const copyText = (s) => s.replace(/\\/g, "\\\\")

/** COPY of wire records (or runtime appends) into a table; returns the events copied. */
const copyIn = async (client, t, appends) => {
  let n = 0
  function* rows() {
    let buf = ""
    for (const a of appends) {
      for (let i = 0; i < a.events.length; i++) {
        const e = a.events[i]
        buf += `${copyText(a.stream)}\t${a.expected + i + 1}\t${e.event.type}\t${copyText(JSON.stringify(wireData(e.event.type, e.event.data)))}\t${e.id}\t${e.recordedAt}\n`
        n++
      }
      if (buf.length > 1 << 20) {
        yield buf
        buf = ""
      }
    }
    if (buf.length > 0) yield buf
  }
  await pipeline(Readable.from(rows()), client.query(pgCopy.from(`COPY ${t} ${COLUMNS} FROM STDIN`)))
  return n
}

/** Keyset-paged SELECT by position, folding every row (wire payloads: hours as decimals). */
const keysetReplay = async (client, t, { row, projectionFold, page = 1000 }) => {
  const fold = makeFold({ wire: true })
  const pf = projectionFold?.()
  const text = `SELECT position, stream, version, type, data, id FROM ${t} WHERE position > $1 ORDER BY position LIMIT ${page}`
  let after = 0
  const t0 = performance.now()
  for (;;) {
    const { rows } = await client.query({ name: "page", text, values: [after] })
    if (rows.length === 0) break
    for (const r of rows) {
      r.position = Number(r.position)
      fold.apply(r)
      if (pf !== undefined) {
        if (r.type === "CreditGranted") r.data.hours = Math.round(r.data.hours * 100)
        pf.apply(r)
      }
    }
    after = rows[rows.length - 1].position
  }
  const ms = performance.now() - t0
  const rssMiB = process.resourceUsage().maxRSS / 1024
  const digest = fold.digest()
  if (pf !== undefined) digest.projections = pf.digest()
  return [{ row, value: digest.events / (ms / 1000), unit: "events/s", ms, digest, rssMiB }]
}

/** W4: COPY the W2 log in (not timed), then replay it with keyset paging. */
export const w4 = (appends) =>
  withTable("w4", async (client, t) => {
    await copyIn(client, t, appends)
    await client.query(`VACUUM ANALYZE ${t}`)
    return keysetReplay(client, t, { row: "W4" })
  })

/** D1: COPY the district in (timed), then replay it through every projection (timed apart). */
export const d1 = (district, projectionFold) =>
  withTable("d1", async (client, t) => {
    const t0 = performance.now()
    const n = await copyIn(client, t, district.appends)
    const importMs = performance.now() - t0
    await client.query(`VACUUM ANALYZE ${t}`)
    const replay = await keysetReplay(client, t, { row: "D1 replay", projectionFold })
    return [{ row: "D1 import", value: n / (importMs / 1000), unit: "events/s", ms: importMs }, ...replay]
  })
