// The sample that scripts/install-check.mjs runs in a fresh project outside the workspace,
// against the packed tarballs: copied there as sample.mts (ESM) and sample.cts (CJS),
// type-checked with `module: nodenext`, compiled and run by Node. It registers a school and a
// member, plans a class, schedules a session, enrols and records attendance through command
// handling on the memory adapter, accrues credit under standard-45 with the credit reactor,
// and asks for the member's compliance with annual-32. Throws if any answer is wrong.
import { MemoryEventStore } from "@xueshi/adapter-memory"
import {
  Accrual,
  Calendar,
  ClassDecider,
  Client,
  CommandHandler,
  Commands,
  CreditReactor,
  DistrictReport,
  EventStore,
  Events,
  Hours,
  LogTransfer,
  MemberCompliance,
  MemberDecider,
  Presets,
  SchoolDecider,
  SchoolRollup
} from "@xueshi/core"
import { Arbitraries } from "@xueshi/testing"
import { Effect, Schema, Stream } from "effect"

const policy = Presets.composePolicySet({
  id: "install-sample",
  effectiveFrom: "2019-05-06",
  credit: Presets.standard45,
  requirements: [Presets.annual32]
})

// plain JSON in, branded payloads out (a bad field throws, naming it)
const school = Schema.decodeUnknownSync(Events.SchoolRegistered)({ schoolId: "XQ", name: "区委党校", tier: "district" })
const member = Schema.decodeUnknownSync(Events.MemberRegistered)({
  memberId: "M1",
  schoolId: "XQ",
  categories: ["ordinaryMember"]
})
const planned = Schema.decodeUnknownSync(Events.ClassPlanned)({
  classId: "C1",
  schoolId: "XQ",
  title: "学习贯彻党的二十大精神",
  format: "concentrated"
})
const session = Schema.decodeUnknownSync(Events.SessionScheduled)({
  classId: "C1",
  sessionId: "S1",
  title: "第一讲",
  category: "theory",
  startsAt: "2025-03-04T09:00:00+08:00",
  minutes: 90,
  mode: "inPerson"
})
const enrolled = Schema.decodeUnknownSync(Events.MemberEnrolled)({
  classId: "C1",
  memberId: "M1",
  at: "2025-03-01T10:00:00+08:00"
})
const attended = Schema.decodeUnknownSync(Events.AttendanceRecorded)({
  classId: "C1",
  sessionId: "S1",
  memberId: "M1",
  minutes: 90
})

const program = Effect.scoped(
  Effect.gen(function* () {
    yield* CommandHandler.handle(
      "school-XQ",
      SchoolDecider.SchoolDecider,
      Commands.makeCommand("RegisterSchool", school)
    )
    yield* CommandHandler.handle(
      "member-M1",
      MemberDecider.MemberDecider,
      Commands.makeCommand("RegisterMember", member)
    )
    const klass = ClassDecider.ClassDecider
    yield* CommandHandler.handle("class-C1", klass, Commands.makeCommand("PlanClass", planned))
    yield* CommandHandler.handle("class-C1", klass, Commands.makeCommand("ScheduleSession", session))
    yield* CommandHandler.handle("class-C1", klass, Commands.makeCommand("EnrollMember", enrolled))
    yield* CommandHandler.handle("class-C1", klass, Commands.makeCommand("RecordAttendance", attended))

    const reactor = yield* CreditReactor.start(Accrual.reactor(policy))
    yield* reactor.whenCaughtUp

    const store = yield* EventStore.EventStore
    const records = yield* Stream.runCollect(store.readAll())
    const rollup = SchoolRollup.make(policy)
    let facts = rollup.initial
    for (const record of records) facts = rollup.apply(facts, record)
    const answers = MemberCompliance.make(policy).query(facts, { asOf: Calendar.endOfYear(2025), memberId: "M1" })
    return { events: records.length, answers, text: yield* LogTransfer.exportText() }
  })
)

export const main = async (): Promise<string> => {
  const { events, answers, text } = await Effect.runPromise(program.pipe(Effect.provide(MemoryEventStore.layer())))
  const answer = answers[0]
  if (answer === undefined || answers.length !== 1) throw new Error(`expected one answer, got ${answers.length}`)
  // 90 attended minutes under standard-45 = 2.00 hours of 32
  const earned = Hours.format(answer.earned.hours)
  if (events !== 7 || earned !== "2.00" || answer.status !== "notMet") {
    throw new Error(`unexpected: ${events} events, ${answer.requirementId} ${answer.status} with ${earned} hours`)
  }
  if (Arbitraries === undefined) throw new Error("@xueshi/testing did not load")
  // the ledger facade, Promise style, over the store's exported log: the same answer
  const report = DistrictReport.build(await Client.loadLedger(text, policy), { year: 2025 })
  const figures = report.headline.figures
  if (figures.members !== 1 || figures.hoursGranted !== 2) {
    throw new Error(`the ledger's report: ${figures.members} members, ${figures.hoursGranted} hours`)
  }
  return `${events} events; M1 ${answer.requirementId}: ${answer.status} with ${earned} hours`
}
