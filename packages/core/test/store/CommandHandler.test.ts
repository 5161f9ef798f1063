import { fc, test } from "@fast-check/vitest"
import { Context, Effect, Exit, Layer, Option, Schedule, Stream } from "effect"
import { describe, expect, it } from "vitest"
import {
  CheckpointStore,
  CommandHandler,
  Commands,
  CreditDecider,
  EventStore,
  Ids,
  SchoolDecider,
  StoreErrors
} from "../../src/index.js"
import { MemoryEventStore, run, runExit } from "./Support.js"

const school = (id: string) =>
  Commands.makeCommand("RegisterSchool", { schoolId: id as Ids.SchoolId, name: "西青区委党校", tier: "district" })
const quota = (id: string, year: number, traineeTimes: number) =>
  Commands.makeCommand("ClaimQuota", { schoolId: id as Ids.SchoolId, year, traineeTimes })
const grant = (member: string, grantId: string) =>
  Commands.makeCommand("GrantCredit", {
    memberId: member as Ids.MemberId,
    grantId: grantId as Ids.GrantId,
    year: 2025,
    hours: 150 as never,
    source: { kind: "external", system: "test", reference: grantId },
    policyId: "p1",
    at: "2025-03-04T19:00:00+08:00" as never
  })

/** These tests are about one credit stream; its member's registration is beside the point. */
const loose = { references: false } as const

describe("handle", () => {
  it("loads, decides and appends with the loaded version; a refused command writes nothing", async () => {
    await run(
      Effect.gen(function* () {
        const es = yield* EventStore.EventStore
        const r1 = yield* CommandHandler.handle("school-XQ", SchoolDecider.SchoolDecider, school("XQ"))
        expect(r1.version).toBe(1)
        expect(r1.events.map((e) => e.type)).toEqual(["SchoolRegistered"])
        expect(r1.state.status).toBe("registered")
        expect(r1.attempts).toBe(1)
        const r2 = yield* CommandHandler.handle("school-XQ", SchoolDecider.SchoolDecider, quota("XQ", 2025, 300))
        expect(r2.version).toBe(2)
        const refused = yield* Effect.flip(
          CommandHandler.handle("school-XQ", SchoolDecider.SchoolDecider, school("XQ"))
        )
        expect(refused._tag).toBe("RuleViolation")
        if (refused._tag === "RuleViolation") expect(refused.rule).toBe("school.alreadyRegistered")
        const early = yield* Effect.flip(
          CommandHandler.handle("school-JMH", SchoolDecider.SchoolDecider, quota("JMH", 2025, 1))
        )
        expect(early._tag === "RuleViolation" && early.rule).toBe("school.notRegistered")
        expect(yield* es.head()).toBe(2)
      })
    )
  })

  it("passes event ids, meta and recordedAt to the store", async () => {
    await run(
      Effect.gen(function* () {
        const es = yield* EventStore.EventStore
        const id = CommandHandler.eventIdFrom("school-XQ/registered")
        yield* CommandHandler.handle("school-XQ", SchoolDecider.SchoolDecider, school("XQ"), {
          eventId: () => id,
          meta: { actor: "李四" },
          recordedAt: "2025-01-02T03:04:05+08:00"
        })
        const [r] = yield* Stream.runCollect(es.readStream("school-XQ"))
        expect(r?.id).toBe(id)
        expect(r?.meta).toEqual({ actor: "李四" })
        expect(r?.recordedAt).toBe("2025-01-02T03:04:05+08:00")
      })
    )
  })

  it("keeps the decider's invariants under concurrent commands: one of several identical grants wins, distinct ones all land", async () => {
    // a store that yields before each append, so that concurrent commands interleave between load and append
    const yielding = Layer.effectContext(
      Effect.sync(() => {
        const m = MemoryEventStore.make()
        const es = EventStore.EventStore.of({
          ...m.eventStore,
          append: (stream, events, expected) =>
            Effect.andThen(Effect.yieldNow, m.eventStore.append(stream, events, expected))
        })
        return Context.make(EventStore.EventStore, es).pipe(
          Context.add(CheckpointStore.CheckpointStore, m.checkpoints),
          Context.add(CheckpointStore.ProjectionStore, m.projections),
          Context.add(CheckpointStore.SnapshotStore, m.snapshots)
        )
      })
    )
    await run(
      Effect.gen(function* () {
        const es = yield* EventStore.EventStore
        const same = yield* Effect.forEach(
          Array.from({ length: 8 }, (_, i) => i),
          () =>
            Effect.exit(CommandHandler.handle("credit-M1", CreditDecider.CreditDecider, grant("M1", "G-same"), loose)),
          { concurrency: "unbounded" }
        )
        expect(same.filter(Exit.isSuccess).length).toBe(1)
        for (const e of same.filter(Exit.isFailure)) {
          expect(JSON.stringify(e)).toContain("credit.duplicateGrant")
        }
        const distinct = yield* Effect.forEach(
          Array.from({ length: 12 }, (_, i) => i),
          // without delays each round of conflicts lets exactly one writer through, so 12 writers need up to 11 retries
          (i) =>
            CommandHandler.handle("credit-M2", CreditDecider.CreditDecider, grant("M2", `G${i}`), {
              ...loose,
              retry: Schedule.recurs(20)
            }),
          { concurrency: "unbounded" }
        )
        expect(distinct.map((r) => r.version).sort((a, b) => a - b)).toEqual(
          Array.from({ length: 12 }, (_, i) => i + 1)
        )
        // concurrent writers forced some retries; each retry re-read the stream
        expect(distinct.reduce((a, r) => a + r.attempts, 0)).toBeGreaterThan(12)
        const ledger = yield* Stream.runCollect(es.readStream("credit-M2"))
        expect(new Set(ledger.map((r) => (r.data as { grantId: string }).grantId)).size).toBe(12)
      }),
      yielding
    )
  })

  it("gives up after the retry schedule with WrongExpectedVersion", async () => {
    let attempts = 0
    const alwaysConflicting = Layer.effectContext(
      Effect.gen(function* () {
        const m = MemoryEventStore.make()
        const es = EventStore.EventStore.of({
          ...m.eventStore,
          append: (stream, _events, expected) =>
            Effect.suspend(() => {
              attempts++
              return Effect.fail(new StoreErrors.WrongExpectedVersion({ stream, expected, actual: 99 }))
            })
        })
        return Context.make(EventStore.EventStore, es).pipe(
          Context.add(CheckpointStore.CheckpointStore, m.checkpoints),
          Context.add(CheckpointStore.ProjectionStore, m.projections),
          Context.add(CheckpointStore.SnapshotStore, m.snapshots)
        )
      })
    )
    const exit = await runExit(
      CommandHandler.handle("school-XQ", SchoolDecider.SchoolDecider, school("XQ"), { retry: Schedule.recurs(3) }),
      alwaysConflicting
    )
    expect(attempts).toBe(4)
    expect(Exit.isFailure(exit) && JSON.stringify(exit.cause)).toContain("WrongExpectedVersion")
  })

  it("is a no-op when the decider decides nothing", async () => {
    const noop = { ...SchoolDecider.SchoolDecider, decide: () => ({ _tag: "Success", success: [] }) as never }
    await run(
      Effect.gen(function* () {
        const r = yield* CommandHandler.handle("school-XQ", noop, school("XQ"))
        expect(r.events).toEqual([])
        expect(r.version).toBe(0)
        expect(yield* (yield* EventStore.EventStore).head()).toBe(0)
      })
    )
  })
})

describe("snapshots", () => {
  const policy: CommandHandler.SnapshotPolicy<CreditDecider.CreditState> = {
    key: "credit-v1",
    every: 3,
    encode: (s) => [...s.grants].map(([k, v]) => [k, v]),
    decode: (u) =>
      Array.isArray(u)
        ? {
            grants: new Map(u as Array<[Ids.GrantId, CreditDecider.GrantFacts]>)
          }
        : undefined
  }

  it("are saved every `every` events and used on load (only the tail is read)", async () => {
    await run(
      Effect.gen(function* () {
        const ss = yield* CheckpointStore.SnapshotStore
        for (let i = 0; i < 7; i++) {
          yield* CommandHandler.handle("credit-M1", CreditDecider.CreditDecider, grant("M1", `G${i}`), {
            ...loose,
            snapshot: policy
          })
        }
        const saved = yield* ss.load("credit-M1", "credit-v1")
        expect(Option.map(saved, (s) => s.version)).toEqual(Option.some(6))
        const loaded = yield* CommandHandler.load("credit-M1", CreditDecider.CreditDecider, { snapshot: policy })
        expect(loaded.version).toBe(7)
        expect(loaded.snapshotVersion).toBe(6)
        const full = yield* CommandHandler.load("credit-M1", CreditDecider.CreditDecider)
        expect([...loaded.state.grants].map(([k]) => k).sort()).toEqual([...full.state.grants].map(([k]) => k).sort())
        // a rule that needs the snapshotted part of the state still holds
        const dup = yield* Effect.flip(
          CommandHandler.handle("credit-M1", CreditDecider.CreditDecider, grant("M1", "G0"), {
            ...loose,
            snapshot: policy
          })
        )
        expect(dup._tag === "RuleViolation" && dup.rule).toBe("credit.duplicateGrant")
      })
    )
  })

  it("are never required: undecodable, stale or absent snapshots fall back to a full replay", async () => {
    await run(
      Effect.gen(function* () {
        const ss = yield* CheckpointStore.SnapshotStore
        for (let i = 0; i < 2; i++)
          yield* CommandHandler.handle("credit-M1", CreditDecider.CreditDecider, grant("M1", `G${i}`), loose)
        yield* ss.save("credit-M1", "credit-v1", { version: 1, state: "garbage" })
        const a = yield* CommandHandler.load("credit-M1", CreditDecider.CreditDecider, { snapshot: policy })
        expect([a.version, a.snapshotVersion, [...a.state.grants].length]).toEqual([2, 0, 2])
        yield* ss.save("credit-M1", "credit-v1", { version: 10, state: [] })
        const b = yield* CommandHandler.load("credit-M1", CreditDecider.CreditDecider, { snapshot: policy })
        expect([b.version, [...b.state.grants].length]).toEqual([2, 2])
        const c = yield* CommandHandler.handle("credit-M1", CreditDecider.CreditDecider, grant("M1", "G9"), {
          ...loose,
          snapshot: policy
        })
        expect(c.version).toBe(3)
      })
    )
    // without a SnapshotStore in the context at all
    const m = MemoryEventStore.make()
    const r = await Effect.runPromise(
      CommandHandler.handle("credit-M1", CreditDecider.CreditDecider, grant("M1", "G1"), {
        ...loose,
        snapshot: policy
      }).pipe(Effect.provideService(EventStore.EventStore, m.eventStore))
    )
    expect(r.version).toBe(1)
  })
})

describe("eventIdFrom", () => {
  test.prop([fc.string(), fc.string()])("is a deterministic UUID, different for different keys", (a, b) => {
    const x = CommandHandler.eventIdFrom(a)
    expect(x).toMatch(Ids.UUID_PATTERN)
    expect(CommandHandler.eventIdFrom(a)).toBe(x)
    if (a !== b) expect(CommandHandler.eventIdFrom(b)).not.toBe(x)
  })

  // the expected ids were computed apart from this code: Python's uuid.uuid5 for the v5 ids,
  // and 0.1.0's eventIdFrom (the built package before the switch) for the legacy one
  it("is the RFC 9562 v5 UUID of the key in the xueshi namespace", () => {
    expect(CommandHandler.EVENT_ID_NAMESPACE).toBe("d644ad9d-43c5-5273-a9e2-6133a48c5509") // uuid5(DNS, "event-id.xueshi")
    expect(CommandHandler.eventIdFrom("credit-M1/C1/S1/granted")).toBe("c5722637-ba03-578d-921e-1f492feffbe1")
    expect(CommandHandler.legacyEventIdFrom("credit-M1/C1/S1/granted")).toBe("82128426-8754-8059-979e-9c6304ee392e")
  })

  test.prop([fc.string()])("new and legacy ids are told apart by their version digit", (key) => {
    const id = CommandHandler.eventIdFrom(key)
    const legacy = CommandHandler.legacyEventIdFrom(key)
    expect([id[14], legacy[14]]).toEqual(["5", "8"])
    expect([CommandHandler.eventIdVersion(id), CommandHandler.eventIdVersion(legacy)]).toEqual([5, 8])
    expect(legacy).toMatch(Ids.UUID_PATTERN)
  })

  it("eventIdVersion reads random ids as 4 and non-UUIDs as undefined", () => {
    expect(CommandHandler.eventIdVersion("0b9c5f52-3c8e-4d5a-9f1e-2a7b6c4d8e90")).toBe(4)
    expect(CommandHandler.eventIdVersion("not-a-uuid")).toBeUndefined()
  })
})
