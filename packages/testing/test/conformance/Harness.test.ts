// The suite's `equal` compares Maps and Sets by their entries (JSON.stringify writes both as `{}`,
// which once made every comparison of two Maps pass, whatever they held).
import { Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import { equal } from "../../src/conformance/Harness.js"

const passes = (a: unknown, b: unknown) => Exit.isSuccess(Effect.runSyncExit(equal(a, b, "values")))

describe("the conformance harness's equal", () => {
  it("tells Maps apart by their entries, not their insertion order", () => {
    expect(passes(new Map([["a", 1]]), new Map([["a", 2]]))).toBe(false)
    expect(passes(new Map([["a", 1]]), new Map())).toBe(false)
    expect(passes({ counts: new Map([["x", 1]]) }, { counts: new Map([["y", 1]]) })).toBe(false)
    expect(
      passes(
        new Map([
          ["a", 1],
          ["b", 2]
        ]),
        new Map([
          ["b", 2],
          ["a", 1]
        ])
      )
    ).toBe(true)
  })

  it("tells Sets apart by their members", () => {
    expect(passes(new Set([1, 2]), new Set([1, 3]))).toBe(false)
    expect(passes(new Set([2, 1]), new Set([1, 2]))).toBe(true)
  })

  it("names the entries in its message", () => {
    const exit = Effect.runSyncExit(equal(new Map([["a", 1]]), new Map([["a", 2]]), "counts"))
    expect(Exit.isFailure(exit)).toBe(true)
    expect(JSON.stringify(exit)).toContain("$map")
  })
})
