// Embedding xueshi in a platform (Effect style): command handling and a live ledger over the
// crash-safe file store. Each command is validated, checked against its stream's rules and its
// references to other streams, and appended; the live ledger derives and records the credit.
//   node examples/embed.mjs [--dir DIR]   (default: a temporary directory, removed at the end)
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { FileStore } from "@xueshi/adapter-file"
import { CommandHandler, Hours, Input, LiveLedger, Presets } from "@xueshi/core"
import { Effect } from "effect"

const { values } = parseArgs({ options: { dir: { type: "string" } } })
const directory = values.dir ?? mkdtempSync(join(tmpdir(), "xueshi-embed-"))

/** A plain command from a form or a JSON body: validated, branded, handled on its stream. */
const handle = (type, data) =>
  Effect.flatMap(Effect.fromResult(Input.command(type, data)), (c) => CommandHandler.handleCommand(c))

const program = Effect.gen(function* () {
  const live = yield* LiveLedger.start(Presets.national2019)
  yield* handle("RegisterSchool", { schoolId: "XQ", name: "西青区委党校", tier: "district" })
  yield* handle("RegisterSchool", { schoolId: "XQ-JMH", name: "津门湖街道党校", tier: "subdistrict", parentId: "XQ" })
  yield* handle("RegisterMember", { memberId: "M1", schoolId: "XQ-JMH", categories: ["ordinaryMember"] })
  yield* handle("PlanClass", { classId: "C1", schoolId: "XQ-JMH", title: "湖畔讲堂夜校", format: "concentrated" })
  for (const [i, startsAt] of ["2025-03-04T19:00:00+08:00", "2025-04-08T19:00:00+08:00"].entries()) {
    const sessionId = `S${i + 1}`
    yield* handle("ScheduleSession", {
      classId: "C1",
      sessionId,
      title: "党的二十大精神",
      category: "theory",
      startsAt,
      minutes: 180,
      mode: "inPerson"
    })
    if (i === 0) yield* handle("EnrollMember", { classId: "C1", memberId: "M1", at: "2025-03-01T10:00:00+08:00" })
    yield* handle("RecordAttendance", { classId: "C1", sessionId, memberId: "M1", minutes: 180 })
  }
  // refused: the member is already enrolled (the rule id names why)
  const refused = yield* Effect.flip(
    handle("EnrollMember", { classId: "C1", memberId: "M1", at: "2025-03-02T10:00:00+08:00" })
  )
  console.log(`refused: [${refused.rule}] ${refused.message}`)
  yield* live.runner.whenCaughtUp
  const ledger = yield* live.ledger
  const [annual] = ledger.compliance("M1", { year: 2025 })
  console.log(
    `M1 in 2025: ${ledger.hours("M1", { year: 2025 }).total / 100} hours, ${annual.requirementId} ${annual.status}`
  )
})

await Effect.runPromise(Effect.scoped(program).pipe(Effect.provide(FileStore.layer({ directory }))))
console.log(`the store is in ${directory}`)
if (values.dir === undefined) rmSync(directory, { recursive: true, force: true })
