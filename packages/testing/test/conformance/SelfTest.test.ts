import { Cause, Effect, Exit } from "effect"
import { describe, expect, it } from "vitest"
import {
  applicableChecks,
  ConformanceFailure,
  checks,
  eventStoreConformance,
  runCheck,
  skipReason
} from "../../src/conformance/EventStoreConformance.js"
import { brokenAdapters, correct } from "./BrokenAdapters.js"

// The suite is only worth something if it can fail: every broken adapter must be
// caught by the checks named for it, and those same checks must pass against the
// correct adapter the broken ones wrap (so the failure is the fault's, not the check's).
//
// Properties stop at their first counterexample (no shrinking), so a caught fault
// fails fast. No check waits on a clock to decide: subscriptions are read up to a
// sentinel event appended last, so a lost or repeated event is a wrong list (the
// harness's wait is only a guard against a dead adapter, left at its default).
// 60 cases per property: enough for the concurrency faults to show in every run
// we tried (fast-check's seed changes on every run, so this is re-checked each time).
const options = { numRuns: 60, concurrencyRuns: 60, endOnFailure: true, appendBatch: true }

const outcome = (
  id: string,
  makeLayer: Parameters<typeof runCheck>[1],
  reopen?: (typeof brokenAdapters)[number]["reopen"]
) => {
  const check = checks.find((c) => c.id === id)
  if (check === undefined) throw new Error(`no check ${id}`)
  return Effect.runPromiseExit(runCheck(check, makeLayer, reopen === undefined ? options : { ...options, reopen }))
}

describe("the conformance suite catches broken adapters", () => {
  for (const broken of brokenAdapters) {
    for (const id of broken.caughtBy) {
      it(`${broken.name} (${broken.fault}) fails ${id}`, async () => {
        const exit = await outcome(id, broken.makeLayer, broken.reopen)
        expect(Exit.isFailure(exit)).toBe(true)
        if (Exit.isFailure(exit)) {
          const error = Cause.findErrorOption(exit.cause)
          expect(error._tag).toBe("Some")
          if (error._tag === "Some") {
            expect(error.value).toBeInstanceOf(ConformanceFailure)
            expect(error.value.check).toBe(id)
          }
        }
      }, 60_000)
    }
  }
})

describe("the checks that catch them pass against the correct adapter", () => {
  const ids = [...new Set(brokenAdapters.flatMap((b) => b.caughtBy))]
  it("names only existing checks, and every check catches at least one broken adapter", () => {
    for (const id of ids) expect(checks.map((c) => c.id)).toContain(id)
    const uncaught = checks.map((c) => c.id).filter((id) => !ids.includes(id))
    // these checks have no broken adapter of their own; they are covered by the adapters' own suites
    // (transfer.allOrNothing checks the core's import over the port: a broken adapter cannot make it
    // write before validating; deliberate bugs in LogTransfer make it fail)
    expect(uncaught).toEqual(["snapshots.store", "payloads.unicode", "payloads.large", "transfer.allOrNothing"])
  })
  for (const id of ids) {
    it(`${id} passes`, async () => {
      const exit = await outcome(id, correct.makeLayer, correct.reopen)
      if (Exit.isFailure(exit)) throw new Error(Cause.pretty(exit.cause))
    }, 60_000)
  }
})

describe("checks that do not apply", () => {
  it("are the reopen checks without the reopen option and the batch checks without appendBatch, each with its reason; with both, every check applies", () => {
    const reopenIds = checks.filter((c) => c.id.startsWith("reopen.")).map((c) => c.id)
    const batchIds = checks.filter((c) => c.id.startsWith("batch.")).map((c) => c.id)
    expect(reopenIds.length).toBeGreaterThan(0)
    expect(batchIds.length).toBeGreaterThan(0)
    expect(checks.filter((c) => skipReason(c) !== undefined).map((c) => c.id)).toEqual([...reopenIds, ...batchIds])
    for (const c of checks) if (reopenIds.includes(c.id)) expect(skipReason(c)).toMatch(/reopen option/)
    for (const c of checks) if (batchIds.includes(c.id)) expect(skipReason(c)).toMatch(/AppendBatch/)
    expect(applicableChecks().map((c) => c.id)).toEqual(
      checks.filter((c) => !reopenIds.includes(c.id) && !batchIds.includes(c.id)).map((c) => c.id)
    )
    expect(applicableChecks({ reopen: correct.reopen }).map((c) => c.id)).toEqual(
      checks.filter((c) => !batchIds.includes(c.id)).map((c) => c.id)
    )
    expect(applicableChecks({ reopen: correct.reopen, appendBatch: true })).toEqual(checks)
  })

  it("are registered as skipped with their reason, not left out", () => {
    const registered: Array<string> = []
    const skipped: Array<string> = []
    eventStoreConformance("probe", correct.makeLayer, {
      vitest: {
        describe: (_name, body) => body(),
        it: (name) => registered.push(name),
        skip: (name) => skipped.push(name)
      }
    })
    expect(registered.length + skipped.length).toBe(checks.length)
    expect(skipped.map((n) => n.match(/\[([^\]]+)\]/)?.[1])).toEqual(
      checks.filter((c) => c.needsReopen === true || c.needsAppendBatch === true).map((c) => c.id)
    )
    for (const n of skipped) expect(n).toMatch(/\(skipped: needs the (reopen|appendBatch) option/)
  })
})
