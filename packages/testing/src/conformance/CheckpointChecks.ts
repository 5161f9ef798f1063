/**
 * The conformance checks of the store port's contract on checkpoints, projection state and leases.
 *
 * @since 0.1.0
 */
import { CheckpointStore } from "@xueshi/core"
import { Effect, Option } from "effect"
import type { Check } from "./CheckKit.js"
import { equal, withStore } from "./Harness.js"

const checkpointCas: Check = {
  id: "checkpoints.compareAndSet",
  group: "checkpoints and projection state",
  title: "checkpoints read 0 until set and change only by compare-and-set; one of concurrent setters wins",
  run: (ctx) =>
    withStore(
      ctx.makeLayer,
      Effect.gen(function* () {
        const cps = yield* CheckpointStore.CheckpointStore
        yield* equal(yield* cps.get("a"), 0, "an unset checkpoint")
        yield* equal(yield* cps.compareAndSet("a", 1, 5), false, "CAS from a wrong expected value")
        yield* equal(yield* cps.get("a"), 0, "unchanged after a refused CAS")
        yield* equal(yield* cps.compareAndSet("a", 0, 5), true, "CAS 0 → 5")
        yield* equal(yield* cps.get("a"), 5, "after CAS")
        yield* equal(yield* cps.compareAndSet("a", 0, 7), false, "stale CAS 0 → 7")
        yield* equal(yield* cps.get("a"), 5, "a stale CAS does not move the checkpoint")
        yield* equal(yield* cps.compareAndSet("a", 5, 9), true, "CAS 5 → 9")
        yield* equal(yield* cps.get("b"), 0, "checkpoints are independent")
        const wins = yield* Effect.forEach(
          Array.from({ length: 8 }, (_, i) => i),
          (i) => Effect.andThen(Effect.repeat(Effect.yieldNow, { times: i % 3 }), cps.compareAndSet("c", 0, 10 + i)),
          { concurrency: "unbounded" }
        )
        yield* equal(wins.filter((w) => w).length, 1, "exactly one concurrent CAS from 0 wins")
        yield* equal(yield* cps.get("c"), 10 + wins.indexOf(true), "the winner's value is stored")
      })
    )
}

const projectionState: Check = {
  id: "projections.stateAndCheckpointTogether",
  group: "checkpoints and projection state",
  title: "projection state and checkpoint are saved together, by value, guarded by compare-and-set on the checkpoint",
  run: (ctx) =>
    withStore(
      ctx.makeLayer,
      Effect.gen(function* () {
        const ps = yield* CheckpointStore.ProjectionStore
        yield* equal(yield* ps.load("p"), Option.none(), "nothing saved yet")
        const s1 = { count: 3, names: ["党校", "🎓"], nested: { m: [[1, 2]], ok: true, none: null } }
        yield* equal(yield* ps.save("p", 0, { checkpoint: 3, state: s1 }), true, "first save expecting 0")
        s1.count = 999
        yield* equal(
          yield* ps.load("p"),
          Option.some({
            checkpoint: 3,
            state: { count: 3, names: ["党校", "🎓"], nested: { m: [[1, 2]], ok: true, none: null } }
          }),
          "load after save (saved by value)"
        )
        yield* equal(yield* ps.save("p", 0, { checkpoint: 8, state: { count: 8 } }), false, "a stale save is refused")
        yield* equal(
          yield* ps.save("p", 5, { checkpoint: 8, state: { count: 8 } }),
          false,
          "a save expecting another checkpoint is refused"
        )
        yield* equal(
          Option.map(yield* ps.load("p"), (s) => s.checkpoint),
          Option.some(3),
          "unchanged after refused saves"
        )
        yield* equal(yield* ps.save("p", 3, { checkpoint: 8, state: { count: 8 } }), true, "save expecting 3")
        yield* equal(
          yield* ps.load("p"),
          Option.some({ checkpoint: 8, state: { count: 8 } }),
          "state and checkpoint of the second save"
        )
        yield* equal(yield* ps.load("q"), Option.none(), "projections are independent")
        const wins = yield* Effect.forEach(
          Array.from({ length: 6 }, (_, i) => i),
          (i) =>
            Effect.andThen(
              Effect.repeat(Effect.yieldNow, { times: i % 3 }),
              ps.save("p", 8, { checkpoint: 10 + i, state: { count: 10 + i, by: i } })
            ),
          { concurrency: "unbounded" }
        )
        yield* equal(wins.filter((w) => w).length, 1, "exactly one of concurrent saves from the same checkpoint wins")
        const w = wins.indexOf(true)
        yield* equal(
          yield* ps.load("p"),
          Option.some({ checkpoint: 10 + w, state: { count: 10 + w, by: w } }),
          "the winner's state with the winner's checkpoint"
        )
        yield* ps.reset("p")
        yield* equal(yield* ps.load("p"), Option.none(), "after reset")
        yield* equal(
          yield* ps.save("p", 0, { checkpoint: 1, state: { count: 1 } }),
          true,
          "save expecting 0 after reset"
        )
      })
    )
}

const leases: Check = {
  id: "projections.leases",
  group: "checkpoints and projection state",
  title: "a lease has one owner at a time until released or expired",
  run: (ctx) =>
    withStore(
      ctx.makeLayer,
      Effect.gen(function* () {
        const ps = yield* CheckpointStore.ProjectionStore
        yield* equal(yield* ps.acquireLease("p", "A", 60_000), true, "A takes a free lease")
        yield* equal(yield* ps.acquireLease("p", "B", 60_000), false, "B is refused while A holds it")
        yield* equal(yield* ps.acquireLease("p", "A", 60_000), true, "A renews")
        yield* equal(yield* ps.acquireLease("q", "B", 60_000), true, "leases are per projection")
        yield* ps.releaseLease("p", "B")
        yield* equal(yield* ps.acquireLease("p", "B", 60_000), false, "releasing someone else's lease does nothing")
        yield* ps.releaseLease("p", "A")
        yield* equal(yield* ps.acquireLease("p", "B", 60_000), true, "B takes it after A released it")
        yield* equal(yield* ps.acquireLease("p", "A", 60_000), false, "now A is refused")
        yield* equal(yield* ps.acquireLease("r", "A", 1), true, "A takes a 1 ms lease")
        yield* Effect.sleep(50)
        yield* equal(yield* ps.acquireLease("r", "B", 60_000), true, "B takes an expired lease")
        yield* equal(yield* ps.acquireLease("r", "A", 60_000), false, "A cannot renew a lease it lost")
        const wins = yield* Effect.forEach(
          Array.from({ length: 6 }, (_, i) => i),
          (i) =>
            Effect.andThen(Effect.repeat(Effect.yieldNow, { times: i % 2 }), ps.acquireLease("s", `O${i}`, 60_000)),
          { concurrency: "unbounded" }
        )
        yield* equal(wins.filter((w) => w).length, 1, "exactly one of concurrent owners gets a free lease")
      })
    )
}

/**
 * The checks of this group, in the order the suite registers them.
 *
 * @category rules
 * @since 0.1.0
 */
export const checkpointChecks: ReadonlyArray<Check> = [checkpointCas, projectionState, leases]
