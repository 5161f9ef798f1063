// One measurement in a fresh process: `node child.mjs '<job JSON>'`. Prints its rows as the last
// stdout line, prefixed with RESULT_TAG. Everything before the timed section (data generation,
// loading) is done here too, so each repetition starts from a cold process.
import path from "node:path"
import { Effect } from "effect"
import { adapterByName } from "./adapters.mjs"
import { loadDistrict, w1Data, w2Data } from "./datasets.mjs"
import { eventAt, idOf, recordedAtOf, streamOf } from "./events.mjs"
import * as arrayFloor from "./floors/array.mjs"
import * as jsonlFloor from "./floors/jsonl.mjs"
import * as pgFloor from "./floors/postgres.mjs"
import { findProjections, makeProjectionFold } from "./projections.mjs"
import * as W from "./workloads.mjs"

export const RESULT_TAG = "@@bench-result "

/** The append a crash tears: 10 attendance records of a new class stream. */
const tornBatch = (seed) => {
  const s = 900_000
  const events = []
  for (let v = 1; v <= 10; v++)
    events.push({ event: eventAt(seed, s, v), id: idOf(seed, "D2", v), recordedAt: recordedAtOf(v) })
  return { stream: streamOf(s).name, events }
}

const rssMiB = () => process.resourceUsage().maxRSS / 1024

let noProjections = false
const projectionFold = () => {
  if (noProjections) return undefined
  const { projections } = findProjections()
  return () => makeProjectionFold(projections)
}

const runFloor = async (job) => {
  const { workload, floor, seed, size, dir } = job
  switch (`${workload}:${floor}`) {
    case "W1:array":
      return arrayFloor.w1(w1Data(seed, size))
    case "W1:jsonl.flushPerAppend":
      return jsonlFloor.w1(dir, w1Data(seed, size))
    case "W1:pg.insertPerTx":
      return pgFloor.w1(w1Data(seed, size))
    case "W2:array":
      return arrayFloor.w2(w2Data(seed, size))
    case "W2:jsonl.writePerBatch":
      return jsonlFloor.batches(dir, w2Data(seed, size), { flush: false })
    case "W2:jsonl.flushPerBatch":
      return jsonlFloor.batches(dir, w2Data(seed, size), { flush: true })
    case "W2:pg.insert100":
      return pgFloor.w2(w2Data(seed, size))
    case "W3:array":
      return arrayFloor.w3(seed, size)
    case "W3:jsonl.flushPerAppend":
      return jsonlFloor.w3(dir, seed, size)
    case "W3:pg.insertPerTx":
      return pgFloor.w3(seed, size)
    case "W4:array":
      return arrayFloor.w4(w2Data(seed, size))
    case "W4:jsonl.parse":
      return jsonlFloor.w4(dir, w2Data(seed, size))
    case "W4:pg.keyset":
      return pgFloor.w4(w2Data(seed, size))
    case "D1:array":
      return arrayFloor.d1(
        await loadDistrict({ members: job.size.members, seed: job.seed, generator: job.district }),
        projectionFold()
      )
    case "D1:pg":
      return pgFloor.d1(
        await loadDistrict({ members: job.size.members, seed: job.seed, generator: job.district }),
        projectionFold()
      )
    case "D1:jsonl": {
      const file = path.join(dir, "district.jsonl")
      if (job.phase === "import") {
        return jsonlFloor.batches(
          dir,
          (await loadDistrict({ members: job.size.members, seed: job.seed, generator: job.district })).appends,
          {
            flush: false,
            row: "D1 import",
            file: "district.jsonl"
          }
        )
      }
      if (job.phase === "replay") return jsonlFloor.replay(file, { row: "D1 replay", projectionFold: projectionFold() })
      if (job.phase === "d2") return [...jsonlFloor.readAll(file), ...jsonlFloor.recover(file)]
      throw new Error(`unknown phase ${job.phase}`)
    }
    default:
      throw new Error(`unknown floor job ${workload}:${floor}`)
  }
}

const runAdapter = async (job) => {
  const entry = adapterByName(job.adapter)
  if (entry === undefined) throw new Error(`unknown adapter ${job.adapter}`)
  if (!(await entry.available())) throw new Error(`adapter ${job.adapter} unavailable: ${entry.reason}`)
  const config = { dir: job.dir, runId: job.runId, durability: entry.durability }
  const made = await entry.makeLayer(config)
  const layer = made.layer ?? made
  const { workload, seed, size } = job
  try {
    switch (workload) {
      case "W1": {
        const data = w1Data(seed, size)
        return await W.withStore(layer, (store) => W.w1(store, data))
      }
      case "W2": {
        const data = w2Data(seed, size)
        return await W.withStore(layer, (store) => W.w2(store, data))
      }
      case "W3":
        return await W.withStore(layer, (store) => W.w3(store, seed, size))
      case "W4": {
        const data = w2Data(seed, size)
        return await W.withStore(layer, (store) => W.w4(store, data))
      }
      case "D1": {
        const pf = projectionFold()
        if (job.phase === "all") {
          const district = await loadDistrict({ members: job.size.members, seed: job.seed, generator: job.district })
          return await W.withStore(layer, (store, _openMs, ctx) =>
            Effect.gen(function* () {
              const imported = yield* W.importDistrict(store, district, ctx)
              const replayed = yield* W.replay(store, { row: "D1 replay", projectionFold: pf })
              return [...imported, ...replayed]
            })
          )
        }
        if (job.phase === "import") {
          const district = await loadDistrict({ members: job.size.members, seed: job.seed, generator: job.district })
          if (entry.importDistrict !== undefined) return await entry.importDistrict(config, district)
          return await W.withStore(layer, (store, _openMs, ctx) => W.importDistrict(store, district, ctx))
        }
        if (job.phase === "replay") {
          return await W.withStore(layer, (store, openMs) =>
            Effect.map(W.replay(store, { row: "D1 replay", projectionFold: pf }), (rows) =>
              rows.map((r) => ({ ...r, openMs, wallMs: openMs + r.ms }))
            )
          )
        }
        // D2: a cold open of the district store; then a crash in the middle of an append (a child
        // appends one more batch and is killed with SIGKILL before it closes the store, and the
        // last record of that batch is cut half-way: a torn tail); then the recovering open.
        const openOnce = () =>
          W.withStore(layer, (store, openMs, ctx) =>
            Effect.flatMap(store.head(), (head) =>
              Effect.promise(async () => ({ openMs, head, report: await entry.openReport?.(ctx) }))
            )
          )
        if (job.phase === "d2open") {
          const opened = await openOnce()
          const errors =
            opened.head === job.expectedEvents
              ? []
              : [`cold open sees ${opened.head} events, ${job.expectedEvents} were imported`]
          return [
            {
              row: "D2 open",
              value: opened.openMs,
              unit: "ms",
              ms: opened.openMs,
              head: opened.head,
              check: { ok: errors.length === 0, errors }
            }
          ]
        }
        if (job.phase === "d2crash") {
          const crashLayer = await entry.makeLayer({ ...config, durability: "always" })
          const batch = tornBatch(job.seed)
          await W.withStore(crashLayer.layer ?? crashLayer, (store) =>
            Effect.flatMap(store.append(batch.stream, batch.events, "noStream"), () =>
              Effect.sync(() => {
                process.stdout.write(`\n${RESULT_TAG}[]\n`)
                process.kill(process.pid, "SIGKILL")
              })
            )
          )
          throw new Error("the crash child survived its SIGKILL")
        }
        if (job.phase === "d2recover") {
          const torn = entry.tearTail(config)
          const recovered = await openOnce()
          const errors = []
          if (recovered.head !== job.expectedEvents) {
            errors.push(
              `after the torn append the store holds ${recovered.head} events, expected the ${job.expectedEvents} imported (all of the torn append cut)`
            )
          }
          if (entry.openReport !== undefined && recovered.report?.tornTail === undefined)
            errors.push("the open after a torn tail reports no torn tail")
          return [
            {
              row: "D2 recovery",
              value: recovered.openMs,
              unit: "ms",
              ms: recovered.openMs,
              cut: torn.cut,
              quarantined: recovered.report?.tornTail?.bytes,
              check: { ok: errors.length === 0, errors }
            }
          ]
        }
        throw new Error(`unknown phase ${job.phase}`)
      }
      default:
        throw new Error(`unknown workload ${workload}`)
    }
  } finally {
    await made.dispose?.()
  }
}

const main = async () => {
  const job = JSON.parse(process.argv[2])
  noProjections = job.noProjections === true
  const rows = job.kind === "floor" ? await runFloor(job) : await runAdapter(job)
  const rss = rssMiB()
  const out = rows.map((r) => ({ ...r, rssMiB: r.rssMiB ?? rss }))
  process.stdout.write(`\n${RESULT_TAG}${JSON.stringify(out)}\n`)
}

main().then(
  () => process.exit(0),
  (e) => {
    const msg = e?.stack ?? String(e)
    process.stderr.write(`${msg}\n`)
    process.stdout.write(`\n${RESULT_TAG}${JSON.stringify({ error: String(e?.message ?? e).split("\n")[0] })}\n`)
    process.exit(2)
  }
)
