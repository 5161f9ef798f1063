// Heap retention of streaming validation (moved out of the unit tests, issue 13): a large log
// produced lazily by bigLog of @xueshi/testing (never held as an array of strings) is validated
// with keepRecords: false; at the last record the retained heap (after a GC) is compared with
// what holding the log's text as JS strings would cost.
//
// What remains on the heap is the validator's per-stream state, which includes an entry per
// attendance, leave, make-up and grant (the rules need them), so it grows with the log: about
// 200 bytes per line on this attendance-heavy log, against about 260 bytes for the line's text.
// The figure to watch is the ratio (below 1: streaming holds less than the text would).
//
// Uses the BUILT packages: `pnpm build`, then
//   node --expose-gc bench/validation-retention.mjs [--lines N] [--seed S]
// (default 100 000 lines, ~5 s; --lines 1000000, ~45 s). Exits non-zero if the ratio is not below 1.
import { performance } from "node:perf_hooks"
import { LogValidator } from "@xueshi/core"
import { District } from "@xueshi/testing"

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}
const LINES = arg("lines", 100_000)
const SEED = arg("seed", 2025)
if (typeof globalThis.gc !== "function") {
  console.error("run with node --expose-gc (the retained heap is measured after a full GC)")
  process.exit(2)
}
const gc = globalThis.gc

/** What a JS string of this text costs on the heap (header + one or two bytes a character) plus an array slot. */
const heapCostOfText = (line) => {
  let oneByte = true
  for (let i = 0; i < line.length && oneByte; i++) oneByte = line.charCodeAt(i) <= 0xff
  return 24 + (oneByte ? line.length : 2 * line.length)
}

let textCost = 0
let produced = 0
function* lines() {
  for (const line of District.bigLog({
    lines: LINES,
    seed: SEED,
    district: { members: 300, classes: 40, maxSessionsPerClass: 12, maxEnrolmentsPerClass: 40 }
  })) {
    textCost += heapCostOfText(line)
    produced++
    yield line
  }
}

gc()
const before = process.memoryUsage().heapUsed
let retained = 0
const started = performance.now()
const report = LogValidator.validateLines(lines(), {
  keepRecords: false,
  onRecord: () => {
    // at the last record the validator and all its stream states are still alive
    if (produced === LINES) {
      gc()
      retained = process.memoryUsage().heapUsed - before
    }
  }
})
const seconds = (performance.now() - started) / 1000
const mb = (n) => `${(n / 1e6).toFixed(1)} MB`
if (!report.ok || report.accepted !== LINES) {
  console.error(`validation failed: ${report.errors.slice(0, 3).map(LogValidator.describeLogError).join("; ")}`)
  process.exit(1)
}
const ratio = retained / textCost
console.log(
  `validation retention: ${report.lines.toLocaleString("en")} lines in ${seconds.toFixed(1)} s ` +
    `(${Math.round(report.lines / seconds).toLocaleString("en")} lines/s); retained heap ${mb(retained)} ` +
    `(${Math.round(retained / LINES)} B/line), the text as JS strings would be ${mb(textCost)} ` +
    `(${Math.round(textCost / LINES)} B/line); ratio ${ratio.toFixed(2)}`
)
if (!(ratio < 1)) {
  console.error("the validator retains more than the log's text would: streaming does not pay")
  process.exit(1)
}
