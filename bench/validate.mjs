// Streaming validation benchmark (issue 12): validates a big generated log (bigLog of
// @xueshi/testing, held as an array of lines before the clock starts) with keepRecords: false,
// and prints lines/s and the heap the validator retains per line at the last line.
//
// Uses the BUILT packages: `pnpm build`, then `node --expose-gc bench/validate.mjs [--lines N] [--seed S]`.
import { performance } from "node:perf_hooks"
import { LogValidator } from "@xueshi/core"
import { DistrictHistory } from "@xueshi/testing"

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}
const LINES = arg("lines", 1_000_000)
const SEED = arg("seed", 2025)
const gc = globalThis.gc ?? (() => undefined)

const lines = [
  ...DistrictHistory.bigLog({
    lines: LINES,
    seed: SEED,
    district: { members: 300, classes: 40, maxSessionsPerClass: 12, maxEnrolmentsPerClass: 40 }
  })
]
gc()
const before = process.memoryUsage().heapUsed
let retained = Number.NaN
let n = 0
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
if (!report.ok) {
  console.error(report.errors.slice(0, 3).map(LogValidator.describeLogError).join("\n"))
  process.exit(1)
}
console.log(
  `validate: ${report.lines.toLocaleString("en")} lines in ${seconds.toFixed(2)} s ` +
    `(${Math.round(report.lines / seconds).toLocaleString("en")} lines/s, gc at the last line included); ` +
    `retained ${(retained / 1e6).toFixed(1)} MB = ${Math.round(retained / report.lines)} B per line; ` +
    `peak RSS ${Math.round(process.resourceUsage().maxRSS / 1024)} MiB`
)
