/**
 * The checks of keyed projection state (`ProjectionStore.loadKeyed` /
 * `saveChanges`) that every adapter runs with the rest of the conformance suite:
 *
 * - the changed entries, the removed keys and the checkpoint are saved together,
 *   by value, under compare-and-set on the checkpoint (one of concurrent saves
 *   wins); keyed state is apart from whole state; `reset` removes it;
 * - a runner of a keyed projection saves only the entries its batches changed,
 *   and stopped at any point and restarted it counts every event exactly once.
 *
 * @since 0.1.0
 */
import { CheckpointStore, EventStore, ProjectionRunner } from "@xueshi/core"
import { Effect, Exit, Option, Scope, Stream } from "effect"
import fc from "fast-check"
import type { Check } from "./Checks.js"
import * as F from "./Fixtures.js"
import { equal, failWith, property, truthy, within, withStore } from "./Harness.js"

type Store = CheckpointStore.ProjectionStore["Service"]

/** The keyed operations of a store, or a failure naming what is missing. */
const keyedOf = (ps: Store) =>
  ps.loadKeyed === undefined || ps.saveChanges === undefined
    ? failWith("the projection store has no keyed state (loadKeyed and saveChanges)")
    : Effect.succeed({ load: ps.loadKeyed, save: ps.saveChanges })

const keyedTogether: Check = {
  id: "projections.keyedChangesTogether",
  group: "checkpoints and projection state",
  title:
    "keyed projection state: changed entries, removed keys and the checkpoint are saved together, by value, under compare-and-set",
  run: (ctx) =>
    withStore(
      ctx.makeLayer,
      Effect.gen(function* () {
        const ps = yield* CheckpointStore.ProjectionStore
        const k = yield* keyedOf(ps)
        yield* equal(yield* k.load("k"), Option.none(), "nothing saved yet")
        const a = { n: 1, names: ["党校", "🎓"], nested: { m: [[1, 2]], none: null } }
        yield* equal(
          yield* k.save("k", 0, {
            checkpoint: 4,
            changed: [
              ["b", { n: 2 }],
              ["a", a]
            ],
            removed: []
          }),
          true,
          "first save expecting 0"
        )
        a.n = 999
        yield* equal(
          yield* k.load("k"),
          Option.some({
            checkpoint: 4,
            entries: [
              ["a", { n: 1, names: ["党校", "🎓"], nested: { m: [[1, 2]], none: null } }],
              ["b", { n: 2 }]
            ]
          }),
          "entries sorted by key, saved by value, with the checkpoint"
        )
        yield* equal(
          yield* k.save("k", 0, { checkpoint: 9, changed: [["a", { n: 5 }]], removed: ["b"] }),
          false,
          "a stale save is refused"
        )
        yield* equal(
          yield* k.save("k", 5, { checkpoint: 9, changed: [["a", { n: 5 }]], removed: ["b"] }),
          false,
          "a save expecting another checkpoint is refused"
        )
        yield* equal(
          Option.map(yield* k.load("k"), (s) => s.entries.length),
          Option.some(2),
          "unchanged after refused saves"
        )
        yield* equal(
          yield* k.save("k", 4, { checkpoint: 9, changed: [["c", "x"]], removed: ["b", "absent"] }),
          true,
          "a save expecting 4: one entry written, one removed (removing an absent key is fine)"
        )
        yield* equal(
          yield* k.load("k"),
          Option.some({
            checkpoint: 9,
            entries: [
              ["a", { n: 1, names: ["党校", "🎓"], nested: { m: [[1, 2]], none: null } }],
              ["c", "x"]
            ]
          }),
          "untouched entries kept, changed ones replaced, removed ones gone"
        )
        yield* equal(
          yield* k.save("k", 9, { checkpoint: 10, changed: [], removed: [] }),
          true,
          "a save with no change moves the checkpoint"
        )
        yield* equal(
          Option.map(yield* k.load("k"), (s) => s.checkpoint),
          Option.some(10),
          "the checkpoint moved"
        )
        yield* equal(yield* ps.load("k"), Option.none(), "keyed state is apart from whole state")
        yield* equal(yield* k.load("other"), Option.none(), "projections are independent")
        const wins = yield* Effect.forEach(
          Array.from({ length: 6 }, (_, i) => i),
          (i) =>
            Effect.andThen(
              Effect.repeat(Effect.yieldNow, { times: i % 3 }),
              k.save("k", 10, { checkpoint: 20 + i, changed: [["w", i]], removed: ["a"] })
            ),
          { concurrency: "unbounded" }
        )
        yield* equal(wins.filter((w) => w).length, 1, "exactly one of concurrent saves from the same checkpoint wins")
        const w = wins.indexOf(true)
        yield* equal(
          yield* k.load("k"),
          Option.some({
            checkpoint: 20 + w,
            entries: [
              ["c", "x"],
              ["w", w]
            ]
          }),
          "the winner's entries with the winner's checkpoint"
        )
        yield* ps.reset("k")
        yield* equal(yield* k.load("k"), Option.none(), "after reset")
        yield* equal(
          yield* k.save("k", 0, { checkpoint: 1, changed: [["a", 1]], removed: [] }),
          true,
          "save expecting 0 after reset"
        )
      })
    )
}

/** Counts events per stream (one entry per stream) and in all; `disorder` counts positions seen out of order. */
type PerStream = { readonly counts: Map<string, number>; last: number; disorder: number }

const perStream: ProjectionRunner.RunnableProjection<PerStream> = {
  name: "conformance-keyed",
  get initial() {
    return { counts: new Map<string, number>(), last: 0, disorder: 0 }
  },
  apply: (s, r) => {
    if (r.position <= s.last) s.disorder++
    s.counts.set(r.stream, (s.counts.get(r.stream) ?? 0) + 1)
    s.last = r.position
    return s
  },
  encodeState: (s) => ({ counts: [...s.counts], last: s.last, disorder: s.disorder }),
  decodeState: (u) => {
    const j = u as { counts: Array<[string, number]>; last: number; disorder: number }
    return { counts: new Map(j.counts), last: j.last, disorder: j.disorder }
  },
  keyed: {
    keysOf: (r) => [`stream:${r.stream}`, "meta"],
    encodeEntry: (s, key) =>
      key === "meta" ? { last: s.last, disorder: s.disorder } : s.counts.get(key.slice("stream:".length)),
    decodeEntries: (entries) => {
      const s: PerStream = { counts: new Map(), last: 0, disorder: 0 }
      for (const [key, v] of entries) {
        if (key === "meta") {
          s.last = (v as { last: number }).last
          s.disorder = (v as { disorder: number }).disorder
        } else s.counts.set(key.slice("stream:".length), v as number)
      }
      return s
    }
  }
}

const keyedRunner: Check = {
  id: "projections.keyedRunner",
  group: "checkpoints and projection state",
  title:
    "a runner of a keyed projection saves only the entries its batches changed; stopped at any point and restarted it counts every event exactly once",
  heavy: true,
  run: (ctx) =>
    property(
      ctx,
      fc.record({
        batches: fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 5 })), {
          minLength: 1,
          maxLength: 6
        }),
        batchSize: fc.integer({ min: 1, max: 7 }),
        // a stop after some scheduler turns (anywhere, often before a save), or once caught up (after a save)
        stops: fc.array(fc.oneof(fc.integer({ min: 0, max: 12 }), fc.constant("caughtUp" as const)), { maxLength: 3 })
      }),
      ({ batchSize, batches, stops }) =>
        Effect.gen(function* () {
          const es = yield* EventStore.EventStore
          const inner = yield* CheckpointStore.ProjectionStore
          const k = yield* keyedOf(inner)
          // the runner's saves, seen on their way to the store
          const saves: Array<{ readonly keys: ReadonlyArray<string>; readonly checkpoint: number }> = []
          const spied = CheckpointStore.ProjectionStore.of({
            ...inner,
            saveChanges: (name, expected, changes) =>
              Effect.map(k.save(name, expected, changes), (ok) => {
                if (ok) {
                  const keys = [...changes.changed.map(([key]) => key), ...changes.removed]
                  saves.push({ keys, checkpoint: changes.checkpoint })
                }
                return ok
              })
          })
          const versions = new Map<string, number>()
          const append = ([streamNo, size]: readonly [number, number]) =>
            Effect.gen(function* () {
              const stream = `${F.categories[streamNo % 4]}-K${streamNo}`
              const v = versions.get(stream) ?? 0
              versions.set(stream, v + size)
              yield* es.append(
                stream,
                F.toAppend(
                  stream,
                  Array.from({ length: size }, (_, i) => v + i + 1)
                ),
                "any"
              )
            })
          const run = ProjectionRunner.start(perStream, { batchSize, owner: "conformance", leaseTtlMillis: 60_000 })
          const remaining = [...batches]
          for (const stop of stops) {
            const b = remaining.shift()
            if (b !== undefined) yield* append(b)
            const scope = yield* Scope.make()
            const stopped = yield* run.pipe(
              Scope.provide(scope),
              Effect.provideService(CheckpointStore.ProjectionStore, spied)
            )
            if (stop === "caughtUp")
              yield* within(ctx, stopped.whenCaughtUp, "a keyed runner catching up before its stop")
            else yield* Effect.repeat(Effect.yieldNow, { times: stop })
            yield* Scope.close(scope, Exit.void)
          }
          for (const b of remaining) yield* append(b)
          const runner = yield* run.pipe(Effect.provideService(CheckpointStore.ProjectionStore, spied))
          yield* within(ctx, runner.whenCaughtUp, "the keyed runner catching up")
          const records = Array.from(yield* Stream.runCollect(es.readAll()))
          const head = yield* es.head()
          const expected = new Map<string, number>()
          for (const r of records) expected.set(r.stream, (expected.get(r.stream) ?? 0) + 1)
          const state = yield* runner.read((s) => ({ counts: new Map(s.counts), last: s.last, disorder: s.disorder }))
          yield* equal(state, { counts: expected, last: head, disorder: 0 }, "the restarted runner's state")
          const saved = yield* k.load(perStream.name)
          yield* truthy(Option.isSome(saved), "a keyed state is saved")
          if (Option.isNone(saved)) return
          yield* equal(saved.value.checkpoint, head, "the saved checkpoint at the end")
          yield* equal(
            perStream.keyed?.decodeEntries(saved.value.entries),
            { counts: expected, last: head, disorder: 0 },
            "the saved entries decode to the state: every event counted once"
          )
          yield* equal(yield* inner.load(perStream.name), Option.none(), "no whole-state save")
          // every save carries only keys of the records between the previous saved checkpoint and its own
          let from = 0
          for (const s of saves) {
            const touched = new Set(["meta"])
            for (const r of records)
              if (r.position > from && r.position <= s.checkpoint) touched.add(`stream:${r.stream}`)
            yield* truthy(
              s.keys.every((key) => touched.has(key)),
              `a save up to ${s.checkpoint} carries only keys its records changed (${s.keys.join(", ")})`
            )
            from = s.checkpoint
          }
        }),
      { heavy: true }
    )
}

/**
 * The keyed-state checks (see the module docs).
 *
 * @category checks
 * @since 0.1.0
 */
export const keyedStateChecks: ReadonlyArray<Check> = [keyedTogether, keyedRunner]
