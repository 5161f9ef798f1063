// Streaming validation benchmark (issue 12): validates a big generated log (bigLog of
// @xueshi/testing, held as an array of lines before the clock starts) with keepRecords: false,
// and prints lines/s and the heap the validator retains per line at the last line.
//
// Every line gets an event id (as exported logs have), unless --no-ids.
// Uses the BUILT packages: `pnpm build`, then `node --expose-gc bench/validate.mjs [--lines N] [--seed S] [--no-ids]`.
import { performance } from "node:perf_hooks"
import { LogValidator } from "@xueshi/core"
import { District } from "@xueshi/testing"

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}
const LINES = arg("lines", 1_000_000)
const SEED = arg("seed", 2025)
const gc = globalThis.gc ?? (() => undefined)

const IDS = !process.argv.includes("--no-ids")
const hex = (n, width) => n.toString(16).padStart(width, "0")
/** A deterministic UUID for line `n` (every event of an exported log carries one). */
const uuidOf = (n) => `${hex(n >>> 0, 8)}-0000-4000-8000-${hex(Math.imul(n, 2654435761) >>> 0, 12)}`
const lines = [
  ...District.bigLog({
    lines: LINES,
    seed: SEED,
    district: { members: 300, classes: 40, maxSessionsPerClass: 12, maxEnrolmentsPerClass: 40 }
  })
].map((line, n) => (IDS ? line.replace(/,"schemaVersion":/, `,"id":"${uuidOf(n)}","schemaVersion":`) : line))
gc()
const before = process.memoryUsage().heapUsed
let retained = Number.NaN
let n = 0
const c0 = process.cpuUsage()
const t0 = performance.now()
const report = LogValidator.validateLines(lines, {
  keepRecords: false,
  onRecord: () => {
    if (++n === LINES && globalThis.gc !== undefined) {
      gc()
      retained = process.memoryUsage().heapUsed - before
    }
  }
})
const seconds = (performance.now() - t0) / 1000
const cpu = process.cpuUsage(c0)
const cpuSeconds = (cpu.user + cpu.system) / 1e6
if (!report.ok) {
  console.error(report.errors.slice(0, 3).map(LogValidator.describeLogError).join("\n"))
  process.exit(1)
}
console.log(
  `validate: ${report.lines.toLocaleString("en")} lines in ${seconds.toFixed(2)} s ` +
    `(${Math.round(report.lines / seconds).toLocaleString("en")} lines/s wall, ` +
    `${Math.round(report.lines / cpuSeconds).toLocaleString("en")} lines/s of CPU time, gc at the last line included); ` +
    `retained ${(retained / 1e6).toFixed(1)} MB = ${Math.round(retained / report.lines)} B per line; ` +
    `peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`
)
