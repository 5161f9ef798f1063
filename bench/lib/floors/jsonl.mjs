// The file floor: an append-only JSONL file written with plain node:fs, the least code that
// keeps an event log on disk: encode the records, one write per append (or per batch), with or
// without fdatasync; replay = read the file in chunks, split lines, JSON.parse.
import fs from "node:fs"
import path from "node:path"
import { forEachLine } from "../datasets.mjs"
import { wireData } from "../events.mjs"
import { idSetChecksum, makeFold } from "../fold.mjs"
import { percentile } from "../stats.mjs"
import { runW3Workers, w3Row } from "./w3.mjs"

const encode = (stream, e, version, position) =>
  JSON.stringify({
    stream,
    type: e.event.type,
    data: wireData(e.event.type, e.event.data),
    version,
    id: e.id,
    schemaVersion: 1,
    recordedAt: e.recordedAt,
    position
  })

const makeJsonlStore = (file, { flush }) => {
  const fd = fs.openSync(file, "a")
  const versions = new Map()
  let head = 0
  /** Appends a batch: one write, then fdatasync when `flush`. Returns false on a wrong expected version. */
  const append = (stream, events, expected) => {
    const current = versions.get(stream) ?? 0
    if (current !== expected) return false
    let text = ""
    for (let i = 0; i < events.length; i++) text += encode(stream, events[i], current + i + 1, head + i + 1) + "\n"
    fs.writeSync(fd, text)
    if (flush) fs.fdatasyncSync(fd)
    versions.set(stream, current + events.length)
    head += events.length
    return true
  }
  const close = () => fs.closeSync(fd)
  return { append, close, versions, head: () => head }
}

/** W1: single appends, a flush per append. */
export const w1 = (dir, appends) => {
  const store = makeJsonlStore(path.join(dir, "w1.jsonl"), { flush: true })
  const lat = new Float64Array(appends.length)
  const t0 = performance.now()
  for (let i = 0; i < appends.length; i++) {
    const a = appends[i]
    const s = performance.now()
    if (!store.append(a.stream, a.events, a.expected))
      throw new Error(`jsonl floor: wrong expected version on ${a.stream}`)
    lat[i] = performance.now() - s
  }
  const ms = performance.now() - t0
  store.close()
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

/** W2 (and D1 import): one write per batch, with or without a flush per batch. */
export const batches = (dir, appends, { flush, row = "W2", file = "w2.jsonl" }) => {
  const store = makeJsonlStore(path.join(dir, file), { flush })
  let n = 0
  const t0 = performance.now()
  for (const a of appends) {
    if (!store.append(a.stream, a.events, a.expected))
      throw new Error(`jsonl floor: wrong expected version on ${a.stream}`)
    n += a.events.length
  }
  const ms = performance.now() - t0
  store.close()
  return [{ row, value: n / (ms / 1000), unit: "events/s", ms }]
}

/** W3: 8 async workers, each append written and flushed on its own (no group commit). */
export const w3 = async (dir, seed, config) => {
  const file = path.join(dir, "w3.jsonl")
  const store = makeJsonlStore(file, { flush: true })
  const { committed, conflicts, ms } = await runW3Workers(store, seed, config)
  store.close()
  const ids = []
  forEachLine(file, (line) => ids.push(JSON.parse(line).id))
  const total = config.workers * config.perWorker
  const errors = []
  if (ids.length !== total) errors.push(`file holds ${ids.length} events, ${total} committed`)
  if (idSetChecksum(ids) !== idSetChecksum(committed)) errors.push("replay checksum differs")
  return [w3Row(total, ms, conflicts, errors)]
}

/** Replays a JSONL file through the fold (and projections), parsing each line. */
export const replay = (file, { row, projectionFold }) => {
  const fold = makeFold({ wire: true })
  const pf = projectionFold?.()
  const t0 = performance.now()
  forEachLine(file, (line) => {
    const r = JSON.parse(line)
    fold.apply(r)
    if (pf !== undefined) {
      if (r.type === "CreditGranted") r.data.hours = Math.round(r.data.hours * 100)
      pf.apply(r)
    }
  })
  const ms = performance.now() - t0
  const rssMiB = process.resourceUsage().maxRSS / 1024
  const digest = fold.digest()
  if (pf !== undefined) digest.projections = pf.digest()
  return [{ row, value: digest.events / (ms / 1000), unit: "events/s", ms, digest, rssMiB }]
}

/** W4: write the W2 log (not timed), then replay it. */
export const w4 = (dir, appends) => {
  batches(dir, appends, { flush: false, file: "w4.jsonl" })
  return replay(path.join(dir, "w4.jsonl"), { row: "W4" })
}

/** D2 floor, open: read every byte of the log (what any open that checks the data must at least do). */
export const readAll = (file) => {
  const size = fs.statSync(file).size
  const t0 = performance.now()
  let lines = 0
  forEachLine(file, () => {
    lines++
  })
  const ms = performance.now() - t0
  return [{ row: "D2 open", value: ms, unit: "ms", ms, bytes: size, lines }]
}

/**
 * D2 floor, recovery: cut the last line mid-way (untimed), then what an open that meets a torn
 * tail must at least do: read every line, find the last complete one and truncate after it.
 */
export const recover = (file) => {
  tearTail(file)
  const t0 = performance.now()
  let lines = 0
  forEachLine(file, () => {
    lines++
  })
  const fd = fs.openSync(file, "r+")
  const size = fs.fstatSync(fd).size
  const buf = Buffer.allocUnsafe(Math.min(size, 1 << 20))
  const n = fs.readSync(fd, buf, 0, buf.length, size - buf.length)
  const nl = buf.subarray(0, n).lastIndexOf(10)
  const keep = size - n + nl + 1
  fs.ftruncateSync(fd, keep)
  fs.fdatasyncSync(fd)
  fs.closeSync(fd)
  const ms = performance.now() - t0
  return [{ row: "D2 recovery", value: ms, unit: "ms", ms, cut: size - keep, lines }]
}

/** Truncates the last line of a file half-way (a torn tail). Returns the bytes cut. */
export const tearTail = (file) => {
  const size = fs.statSync(file).size
  const fd = fs.openSync(file, "r+")
  try {
    const len = Math.min(size, 1 << 20)
    const buf = Buffer.allocUnsafe(len)
    fs.readSync(fd, buf, 0, len, size - len)
    const end = buf[len - 1] === 10 ? len - 1 : len
    const prev = buf.subarray(0, end).lastIndexOf(10)
    const lineStart = size - len + prev + 1
    const lineLen = size - lineStart
    const cutAt = lineStart + Math.max(1, Math.floor(lineLen / 2))
    fs.ftruncateSync(fd, cutAt)
    return size - cutAt
  } finally {
    fs.closeSync(fd)
  }
}
