// The memory floor: a JS array of records and a Map of stream versions; the least code that
// appends with an exact expected version and replays in global order.
import { eventAt, idOf, recordedAtOf, streamOf, w3Streams } from "../events.mjs"
import { idSetChecksum, makeFold } from "../fold.mjs"
import { percentile } from "../stats.mjs"

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
export const w3 = async (seed, { workers, perWorker, streams }) => {
  const store = makeArrayStore()
  const version = async (s) => store.versions.get(s) ?? 0
  let conflicts = 0
  const committed = []
  const t0 = performance.now()
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      const picks = w3Streams(seed, w, perWorker, streams)
      for (let i = 0; i < perWorker; i++) {
        const s = picks[i]
        const name = streamOf(s).name
        const id = idOf(seed, "W3", w * perWorker + i)
        for (;;) {
          const v = await version(name)
          const ev = { event: eventAt(seed, s, v + 1), id, recordedAt: recordedAtOf(w * perWorker + i) }
          if (store.append(name, [ev], v)) break
          conflicts++
        }
        committed.push(id)
      }
    })
  )
  const ms = performance.now() - t0
  const errors = []
  const total = workers * perWorker
  if (store.log.length !== total) errors.push(`log holds ${store.log.length} events, ${total} committed`)
  if (idSetChecksum(store.log.map((r) => r.id)) !== idSetChecksum(committed)) errors.push("replay checksum differs")
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
