// The instant parser's fast path (character codes, the four shapes writers use) answers exactly
// what the pattern answers, on valid instants and on texts of those shapes with any digits and
// separators; the shapes it does not know it leaves to the pattern.
import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { instant } from "../../../testing/src/ValueArbitraries.js"
import { canonicalInstantMillis, instantMillisByPattern } from "../../src/calendar/Instant.js"

const two = fc.integer({ min: 0, max: 99 }).map((n) => String(n).padStart(2, "0"))
const sep = (usual: string) => fc.constantFrom(usual, usual, usual, "-", ":", "T", "x", "9")
/** Texts of the fast path's shapes (and near them): any two-digit fields, mostly the right separators. */
const shaped = fc
  .tuple(
    two,
    two,
    sep("-"),
    two,
    sep("-"),
    two,
    sep("T"),
    two,
    sep(":"),
    two,
    sep(":"),
    two,
    fc.option(fc.tuple(fc.constantFrom(".", "."), fc.integer({ min: 0, max: 999 }))),
    fc.oneof(fc.constant("Z"), fc.tuple(fc.constantFrom("+", "-", "x"), two, sep(":"), two))
  )
  .map(([y1, y2, s1, mo, s2, d, t, h, s3, mi, s4, sec, frac, tz]) => {
    const f = frac === null ? "" : `${frac[0]}${String(frac[1]).padStart(3, "0")}`
    const z = typeof tz === "string" ? tz : `${tz[0]}${tz[1]}${tz[2]}${tz[3]}`
    return `${y1}${y2}${s1}${mo}${s2}${d}${t}${h}${s3}${mi}${s4}${sec}${f}${z}`
  })

describe("instant parsing", () => {
  test.prop([instant])("a valid instant: the fast path, when it answers, answers the pattern's millis", (s) => {
    const fast = canonicalInstantMillis(s)
    if (fast !== null) expect(fast).toBe(instantMillisByPattern(s))
    expect(instantMillisByPattern(s)).not.toBeUndefined()
  })

  test.prop([shaped], { numRuns: 2000 })("a text of the writers' shapes: the same answer as the pattern", (s) => {
    const fast = canonicalInstantMillis(s)
    if (fast !== null) expect(fast).toBe(instantMillisByPattern(s))
  })

  it("answers the common shapes itself, and leaves the others to the pattern", () => {
    for (const s of [
      "2025-12-31T23:30:00+08:00",
      "2025-12-31T15:30:00Z",
      "2025-12-31T15:30:00.123Z",
      "2025-12-31T23:30:00.5+08:00"
    ]) {
      expect(instantMillisByPattern(s)).not.toBeUndefined()
    }
    expect(canonicalInstantMillis("2025-12-31T23:30:00+08:00")).toBe(Date.UTC(2025, 11, 31, 15, 30))
    expect(canonicalInstantMillis("2025-12-31T15:30:00.123Z")).toBe(Date.UTC(2025, 11, 31, 15, 30, 0, 123))
    expect(canonicalInstantMillis("2025-12-31T23:30+08:00")).toBeNull() // no seconds: the pattern's
    expect(canonicalInstantMillis("2025-12-31T23:30:00.5+08:00")).toBeNull() // one fraction digit
    expect(canonicalInstantMillis("2025-02-29T00:00:00Z")).toBeUndefined() // not a leap year
    expect(canonicalInstantMillis("2025-01-01T00:00:00-00:00")).toBeUndefined() // -00:00 is not an offset
  })
})
