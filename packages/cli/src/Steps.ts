/**
 * Per-step times and progress bars on stderr. On a terminal (stderr is a TTY) a step that
 * takes over a second draws a progress bar (when it can measure itself) and every step prints
 * its wall time when done (`  read log 1.21 s`); piped or in tests nothing is printed, unless
 * `--timings` asks for the times (and the peak RSS), which then go to stderr as plain lines.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"

let timings = false
const started = performance.now()

/**
 * Prints step times (and {@link summary}) even when stderr is not a terminal (`--timings`).
 *
 * @category utils
 * @since 0.1.0
 */
export const setTimings = (on: boolean): void => {
  timings = on
}

const tty = () => process.stderr.isTTY === true

/**
 * How far a step is: `done` of `total` (bytes, events, …).
 *
 * @category models
 * @since 0.1.0
 */
export interface Meter {
  readonly done: number
  readonly total: number
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`

const bar = (name: string, m: Meter | undefined, ms: number) => {
  const width = 30
  if (m === undefined || m.total <= 0) return `  ${name} … ${seconds(ms)}`
  const f = Math.max(0, Math.min(1, m.done / m.total))
  const full = Math.round(f * width)
  return `  ${name} [${"█".repeat(full)}${"░".repeat(width - full)}] ${(f * 100).toFixed(0).padStart(3)}% ${seconds(ms)}`
}

/**
 * Runs an effect as a named step: a progress bar on a terminal when it lasts over a second
 * (`meter` says how far it is), then its wall time.
 *
 * @category utils
 * @since 0.1.0
 */
export const step = <A, E, R>(
  name: string,
  effect: Effect.Effect<A, E, R>,
  meter?: () => Meter | undefined
): Effect.Effect<A, E, R> =>
  Effect.suspend(() => {
    const live = tty()
    if (!live && !timings) return effect
    const start = performance.now()
    let drawn = false
    const timer = live
      ? setInterval(() => {
          const ms = performance.now() - start
          if (ms < 1000) return
          drawn = true
          process.stderr.write(`\r\x1b[K${bar(name, meter?.(), ms)}`)
        }, 150)
      : undefined
    return Effect.ensuring(
      Effect.tap(effect, () =>
        Effect.sync(() => {
          if (drawn) process.stderr.write("\r\x1b[K")
          drawn = false
          process.stderr.write(`  ${name} ${seconds(performance.now() - start)}\n`)
        })
      ),
      Effect.sync(() => {
        if (timer !== undefined) clearInterval(timer)
        if (drawn) process.stderr.write("\r\x1b[K")
        drawn = false
      })
    )
  })

/**
 * Prints the command's total wall time and the process's peak resident set size, when step
 * times are printed.
 *
 * @category utils
 * @since 0.1.0
 */
export const summary = (): Effect.Effect<void> =>
  Effect.sync(() => {
    if (!tty() && !timings) return
    const rss = process.resourceUsage().maxRSS // KiB
    process.stderr.write(`  total ${seconds(performance.now() - started)}, peak RSS ${(rss / 1024).toFixed(0)} MiB\n`)
  })
