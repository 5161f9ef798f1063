// CommandPlan.commit: with the store's AppendBatch, a plan refused at one of its streams stores
// nothing of the others (one all-or-nothing batch); without it, the streams before the refused
// one are stored (an append per stream), the reason the batch is used.
import { MemoryEventStore } from "@xueshi/adapter-memory"
import { AppendBatch, CommandHandler, EventStore, StoreServices } from "@xueshi/core"
import { CommandPlan } from "@xueshi/import"
import { Context, Effect, Layer } from "effect"
import { describe, expect, it } from "vitest"

const register = (schoolId: string) => ({ schoolId, name: `党校 ${schoolId}`, tier: "district" })
/** Deterministic ids per school and version, as the importers make them. */
const options = (id: string) => ({
  eventId: (_e: unknown, v: number) => CommandHandler.eventIdFrom(`plan-test/${id}/${v}`),
  meta: {}
})

/** Plans the registration of schools A, B and C, then a racing writer registers B, then the plan commits. */
const racedCommit = Effect.gen(function* () {
  const plan = yield* CommandPlan.make
  for (const id of ["A", "B", "C"]) {
    const decided = yield* plan.decide("RegisterSchool", register(id), options(id))
    expect(decided._tag).toBe("Success")
  }
  const store = yield* EventStore.EventStore
  yield* store.append("school-B", [{ event: { type: "SchoolRegistered", data: register("B") } as never }], "noStream")
  const failed = yield* Effect.flip(plan.commit())
  return { failed, versions: yield* Effect.all(["school-A", "school-B", "school-C"].map((s) => store.version(s))) }
})

const withoutBatch = Layer.syncContext(() => {
  const { appendBatch: _, ...store } = MemoryEventStore.make()
  return StoreServices.context(store)
})

describe("CommandPlan.commit", () => {
  it("with AppendBatch: a plan refused at one stream stores nothing of the others", async () => {
    const got = await Effect.runPromise(Effect.provide(racedCommit, MemoryEventStore.layer()))
    expect(got.failed._tag).toBe("WrongExpectedVersion")
    expect(got.versions).toEqual([0, 1, 0])
  })

  it("without it: the streams before the refused one are stored", async () => {
    const got = await Effect.runPromise(Effect.provide(racedCommit, withoutBatch))
    expect(got.failed._tag).toBe("WrongExpectedVersion")
    expect(got.versions).toEqual([1, 1, 0])
  })

  it("commits a plan whole: every planned event, in one batch", async () => {
    const calls: Array<number> = []
    const counting = Layer.syncContext(() => {
      const m = MemoryEventStore.make()
      return Context.add(StoreServices.context(m), AppendBatch.AppendBatch, {
        appendBatch: (appends) => {
          calls.push(appends.length)
          return m.appendBatch.appendBatch(appends)
        }
      })
    })
    const appended = await Effect.runPromise(
      Effect.provide(
        Effect.gen(function* () {
          const plan = yield* CommandPlan.make
          for (const id of ["A", "B", "C"]) yield* plan.decide("RegisterSchool", register(id), options(id))
          return yield* plan.commit()
        }),
        counting
      )
    )
    expect(appended).toBe(3)
    expect(calls).toEqual([3])
  })
})
