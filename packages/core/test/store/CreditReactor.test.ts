import { fc, test } from "@fast-check/vitest"
import { Effect, Exit, Schedule, Scope, Stream } from "effect"
import { describe, expect, it } from "vitest"
import {
  CommandHandler,
  Commands,
  type CreditDecider,
  CreditReactor,
  EventStore,
  type Events,
  type Ids
} from "../../src/index.js"
import { crashyStore, run, runExit } from "./Support.js"

// A stand-in for the credit accrual of the policies: 1 hour of credit per
// AttendanceRecorded, revoked when the attendance is corrected to 0 minutes.
// Grant ids are deterministic (class/session), as the real accrual's are.
const standIn = CreditReactor.stateless("credit-accrual-test", (record) => {
  if (record.type === "AttendanceRecorded") {
    const d = record.data
    return [
      Commands.makeCommand("GrantCredit", {
        memberId: d.memberId,
        grantId: `${d.classId}/${d.sessionId}` as Ids.GrantId,
        year: 2025,
        hours: 100 as never,
        source: { kind: "session", classId: d.classId, sessionId: d.sessionId },
        policyId: "test",
        at: "2025-03-04T19:00:00+08:00" as never
      })
    ]
  }
  if (record.type === "AttendanceCorrected" && record.data.minutes === 0) {
    const d = record.data
    return [
      Commands.makeCommand("RevokeCredit", {
        memberId: d.memberId,
        grantId: `${d.classId}/${d.sessionId}` as Ids.GrantId,
        reason: "attendance removed",
        at: "2025-03-05T19:00:00+08:00" as never
      })
    ]
  }
  return []
})

const attended = (cls: string, session: string, member: string): EventStore.EventToAppend => ({
  event: {
    type: "AttendanceRecorded",
    data: { classId: cls, sessionId: session, memberId: member, minutes: 90 }
  } as unknown as Events.DomainEvent
})
const removed = (cls: string, session: string, member: string): EventStore.EventToAppend => ({
  event: {
    type: "AttendanceCorrected",
    data: { classId: cls, sessionId: session, memberId: member, minutes: 0, reason: "mistake" }
  } as unknown as Events.DomainEvent
})

const ledger = (member: string) =>
  Effect.flatMap(Effect.service(EventStore.EventStore), (es) =>
    Effect.map(Stream.runCollect(es.readStream(`credit-${member}`)), (rs) =>
      rs.map((r) => `${r.type}:${(r.data as { grantId: string }).grantId}`)
    )
  )

describe("CreditReactor", () => {
  it("appends the accrual's grants and revocations through command handling, with deterministic event ids", async () => {
    await run(
      Effect.gen(function* () {
        const es = yield* EventStore.EventStore
        yield* es.append(
          "class-C1",
          [attended("C1", "S1", "M1"), attended("C1", "S1", "M2"), attended("C1", "S2", "M1")],
          "any"
        )
        const reactor = yield* CreditReactor.start(standIn)
        yield* reactor.whenCaughtUp
        yield* es.append("class-C1", [removed("C1", "S1", "M1")], "any")
        yield* reactor.whenCaughtUp
        expect(yield* ledger("M1")).toEqual(["CreditGranted:C1/S1", "CreditGranted:C1/S2", "CreditRevoked:C1/S1"])
        expect(yield* ledger("M2")).toEqual(["CreditGranted:C1/S1"])
        const [first] = yield* Stream.runCollect(es.readStream("credit-M1"))
        expect(first?.id).toBe(CommandHandler.eventIdFrom("credit-M1/C1/S1/granted"))
      })
    )
  })

  it("is exactly once in effect when a batch is redelivered after its commands were appended", async () => {
    // the first saves of the reactor's checkpoint fail AFTER its commands were appended:
    // the runner reloads the old checkpoint and redelivers the batch
    const failures = { left: 2 }
    const crashy = crashyStore(failures)
    await run(
      Effect.gen(function* () {
        const es = yield* EventStore.EventStore
        yield* es.append(
          "class-C1",
          [attended("C1", "S1", "M1"), removed("C1", "S1", "M1"), attended("C1", "S2", "M1")],
          "any"
        )
        const reactor = yield* CreditReactor.start(standIn, { retrySchedule: Schedule.spaced("1 millis") })
        yield* reactor.whenCaughtUp
        expect(failures.left).toBeLessThan(0)
        expect(yield* ledger("M1")).toEqual(["CreditGranted:C1/S1", "CreditRevoked:C1/S1", "CreditGranted:C1/S2"])
      }),
      crashy
    )
  })

  test.prop([
    fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 2 }), fc.boolean()), { maxLength: 25 }),
    fc.array(fc.integer({ min: 0, max: 10 }), { maxLength: 4 }),
    fc.integer({ min: 1, max: 4 })
  ])(
    "stopped at any point and restarted, every grant and revocation lands exactly once",
    async (facts, stops, batchSize) => {
      await run(
        Effect.gen(function* () {
          const es = yield* EventStore.EventStore
          // the model: which grants exist and which are revoked, per member
          const expected = new Map<string, Array<string>>()
          const granted = new Set<string>()
          const revoked = new Set<string>()
          for (const [session, member, remove] of facts) {
            const m = `M${member}`
            const g = `C1/S${session}`
            const key = `${m}|${g}`
            const lines = expected.get(m) ?? []
            if (remove) {
              if (!granted.has(key) || revoked.has(key)) continue
              revoked.add(key)
              lines.push(`CreditRevoked:${g}`)
              yield* es.append("class-C1", [removed("C1", `S${session}`, m)], "any")
            } else {
              if (granted.has(key)) continue
              granted.add(key)
              lines.push(`CreditGranted:${g}`)
              yield* es.append("class-C1", [attended("C1", `S${session}`, m)], "any")
            }
            expected.set(m, lines)
          }
          for (const yields of stops) {
            const scope = yield* Scope.make()
            yield* CreditReactor.start(standIn, { batchSize }).pipe(Scope.provide(scope))
            yield* Effect.repeat(Effect.yieldNow, { times: yields })
            yield* Scope.close(scope, Exit.void)
          }
          const reactor = yield* CreditReactor.start(standIn, { batchSize })
          yield* reactor.whenCaughtUp
          for (const [member, lines] of expected) expect(yield* ledger(member)).toEqual(lines)
        })
      )
    }
  )

  it("stops when the accrual and the ledger disagree (a revocation of an unknown grant)", async () => {
    const wrong = CreditReactor.stateless("wrong", (record) =>
      record.type === "AttendanceRecorded"
        ? [
            Commands.makeCommand("RevokeCredit", {
              memberId: record.data.memberId,
              grantId: "never-granted" as Ids.GrantId,
              reason: "bug",
              at: "2025-03-05T19:00:00+08:00" as never
            })
          ]
        : []
    )
    const exit = await runExit(
      Effect.gen(function* () {
        const es = yield* EventStore.EventStore
        yield* es.append("class-C1", [attended("C1", "S1", "M1")], "any")
        const reactor = yield* CreditReactor.start(wrong)
        return yield* reactor.whenCaughtUp
      })
    )
    expect(Exit.isFailure(exit)).toBe(true)
    expect(JSON.stringify(exit)).toContain("credit.unknownGrant")
  })

  it("applyCreditCommand treats an existing grant or revocation as done", async () => {
    const command: CreditDecider.CreditCommand = Commands.makeCommand("GrantCredit", {
      memberId: "M1" as Ids.MemberId,
      grantId: "G1" as Ids.GrantId,
      year: 2025,
      hours: 100 as never,
      source: { kind: "external", system: "x", reference: "y" },
      policyId: "p",
      at: "2025-03-04T19:00:00+08:00" as never
    })
    await run(
      Effect.gen(function* () {
        expect(yield* CreditReactor.applyCreditCommand(command)).toBe(true)
        expect(yield* CreditReactor.applyCreditCommand(command)).toBe(false)
        expect(yield* ledger("M1")).toEqual(["CreditGranted:G1"])
      })
    )
  })
})
