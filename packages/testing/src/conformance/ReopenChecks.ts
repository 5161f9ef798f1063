/**
 * The conformance checks of the store port's contract on durability and upcasting across a close and reopen (with the reopen option).
 *
 * @since 0.1.0
 */
import { CheckpointStore, EventCodec, type EventStore, Events } from "@xueshi/core"
import { Effect, Option, Schema } from "effect"
import { appendSentinel, type Check, collect, eventStore, fill, isSentinel, untilSentinel } from "./CheckKit.js"
import * as F from "./Fixtures.js"
import { type CheckContext, equal, truthy, within, withStore } from "./Harness.js"

const reopenDurable: Check = {
  id: "reopen.durable",
  group: "reopen",
  title: "events, versions, ids, checkpoints, projection state and snapshots survive closing and reopening the store",
  needsReopen: true,
  run: (ctx) =>
    Effect.scoped(
      Effect.gen(function* () {
        const reopen = ctx.reopen as NonNullable<CheckContext["reopen"]>
        const storage = yield* reopen.storage
        const open = () => reopen.makeLayer(storage, {})
        const events = F.toAppend("member-D", [1, 2, 3], (n) => F.uuidOf(n, 6))
        const written = yield* withStore(
          open,
          Effect.gen(function* () {
            const es = yield* eventStore
            const r = yield* es.append("member-D", events, "noStream")
            yield* fill(es, "school-D", 2)
            yield* (yield* CheckpointStore.CheckpointStore).compareAndSet("cp", 0, 4)
            yield* (yield* CheckpointStore.ProjectionStore).save("proj", 0, {
              checkpoint: 4,
              state: { n: 4, 名: "值" }
            })
            yield* (yield* CheckpointStore.SnapshotStore).save("member-D", "k", { version: 3, state: { s: 1 } })
            return { result: r, all: yield* collect(es.readAll()) }
          })
        )
        yield* withStore(
          open,
          Effect.gen(function* () {
            const es = yield* eventStore
            const all = yield* collect(es.readAll())
            yield* equal(all, written.all, "readAll after reopening")
            yield* equal(yield* es.version("member-D"), 3, "version after reopening")
            yield* equal(yield* es.head(), written.all[written.all.length - 1]?.position, "head after reopening")
            yield* equal(
              yield* es.append("member-D", events, "noStream"),
              written.result,
              "an idempotent retry after reopening"
            )
            yield* equal(yield* (yield* CheckpointStore.CheckpointStore).get("cp"), 4, "checkpoint after reopening")
            yield* equal(
              yield* (yield* CheckpointStore.ProjectionStore).load("proj"),
              Option.some({ checkpoint: 4, state: { n: 4, 名: "值" } }),
              "projection state after reopening"
            )
            yield* equal(
              yield* (yield* CheckpointStore.SnapshotStore).load("member-D", "k"),
              Option.some({ version: 3, state: { s: 1 } }),
              "snapshot after reopening"
            )
            const r = yield* es.append("member-D", F.toAppend("member-D", [4]), 3)
            yield* equal(r.version, 4, "appending after reopening continues the stream")
            yield* truthy(
              (r.positions[0] as number) > (written.all[written.all.length - 1]?.position ?? 0),
              "positions continue to increase after reopening"
            )
          })
        )
      })
    )
}

const QuotaClaimedV2 = Schema.Struct({ ...Events.QuotaClaimed.fields, note: Schema.String })

const codecV2 = EventCodec.makeEventCodec({
  versions: { QuotaClaimed: { version: 2, schema: QuotaClaimedV2 } },
  upcasters: [{ type: "QuotaClaimed", fromVersion: 1, upcast: (d) => ({ ...d, note: "from v1" }) }]
})

const upcastOnRead: Check = {
  id: "reopen.upcastOnRead",
  group: "reopen",
  title:
    "events written at an older payload version are upcast on read by a codec with upcasters; new ones are not upcast twice",
  needsReopen: true,
  run: (ctx) =>
    Effect.scoped(
      Effect.gen(function* () {
        const reopen = ctx.reopen as NonNullable<CheckContext["reopen"]>
        const storage = yield* reopen.storage
        yield* withStore(
          () => reopen.makeLayer(storage, {}),
          Effect.flatMap(eventStore, (es) => Effect.andThen(fill(es, "school-Up", 2), appendSentinel(es)))
        )
        const check = (label: string, records: ReadonlyArray<EventStore.StoredEvent>, notes: ReadonlyArray<string>) =>
          equal(
            records.map((r) => ({ note: (r.data as { note?: string }).note, schemaVersion: r.schemaVersion })),
            notes.map((note) => ({ note, schemaVersion: 2 })),
            label
          )
        yield* withStore(
          () => reopen.makeLayer(storage, { codec: codecV2 }),
          Effect.gen(function* () {
            const es = yield* eventStore
            yield* check("readStream upcasts", yield* collect(es.readStream("school-Up")), ["from v1", "from v1"])
            yield* check(
              "readAll upcasts",
              (yield* collect(es.readAll())).filter((r) => !isSentinel(r)),
              ["from v1", "from v1"]
            )
            yield* check("subscribe upcasts", yield* within(ctx, untilSentinel(es.subscribe()), "subscribe"), [
              "from v1",
              "from v1"
            ])
            const v2 = { type: "QuotaClaimed", data: { schoolId: "Up", year: 2026, traineeTimes: 1, note: "new" } }
            yield* es.append("school-Up", [{ event: v2 as unknown as Events.DomainEvent }], 2)
            yield* check("a v2 event reads back as written", yield* collect(es.readStream("school-Up")), [
              "from v1",
              "from v1",
              "new"
            ])
          })
        )
        yield* withStore(
          () => reopen.makeLayer(storage, { codec: codecV2 }),
          Effect.gen(function* () {
            const es = yield* eventStore
            yield* check(
              "after reopening with v2",
              (yield* collect(es.readAll())).filter((r) => !isSentinel(r)),
              ["from v1", "from v1", "new"]
            )
          })
        )
      })
    )
}

/**
 * The checks of this group, in the order the suite registers them.
 *
 * @category checks
 * @since 0.1.0
 */
export const reopenChecks: ReadonlyArray<Check> = [reopenDurable, upcastOnRead]
