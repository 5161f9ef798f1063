/**
 * The conformance checks of the store port's contract on stream snapshots.
 *
 * @since 0.1.0
 */
import { CheckpointStore } from "@xueshi/core"
import { Effect, Option } from "effect"
import type { Check } from "./CheckKit.js"
import { equal, withStore } from "./Harness.js"

const snapshots: Check = {
  id: "snapshots.store",
  group: "checkpoints and projection state",
  title: "stream snapshots are stored by stream and key, by value, and overwritten",
  run: (ctx) =>
    withStore(
      ctx.makeLayer,
      Effect.gen(function* () {
        const ss = yield* CheckpointStore.SnapshotStore
        yield* equal(yield* ss.load("class-C", "k1"), Option.none(), "no snapshot yet")
        const state = { sessions: ["S1", "讲堂"], n: 2 }
        yield* ss.save("class-C", "k1", { version: 2, state })
        state.n = 99
        yield* equal(
          yield* ss.load("class-C", "k1"),
          Option.some({ version: 2, state: { sessions: ["S1", "讲堂"], n: 2 } }),
          "load"
        )
        yield* equal(yield* ss.load("class-C", "k2"), Option.none(), "another key")
        yield* equal(yield* ss.load("class-D", "k1"), Option.none(), "another stream")
        yield* ss.save("class-C", "k1", { version: 5, state: { n: 5 } })
        yield* equal(yield* ss.load("class-C", "k1"), Option.some({ version: 5, state: { n: 5 } }), "overwritten")
      })
    )
}

/**
 * The checks of this group, in the order the suite registers them.
 *
 * @category checks
 * @since 0.1.0
 */
export const snapshotChecks: ReadonlyArray<Check> = [snapshots]
