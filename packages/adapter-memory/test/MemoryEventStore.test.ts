import { EventCodec, EventStore, Events } from "@xueshi/core"
import { Effect, Fiber, Schema, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { MemoryEventStore } from "../src/index.js"

const quota = (n: number): EventStore.EventToAppend => ({
  event: { type: "QuotaClaimed", data: { schoolId: "A", year: 2025, traineeTimes: n } } as unknown as Events.DomainEvent
})

const run = <A, E>(effect: Effect.Effect<A, E, EventStore.EventStore>, layer = MemoryEventStore.layer()) =>
  Effect.runPromise(Effect.scoped(Effect.provide(effect, layer)))

describe("MemoryEventStore", () => {
  it("two layers over one storage are two processes over one database: a subscriber of one sees the other's appends", async () => {
    const storage = MemoryEventStore.makeStorage()
    const a = MemoryEventStore.make({ storage })
    const b = MemoryEventStore.make({ storage })
    const got = await Effect.runPromise(
      Effect.gen(function* () {
        const fiber = yield* Effect.forkChild(a.eventStore.subscribe().pipe(Stream.take(3), Stream.runCollect))
        yield* Effect.yieldNow
        yield* b.eventStore.append("school-A", [quota(1), quota(2)], "noStream")
        yield* Effect.yieldNow
        yield* b.eventStore.append("school-A", [quota(3)], 2)
        return yield* Fiber.join(fiber)
      })
    )
    expect(got.map((r) => r.position)).toEqual([1, 2, 3])
    expect(await Effect.runPromise(a.eventStore.version("school-A"))).toBe(3)
  })

  it("reads lazily: a reader with another codec decodes only the pages it pulls", async () => {
    const storage = MemoryEventStore.makeStorage()
    await run(
      Effect.flatMap(Effect.service(EventStore.EventStore), (es) =>
        es.append(
          "school-A",
          Array.from({ length: 1000 }, (_, i) => quota(i)),
          "noStream"
        )
      ),
      MemoryEventStore.layer({ storage })
    )
    const codec = EventCodec.makeEventCodec({
      versions: {
        QuotaClaimed: { version: 2, schema: Schema.Struct({ ...Events.QuotaClaimed.fields, note: Schema.String }) }
      },
      upcasters: [{ type: "QuotaClaimed", fromVersion: 1, upcast: (d) => ({ ...d, note: "v1" }) }]
    })
    const first = await run(
      Effect.flatMap(Effect.service(EventStore.EventStore), (es) =>
        Stream.runCollect(es.readAll().pipe(Stream.take(3)))
      ),
      MemoryEventStore.layer({ storage, codec, pageSize: 10 })
    )
    expect(first.map((r) => (r.data as unknown as { note: string }).note)).toEqual(["v1", "v1", "v1"])
    const decoded = storage.decoded.get(codec) ?? []
    expect(decoded.filter((r) => r !== undefined).length).toBe(10)
  })

  it("a layer is a fresh store each time it is built", async () => {
    const layer = MemoryEventStore.layer()
    const head = (l: typeof layer) =>
      run(
        Effect.gen(function* () {
          const es = yield* EventStore.EventStore
          yield* es.append("school-A", [quota(1)], "any")
          return yield* es.head()
        }),
        l
      )
    expect(await head(layer)).toBe(1)
    expect(await head(layer)).toBe(1)
  })
})
