/**
 * Law: a history with one broken rule is rejected with that rule at that line
 * (the first error), and collecting every error reports the same first error.
 */
import { fc, test } from "@fast-check/vitest"
import { LogValidator, Rules } from "@xueshi/core"
import { describe, expect, it } from "vitest"
import { districtConfig, districtHistory, simulateDistrict } from "../src/District.js"
import { invalidMutation, type Mutation, mutate, mutationRules } from "../src/Mutations.js"

const firstError = (m: Mutation, options: LogValidator.ValidateLogOptions = {}) => {
  const report = LogValidator.validateLines(m.lines, options)
  const e = report.errors[0]
  return e === undefined ? undefined : { rule: e.rule, line: e.line }
}

describe("one broken rule", () => {
  test.prop([districtHistory().chain((h) => invalidMutation(h))])(
    "is reported first, at its line, with and without collectAll",
    (m) => {
      const expected = { rule: m.rule, line: m.line }
      expect(firstError(m), m.note).toEqual(expected)
      expect(firstError(m, { collectAll: true }), m.note).toEqual(expected)
    }
  )

  test.prop([districtConfig(), fc.integer()])(
    "every applicable rule of the catalogue, on the same history",
    (config, seed) => {
      const history = [...simulateDistrict(config)]
      for (const rule of mutationRules) {
        const m = mutate(history, rule, seed)
        if (m === undefined) continue
        expect(firstError(m), `${rule}: ${m.note}`).toEqual({ rule, line: m.line })
      }
    },
    120_000 // every rule's mutation of each history: ~17 s on a loaded 2-core machine, over vitest's 30 s when shared
  )

  it("covers every rule of the catalogue (over at most 3,000 fixed seeds)", () => {
    expect([...mutationRules].sort()).toEqual([...Rules.ruleIds].sort())
    const missing = new Set(mutationRules)
    const configs = fc.sample(districtConfig(), { numRuns: 3000, seed: 7 })
    for (const config of configs) {
      const history = [...simulateDistrict(config)]
      for (const rule of [...missing]) if (mutate(history, rule, config.seed) !== undefined) missing.delete(rule)
      if (missing.size === 0) break
    }
    expect([...missing]).toEqual([])
  })
})
