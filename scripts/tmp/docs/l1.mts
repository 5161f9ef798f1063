import { MemoryEventStore } from "@xueshi/adapter-memory"
import { LogTransfer } from "@xueshi/core"
import { Effect } from "effect"

const log = `{"stream":"school-XQ","type":"SchoolRegistered","data":{"schoolId":"XQ","name":"西青区委党校","tier":"district"}}
{"stream":"member-M1","type":"MemberRegistered","data":{"memberId":"M1","schoolId":"XQ-NOPE","categories":["ordinaryMember"]}}
`
const program = Effect.gen(function* () {
  const refused = yield* Effect.flip(LogTransfer.importLog(log))
  const prefix = yield* LogTransfer.importLog(log, { mode: "validPrefix" })
  return { refused: `line ${refused._tag === "LogError" ? refused.line : "?"}`, appended: prefix.appended, text: yield* LogTransfer.exportText() }
})
console.log(await Effect.runPromise(program.pipe(Effect.provide(MemoryEventStore.layer()))))
// { refused: 'line 2', appended: 1, text: '{"stream":"school-XQ",…}\n' }
