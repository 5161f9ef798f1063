import { idSetChecksum, makeFold } from "../fold.mjs"
import { percentile } from "../stats.mjs"
import { runW3Workers, w3Row } from "./w3.mjs"

const makeArrayStore = () => {
  const log = []
  const versions = new Map()
  const append = (stream, events, expected) => {
    const current = versions.get(stream) ?? 0
    if (current !== expected) return false
    let v = current
    for (const e of events) {
      v++
      log.push({
        stream,
        type: e.event.type,
        data: e.event.data,
        version: v,
        position: log.length + 1,
        id: e.id,
        recordedAt: e.recordedAt
      })
    }
    versions.set(stream, v)
    return true
  }
  return { log, versions, append }
}

export const w1 = (appends) => {
  const store = makeArrayStore()
  const lat = new Float64Array(appends.length)
  const t0 = performance.now()
  for (let i = 0; i < appends.length; i++) {
    const a = appends[i]
    const s = performance.now()
    if (!store.append(a.stream, a.events, a.expected))
      throw new Error(`array floor: wrong expected version on ${a.stream}`)
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
}

export const w2 = (appends) => {
  const store = makeArrayStore()
  let n = 0
  const t0 = performance.now()
  for (const a of appends) {
    if (!store.append(a.stream, a.events, a.expected))
      throw new Error(`array floor: wrong expected version on ${a.stream}`)
    n += a.events.length
  }
  const ms = performance.now() - t0
  return [{ row: "W2", value: n / (ms / 1000), unit: "events/s", ms }]
}

/** W3 on the array: 8 async workers read a version, yield, then append or retry on conflict. */
export const w3 = async (seed, config) => {
  const store = makeArrayStore()
  const { committed, conflicts, ms } = await runW3Workers(store, seed, config)
  const total = config.workers * config.perWorker
  const errors = []
  if (store.log.length !== total) errors.push(`log holds ${store.log.length} events, ${total} committed`)
  if (idSetChecksum(store.log.map((r) => r.id)) !== idSetChecksum(committed)) errors.push("replay checksum differs")
  return [w3Row(total, ms, conflicts, errors)]
}

/** W4: build the W2 log, then replay it in global order through the fold. */
export const w4 = (appends) => {
  const store = makeArrayStore()
  for (const a of appends) store.append(a.stream, a.events, a.expected)
  const fold = makeFold()
  const t0 = performance.now()
  for (const r of store.log) fold.apply(r)
  const ms = performance.now() - t0
  const digest = fold.digest()
  return [{ row: "W4", value: digest.events / (ms / 1000), unit: "events/s", ms, digest }]
}

/** D1 on the array: import the district, then replay it through every projection. */
export const d1 = (district, projectionFold) => {
  const store = makeArrayStore()
  let n = 0
  const t0 = performance.now()
  for (const a of district.appends) {
    if (!store.append(a.stream, a.events, a.expected))
      throw new Error(`array floor: wrong expected version on ${a.stream}`)
    n += a.events.length
  }
  const importMs = performance.now() - t0
  const fold = makeFold()
  const pf = projectionFold()
  const t1 = performance.now()
  for (const r of store.log) {
    fold.apply(r)
    pf.apply(r)
  }
  const replayMs = performance.now() - t1
  const rssMiB = process.resourceUsage().maxRSS / 1024
  return [
    { row: "D1 import", value: n / (importMs / 1000), unit: "events/s", ms: importMs },
    {
      row: "D1 replay",
      value: n / (replayMs / 1000),
      unit: "events/s",
      ms: replayMs,
      rssMiB,
      digest: { ...fold.digest(), projections: pf.digest() }
    }
  ]
}
