/**
 * Validation streams: a large log produced lazily by a generator (never held as
 * an array of strings) validates with `keepRecords: false`, and the heap it
 * retains is below what holding the log's text would need.
 *
 * 100,000 lines by default (~5 s); 1,000,000 lines with XUESHI_BIG=1 (~45 s).
 *
 * What remains on the heap is the validator's per-stream state, which includes
 * an entry per attendance, leave, make-up and grant (the rules need them), so
 * it grows with the log: about 200 bytes per line on this attendance-heavy log,
 * against about 260 bytes for the line's text as a JS string. The bound asserted
 * is therefore "below the text", not "far below"; the numbers are printed.
 */
import v8 from "node:v8"
import vm from "node:vm"
import { LogValidator } from "@xueshi/core"
import { describe, expect, it } from "vitest"
import { bigLog } from "../src/DistrictHistory.js"

const BIG = process.env.XUESHI_BIG === "1"
const LINES = BIG ? 1_000_000 : 100_000

v8.setFlagsFromString("--expose-gc")
const gc = vm.runInNewContext("gc") as () => void

/** What a JS string of this text costs on the heap (header + one or two bytes a character) plus an array slot. */
const heapCostOfText = (line: string): number => {
  let oneByte = true
  for (let i = 0; i < line.length && oneByte; i++) oneByte = line.charCodeAt(i) <= 0xff
  return 24 + (oneByte ? line.length : 2 * line.length)
}

describe("streaming validation", () => {
  it(`validates a lazily generated log of ${LINES.toLocaleString("en")} lines in bounded memory`, {
    timeout: BIG ? 300_000 : 60_000
  }, () => {
    let textCost = 0
    let produced = 0
    function* lines(): Generator<string> {
      for (const line of bigLog({
        lines: LINES,
        seed: 2025,
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
    const started = Date.now()
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
    const seconds = (Date.now() - started) / 1000
    const mb = (n: number) => `${(n / 1e6).toFixed(1)} MB`
    console.log(
      `streaming validation: ${report.lines.toLocaleString("en")} lines in ${seconds.toFixed(1)} s ` +
        `(${Math.round(report.lines / seconds).toLocaleString("en")} lines/s); retained heap ${mb(retained)}, ` +
        `the text as JS strings would be ${mb(textCost)} (ratio ${(retained / textCost).toFixed(2)})`
    )
    expect(report.errors.map(LogValidator.describeLogError)).toEqual([])
    expect(report.ok).toBe(true)
    expect(report.accepted).toBe(LINES)
    expect(report.records).toEqual([])
    expect(retained).toBeGreaterThan(0)
    expect(retained).toBeLessThan(textCost)
  })
})
