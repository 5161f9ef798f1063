/**
 * The event store port: the one service every adapter (memory, file,
 * PostgreSQL, yours) implements, and that the conformance suite of
 * `@xueshi/testing` checks.
 *
 * @since 0.1.0
 */
import { Context, type Effect, type Stream } from "effect"
import type { LogRecord } from "../EventCodec.js"
import type { DomainEvent, EventType, StreamCategory } from "../Events.js"
import type { AppendError, ReadError } from "./StoreErrors.js"

/**
 * What an append expects of the stream: `any` (no check), `noStream` (the stream
 * has no event), `streamExists` (it has at least one), or an exact version (the
 * stream's current version; `0` is the same as `noStream`).
 *
 * @category models
 * @since 0.1.0
 */
export type ExpectedVersion = "any" | "noStream" | "streamExists" | number

/**
 * An event to append, with what the caller knows about it. With an `id`,
 * re-appending the same events is an idempotent no-op.
 *
 * @category models
 * @since 0.1.0
 */
export interface EventToAppend {
  readonly event: DomainEvent
  /** A UUID; recommended, it makes retries safe. */
  readonly id?: string
  /** When the event was recorded; adapters fill it from their clock when absent. */
  readonly recordedAt?: string
  readonly meta?: Readonly<Record<string, unknown>>
}

/**
 * A stored event: a log record whose version and global position are known.
 *
 * @category models
 * @since 0.1.0
 */
export type StoredEvent = LogRecord & { readonly version: number; readonly position: number }

/**
 * The result of an append: the stream's version after it and the global
 * positions of the appended events, in order.
 *
 * @category models
 * @since 0.1.0
 */
export interface AppendResult {
  readonly stream: string
  /** The stream's version after the append (the last appended event's version). */
  readonly version: number
  readonly positions: ReadonlyArray<number>
}

/**
 * How to read one stream: from version `from` to version `to` (both inclusive)
 * in the direction read, at most `limit` events. Forwards (the default) reads
 * from `from` (default 1) up to `to` (default the last version); backwards reads
 * from `from` (default the last version) down to `to` (default 1). A missing
 * stream or an empty range reads as an empty stream.
 *
 * @category models
 * @since 0.1.0
 */
export interface ReadStreamOptions {
  readonly from?: number
  readonly to?: number
  readonly direction?: "forwards" | "backwards"
  readonly limit?: number
}

/**
 * A filter of the global log: stream categories and event types (each absent = all).
 *
 * @category models
 * @since 0.1.0
 */
export interface EventFilter {
  readonly categories?: ReadonlyArray<StreamCategory>
  readonly types?: ReadonlyArray<EventType>
}

/**
 * How to read the global log: events with a position greater than `after`
 * (a checkpoint; default 0, the start), at most `limit`, optionally filtered.
 *
 * @category models
 * @since 0.1.0
 */
export interface ReadAllOptions extends EventFilter {
  readonly after?: number
  readonly limit?: number
}

/**
 * How to subscribe: from after a checkpoint, optionally filtered.
 *
 * @category models
 * @since 0.1.0
 */
export interface SubscribeOptions extends EventFilter {
  readonly after?: number
}

/**
 * The event store service.
 *
 * - `append` is atomic (all events or none) and enforces `expected` exactly.
 *   Re-appending events whose ids are all stored at the same place returns the
 *   original result and writes nothing; a partial overlap is
 *   `DuplicateEventConflict`.
 * - `readStream` and `readAll` are lazy streams that decode (and upcast) as they
 *   go, in bounded memory; `readAll` is in global position order.
 * - `subscribe` catches up from `after`, then goes live, in global order, never
 *   skipping or repeating an event whatever the writers do.
 * - `version` is a stream's current version (0 when it has no event).
 *
 * @category services
 * @since 0.1.0
 */
export class EventStore extends Context.Service<
  EventStore,
  {
    readonly append: (
      stream: string,
      events: ReadonlyArray<EventToAppend>,
      expected: ExpectedVersion
    ) => Effect.Effect<AppendResult, AppendError>
    readonly readStream: (stream: string, options?: ReadStreamOptions) => Stream.Stream<StoredEvent, ReadError>
    readonly readAll: (options?: ReadAllOptions) => Stream.Stream<StoredEvent, ReadError>
    readonly subscribe: (options?: SubscribeOptions) => Stream.Stream<StoredEvent, ReadError>
    readonly version: (stream: string) => Effect.Effect<number, ReadError>
    /**
     * The greatest global position stored (0 when empty), such that every event
     * at or below it is visible to `readAll` and `subscribe`; every event
     * committed before the call is at or below it (an adapter whose visibility
     * follows commits waits for older open transactions first).
     */
    readonly head: () => Effect.Effect<number, ReadError>
  }
>()("@xueshi/core/EventStore") {}

/**
 * Whether a record passes a filter.
 *
 * @category rules
 * @since 0.1.0
 */
export const matchesFilter = (
  filter: EventFilter,
  record: { readonly stream: string; readonly type: EventType }
): boolean => {
  if (filter.types !== undefined && !filter.types.includes(record.type)) return false
  if (filter.categories !== undefined) {
    const category = record.stream.slice(0, record.stream.indexOf("-"))
    if (!(filter.categories as ReadonlyArray<string>).includes(category)) return false
  }
  return true
}

/**
 * The versions a {@link ReadStreamOptions} selects in a stream whose version is
 * `current`: read from `start` to `end` (inclusive) stepping by `step`, at most
 * `count` events. `count` is 0 when nothing is selected.
 *
 * @category models
 * @since 0.1.0
 */
export interface StreamReadPlan {
  readonly start: number
  readonly end: number
  readonly step: 1 | -1
  readonly count: number
}

/**
 * Plans a stream read (see {@link ReadStreamOptions}): forwards from `from`
 * (default 1) up to `to` (default the last version); backwards from `from`
 * (default the last version) down to `to` (default 1); bounds are clamped to
 * `1..current` and `limit` caps the count.
 *
 * @category utils
 * @since 0.1.0
 */
export const planStreamRead = (current: number, options: ReadStreamOptions = {}): StreamReadPlan => {
  const limit = options.limit === undefined ? Number.POSITIVE_INFINITY : Math.max(0, Math.floor(options.limit))
  if (options.direction === "backwards") {
    const start = Math.min(current, options.from ?? current)
    const end = Math.max(1, options.to ?? 1)
    const count = Math.max(0, Math.min(limit, start - end + 1))
    return { start, end, step: -1, count }
  }
  const start = Math.max(1, options.from ?? 1)
  const end = Math.min(current, options.to ?? current)
  const count = Math.max(0, Math.min(limit, end - start + 1))
  return { start, end, step: 1, count }
}
