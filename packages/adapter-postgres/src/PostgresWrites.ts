/**
 * The append of the PostgreSQL store: the shared append rules
 * (`AppendRules`) validate and encode the events in the process, then ONE
 * call of `<schema>.append(stream, expected, events)` checks idempotency and
 * the expected version under the stream's advisory lock and writes, in one
 * transaction. Events travel as one JSON parameter, never in the SQL text.
 *
 * @since 0.1.0
 */
import { AppendRules, type EventCodec, type EventStore, StoreErrors } from "@xueshi/core"
import { Clock, Effect, Result } from "effect"
import type { SqlClient } from "effect/sql"
import type { SqlError } from "effect/sql/SqlError"
import { MAX_EVENTS_PER_APPEND } from "./PostgresSchema.js"

interface AppendRow {
  readonly status: "ok" | "found" | "wrong"
  readonly current_version: number
  readonly first_position: number | null
  readonly found: ReadonlyArray<readonly [string, string, number, number]> | null
}

/**
 * A failed statement as the port's retryable error.
 *
 * @category utils
 * @since 0.1.0
 */
export const unavailable = (what: string) => (error: SqlError) =>
  new StoreErrors.StoreUnavailable({ message: `${what}: ${error.message}`, cause: error })

const isIdViolation = (error: SqlError): boolean =>
  error.reason._tag === "UniqueViolation" ||
  (error.reason.cause as { readonly code?: unknown } | undefined)?.code === "23505"

/**
 * The JSON parameter of `<schema>.append`: the events validated and encoded by
 * the shared append rules (`AppendRules.encodeAppend`), as stored records.
 *
 * @category codecs
 * @since 0.1.0
 */
export const encodeEvents = (
  stream: string,
  events: ReadonlyArray<EventStore.EventToAppend>,
  recordedAt: string,
  codec: EventCodec.EventCodec
): Result.Result<string, StoreErrors.EventEncodingError> =>
  Result.map(AppendRules.encodeAppend(stream, events, 0, 0, recordedAt, codec), (records) =>
    JSON.stringify(records.map((r) => codec.encodeRecord(r)))
  )

/**
 * Makes the `append` of the store in `schema`; `onAppended` runs after each
 * successful write (it wakes this process's subscribers).
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeAppend = (
  sql: SqlClient.SqlClient,
  schema: string,
  codec: EventCodec.EventCodec,
  onAppended: () => void
): EventStore.EventStore["Service"]["append"] => {
  const text = `SELECT status, current_version, first_position::float8 AS first_position, found FROM ${schema}.append($1, $2, $3::json)`
  const call = (stream: string, expected: EventStore.ExpectedVersion, payload: string) =>
    sql.unsafe<AppendRow>(text, [stream, String(expected), payload])
  return (stream, events, expected) =>
    Effect.gen(function* () {
      // ids repeated within the append: refused before anything is looked up
      const inner = AppendRules.checkIdempotency(stream, events, () => undefined)
      if (inner._tag === "Conflict") return yield* inner.error
      if (events.length > MAX_EVENTS_PER_APPEND) {
        return yield* new StoreErrors.EventEncodingError({
          stream,
          index: MAX_EVENTS_PER_APPEND,
          rule: "append.size",
          path: "",
          message: `${events.length} events in one append; the PostgreSQL store takes at most ${MAX_EVENTS_PER_APPEND}`
        })
      }
      const millis = yield* Clock.currentTimeMillis
      const encoded = encodeEvents(stream, events, new Date(millis).toISOString(), codec)
      if (encoded._tag === "Failure") return yield* encoded.failure
      const payload = encoded.success
      // a concurrent append of the same ids to another stream loses on the unique index: ask again
      const rows = yield* call(stream, expected, payload).pipe(
        Effect.catchIf(isIdViolation, () => call(stream, expected, payload)),
        Effect.mapError(unavailable(`append to ${stream}`))
      )
      const row = rows[0]
      if (row === undefined) {
        return yield* new StoreErrors.StoreUnavailable({ message: `append to ${stream}: no answer row` })
      }
      if (row.status === "found") {
        const stored = new Map<string, AppendRules.StoredIdLocation>()
        for (const [id, s, version, position] of row.found ?? []) {
          stored.set(id.toLowerCase(), { stream: s, version, position })
        }
        const verdict = AppendRules.checkIdempotency(stream, events, (id) => stored.get(id.toLowerCase()))
        if (verdict._tag === "Retry") return verdict.result
        if (verdict._tag === "Conflict") return yield* verdict.error
        return yield* new StoreErrors.StoreUnavailable({ message: `append to ${stream}: ids found, then not` })
      }
      if (row.status === "wrong") {
        return yield* AppendRules.checkExpectedVersion(stream, expected, row.current_version) ??
          new StoreErrors.WrongExpectedVersion({ stream, expected, actual: row.current_version })
      }
      const first = row.first_position
      if (first === null) return { stream, version: row.current_version, positions: [] }
      onAppended()
      const positions: Array<number> = new Array(events.length)
      for (let i = 0; i < events.length; i++) positions[i] = first + i
      return { stream, version: row.current_version, positions }
    })
}
