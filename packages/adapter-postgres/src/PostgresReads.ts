/**
 * The reads of the PostgreSQL store: stream reads by version, and the global
 * feed (`readAll`, `subscribe`, `head`) by position strictly below the
 * visibility bound `<schema>.visible_bound()`, under which every transaction
 * has ended: a page read there never changes later, so paging by position
 * after the last one delivered neither skips nor repeats an event.
 *
 * The bound is the cluster's oldest open writing transaction, of any database:
 * an event committed a moment ago may lie above it. `readAll` and `head`
 * therefore first wait (up to `settleMillis`) until the bound passes the last
 * committed event, so that they answer every event committed before the call
 * (read your writes); `subscribe` just delivers each event once it is below.
 *
 * @since 0.1.0
 */
import { type EventCodec, EventStore, StoreErrors } from "@xueshi/core"
import { Clock, Deferred, Effect, Option, Stream } from "effect"
import type { SqlClient } from "effect/sql"
import type { Wakeup } from "./PostgresWakeup.js"
import { unavailable } from "./PostgresWrites.js"

/**
 * Options of reading.
 *
 * @category models
 * @since 0.1.0
 */
export interface ReaderOptions {
  /** Rows per page of a read (default 1000). */
  readonly pageSize?: number
  /** How long an idle subscription waits before it looks again without a notification (default 500 ms). */
  readonly pollMillis?: number
  /**
   * How long `readAll` and `head` wait for the transactions older than the last
   * committed event to end, so that they answer every event committed before
   * the call (default 30 s; then `StoreUnavailable`, retryable).
   */
  readonly settleMillis?: number
}

interface EventRow {
  readonly position: number
  readonly stream: string
  readonly version: number
  readonly type: string
  readonly data: unknown
  readonly meta: unknown
  readonly id: string | null
  readonly schema_version: number
  readonly recorded_at: string
}

type StoredEvent = EventStore.StoredEvent

/**
 * The read side of a store: the port's reads and the lag signal.
 *
 * @category models
 * @since 0.1.0
 */
export interface Reader {
  readonly readStream: EventStore.EventStore["Service"]["readStream"]
  readonly readAll: EventStore.EventStore["Service"]["readAll"]
  readonly subscribe: EventStore.EventStore["Service"]["subscribe"]
  readonly version: (stream: string) => Effect.Effect<number, StoreErrors.StoreUnavailable>
  readonly head: () => Effect.Effect<number, StoreErrors.StoreUnavailable>
  /** The age in ms of the oldest open transaction holding an xid (it holds readers back). */
  readonly oldestWriterAgeMillis: () => Effect.Effect<number, StoreErrors.StoreUnavailable>
}

const COLUMNS =
  "e.position::float8 AS position, e.stream, e.version, e.type, e.data, e.meta, e.id, e.schema_version, e.recorded_at"

/**
 * The reads of the store in `schema`.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeReader = (
  sql: SqlClient.SqlClient,
  schema: string,
  codec: EventCodec.EventCodec,
  wakeup: Wakeup,
  options: ReaderOptions
): Reader => {
  const pageSize = Math.max(1, options.pageSize ?? 1000)
  const pollMillis = Math.max(1, options.pollMillis ?? 500)
  const settleMillis = Math.max(0, options.settleMillis ?? 30_000)

  const decode = (rows: ReadonlyArray<EventRow>): Effect.Effect<Array<StoredEvent>, StoreErrors.StoreCorrupted> =>
    Effect.suspend(() => {
      const out: Array<StoredEvent> = new Array(rows.length)
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i] as EventRow
        const json: Record<string, unknown> = {
          stream: r.stream,
          type: r.type,
          data: r.data,
          version: r.version,
          schemaVersion: r.schema_version,
          recordedAt: r.recorded_at,
          position: r.position
        }
        if (r.id !== null) json.id = r.id
        if (r.meta !== null && r.meta !== undefined) json.meta = r.meta
        const decoded = codec.decodeRecord(json)
        if (decoded._tag === "Failure") {
          const v = decoded.failure
          return Effect.fail(
            new StoreErrors.StoreCorrupted({
              message: `the event at position ${r.position} does not decode: ${v.rule} at ${v.path}: ${v.message}`,
              location: `${schema}.events position ${r.position}`
            })
          )
        }
        out[i] = decoded.success as StoredEvent
      }
      return Effect.succeed(out)
    })

  const filterSql = (filter: EventStore.EventFilter, params: Array<unknown>): string => {
    let where = ""
    if (filter.categories !== undefined) {
      params.push(JSON.stringify(filter.categories))
      // the same category as EventStore.matchesFilter: the text before the first "-"
      where += ` AND left(e.stream, strpos(e.stream, '-') - 1) IN (SELECT json_array_elements_text($${params.length}::json))`
    }
    if (filter.types !== undefined) {
      params.push(JSON.stringify(filter.types))
      where += ` AND e.type IN (SELECT json_array_elements_text($${params.length}::json))`
    }
    return where
  }

  const isFiltered = (f: EventStore.EventFilter) => f.categories !== undefined || f.types !== undefined

  const version = (stream: string): Effect.Effect<number, StoreErrors.StoreUnavailable> =>
    sql.unsafe<{ version: number }>(`SELECT version FROM ${schema}.streams WHERE stream = $1`, [stream]).pipe(
      Effect.map((rows) => rows[0]?.version ?? 0),
      Effect.mapError(unavailable(`version of ${stream}`))
    )

  const bound = (): Effect.Effect<number, StoreErrors.StoreUnavailable> =>
    sql.unsafe<{ bound: number }>(`SELECT ${schema}.visible_bound()::float8 AS bound`).pipe(
      Effect.map((rows) => rows[0]?.bound ?? 0),
      Effect.mapError(unavailable("visibility bound"))
    )

  /**
   * The last committed event and a bound above it: an event committed before the
   * call may still lie above the visibility bound while an older transaction (of
   * any database of the cluster: transaction ids are the cluster's) is open; wait
   * for it to end, so that a finite read answers every event committed before it.
   */
  const settled = (): Effect.Effect<{ last: number; bound: number }, StoreErrors.StoreUnavailable> =>
    Effect.gen(function* () {
      const rows = yield* sql
        .unsafe<{ last: number; bound: number }>(
          `SELECT coalesce((SELECT e.position FROM ${schema}.events e ORDER BY e.position DESC LIMIT 1), 0)::float8 AS last,
                  ${schema}.visible_bound()::float8 AS bound`
        )
        .pipe(Effect.mapError(unavailable("head")))
      const last = rows[0]?.last ?? 0
      let b = rows[0]?.bound ?? 0
      const until = (yield* Clock.currentTimeMillis) + settleMillis
      let wait = 1
      while (b <= last) {
        if ((yield* Clock.currentTimeMillis) >= until) {
          return yield* new StoreErrors.StoreUnavailable({
            message:
              `the global log of ${schema} is held back: a transaction older than its last event has been open ` +
              `for over ${settleMillis} ms (see oldestWriterAgeMillis)`
          })
        }
        yield* Effect.sleep(wait)
        wait = Math.min(50, wait * 2)
        b = yield* bound()
      }
      return { last, bound: b }
    })

  const head = (): Effect.Effect<number, StoreErrors.StoreUnavailable> => Effect.map(settled(), (s) => s.last)

  const readStream: EventStore.EventStore["Service"]["readStream"] = (stream, readOptions) =>
    Stream.unwrap(
      Effect.map(version(stream), (current) => {
        const plan = EventStore.planStreamRead(current, readOptions)
        if (plan.count === 0) return Stream.empty
        const forwards = plan.step === 1
        const text = `SELECT ${COLUMNS} FROM ${schema}.events e WHERE e.stream = $1 AND e.version ${forwards ? ">=" : "<="} $2
                      ORDER BY e.version ${forwards ? "ASC" : "DESC"} LIMIT $3`
        return Stream.paginate(0, (done: number) => {
          const n = Math.min(pageSize, plan.count - done)
          return sql.unsafe<EventRow>(text, [stream, plan.start + plan.step * done, n]).pipe(
            Effect.mapError(unavailable(`read of ${stream}`)),
            Effect.flatMap(decode),
            Effect.flatMap((records) =>
              records.length < n
                ? Effect.fail(
                    new StoreErrors.StoreCorrupted({
                      message: `${stream} holds fewer events than its version ${current} says`,
                      location: `${schema}.events stream ${stream}`
                    })
                  )
                : Effect.succeed([records, done + n < plan.count ? Option.some(done + n) : Option.none()] as const)
            )
          )
        })
      })
    )

  /** One page of the feed after `after` below the bound (`until`, or the current bound). */
  const page = (after: number, filter: EventStore.EventFilter, limit: number, until: number | undefined) => {
    const params: Array<unknown> = [after, limit]
    const where = filterSql(filter, params)
    const boundSql = until === undefined ? `${schema}.visible_bound()` : `$${params.push(until)}::bigint`
    const text = `WITH b AS (SELECT ${boundSql} AS bound)
      SELECT b.bound::float8 AS bound, p.* FROM b LEFT JOIN LATERAL (
        SELECT ${COLUMNS} FROM ${schema}.events e
         WHERE e.position > $1 AND e.position < b.bound${where}
         ORDER BY e.position LIMIT $2) p ON true`
    return sql.unsafe<EventRow & { bound: number }>(text, params).pipe(
      Effect.mapError(unavailable("read of the global log")),
      Effect.flatMap((rows) => {
        const b = rows[0]?.bound ?? 0
        const present = rows.filter((r) => r.position !== null)
        return Effect.map(decode(present), (records) => ({ records, bound: b }))
      })
    )
  }

  /** Where the next page starts: past the last record, or (filtered, short page) up to the bound. */
  const nextAfter = (
    after: number,
    got: { records: ReadonlyArray<StoredEvent>; bound: number },
    limit: number,
    filtered: boolean
  ) => {
    const last = got.records.length > 0 ? (got.records[got.records.length - 1] as StoredEvent).position : after
    return filtered && got.records.length < limit ? Math.max(last, got.bound - 1) : last
  }

  const readAll: EventStore.EventStore["Service"]["readAll"] = (readOptions = {}) =>
    Stream.unwrap(
      Effect.map(settled(), ({ bound: until }) => {
        const limit = readOptions.limit === undefined ? Number.POSITIVE_INFINITY : Math.max(0, readOptions.limit)
        const start = Math.max(0, readOptions.after ?? 0)
        if (limit === 0 || start >= until - 1) return Stream.empty
        const filtered = isFiltered(readOptions)
        return Stream.paginate({ after: start, left: limit }, (s: { after: number; left: number }) => {
          const n = Math.min(pageSize, s.left)
          return Effect.map(page(s.after, readOptions, n, until), (got) => {
            const left = s.left - got.records.length
            const more = got.records.length === n && left > 0
            return [
              got.records,
              more ? Option.some({ after: nextAfter(s.after, got, n, filtered), left }) : Option.none()
            ] as const
          })
        })
      })
    )

  const subscribe: EventStore.EventStore["Service"]["subscribe"] = (subscribeOptions = {}) => {
    const filtered = isFiltered(subscribeOptions)
    return Stream.paginate(Math.max(0, subscribeOptions.after ?? 0), (after: number) =>
      Effect.gen(function* () {
        const signal = wakeup.current() // before the read: an append after it completes this signal
        const got = yield* page(after, subscribeOptions, pageSize, undefined)
        const next = nextAfter(after, got, pageSize, filtered)
        if (got.records.length === 0 && next === after) {
          yield* Effect.raceFirst(Deferred.await(signal), Effect.sleep(pollMillis))
        }
        return [got.records, Option.some(next)] as const
      })
    )
  }

  const oldestWriterAgeMillis = (): Effect.Effect<number, StoreErrors.StoreUnavailable> =>
    sql
      .unsafe<{ age: number }>(
        `SELECT coalesce(extract(epoch FROM max(clock_timestamp() - xact_start)) * 1000, 0)::float8 AS age
           FROM pg_stat_activity WHERE backend_xid IS NOT NULL`
      )
      .pipe(
        Effect.map((rows) => rows[0]?.age ?? 0),
        Effect.mapError(unavailable("oldest writing transaction"))
      )

  return { readStream, readAll, subscribe, version, head, oldestWriterAgeMillis }
}
