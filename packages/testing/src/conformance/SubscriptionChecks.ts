/**
 * The conformance checks of the store port's contract on subscriptions (catch-up then live, concurrent writers).
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import fc from "fast-check"
import {
  appendSentinel,
  type Check,
  collect,
  eachCase,
  eventStore,
  fill,
  isSentinel,
  joinSubscription,
  keyOf,
  untilSentinel
} from "./CheckKit.js"
import * as F from "./Fixtures.js"
import { equal, property, withStore } from "./Harness.js"

const subscribeCatchUpThenLive: Check = {
  id: "subscribe.catchUpThenLive",
  group: "subscriptions",
  title: "subscribe catches up from a checkpoint, then goes live, in order, filtered, with no repeat",
  run: (ctx) =>
    withStore(
      ctx.makeLayer,
      Effect.gen(function* () {
        const es = yield* eventStore
        yield* fill(es, "school-A", 3)
        // positions may have gaps (the port allows them): the head, not the count, is "after the third"
        const head = yield* es.head()
        // each subscription reads up to a sentinel appended last: a lost, repeated or reordered
        // event shows as a wrong list (the member one ends at a member sentinel, its filter's)
        const f1 = yield* Effect.forkChild(untilSentinel(es.subscribe({ after: 1 })))
        const f2 = yield* Effect.forkChild(untilSentinel(es.subscribe({ categories: ["member"] })))
        const f3 = yield* Effect.forkChild(untilSentinel(es.subscribe({ after: head })))
        yield* Effect.yieldNow
        yield* fill(es, "member-B", 1, 4)
        yield* Effect.yieldNow
        yield* fill(es, "school-A", 1, 5)
        yield* fill(es, "member-B", 2, 6)
        yield* appendSentinel(es)
        yield* appendSentinel(es, 7001, "member-Sentinel")
        const got = yield* joinSubscription(ctx, f1, "subscribe after 1")
        const expected = (yield* collect(es.readAll({ after: 1 }))).filter((r) => !isSentinel(r))
        yield* equal(got.map(keyOf), expected.map(keyOf), "subscribe after 1: catch-up then live")
        const gotMembers = yield* joinSubscription(ctx, f2, "subscribe to members")
        yield* equal(
          gotMembers.map((r) => [r.stream, r.version]),
          [
            ["member-B", 1],
            ["member-B", 2],
            ["member-B", 3]
          ],
          "filtered subscription"
        )
        const gotHead = yield* joinSubscription(ctx, f3, "subscribe from the head")
        yield* equal(
          gotHead.map((r) => F.numberOf(r)),
          [4, 5, 6, 7],
          "a subscription from the head sees only new events"
        )
      })
    )
}

const subscribeConcurrentWriters: Check = {
  id: "subscribe.concurrentWriters",
  group: "subscriptions",
  title: "subscribers see every event exactly once, in global order, while fibers append concurrently",
  heavy: true,
  run: (ctx) =>
    property(
      ctx,
      fc.record({
        prior: fc.integer({ min: 0, max: 5 }),
        writers: fc.array(
          fc.array(
            fc.record({
              stream: fc.integer({ min: 0, max: 3 }),
              size: fc.integer({ min: 1, max: 3 }),
              yields: fc.integer({ min: 0, max: 3 })
            }),
            { minLength: 1, maxLength: 5 }
          ),
          { minLength: 1, maxLength: 4 }
        ),
        subscribers: fc.array(
          fc.record({
            delay: fc.integer({ min: 0, max: 6 }),
            after: fc.integer({ min: 0, max: 5 }),
            categories: fc.option(fc.subarray(["member", "class", "credit"] as const), { nil: undefined })
          }),
          { minLength: 1, maxLength: 3 }
        )
      }),
      ({ prior, subscribers, writers }) =>
        Effect.gen(function* () {
          const es = yield* eventStore
          const streams = ["school-W0", "member-W1", "class-W2", "credit-W3"]
          yield* fill(es, "school-Prior", prior, 5000)
          const head0 = yield* es.head()
          const subs = yield* Effect.forEach(subscribers, (s) =>
            Effect.gen(function* () {
              const after = Math.min(s.after, head0)
              const filter = s.categories === undefined ? {} : { categories: ["school" as const, ...s.categories] }
              const fiber = yield* Effect.forkChild(
                Effect.andThen(
                  Effect.repeat(Effect.yieldNow, { times: s.delay }),
                  untilSentinel(es.subscribe({ after, ...filter }))
                )
              )
              return { after, filter, fiber }
            })
          )
          let n = 0
          const next = (size: number) => {
            n += size
            return n - size
          }
          const plans = writers.map((steps) => steps.map((s) => ({ ...s, first: next(s.size) })))
          yield* Effect.forEach(
            plans,
            (steps) =>
              Effect.forEach(
                steps,
                (s) =>
                  Effect.andThen(
                    Effect.repeat(Effect.yieldNow, { times: s.yields }),
                    fill(es, streams[s.stream] as string, s.size, s.first)
                  ),
                { discard: true }
              ),
            { concurrency: "unbounded", discard: true }
          )
          yield* appendSentinel(es)
          yield* eachCase(subs, (s, i) =>
            Effect.gen(function* () {
              const got = yield* joinSubscription(ctx, s.fiber, `subscriber ${i}`)
              const expected = (yield* collect(es.readAll({ after: s.after, ...s.filter }))).filter(
                (r) => !isSentinel(r)
              )
              yield* equal(
                got.map(keyOf),
                expected.map(keyOf),
                `subscriber ${i} (after ${s.after}, ${JSON.stringify(s.filter)})`
              )
            })
          )
        }),
      { heavy: true }
    )
}

/**
 * The checks of this group, in the order the suite registers them.
 *
 * @category checks
 * @since 0.1.0
 */
export const subscriptionChecks: ReadonlyArray<Check> = [subscribeCatchUpThenLive, subscribeConcurrentWriters]
