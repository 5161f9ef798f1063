// The roll-up kept by key (policy/RollupTally, inside every ledger fold) answers exactly what a
// full evaluation answers, after every batch of a history cut at random places: live folds
// (pushLive, as a read-model runner folds), history folds (push, then finish), every year and
// requirement, at the year end and at an as-of date inside the year.
import { fc, test } from "@fast-check/vitest"
import { describe, expect, it } from "vitest"
import { districtHistory, generateDistrict } from "../../../testing/src/District.js"
import type { DomainEvent } from "../../src/Events.js"
import { Calendar, Ledger, Presets, RollupTally, SchoolRollup } from "../../src/index.js"

const policy = Presets.xiqingDistrict

const queriesOf = (fold: Ledger.LedgerFold) => {
  const years = new Set<number>()
  for (const grants of fold.facts.credit.values()) for (const g of grants.values()) years.add(g.year)
  if (years.size === 0) years.add(2025)
  const out: Array<SchoolRollup.RollupQuery> = []
  for (const year of [...years].sort()) {
    for (const r of [undefined, ...policy.requirements.map((x) => x.id)]) {
      const req = r === undefined ? {} : { requirementId: r }
      out.push({ year, asOf: Calendar.endOfYear(year), ...req })
      out.push({ year, asOf: `${year}-07-15` as Calendar.LocalDate, ...req })
    }
  }
  return out
}

/** Every query of the fold's ledger equals a full evaluation over the same facts. */
const agrees = (fold: Ledger.LedgerFold) => {
  const ledger = fold.current()
  for (const q of queriesOf(fold)) {
    const kept = ledger.rollup(q)
    const full = SchoolRollup.evaluateRollup(fold.facts, policy, q)
    expect(JSON.stringify(kept)).toBe(JSON.stringify(full))
  }
}

/** Cuts `records` at the sorted positions `cuts`. */
const batches = <A>(records: ReadonlyArray<A>, cuts: ReadonlyArray<number>): Array<ReadonlyArray<A>> => {
  const at = [...new Set(cuts.map((c) => Math.floor(c * records.length)))].sort((a, b) => a - b)
  const out: Array<ReadonlyArray<A>> = []
  let from = 0
  for (const c of [...at, records.length]) {
    out.push(records.slice(from, c))
    from = c
  }
  return out
}

describe("RollupTally", () => {
  test.prop([districtHistory(), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 6 })], {
    numRuns: 25
  })("live folds: after every batch the kept roll-up equals a full evaluation", (history, cuts) => {
    const fold = Ledger.makeFold(policy)
    for (const batch of batches(history as ReadonlyArray<DomainEvent>, cuts)) {
      for (const r of batch) fold.pushLive(r)
      agrees(fold)
    }
  })

  test.prop([districtHistory(), fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 2, maxLength: 4 })], {
    numRuns: 15
  })("history folds: asked between pushes and after finish, the same as a full evaluation", (history, cuts) => {
    const fold = Ledger.makeFold(policy)
    for (const batch of batches(history as ReadonlyArray<DomainEvent>, cuts)) {
      for (const r of batch) fold.push(r)
      agrees(fold)
    }
    fold.finish()
    agrees(fold)
  })

  it("a generated district, in twenty batches: every answer equals a full evaluation", () => {
    const records = [...generateDistrict({ seed: 11, members: 400, subdistricts: 3, communities: 12 })]
    const fold = Ledger.makeFold(policy)
    const cuts = Array.from({ length: 19 }, (_, i) => (i + 1) / 20)
    for (const batch of batches(records as unknown as ReadonlyArray<DomainEvent>, cuts)) {
      for (const r of batch) fold.pushLive(r)
      agrees(fold)
    }
  })

  it("a tally that misses a touch answers a stale roll-up (the law above can fail)", () => {
    const records = [...generateDistrict({ seed: 3, members: 200, subdistricts: 2, communities: 6 })]
    const facts = Ledger.makeFold(policy)
    const tally = RollupTally.make(policy)
    const q = { year: 2025, asOf: Calendar.endOfYear(2025) }
    const half = Math.floor(records.length / 2)
    for (const r of records.slice(0, half)) facts.pushLive(r as unknown as DomainEvent)
    tally.rollup(facts.facts, q)
    // the second half folded without telling the tally
    for (const r of records.slice(half)) facts.pushLive(r as unknown as DomainEvent)
    const stale = JSON.stringify(tally.rollup(facts.facts, q))
    const full = JSON.stringify(SchoolRollup.evaluateRollup(facts.facts, policy, q))
    expect(stale).not.toBe(full)
    tally.touchAll()
    expect(JSON.stringify(tally.rollup(facts.facts, q))).toBe(full)
  })
})
