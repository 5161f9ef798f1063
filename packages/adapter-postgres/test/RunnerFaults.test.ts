/**
 * A projection runner whose database sessions are terminated while it works
 * (`pg_terminate_backend` on every backend of its pool, between a batch's
 * read and its save): it retries, resumes from what was saved and counts
 * every event exactly once.
 */
import {
  CheckpointStore as Checkpoints,
  EventStore,
  type EventStore as EventStoreModule,
  type Events,
  ProjectionRunner
} from "@xueshi/core"
import { Context, Effect, Option, Schedule, Stream } from "effect"
import { expect, it } from "vitest"
import { exec, freshSchema, openStore, openStoreOnOwnPool, pgDescribe } from "./helpers.js"

interface Count {
  readonly count: number
  readonly last: number
}

const quota = (n: number): EventStoreModule.EventToAppend => ({
  event: { type: "QuotaClaimed", data: { schoolId: "A", year: 2025, traineeTimes: n } } as unknown as Events.DomainEvent
})

pgDescribe("postgres runner faults", () => {
  it("pg_terminate_backend on a runner mid-batch: it resumes and counts every event once", async () => {
    const app = `xueshi runner ${process.pid}`
    const got = await Effect.runPromise(
      Effect.scoped(
        Effect.gen(function* () {
          const schema = yield* freshSchema
          const observer = yield* openStore(schema)
          for (let i = 0; i < 30; i++) {
            yield* observer.eventStore.append(
              "school-A",
              Array.from({ length: 10 }, (_, j) => quota(i * 10 + j)),
              "any"
            )
          }
          const store = yield* openStoreOnOwnPool(schema, app, { migrate: false })
          const services = Context.make(EventStore.EventStore, store.eventStore).pipe(
            Context.add(Checkpoints.ProjectionStore, store.projections)
          )
          let batches = 0
          const handler: ProjectionRunner.BatchHandler<Count> = {
            name: "count",
            get initial() {
              return { count: 0, last: 0 }
            },
            // a little work per batch, so that the terminations land between a read and its save
            handleBatch: (s, records) =>
              Effect.as(
                Effect.sleep(15),
                (() => {
                  batches++
                  return { count: s.count + records.length, last: records[records.length - 1]?.position ?? s.last }
                })()
              ),
            encodeState: (s) => s,
            decodeState: (j) => j as Count
          }
          const runner = yield* Effect.provide(
            ProjectionRunner.startWith(handler, {
              batchSize: 10,
              owner: "r1",
              retrySchedule: Schedule.spaced(30)
            }),
            services
          )
          let killed = 0
          for (let k = 0; k < 4; k++) {
            yield* Effect.sleep(40)
            const rows = yield* exec<{ n: number }>(
              `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1`,
              [app]
            )
            killed += rows[0]?.n ?? 0
          }
          // our own read of the head may meet a connection killed above: retryable, as the port says
          yield* runner.whenCaughtUp.pipe(Effect.retry({ while: (e) => e._tag === "StoreUnavailable", times: 10 }))
          const head = yield* observer.eventStore.head()
          const all = yield* Stream.runCollect(observer.eventStore.readAll())
          const state = yield* runner.read((s) => s)
          const saved = yield* observer.projections.load("count")
          return { killed, head, total: all.length, batches, state, saved, checkpoint: yield* runner.checkpoint }
        })
      )
    )
    expect(got.killed).toBeGreaterThan(0)
    expect(got.total).toBe(300)
    expect(got.batches).toBeGreaterThanOrEqual(30)
    expect(got.state).toEqual({ count: 300, last: got.head })
    expect(got.checkpoint).toBe(got.head)
    expect(Option.map(got.saved, (s) => [s.checkpoint, s.state])).toEqual(
      Option.some([got.head, { count: 300, last: got.head }])
    )
  })
})
