// What the acknowledged mark (FileStore option recordAcknowledged, issue 13) costs: appends per second
// with and without it, in `always` (one append at a time) and `grouped` (8 concurrent appenders).
// Uses the BUILT packages: `pnpm build`, then `node bench/file-ack.mjs [--appends N] [--rounds R] [--dir DIR]`
// (DIR: where the stores go, default the OS temp dir; the flushes are what is measured, so use a real disk).
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { performance } from "node:perf_hooks"
import { FileStore } from "@xueshi/adapter-file"
import { Effect } from "effect"

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? process.argv[i + 1] : fallback
}
const APPENDS = Number(arg("appends", 400))
const ROOT = arg("dir", tmpdir())
const event = (w, k) => ({ event: { type: "QuotaClaimed", data: { schoolId: `B${w}`, year: 2025, traineeTimes: k } } })

const run = async (durability, recordAcknowledged, writers) => {
  const directory = mkdtempSync(join(ROOT, "xueshi-ack-bench-"))
  try {
    return await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const store = yield* FileStore.make({ directory, durability, recordAcknowledged })
          const per = Math.ceil(APPENDS / writers)
          const t0 = performance.now()
          yield* Effect.all(
            Array.from({ length: writers }, (_, w) =>
              Effect.gen(function* () {
                for (let k = 0; k < per; k++) yield* store.eventStore.append(`school-B${w}`, [event(w, k)], "any")
              })
            ),
            { concurrency: "unbounded" }
          )
          return (per * writers) / ((performance.now() - t0) / 1000)
        })
      )
    )
  } finally {
    rmSync(directory, { recursive: true, force: true })
  }
}

const ROUNDS = Number(arg("rounds", 5))
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
for (const [durability, writers] of [
  ["always", 1],
  ["grouped", 8]
]) {
  // alternate the two, so that a busy machine slows both alike; the median of ROUNDS each
  const plain = []
  const marked = []
  for (let r = 0; r < ROUNDS; r++) {
    plain.push(await run(durability, false, writers))
    marked.push(await run(durability, true, writers))
  }
  const p = median(plain)
  const m = median(marked)
  console.log(
    `${durability.padEnd(8)} ${writers} writer(s): ${Math.round(p)} appends/s without the mark, ` +
      `${Math.round(m)} with it (${((m / p - 1) * 100).toFixed(0)} %; median of ${ROUNDS})`
  )
}
