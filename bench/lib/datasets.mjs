// The data of each workload, built (or loaded) before any timing starts.
import fs from "node:fs"
import { districtEntries, importPlan } from "./district.mjs"
import { makeW1, makeW2, recordedAtOf, wireData } from "./events.mjs"
import { makeRng, uuid } from "./rng.mjs"

export const w1Data = (seed, size) => makeW1(seed, size)
export const w2Data = (seed, size) => makeW2(seed, size)

/** Runtime form of a wire payload (the only difference: hours travel as decimals, live as 0.01 h). */
export const runtimeData = (type, data) =>
  type === "CreditGranted" ? { ...data, hours: Math.round(data.hours * 100) } : data

/**
 * Reads an event-log-v1 file line by line without holding it as one string (a district log is
 * larger than V8's longest string). Calls `onLine(text)` for each non-empty line.
 */
export const forEachLine = (file, onLine, chunkSize = 8 << 20) => {
  const fd = fs.openSync(file, "r")
  try {
    let carry = Buffer.alloc(0)
    const buf = Buffer.allocUnsafe(chunkSize)
    for (;;) {
      const n = fs.readSync(fd, buf, 0, chunkSize, null)
      if (n === 0) break
      const chunk = carry.length === 0 ? buf.subarray(0, n) : Buffer.concat([carry, buf.subarray(0, n)])
      let start = 0
      for (;;) {
        const nl = chunk.indexOf(10, start)
        if (nl === -1) break
        if (nl > start) onLine(chunk.toString("utf8", start, nl))
        start = nl + 1
      }
      carry = Buffer.from(chunk.subarray(start))
    }
    if (carry.length > 0) onLine(carry.toString("utf8"))
  } finally {
    fs.closeSync(fd)
  }
}

/**
 * The district year as an import plan of runtime appends: regenerated from the seed in each child
 * (faster than parsing 1.4 million JSON lines back), identical in every process.
 */
export const loadDistrict = async ({ members, seed, generator = "bench" }) => {
  const entries =
    generator === "testing" ? await testingDistrict({ members, seed }) : districtEntries({ members, seed }).entries
  return { events: entries.length, appends: importPlan(entries) }
}

/**
 * The district of `@xueshi/testing`'s `District.generateDistrict` (the one generator), as
 * entries; its records carry no id, so each gets a seeded UUID (`--district=testing`).
 */
export const testingDistrict = async ({ members, seed }) => {
  const { District } = await import("@xueshi/testing")
  const rng = makeRng(seed)
  const entries = []
  for (const r of District.generateDistrict({ members, seed })) {
    entries.push({
      stream: r.stream,
      event: { type: r.type, data: r.data },
      id: r.id ?? uuid(rng),
      recordedAt: r.recordedAt ?? recordedAtOf(entries.length)
    })
  }
  return entries
}

/** Wire records of a list of runtime appends, with the versions and positions they get in an empty store. */
export const wireRecordsOf = (appends) => {
  const versions = new Map()
  const out = []
  for (const a of appends) {
    let v = versions.get(a.stream) ?? 0
    for (const e of a.events) {
      v++
      out.push({
        stream: a.stream,
        type: e.event.type,
        data: wireData(e.event.type, e.event.data),
        version: v,
        id: e.id,
        schemaVersion: 1,
        recordedAt: e.recordedAt,
        position: out.length + 1
      })
    }
    versions.set(a.stream, v)
  }
  return out
}
