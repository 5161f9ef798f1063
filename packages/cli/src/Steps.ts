/**
 * Per-step times on stderr, on a terminal only (quiet when piped or in tests): `read log 1.2 s`.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"

/**
 * Runs an effect as a named step, printing its wall time to stderr when stderr is a TTY.
 *
 * @since 0.1.0
 */
export const step = <A, E, R>(name: string, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.suspend(() => {
    if (process.stderr.isTTY !== true) return effect
    const start = performance.now()
    return Effect.tap(effect, () =>
      Effect.sync(() => process.stderr.write(`  ${name} ${((performance.now() - start) / 1000).toFixed(2)} s\n`))
    )
  })
