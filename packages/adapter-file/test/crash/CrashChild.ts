/**
 * The child of the crash test (run by Crash.test.ts with `node --import tsx`):
 * opens the store in argv[2] with durability argv[3], then appends batches of
 * 1–5 events in a loop (argv[5] concurrent appenders) and reports each batch
 * to the parent (process.send) only after its append resolved. With argv[6] > 0
 * the store writes in pieces of that many bytes (so that kills tear appends). The parent
 * kills it with SIGKILL at a random moment.
 *
 * Every third step is a batch (`AppendBatch`) of 2–3 appends, acknowledged
 * together once the batch resolved.
 *
 * Each event carries `meta: {run, batch, i, n}` (and `group, part, parts` in a
 * batch); ids are unique per (run, batch, i).
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
  /** The append numbered `batch`: 1–5 events of one stream. */
  const appendOf = (batch: number, group?: { readonly id: number; readonly part: number; readonly parts: number }) => {
    const n = 1 + ((batch * 7 + run * 3) % 5)
    const stream = `school-S${(batch + run) % 5}`
    const events = Array.from({ length: n }, (_, i) => ({
      event: quota(`S${(batch + run) % 5}`, batch * 8 + i),
      id: uuid(batch * 8 + i, run),
      meta: group === undefined ? { run, batch, i, n } : { run, batch, i, n, ...group }
    }))
    return { stream, events, expected: "any" as const, batch, n }
  }
  const batches = store.appendBatch as NonNullable<typeof store.appendBatch>
  const worker = Effect.gen(function* () {
    for (;;) {
      const first = next++
      if (first % 3 === 2) {
        // every third step a batch (AppendBatch) of 2–3 appends to different streams: one write
        const parts = 2 + (first % 2)
        const appends = Array.from({ length: parts }, (_, part) =>
          appendOf(part === 0 ? first : next++, { id: first, part, parts })
        )
        yield* batches.appendBatch(appends)
        for (const a of appends) yield* Effect.promise(() => send({ type: "ack", batch: a.batch, n: a.n }))
        continue
      }
      const a = appendOf(first)
      yield* store.eventStore.append(a.stream, a.events, "any")
      yield* Effect.promise(() => send({ type: "ack", batch: a.batch, n: a.n }))
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
