/**
 * The child of the crash test (run by Crash.test.ts with `node --import tsx`):
 * opens the store in argv[2] with durability argv[3], then appends batches of
 * 1–5 events in a loop (argv[5] concurrent appenders) and reports each batch
 * to the parent (process.send) only after its append resolved. With argv[6] > 0
 * the store writes in pieces of that many bytes (so that kills tear appends). The parent
 * kills it with SIGKILL at a random moment.
 *
 * Each event carries `meta: {run, batch, i, n}`; ids are unique per (run, batch, i).
 */
import { Effect } from "effect"
import type { FileStore } from "../../src/index.js"
import { makeStore, quota, uuid } from "../helpers.js"

const [directory, durability, runText, concurrencyText, pieceText] = process.argv.slice(2)
const pieceBytes = Number(pieceText ?? "0")
const run = Number(runText)
const concurrency = Number(concurrencyText ?? "1")
const send = (msg: unknown) =>
  new Promise<void>((resolve) => {
    process.send?.(msg, undefined, {}, () => resolve())
  })

const main = Effect.gen(function* () {
  yield* Effect.promise(() => send({ type: "opening" }))
  const store = yield* makeStore({
    directory: directory as string,
    durability: durability as FileStore.FileDurability,
    segmentBytes: 8 * 1024,
    summaryIntervalBytes: 3 * 1024,
    ...(pieceBytes > 0 ? { faults: { pieceBytes } } : {})
  })
  yield* Effect.promise(() => send({ type: "ready", recovery: store.recovery }))
  let next = 0
  const worker = Effect.gen(function* () {
    for (;;) {
      const batch = next++
      const n = 1 + ((batch * 7 + run * 3) % 5)
      const stream = `school-S${(batch + run) % 5}`
      const events = Array.from({ length: n }, (_, i) => ({
        event: quota(`S${(batch + run) % 5}`, batch * 8 + i),
        id: uuid(batch * 8 + i, run),
        meta: { run, batch, i, n }
      }))
      yield* store.eventStore.append(stream, events, "any")
      yield* Effect.promise(() => send({ type: "ack", batch, n }))
    }
  })
  yield* Effect.all(
    Array.from({ length: concurrency }, () => worker),
    { concurrency: "unbounded" }
  )
})

Effect.runPromise(Effect.scoped(main)).catch((e) => {
  console.error("crash child failed:", e)
  process.exit(3)
})
