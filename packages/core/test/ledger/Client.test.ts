// The Promise face: plain commands in, typed rejections out, the ledger, import/export and a
// live ledger, without writing any Effect.
import { describe, expect, it } from "vitest"
import { MemoryEventStore } from "../../../adapter-memory/src/index.js"
import { Client, Presets } from "../../src/index.js"

const policy = Presets.composePolicySet({ id: "p", effectiveFrom: "2019-01-01", requirements: [Presets.annual32] })

describe("the Promise client", () => {
  it("handles plain commands, rejects with typed errors, and answers the ledger", async () => {
    const xs = Client.make(MemoryEventStore.layer())
    try {
      await expect(
        xs.handle({ type: "PlanClass", data: { classId: "C1", schoolId: "XQ", title: "夜校", format: "concentrated" } })
      ).rejects.toMatchObject({ _tag: "RuleViolation", rule: "class.unknownSchool" })
      await expect(
        xs.handle({ type: "ScheduleSession", data: { classId: "C1", sessionId: "S1", minutes: 90 } })
      ).rejects.toMatchObject({ _tag: "InputError", field: "data.title", rule: "event.schema" })
      await xs.handle({ type: "RegisterSchool", data: { schoolId: "XQ", name: "西青区委党校", tier: "district" } })
      await xs.handle({
        type: "RegisterMember",
        data: { memberId: "M1", schoolId: "XQ", categories: ["ordinaryMember"] }
      })
      await xs.handle({
        type: "PlanClass",
        data: { classId: "C1", schoolId: "XQ", title: "夜校", format: "concentrated" }
      })
      await xs.handle({
        type: "ScheduleSession",
        data: {
          classId: "C1",
          sessionId: "S1",
          title: "党的二十大精神",
          category: "theory",
          startsAt: "2025-03-04T19:00:00+08:00",
          minutes: 180,
          mode: "inPerson"
        }
      })
      await xs.handle({
        type: "EnrollMember",
        data: { classId: "C1", memberId: "M1", at: "2025-03-01T10:00:00+08:00" }
      })
      await xs.handle({
        type: "RecordAttendance",
        data: { classId: "C1", sessionId: "S1", memberId: "M1", minutes: 180 }
      })
      const ledger = await xs.ledger(policy)
      const [answer] = ledger.compliance("M1", { year: 2025 })
      expect([answer?.status, answer?.earned.hours]).toEqual(["notMet", 400]) // 180 min = 4 h under standard-45
      const live = await xs.live(policy)
      await live.whenCaughtUp()
      expect((await live.ledger()).hours("M1", { year: 2025 }).total).toBe(400)
      await live.stop()
      const text = await xs.exportText()
      expect(text.split("\n").filter((l) => l.includes('"CreditGranted"')).length).toBe(1)
      const copy = Client.make(MemoryEventStore.layer())
      expect((await copy.importLog(text)).appended).toBe(7)
      expect(await copy.exportText()).toBe(text)
      await copy.dispose()
    } finally {
      await xs.dispose()
    }
  })

  it("loads a ledger from a log, rejecting a bad log with the line and rule", async () => {
    await expect(Client.loadLedger('{"stream":"school-X","type":"Nope","data":{}}\n', policy)).rejects.toMatchObject({
      _tag: "LogError",
      line: 1,
      rule: "event.type"
    })
  })
})
