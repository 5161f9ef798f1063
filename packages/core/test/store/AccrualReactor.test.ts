// The real credit accrual (policy/Accrual.reactor) run as a reactor over a store: it appends
// CreditGranted/CreditRevoked through command handling and ends with the same active credit as
// batch accrual over the same log; a second reactor run over the same store adds nothing, and
// neither does a run whose checkpoint saves fail after its commands were appended.
import { Effect, Schedule, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { generateDistrict } from "../../../testing/src/District.js"
import { Accrual, CreditReactor, EventStore, type Events, Presets } from "../../src/index.js"
import { crashyStore, run } from "./Support.js"

const policy = Presets.composePolicySet({
  id: "reactor-test",
  effectiveFrom: "2019-01-01",
  requirements: [Presets.annual32]
})
// a small district; its external grants are left out (accrual leaves other policies' grants alone)
const records = [
  ...generateDistrict({ seed: 7, members: 120, communities: 12, subdistricts: 3, externalCredit: false })
]

/** Appends the log to the store, stream by stream in log order. */
const importLog = Effect.gen(function* () {
  const es = yield* EventStore.EventStore
  for (const r of records) {
    yield* es.append(r.stream, [{ event: { type: r.type, data: r.data } as Events.DomainEvent }], "any")
  }
})

/** The grants standing in the store's credit streams: member/grant id → hours. */
const activeCredit = Effect.gen(function* () {
  const es = yield* EventStore.EventStore
  const all = yield* Stream.runCollect(es.readAll({ categories: ["credit"] }))
  const active = new Map<string, number>()
  for (const r of all) {
    if (r.type === "CreditGranted") active.set(`${r.data.memberId}/${r.data.grantId}`, r.data.hours)
    else if (r.type === "CreditRevoked") active.delete(`${r.data.memberId}/${r.data.grantId}`)
  }
  return { active, events: all.length }
})

/** What batch accrual grants over the same log. */
const batch = () => {
  const out = new Map<string, number>()
  for (const e of Accrual.toEvents(Accrual.accrue(records, policy))) {
    if (e.type === "CreditGranted") out.set(`${e.data.memberId}/${e.data.grantId}`, e.data.hours)
  }
  return out
}

describe("the accrual reactor over a store", () => {
  it("grants what batch accrual grants, and a second run adds nothing", async () => {
    const expected = batch()
    expect(expected.size).toBeGreaterThan(1000)
    await run(
      Effect.gen(function* () {
        yield* importLog
        const first = yield* CreditReactor.start(Accrual.reactor(policy), { batchSize: 500 })
        yield* first.whenCaughtUp
        const after = yield* activeCredit
        expect(after.active).toEqual(expected)
        // a second reactor of another name replays the whole log: every command is already applied
        const second = yield* CreditReactor.start({ ...Accrual.reactor(policy), name: "accrual/again" })
        yield* second.whenCaughtUp
        expect((yield* activeCredit).events).toBe(after.events)
      })
    )
  }, 120_000)

  it("is exactly once in effect when checkpoint saves fail after the commands were appended", async () => {
    const failures = { left: 3 }
    const crashy = crashyStore(failures)
    const expected = batch()
    await run(
      Effect.gen(function* () {
        yield* importLog
        const reactor = yield* CreditReactor.start(Accrual.reactor(policy), {
          batchSize: 300,
          retrySchedule: Schedule.spaced("1 millis")
        })
        yield* reactor.whenCaughtUp
        expect(failures.left).toBeLessThan(0)
        expect((yield* activeCredit).active).toEqual(expected)
      }),
      crashy
    )
  }, 120_000)
})
