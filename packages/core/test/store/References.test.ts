// Integrity across streams in command handling: a command that names a school, member or
// session that does not exist (or a deregistered member) is refused with the log validator's
// rule id, and nothing is written; with the references in place the same command passes.
import { Effect, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { CommandHandler, EventStore, Input, LogTransfer, LogValidator } from "../../src/index.js"
import { run } from "./Support.js"

const command = (type: string, data: Record<string, unknown>) => {
  const c = Input.decodeCommand({ type, data })
  if (c._tag === "Failure") throw new Error(`${type}: ${c.failure.message}`)
  return c.success
}
const handle = (type: string, data: Record<string, unknown>) => CommandHandler.handleCommand(command(type, data))
const refusal = (type: string, data: Record<string, unknown>) =>
  Effect.map(Effect.flip(handle(type, data)), (e) => (e._tag === "RuleViolation" ? `${e.rule} ${e.path}` : e._tag))

const district = { schoolId: "XQ", name: "西青区委党校", tier: "district" }
const member = { memberId: "M1", schoolId: "XQ", categories: ["ordinaryMember"] }
const klass = { classId: "C1", schoolId: "XQ", title: "湖畔讲堂夜校", format: "concentrated" }
const session = {
  classId: "C1",
  sessionId: "S1",
  title: "党的二十大精神",
  category: "theory",
  startsAt: "2025-03-04T19:00:00+08:00",
  minutes: 90,
  mode: "inPerson"
}
const grant = (grantId: string, source: Record<string, string>) => ({
  memberId: "M1",
  grantId,
  year: 2025,
  hours: 2,
  source,
  policyId: "p",
  at: "2025-03-04T19:00:00+08:00"
})
const enrol = { classId: "C1", memberId: "M1", at: "2025-03-01T10:00:00+08:00" }

describe("command handling checks references", () => {
  it("refuses what names nothing, with the validator's rule, and writes nothing", async () => {
    await run(
      Effect.gen(function* () {
        const es = yield* EventStore.EventStore
        expect(yield* refusal("PlanClass", klass)).toBe("class.unknownSchool data.schoolId")
        expect(yield* refusal("RegisterMember", member)).toBe("member.unknownSchool data.schoolId")
        expect(
          yield* refusal("RegisterSchool", { schoolId: "JMH", name: "津门湖", tier: "subdistrict", parentId: "XQ" })
        ).toBe("school.unknownParent data.parentId")
        expect(yield* es.head()).toBe(0)
        yield* handle("RegisterSchool", district)
        expect(
          yield* refusal("RegisterSchool", { schoolId: "T", name: "point", tier: "district", parentId: "XQ" })
        ).toBe("school.parentTier data.parentId")
        yield* handle("PlanClass", klass)
        yield* handle("ScheduleSession", session)
        expect(yield* refusal("EnrollMember", enrol)).toBe("enrollment.unknownMember data.memberId")
        expect(
          yield* refusal("GrantCredit", grant("G1", { kind: "external", system: "platform", reference: "r1" }))
        ).toBe("credit.unknownMember data.memberId")
        yield* handle("RegisterMember", member)
        yield* handle("EnrollMember", enrol)
        yield* handle("RecordAttendance", { classId: "C1", sessionId: "S1", memberId: "M1", minutes: 90 })
        expect(yield* refusal("GrantCredit", grant("G2", { kind: "session", classId: "C1", sessionId: "S9" }))).toBe(
          "credit.unknownSession data.source"
        )
        yield* handle("DeregisterMember", { memberId: "M1", effectiveOn: "2025-06-30", reason: "moved away" })
        yield* handle("PlanClass", { ...klass, classId: "C2" })
        expect(yield* refusal("EnrollMember", { ...enrol, classId: "C2" })).toBe(
          "enrollment.unknownMember data.memberId"
        )
        // and what was accepted is a valid log, references checked
        const text = yield* LogTransfer.exportText()
        expect(LogValidator.validateText(text).ok).toBe(true)
        expect((yield* Stream.runCollect(es.readAll())).length).toBe(8)
      })
    )
  })

  it("hands the enrolling member's categories to the class's audience rule", async () => {
    await run(
      Effect.gen(function* () {
        yield* handle("RegisterSchool", district)
        yield* handle("RegisterMember", member)
        yield* handle("PlanClass", { ...klass, audience: ["grassrootsSecretary"] })
        expect(yield* refusal("EnrollMember", enrol)).toBe("enrollment.audience data.memberId")
        yield* handle("RegisterMember", { ...member, memberId: "M2", categories: ["grassrootsSecretary"] })
        const ok = yield* handle("EnrollMember", { ...enrol, memberId: "M2" })
        expect(ok.events.length).toBe(1)
      })
    )
  })
})
