// D3 (issue 12): a projection runner catching up a district from a store, with checkpoints.
//
// Generates the district of @xueshi/testing's District.generateDistrict (the demo's), imports it into a
// store (untimed), then times:
//   fold:   the same records folded in memory through the projection (`apply`, no store, no saves);
//   runner: ProjectionRunner.start(projection) from an empty checkpoint until `whenCaughtUp`, a save
//           (state + checkpoint together) after every batch of 500.
// The projection is the school roll-up under the demo's policy (its state: the whole fact store);
// its keyed state (Facts.keyedFacts) lets a store that keeps keyed state save only the entries a
// batch changed. Prints the ratio runner / fold (issue 12's target: ≤ 1.5×) and the bytes saved
// per batch (JSON of the changed entries; `--whole` runs the whole-state saves instead).
//
// Uses the BUILT packages: `pnpm build`, then
//   node bench/district-runner.mjs [--members N] [--seed S] [--store memory|file] [--whole] [--batch N]
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { CheckpointStore, EventStore, Presets, ProjectionRunner, SchoolRollup } from "@xueshi/core"
import { District } from "@xueshi/testing"
import { Effect } from "effect"

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : fallback
}
const MEMBERS = Number(arg("members", "38000"))
const SEED = Number(arg("seed", "2025"))
const STORE = arg("store", "memory")
const BATCH = Number(arg("batch", "500"))
const WHOLE = process.argv.includes("--whole")

const memory = await import("../packages/adapter-memory/dist/index.js")
const file = STORE === "file" ? await import("../packages/adapter-file/dist/index.js") : undefined

const policy = Presets.xiqingDistrict
const base = SchoolRollup.make(policy)
// --whole: the same projection without its keyed form (whole-state saves, as before issue 12)
const { keyed: _keyed, ...withoutKeys } = base
const projection = WHOLE ? withoutKeys : base

const t0 = performance.now()
const events = [...District.generateDistrict({ seed: SEED, members: MEMBERS, year: 2025 })]
const generated = performance.now()

// the fold: the records through `apply`, in memory
const cpu = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}
let c0 = cpu()
const f0 = performance.now()
let folded = projection.initial
for (const e of events) folded = projection.apply(folded, e)
const foldMs = performance.now() - f0
const foldCpu = cpu() - c0
const wholeBytes = JSON.stringify(projection.encodeState(folded)).length
folded = undefined

// appends as an importer makes them: consecutive events of one stream together (≤ 1,000)
const appends = []
for (const e of events) {
  const last = appends[appends.length - 1]
  if (last !== undefined && last.stream === e.stream && last.events.length < 1000) last.events.push({ event: e })
  else appends.push({ stream: e.stream, events: [{ event: e }] })
}

const dir = STORE === "file" ? mkdtempSync(join(tmpdir(), "xueshi-d3-")) : undefined
const layer =
  STORE === "file" ? file.FileStore.layer({ directory: dir, durability: "never" }) : memory.MemoryEventStore.layer()

const saves = []
let measuring = 0
const main = Effect.gen(function* () {
  const es = yield* EventStore.EventStore
  const inner = yield* CheckpointStore.ProjectionStore
  const i0 = performance.now()
  for (const a of appends) yield* es.append(a.stream, a.events, "any")
  const importMs = performance.now() - i0
  // the runner's saves, measured on their way to the store
  const measured = CheckpointStore.ProjectionStore.of({
    ...inner,
    save: (name, expected, snapshot) => {
      const m = performance.now()
      const bytes = JSON.stringify(snapshot.state).length
      measuring += performance.now() - m
      const s = performance.now()
      return Effect.tap(inner.save(name, expected, snapshot), () =>
        Effect.sync(() => saves.push({ bytes, keys: 1, ms: performance.now() - s }))
      )
    },
    ...(inner.saveChanges === undefined
      ? {}
      : {
          saveChanges: (name, expected, changes) => {
            // measuring the bytes is the bench's cost, not the runner's: taken out of its time
            const m = performance.now()
            const bytes = JSON.stringify(changes.changed).length + JSON.stringify(changes.removed).length
            measuring += performance.now() - m
            const s = performance.now()
            return Effect.tap(inner.saveChanges(name, expected, changes), () =>
              Effect.sync(() =>
                saves.push({ bytes, keys: changes.changed.length + changes.removed.length, ms: performance.now() - s })
              )
            )
          }
        })
  })
  c0 = cpu()
  const r0 = performance.now()
  const runner = yield* ProjectionRunner.start(projection, { batchSize: BATCH, leaseTtlMillis: 600_000 }).pipe(
    Effect.provideService(CheckpointStore.ProjectionStore, measured)
  )
  yield* runner.whenCaughtUp
  const runnerMs = performance.now() - r0 - measuring
  const runnerCpu = cpu() - c0 - measuring
  const head = yield* es.head()
  const checkpoint = yield* runner.checkpoint
  return { importMs, runnerMs, runnerCpu, head, checkpoint }
})

const r = await Effect.runPromise(Effect.scoped(Effect.provide(main, layer)))
if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
const total = saves.reduce((a, s) => a + s.bytes, 0)
const sorted = saves.map((s) => s.bytes).sort((a, b) => a - b)
const mib = (b) => `${(b / 1024 / 1024).toFixed(1)} MiB`
const kib = (b) => `${(b / 1024).toFixed(1)} KiB`
console.log(`xueshi D3: a runner catching up a district (seed ${SEED}, node ${process.version})`)
console.log(
  `members ${MEMBERS}, events ${events.length}; generate ${((generated - t0) / 1000).toFixed(1)} s, import into ${STORE} ${(r.importMs / 1000).toFixed(1)} s (untimed)`
)
console.log(
  `fold (apply in memory): ${(foldMs / 1000).toFixed(2)} s wall, ${(foldCpu / 1000).toFixed(2)} s CPU; ` +
    `runner (${WHOLE ? "whole-state saves" : "keyed saves"}, batches of ${BATCH}): ${(r.runnerMs / 1000).toFixed(2)} s wall, ${(r.runnerCpu / 1000).toFixed(2)} s CPU ` +
    `= ${(r.runnerMs / foldMs).toFixed(2)}× the fold (wall), ${(r.runnerCpu / foldCpu).toFixed(2)}× (CPU); target ≤ 1.5×`
)
console.log(
  `saves ${saves.length}: ${mib(total)} in all, per batch mean ${kib(total / Math.max(1, saves.length))}, ` +
    `median ${kib(sorted[Math.floor(sorted.length / 2)] ?? 0)}, max ${kib(sorted[sorted.length - 1] ?? 0)}; ` +
    `the whole state encodes to ${mib(wholeBytes)}; save time ${(saves.reduce((a, s) => a + s.ms, 0) / 1000).toFixed(2)} s`
)
const ok = r.checkpoint === r.head
console.log(`checkpoint ${r.checkpoint} = head ${r.head} ${ok ? "✓" : "✗"}`)
if (!ok) process.exit(1)
