/**
 * The harness of the conformance suite: the context a check runs in, typed
 * assertion failures, fresh stores per check and per property case, and
 * fast-check properties run as effects.
 *
 * @since 0.1.0
 */
import type { CheckpointStore, EventCodec, EventStore } from "@xueshi/core"
import { Cause, Data, Effect, Exit, type Layer, type Scope } from "effect"
import fc from "fast-check"

/**
 * The services an adapter's layer provides.
 *
 * @category models
 * @since 0.1.0
 */
export type StoreServices =
  | EventStore.EventStore
  | CheckpointStore.CheckpointStore
  | CheckpointStore.ProjectionStore
  | CheckpointStore.SnapshotStore

/**
 * For adapters that persist: how to get fresh storage (a temporary directory,
 * a database schema…) and how to open a store over it, possibly several times
 * one after the other and with a given codec. The suite uses it to check that
 * everything survives a close and reopen, and that reads upcast.
 *
 * @category models
 * @since 0.1.0
 */
export interface Reopen<S> {
  /** Acquires fresh, empty storage; released when the scope closes. */
  readonly storage: Effect.Effect<S, unknown, Scope.Scope>
  /** A store over `storage` that reads and writes with `options.codec` (default: event-log-v1). */
  readonly makeLayer: (
    storage: S,
    options: { readonly codec?: EventCodec.EventCodec }
  ) => Layer.Layer<StoreServices, unknown>
}

/**
 * Options of the conformance suite.
 *
 * @category models
 * @since 0.1.0
 */
export interface ConformanceOptions<S = any> {
  /** Cases per property (default: fast-check's global numRuns, `XUESHI_NUM_RUNS`). */
  readonly numRuns?: number
  /** Cases per heavy concurrency property (default: a quarter of numRuns, at least 10). */
  readonly concurrencyRuns?: number
  /** Stop a failing property at its first counterexample instead of shrinking it. */
  readonly endOnFailure?: boolean
  /** A fast-check seed, to replay a failure. */
  readonly seed?: number
  /** How long a check waits for a subscription or a runner before it calls it stuck (default 10 s). */
  readonly waitMillis?: number
  /** Characters of the large payload (default 1 000 000). */
  readonly largePayloadChars?: number
  /** Vitest timeout of each check, in milliseconds (default 120 000). */
  readonly timeout?: number
  /** Enables the checks that close and reopen a store (durability, upcasting on read). */
  readonly reopen?: Reopen<S>
  /** The adapter's layer provides the optional `AppendBatch` service: enables its checks. */
  readonly appendBatch?: boolean
}

/**
 * What a check runs with.
 *
 * @category models
 * @since 0.1.0
 */
export interface CheckContext {
  readonly makeLayer: () => Layer.Layer<StoreServices, unknown>
  readonly numRuns: number
  readonly concurrencyRuns: number
  readonly endOnFailure: boolean
  readonly seed: number | undefined
  readonly waitMillis: number
  readonly largePayloadChars: number
  readonly reopen: Reopen<any> | undefined
}

/**
 * A check failed: what was expected and what happened.
 *
 * @category errors
 * @since 0.1.0
 */
export class ConformanceFailure extends Data.TaggedError("ConformanceFailure")<{
  readonly check: string
  readonly message: string
}> {}

/**
 * Resolves options into a context.
 *
 * @category utils
 * @since 0.1.0
 */
export const contextOf = (
  makeLayer: () => Layer.Layer<StoreServices, unknown>,
  options: ConformanceOptions = {}
): CheckContext => {
  const numRuns = options.numRuns ?? fc.readConfigureGlobal().numRuns ?? 100
  return {
    makeLayer,
    numRuns,
    concurrencyRuns: options.concurrencyRuns ?? Math.max(10, Math.ceil(numRuns / 4)),
    endOnFailure: options.endOnFailure ?? false,
    seed: options.seed,
    waitMillis: options.waitMillis ?? 10_000,
    largePayloadChars: options.largePayloadChars ?? 1_000_000,
    reopen: options.reopen
  }
}

const fail = (message: string) => new ConformanceFailure({ check: "", message })

const describeValue = (u: unknown, max = 300): string => {
  try {
    const text = JSON.stringify(u, jsonReplacer)
    return text === undefined ? String(u) : text.length > max ? `${text.slice(0, max)}…` : text
  } catch {
    return String(u)
  }
}

/**
 * Fails the check with `message`.
 *
 * @category utils
 * @since 0.1.0
 */
export const failWith = (message: string): Effect.Effect<never, ConformanceFailure> => Effect.fail(fail(message))

/** Maps and Sets as JSON (`JSON.stringify` writes both as `{}`): their entries, in a stable order. */
const jsonReplacer = (_key: string, v: unknown): unknown => {
  if (v instanceof Map) {
    const entries = [...v].map(([k, x]) => [JSON.stringify(k, jsonReplacer), x] as const)
    entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    return { $map: entries }
  }
  if (v instanceof Set) return { $set: [...v].map((x) => JSON.stringify(x, jsonReplacer)).sort() }
  return v
}

/** JSON form of a value (undefined fields dropped; Maps and Sets by their entries), for comparisons and messages. */
const normal = (u: unknown): unknown => (u === undefined ? undefined : JSON.parse(JSON.stringify(u, jsonReplacer)))

const sameJson = (a: unknown, b: unknown): boolean => {
  if (a === b) return true
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i]))
  const ka = Object.keys(a)
  const kb = Object.keys(b)
  return (
    ka.length === kb.length &&
    ka.every(
      (k) => Object.hasOwn(b, k) && sameJson((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])
    )
  )
}

/**
 * Expects deep equality of the JSON forms (fields that are `undefined` do not
 * count, like vitest's `toEqual`).
 *
 * @category utils
 * @since 0.1.0
 */
export const equal = <A>(actual: A, expected: A, what: string): Effect.Effect<void, ConformanceFailure> =>
  Effect.suspend(() => {
    const a = normal(actual)
    const e = normal(expected)
    return sameJson(a, e)
      ? Effect.void
      : failWith(`${what}: expected ${describeValue(e, 2000)}, got ${describeValue(a, 2000)}`)
  })

/**
 * Expects a condition.
 *
 * @category utils
 * @since 0.1.0
 */
export const truthy = (condition: boolean, what: string): Effect.Effect<void, ConformanceFailure> =>
  condition ? Effect.void : failWith(what)

/**
 * Expects `effect` to fail with an error tagged `tag`; answers the error.
 *
 * @category utils
 * @since 0.1.0
 */
export const failsWith = <A, E, R>(
  effect: Effect.Effect<A, E, R>,
  tag: string,
  what: string
): Effect.Effect<E, ConformanceFailure, R> =>
  Effect.flatMap(Effect.exit(effect), (exit) => {
    if (Exit.isSuccess(exit))
      return failWith(`${what}: expected ${tag}, but it succeeded with ${describeValue(exit.value)}`)
    const error = Cause.findErrorOption(exit.cause)
    if (error._tag === "Some") {
      const e = error.value as { readonly _tag?: unknown }
      if (e._tag === tag) return Effect.succeed(error.value)
      return failWith(`${what}: expected ${tag}, got ${String(e._tag)}: ${describeValue(error.value)}`)
    }
    return failWith(`${what}: expected ${tag}, got ${Cause.pretty(exit.cause)}`)
  })

/**
 * Runs `effect` with a fresh store from `makeLayer`, in a scope closed at the end.
 *
 * @category utils
 * @since 0.1.0
 */
export const withStore = <A, E>(
  makeLayer: () => Layer.Layer<StoreServices, unknown>,
  effect: Effect.Effect<A, E, StoreServices | Scope.Scope>
): Effect.Effect<A, unknown> => Effect.scoped(Effect.provide(Effect.scoped(effect), makeLayer()))

/**
 * Fails with a {@link ConformanceFailure} if `effect` takes longer than the
 * context's wait (a stuck subscription or runner).
 *
 * @category utils
 * @since 0.1.0
 */
export const within = <A, E, R>(
  ctx: CheckContext,
  effect: Effect.Effect<A, E, R>,
  what: string
): Effect.Effect<A, E | ConformanceFailure, R> =>
  Effect.timeoutOrElse(effect, {
    duration: ctx.waitMillis,
    orElse: () => failWith(`${what}: nothing happened for ${ctx.waitMillis} ms (stuck)`)
  })

/**
 * Runs a fast-check property whose body is an effect over a fresh store per case.
 *
 * @category utils
 * @since 0.1.0
 */
export const property = <T>(
  ctx: CheckContext,
  arbitrary: fc.Arbitrary<T>,
  body: (value: T) => Effect.Effect<void, unknown, StoreServices | Scope.Scope>,
  options: { readonly heavy?: boolean } = {}
): Effect.Effect<void, ConformanceFailure> =>
  Effect.tryPromise({
    try: () =>
      fc.assert(
        fc.asyncProperty(arbitrary, async (value) => {
          const exit = await Effect.runPromiseExit(withStore(ctx.makeLayer, body(value)))
          if (Exit.isFailure(exit)) {
            const error = Cause.findErrorOption(exit.cause)
            throw new Error(
              error._tag === "Some" && error.value instanceof ConformanceFailure
                ? error.value.message
                : Cause.pretty(exit.cause)
            )
          }
        }),
        {
          numRuns: options.heavy === true ? ctx.concurrencyRuns : ctx.numRuns,
          endOnFailure: ctx.endOnFailure,
          ...(ctx.seed === undefined ? {} : { seed: ctx.seed })
        }
      ),
    catch: (e) => fail(e instanceof Error ? e.message : String(e))
  })
