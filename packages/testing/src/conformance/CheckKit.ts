/**
 * What the checks of the conformance suite share: the shape of a check, the
 * store's services, small fixtures over the port (fill a stream, snapshot the
 * store), the one case loop every table of cases runs through, and reading a
 * subscription up to a sentinel event (so that a lost or repeated event shows as
 * a wrong list, never as a wait).
 *
 * @since 0.1.0
 */
import { EventStore, type StoreErrors } from "@xueshi/core"
import { Effect, Fiber, Stream } from "effect"
import * as F from "./Fixtures.js"
import { type CheckContext, equal, within } from "./Harness.js"

/**
 * A check of the suite.
 *
 * @category models
 * @since 0.1.0
 */
export interface Check {
  /** A stable id, such as `append.expectedVersion.newStream`. */
  readonly id: string
  /** The vitest `describe` it is registered under. */
  readonly group: string
  /** The vitest test title. */
  readonly title: string
  /** Runs a heavy property (longer, fewer cases). */
  readonly heavy?: boolean
  /** Needs the `reopen` option (reported as skipped, with the reason, without it). */
  readonly needsReopen?: boolean
  /** Needs the `appendBatch` option: the adapter provides `AppendBatch` (reported as skipped, with the reason, without it). */
  readonly needsAppendBatch?: boolean
  readonly run: (ctx: CheckContext) => Effect.Effect<void, unknown>
}

/**
 * The event store service, as the store a check uses.
 *
 * @category models
 * @since 0.1.0
 */
export type Store = EventStore.EventStore["Service"]

/**
 * The event store of the current layer.
 *
 * @category checks
 * @since 0.1.0
 */
export const eventStore = Effect.service(EventStore.EventStore)

/**
 * Everything a (finite) stream emits, as an array.
 *
 * @category checks
 * @since 0.1.0
 */
export const collect = <A, E, R>(s: Stream.Stream<A, E, R>) => Stream.runCollect(s)

/**
 * A record as `stream@version#position`, to compare lists of records.
 *
 * @category checks
 * @since 0.1.0
 */
export const keyOf = (r: { readonly stream: string; readonly version: number; readonly position: number }) =>
  `${r.stream}@${r.version}#${r.position}`

/**
 * Whether the numbers strictly increase.
 *
 * @category checks
 * @since 0.1.0
 */
export const strictlyIncreasing = (xs: ReadonlyArray<number>) =>
  xs.every((x, i) => i === 0 || x > (xs[i - 1] as number))

/**
 * Appends `count` numbered events (`first`, `first + 1`, …) to a stream, expecting any version.
 *
 * @category checks
 * @since 0.1.0
 */
export const fill = (
  es: Store,
  stream: string,
  count: number,
  first = 1
): Effect.Effect<unknown, StoreErrors.AppendError> =>
  count === 0
    ? Effect.void
    : es.append(
        stream,
        F.toAppend(
          stream,
          Array.from({ length: count }, (_, i) => first + i)
        ),
        "any"
      )

/**
 * The versions `readStream` returns for a stream.
 *
 * @category checks
 * @since 0.1.0
 */
export const versionsOf = (es: Store, stream: string) =>
  Effect.map(collect(es.readStream(stream)), (rs) => rs.map((r) => r.version))

/**
 * The head and the number of events of the store.
 *
 * @category checks
 * @since 0.1.0
 */
export const snapshotOf = (es: Store) =>
  Effect.gen(function* () {
    return { head: yield* es.head(), all: (yield* collect(es.readAll())).length }
  })

/**
 * Fails unless the store's head and event count are still `before`'s.
 *
 * @category checks
 * @since 0.1.0
 */
export const expectNothingWritten = (
  es: Store,
  before: { readonly head: number; readonly all: number },
  what: string
) =>
  Effect.gen(function* () {
    yield* equal(yield* es.head(), before.head, `${what}: head after a failed append`)
    yield* equal((yield* collect(es.readAll())).length, before.all, `${what}: events in readAll after a failed append`)
  })

/**
 * THE case loop: runs `body` for every case of a table, one after the other, in
 * order (the first failing case fails the check, its message naming the case).
 *
 * @category checks
 * @since 0.1.0
 */
export const eachCase = <C, E, R>(
  cases: ReadonlyArray<C>,
  body: (c: C, index: number) => Effect.Effect<unknown, E, R>
): Effect.Effect<void, E, R> => Effect.forEach(cases, body, { discard: true })

/**
 * The stream of the sentinel event that ends a subscription under test.
 *
 * @category constants
 * @since 0.1.0
 */
export const SENTINEL = "school-Sentinel"

/**
 * Whether a record is a sentinel event (of any category: `<category>-Sentinel`).
 *
 * @category guards
 * @since 0.1.0
 */
export const isSentinel = (r: { readonly stream: string }): boolean => r.stream.endsWith("-Sentinel")

/**
 * Appends a sentinel event (numbered `n`, on `stream`), after which every
 * subscription started before has delivered everything it will deliver of what
 * came before it.
 *
 * @category checks
 * @since 0.1.0
 */
export const appendSentinel = (es: Store, n = 7000, stream = SENTINEL) => fill(es, stream, 1, n)

/**
 * A subscription read up to (not including) the first sentinel event: run it in
 * a fiber, append the events under test, then {@link appendSentinel}, then
 * {@link joinSubscription}.
 *
 * @category checks
 * @since 0.1.0
 */
export const untilSentinel = <E, R>(subscription: Stream.Stream<EventStore.StoredEvent, E, R>) =>
  subscription.pipe(
    Stream.takeUntil(isSentinel),
    collect,
    Effect.map((rs) => rs.filter((r) => !isSentinel(r)))
  )

/**
 * Waits for a subscription fiber started with {@link untilSentinel}. The wait
 * is the context's guard against a dead adapter (a subscription that never
 * delivers the sentinel); it decides nothing for a live one.
 *
 * @category checks
 * @since 0.1.0
 */
export const joinSubscription = <A, E>(ctx: CheckContext, fiber: Fiber.Fiber<A, E>, what: string) =>
  within(ctx, Fiber.join(fiber), what)
