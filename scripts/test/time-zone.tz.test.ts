import { describe, expect, it } from "vitest"

// Checks the time-zone re-runs of scripts/test.mjs: a TZ given to the run reaches the tests.
describe("time-zone suite", () => {
  it("runs in the time zone named by TZ", () => {
    const tz = process.env.TZ
    const actual = Intl.DateTimeFormat().resolvedOptions().timeZone
    if (tz === undefined || tz === "") {
      expect(actual.length).toBeGreaterThan(0)
    } else {
      expect(actual).toBe(tz)
    }
  })
})
