/**
 * A child of Lock.test.ts (run with `node --import tsx`). argv: directory, mode.
 * - `hold`: opens the store as its writer, reports `opened`, then appends on
 *   request (`{type: "append", stream, n}` → `appended`) until killed.
 * - `try`: tries to open the store as a writer and reports the outcome.
 */
import { Cause, Effect, Exit } from "effect"
import { FileStore } from "../../src/index.js"
import { schoolEvents } from "../helpers.js"

const [directory, mode] = process.argv.slice(2) as [string, string]
const send = (msg: unknown) =>
  new Promise<void>((resolve) => {
    process.send?.(msg, undefined, {}, () => resolve())
  })

if (mode === "try") {
  const exit = await Effect.runPromiseExit(Effect.scoped(Effect.map(FileStore.make({ directory }), (s) => s.recovery)))
  if (Exit.isSuccess(exit)) await send({ type: "result", tag: "Opened" })
  else {
    const e = Cause.squash(exit.cause) as Record<string, unknown>
    await send({ type: "result", tag: e._tag, pid: e.pid, host: e.host, message: e.message })
  }
  process.exit(0)
} else {
  const program = Effect.gen(function* () {
    const store = yield* FileStore.make({ directory })
    yield* Effect.promise(() => send({ type: "opened", pid: process.pid }))
    let next = 0
    yield* Effect.callback<never>((_resume) => {
      process.on("message", (m: any) => {
        if (m.type !== "append") return
        const numbers = Array.from({ length: m.n as number }, () => next++)
        Effect.runPromise(
          store.eventStore.append(m.stream as string, schoolEvents((m.stream as string).slice(7), numbers), "any")
        ).then(
          (r) => send({ type: "appended", result: r }),
          (e) => send({ type: "failed", message: String(e) })
        )
      })
    })
  })
  Effect.runPromise(Effect.scoped(program)).catch((e) => {
    console.error(e)
    process.exit(3)
  })
}
