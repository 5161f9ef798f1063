import { readFileSync } from "node:fs"
import { Effect, Exit } from "effect"
import { CommandHandler, Commands, EventCodec, Events, LogTransfer, LogValidator } from "../../packages/core/src/index.js"
import { MemoryEventStore } from "../../packages/adapter-memory/src/index.js"
import { renderLines } from "../../packages/testing/src/DistrictHistory.js"
const [[history, commands]] = JSON.parse(readFileSync("scripts/tmp/cx.json", "utf8"))
const p = Effect.gen(function* () {
  yield* LogTransfer.importLog(renderLines(history))
  for (const command of commands) {
    const before = yield* LogTransfer.exportText()
    const event = Commands.eventOfCommand(command) as Events.DomainEvent
    const line = EventCodec.EventLogCodec.encodeLine({ ...event, stream: Events.streamOf(event), schemaVersion: 1 } as any)
    const verdict = LogValidator.validateText(`${before}${line}\n`)
    const handled = yield* Effect.exit(CommandHandler.handleCommand(command))
    console.log(command.type, verdict.ok ? "valid" : verdict.errors[0], Exit.isSuccess(handled) ? handled.value.events.length : JSON.stringify(handled.cause).slice(0, 400))
  }
})
await Effect.runPromise(p.pipe(Effect.provide(MemoryEventStore.layer())))
