/**
 * The read pagination every adapter writes the same way, once: a stream read
 * (`readStream`) as pages of the planned versions' positions, and a log read
 * (`readAll`) as pages of a scan after a position. An adapter supplies how it
 * reads one page; the bounds, the limit and when to stop are here.
 *
 * @since 0.1.0
 */
import { Effect, Option, Stream } from "effect"
import {
  type EventFilter,
  planStreamRead,
  type ReadAllOptions,
  type ReadStreamOptions,
  type StoredEvent
} from "./EventStore.js"

/**
 * The records of a stream read: the versions {@link planStreamRead} plans
 * over `positions` (the global position of each version, version v at index
 * v - 1), read `pageSize` at a time by `readPage` (which answers them in the
 * order given).
 *
 * @category utils
 * @since 0.1.0
 */
export const streamPages = <E, R>(
  positions: ReadonlyArray<number>,
  options: ReadStreamOptions | undefined,
  pageSize: number,
  readPage: (positions: ReadonlyArray<number>) => Effect.Effect<ReadonlyArray<StoredEvent>, E, R>
): Stream.Stream<StoredEvent, E, R> => {
  const plan = planStreamRead(positions.length, options)
  if (plan.count === 0) return Stream.empty
  // the positions of versions start, start+step, … (a snapshot of the stream as it is now)
  return Stream.paginate(0, (done: number) => {
    const n = Math.min(pageSize, plan.count - done)
    const page: Array<number> = []
    for (let i = 0; i < n; i++) page.push(positions[plan.start + plan.step * (done + i) - 1] as number)
    return Effect.map(
      readPage(page),
      (records) => [records, done + n < plan.count ? Option.some(done + n) : Option.none()] as const
    )
  })
}

/**
 * Reads a page of the log: records after `after` up to `until` matching
 * `filter`, at most `max` of them; answers them and the last position it
 * looked at (it may stop early, before `max`, to bound one page's work).
 *
 * @category models
 * @since 0.1.0
 */
export type ScanPage<E, R> = (
  after: number,
  until: number,
  filter: EventFilter,
  max: number
) => Effect.Effect<readonly [ReadonlyArray<StoredEvent>, number], E, R>

/**
 * The records of a log read up to `until` (the head when the read starts):
 * after `options.after`, matching its filter, at most `options.limit`, read by
 * `scan` at most `pageSize` at a time.
 *
 * @category utils
 * @since 0.1.0
 */
export const allPages = <E, R>(
  options: ReadAllOptions,
  until: number,
  pageSize: number,
  scan: ScanPage<E, R>
): Stream.Stream<StoredEvent, E, R> => {
  const limit = options.limit === undefined ? Number.POSITIVE_INFINITY : Math.max(0, options.limit)
  const start = Math.max(0, options.after ?? 0)
  if (limit === 0 || start >= until) return Stream.empty
  return Stream.paginate({ after: start, left: limit }, (s: { after: number; left: number }) =>
    Effect.map(scan(s.after, until, options, Math.min(pageSize, s.left)), ([records, last]) => {
      const left = s.left - records.length
      return [records, last < until && left > 0 ? Option.some({ after: last, left }) : Option.none()] as const
    })
  )
}
