// The workloads, written once against the core port `EventStore` (from the BUILT core): every
// adapter runs exactly this code with its own layer.
import { AppendBatch, EventStore } from "@xueshi/core"
import { Context, Effect, Layer, Option, Result, Stream } from "effect"
import { eventAt, idOf, recordedAtOf, streamOf, w3Streams } from "./events.mjs"
import { idSetChecksum, makeFold } from "./fold.mjs"
import { percentile } from "./stats.mjs"

/** Builds the layer (timed: the open), runs `body(store, openMs)` and closes the store. */
export const withStore = (layer, body) =>
  Effect.runPromise(
    Effect.scoped(
      Effect.gen(function* () {
        const t0 = performance.now()
        const ctx = yield* Layer.build(layer)
        const store = Context.get(ctx, EventStore.EventStore)
        yield* store.head()
        const openMs = performance.now() - t0
        return yield* body(store, openMs, ctx)
      })
    )
  )

// The port allows gaps in global positions (the PostgreSQL adapter's encode the commit order),
// so "head caught up" means head = the last appended position, not head = the event count.
let lastPosition = 0
const appendAll = (store, appends) =>
  Effect.gen(function* () {
    let n = 0
    for (const a of appends) {
      const r = yield* store.append(a.stream, a.events, a.expected)
      n += a.events.length
      if (r.positions.length > 0) lastPosition = r.positions[r.positions.length - 1]
    }
    return n
  })

export const w1 = (store, appends) =>
  Effect.gen(function* () {
    const lat = new Float64Array(appends.length)
    const t0 = performance.now()
    for (let i = 0; i < appends.length; i++) {
      const a = appends[i]
      const s = performance.now()
      const r = yield* store.append(a.stream, a.events, a.expected)
      lat[i] = performance.now() - s
      if (r.positions.length > 0) lastPosition = r.positions[r.positions.length - 1]
    }
    const ms = performance.now() - t0
    const head = yield* store.head()
    const errors =
      head === lastPosition ? [] : [`head is ${head} after ${appends.length} appends ending at ${lastPosition}`]
    return [
      {
        row: "W1",
        value: appends.length / (ms / 1000),
        unit: "appends/s",
        ms,
        p50: percentile(lat, 0.5),
        p99: percentile(lat, 0.99),
        check: { ok: errors.length === 0, errors }
      }
    ]
  })

export const w2 = (store, appends) =>
  Effect.gen(function* () {
    const t0 = performance.now()
    const n = yield* appendAll(store, appends)
    const ms = performance.now() - t0
    const head = yield* store.head()
    const errors =
      head === lastPosition ? [] : [`head is ${head} after appending ${n} events ending at ${lastPosition}`]
    return [{ row: "W2", value: n / (ms / 1000), unit: "events/s", ms, check: { ok: errors.length === 0, errors } }]
  })

/**
 * W3: `workers` fibers × `perWorker` appends: read the stream's version, append the next event
 * with that version expected, retry on WrongExpectedVersion. Then the checks: every stream holds
 * versions 1..n with n = version(stream), and a global replay returns every committed event
 * exactly once (count, no duplicate, same id-set checksum, strictly increasing positions).
 */
export const w3 = (store, seed, { workers, perWorker, streams }) =>
  Effect.gen(function* () {
    let conflicts = 0
    const committed = []
    const touched = new Set()
    const t0 = performance.now()
    yield* Effect.forEach(
      Array.from({ length: workers }, (_, w) => w),
      (w) =>
        Effect.gen(function* () {
          const picks = w3Streams(seed, w, perWorker, streams)
          for (let i = 0; i < perWorker; i++) {
            const s = picks[i]
            const name = streamOf(s).name
            const id = idOf(seed, "W3", w * perWorker + i)
            for (;;) {
              const v = yield* store.version(name)
              const ev = { event: eventAt(seed, s, v + 1), id, recordedAt: recordedAtOf(w * perWorker + i) }
              const r = yield* Effect.result(store.append(name, [ev], v))
              if (Result.isSuccess(r)) break
              if (r.failure?._tag !== "WrongExpectedVersion") return yield* Effect.fail(r.failure)
              conflicts++
            }
            committed.push(id)
            touched.add(name)
          }
        }),
      { concurrency: workers, discard: true }
    )
    const ms = performance.now() - t0
    const total = workers * perWorker
    const errors = []
    // every stream: versions 1..n, n = version(stream)
    let inStreams = 0
    for (const name of touched) {
      const events = yield* Stream.runCollect(store.readStream(name))
      const version = yield* store.version(name)
      inStreams += events.length
      for (let i = 0; i < events.length; i++) {
        if (events[i].version !== i + 1) {
          errors.push(`${name}: event ${i} has version ${events[i].version}, expected ${i + 1}`)
          break
        }
      }
      if (version !== events.length)
        errors.push(`${name}: version() is ${version} but the stream holds ${events.length} events`)
      if (errors.length > 10) break
    }
    if (inStreams !== total) errors.push(`streams hold ${inStreams} events, ${total} were committed`)
    // global replay: every committed event exactly once
    const ids = []
    let last = 0
    let disorder = 0
    yield* Stream.runForEachArray(store.readAll(), (chunk) =>
      Effect.sync(() => {
        for (const r of chunk) {
          if (r.position <= last) disorder++
          last = r.position
          ids.push(r.id)
        }
      })
    )
    if (ids.length !== total) errors.push(`readAll returned ${ids.length} events, ${total} were committed`)
    if (new Set(ids).size !== ids.length) errors.push(`readAll returned ${ids.length - new Set(ids).size} duplicates`)
    if (disorder > 0) errors.push(`readAll positions went backwards ${disorder} times`)
    const expectedSum = idSetChecksum(committed)
    const actualSum = idSetChecksum(ids)
    if (expectedSum !== actualSum)
      errors.push(`replay checksum ${actualSum} differs from the committed events' ${expectedSum}`)
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
  })

/** Replays the whole store in global order through the fold (and the projections); timed. */
export const replay = (store, { row, projectionFold }) =>
  Effect.gen(function* () {
    const fold = makeFold()
    const pf = projectionFold?.()
    const t0 = performance.now()
    yield* Stream.runForEachArray(store.readAll(), (chunk) =>
      Effect.sync(() => {
        for (const r of chunk) {
          fold.apply(r)
          if (pf !== undefined) pf.apply(r)
        }
      })
    )
    const ms = performance.now() - t0
    const rssMiB = process.resourceUsage().maxRSS / 1024 // peak of the replay, before the digests
    const digest = fold.digest()
    if (pf !== undefined) digest.projections = pf.digest()
    return [{ row, value: digest.events / (ms / 1000), unit: "events/s", ms, digest, rssMiB }]
  })

/** W4: build the W2 store (not timed), then replay it. */
export const w4 = (store, appends) =>
  Effect.gen(function* () {
    yield* appendAll(store, appends)
    return yield* replay(store, { row: "W4" })
  })

/** The appends in batches of about 20,000 events through the store's AppendBatch, as LogTransfer does. */
const appendBatches = (batch, appends) =>
  Effect.gen(function* () {
    let n = 0
    let from = 0
    while (from < appends.length) {
      let to = from
      let events = 0
      while (to < appends.length && events < 20_000) events += appends[to++].events.length
      const results = yield* batch.appendBatch(appends.slice(from, to))
      for (const r of results) if (r.positions.length > 0) lastPosition = r.positions[r.positions.length - 1]
      n += events
      from = to
    }
    return n
  })

/** D1 import (timed): through the store's AppendBatch when its context (`ctx`) has one, else append by append. */
export const importDistrict = (store, district, ctx) =>
  Effect.gen(function* () {
    const batch = ctx === undefined ? Option.none() : Context.getOption(ctx, AppendBatch.AppendBatch)
    const t0 = performance.now()
    const n = Option.isSome(batch)
      ? yield* appendBatches(batch.value, district.appends)
      : yield* appendAll(store, district.appends)
    const ms = performance.now() - t0
    const head = yield* store.head()
    const errors =
      head === lastPosition ? [] : [`head is ${head} after importing ${n} events ending at ${lastPosition}`]
    return [
      { row: "D1 import", value: n / (ms / 1000), unit: "events/s", ms, check: { ok: errors.length === 0, errors } }
    ]
  })
