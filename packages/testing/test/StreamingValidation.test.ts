/**
 * Validation streams: a large log produced lazily by a generator (never held as
 * an array of strings) validates with `keepRecords: false`, pulling one line at a
 * time: when a record is reported, the validator has read exactly the lines up to
 * it and holds none of them.
 *
 * 100,000 lines by default; 1,000,000 lines with XUESHI_BIG=1. The heap the
 * validator retains (a size, not a law) is measured by
 * `node --expose-gc bench/validation-retention.mjs`.
 */
import { LogValidator } from "@xueshi/core"
import { describe, expect, it } from "vitest"
import { bigLog } from "../src/District.js"

const BIG = process.env.XUESHI_BIG === "1"
const LINES = BIG ? 1_000_000 : 100_000

describe("streaming validation", () => {
  it(`validates a lazily generated log of ${LINES.toLocaleString("en")} lines, one line at a time`, {
    timeout: BIG ? 300_000 : 60_000
  }, () => {
    let produced = 0
    let reported = 0
    const ahead = new Set<number>() // lines read beyond the record being reported
    function* lines(): Generator<string> {
      for (const line of bigLog({
        lines: LINES,
        seed: 2025,
        district: { members: 300, classes: 40, maxSessionsPerClass: 12, maxEnrolmentsPerClass: 40 }
      })) {
        produced++
        yield line
      }
    }
    const report = LogValidator.validateLines(lines(), {
      keepRecords: false,
      onRecord: () => {
        reported++
        ahead.add(produced - reported)
      }
    })
    expect(report.errors.map(LogValidator.describeLogError)).toEqual([])
    expect(report.ok).toBe(true)
    expect(produced).toBe(LINES)
    expect(report.accepted).toBe(LINES)
    expect(reported).toBe(LINES)
    // every record was reported right after its own line was read: nothing is read ahead or buffered
    expect([...ahead]).toEqual([0])
    expect(report.records).toEqual([])
  })
})
