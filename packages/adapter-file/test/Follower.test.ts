/**
 * Read-only followers (issue 10): a follower opened before the writer's first
 * append, a store whose newest segment is empty, and projection runners over a
 * read-only opener: they follow the writer with a separate projection store,
 * and fail at once, saying what to do, with the read-only store's own.
 */
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { CheckpointStore, EventStore, ProjectionRunner } from "@xueshi/core"
import { Context, Effect, Exit, Fiber, Layer, Stream } from "effect"
import { afterEach, describe, expect, it } from "vitest"
import { MemoryEventStore } from "../../adapter-memory/src/index.js"
import { FileFormat, type FileStore } from "../src/index.js"
import { cleanup, numberOf, openStore, schoolEvents, tempDir } from "./helpers.js"

const dirs: Array<string> = []
const fresh = () => {
  const d = tempDir("xueshi-follower-")
  dirs.push(d)
  return d
}
afterEach(() => {
  for (const d of dirs.splice(0)) cleanup(d)
})

const run = <A, E>(e: Effect.Effect<A, E>) => Effect.runPromise(e)

interface Count {
  n: number
}
const counting: ProjectionRunner.RunnableProjection<Count> = {
  name: "count",
  get initial() {
    return { n: 0 }
  },
  apply: (s, _r) => {
    s.n++
    return s
  },
  encodeState: (s) => ({ n: s.n }),
  decodeState: (u) => ({ n: (u as Count).n })
}

describe("read-only followers", () => {
  it("a follower opened before the first append sees the writer's events", async () => {
    const directory = fresh()
    const writer = await openStore({ directory })
    const reader = await openStore({ directory, readOnly: true, pollMillis: 5 })
    expect(await run(reader.store.eventStore.head())).toBe(0)
    const fiber = Effect.runFork(Stream.runCollect(Stream.take(reader.store.eventStore.subscribe(), 3)))
    await run(writer.store.eventStore.append("school-F", schoolEvents("F", [1, 2, 3]), "noStream"))
    const seen = await Effect.runPromise(Fiber.join(fiber))
    expect(Array.from(seen).map(numberOf)).toEqual([1, 2, 3])
    expect(await run(reader.store.eventStore.head())).toBe(3)
    await reader.close()
    await writer.close()
  })

  it("a store whose newest segment is empty opens and refreshes read-only, then follows the next append", async () => {
    const directory = fresh()
    const writer = await openStore({ directory })
    await run(writer.store.eventStore.append("school-E", schoolEvents("E", [1, 2]), "noStream"))
    await writer.close()
    // the writer rolled (or crashed right after creating the next segment): an empty newest segment
    writeFileSync(join(directory, "segments", FileFormat.segmentFileName(3)), "")
    const reader = await openStore({ directory, readOnly: true, pollMillis: 5 })
    expect(await run(reader.store.eventStore.head())).toBe(2)
    expect(await run(reader.store.eventStore.version("school-E"))).toBe(2)
    const again = await openStore({ directory })
    await run(again.store.eventStore.append("school-E", schoolEvents("E", [3]), 2))
    expect(await run(reader.store.eventStore.head())).toBe(3)
    await again.close()
    await reader.close()
  })

  /** head, readAll and subscribe of a read-only opener answer (a hang fails the test by its time limit). */
  const answers = async (store: FileStore.FileStoreService, events: number) => {
    const timeout = <A, E>(e: Effect.Effect<A, E>) => run(Effect.timeout(e, "5 seconds"))
    expect(await timeout(store.eventStore.head())).toBe(events)
    expect((await timeout(Stream.runCollect(store.eventStore.readAll()))).length).toBe(events)
    // subscribe answers what is stored, then waits (does not spin) for more
    const first = await timeout(Stream.runCollect(Stream.take(store.eventStore.subscribe(), events)))
    expect(first.length).toBe(events)
  }

  it("a new store before its first append (an empty first segment): head, readAll and subscribe answer", async () => {
    const directory = fresh()
    const writer = await openStore({ directory })
    const reader = await openStore({ directory, readOnly: true, pollMillis: 5 })
    expect(reader.store.recovery.segments).toBe(1)
    await answers(reader.store, 0)
    const fiber = Effect.runFork(Stream.runCollect(Stream.take(reader.store.eventStore.subscribe(), 1)))
    await run(writer.store.eventStore.append("school-N", schoolEvents("N", [7]), "noStream"))
    expect(Array.from(await Effect.runPromise(Fiber.join(fiber))).map(numberOf)).toEqual([7])
    await answers(reader.store, 1)
    await reader.close()
    await writer.close()
  })

  it("a writer that rolled into a new segment and idles: the follower answers, then follows", async () => {
    const directory = fresh()
    // segments of ~1 event: the second append rolls
    const writer = await openStore({ directory, segmentBytes: 200 })
    await run(writer.store.eventStore.append("school-I", schoolEvents("I", [1]), "noStream"))
    await run(writer.store.eventStore.append("school-I", schoolEvents("I", [2]), 1))
    // the roll to the next segment happened before its write; leave the newest segment empty, as a
    // writer that died or idles between the two would
    writeFileSync(join(directory, "segments", FileFormat.segmentFileName(3)), "")
    const reader = await openStore({ directory, readOnly: true, pollMillis: 5 })
    expect(reader.store.recovery.segments).toBe(3)
    await answers(reader.store, 2)
    await writer.close()
    const again = await openStore({ directory, segmentBytes: 200 })
    await run(again.store.eventStore.append("school-I", schoolEvents("I", [3]), 2))
    await answers(reader.store, 3)
    await again.close()
    await reader.close()
  })

  it("a runner on a read-only opener follows the writer with a separate projection store", async () => {
    const directory = fresh()
    const writer = await openStore({ directory })
    const reader = await openStore({ directory, readOnly: true, pollMillis: 5 })
    const local = MemoryEventStore.make()
    const layer = Layer.succeedContext(
      Context.make(EventStore.EventStore, reader.store.eventStore).pipe(
        Context.add(CheckpointStore.ProjectionStore, local.projections)
      )
    )
    const counted = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const runner = yield* ProjectionRunner.start(counting, { batchSize: 2 })
          yield* Effect.promise(() =>
            run(writer.store.eventStore.append("school-R", schoolEvents("R", [1, 2, 3]), "noStream"))
          )
          yield* runner.whenCaughtUp
          yield* Effect.promise(() => run(writer.store.eventStore.append("school-R", schoolEvents("R", [4]), 3)))
          yield* runner.whenCaughtUp
          return yield* runner.read((s) => s.n)
        })
      ).pipe(Effect.provide(layer))
    )
    expect(counted).toBe(4)
    await reader.close()
    await writer.close()
  })

  it("a runner whose projection store is the read-only opener's stops at once, saying what to do", async () => {
    const directory = fresh()
    const writer = await openStore({ directory })
    await run(writer.store.eventStore.append("school-R", schoolEvents("R", [1]), "noStream"))
    const reader = await openStore({ directory, readOnly: true, pollMillis: 5 })
    const layer = Layer.succeedContext(
      Context.make(EventStore.EventStore, reader.store.eventStore).pipe(
        Context.add(CheckpointStore.ProjectionStore, reader.store.projections)
      )
    )
    const exit = await Effect.runPromiseExit(
      Effect.scoped(
        Effect.gen(function* () {
          const runner = yield* ProjectionRunner.start(counting)
          return yield* runner.stopped
        })
      ).pipe(Effect.provide(layer), Effect.timeout("10 seconds"))
    )
    expect(Exit.isFailure(exit)).toBe(true)
    const error = Exit.isFailure(exit) ? (exit.cause.reasons[0] as { error?: { _tag: string; message: string } }) : {}
    expect(error.error?._tag).toBe("ProjectionRunnerError")
    expect(error.error?.message).toContain("read-only")
    expect(error.error?.message).toContain("separate ProjectionStore")
    await reader.close()
    await writer.close()
  })
})
