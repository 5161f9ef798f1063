/**
 * The typed errors of the store port. Nothing else escapes an adapter as a
 * defect: a failing backend is `StoreUnavailable` (retryable) or
 * `StoreCorrupted` (not retryable).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * An append's expected version does not hold. `expected` is `any`, `noStream`,
 * `streamExists` or an exact version; `actual` is the stream's version (0: no stream).
 *
 * @category errors
 * @since 0.1.0
 */
export class WrongExpectedVersion extends Schema.TaggedError<WrongExpectedVersion>()("WrongExpectedVersion", {
  stream: Schema.String,
  expected: Schema.Union([Schema.Literals(["any", "noStream", "streamExists"]), Schema.Int]),
  actual: Schema.Int
}) {}

/**
 * Some, not all, of an append's event ids are already stored, or stored
 * elsewhere than this append would put them, or repeated within the append.
 *
 * @category errors
 * @since 0.1.0
 */
export class DuplicateEventConflict extends Schema.TaggedError<DuplicateEventConflict>()("DuplicateEventConflict", {
  stream: Schema.String,
  eventId: Schema.String,
  message: Schema.String
}) {}

/**
 * An event to append does not encode: it fails its schema, or it does not
 * belong to the stream. Names the event's index in the append, the rule and the path.
 *
 * @category errors
 * @since 0.1.0
 */
export class EventEncodingError extends Schema.TaggedError<EventEncodingError>()("EventEncodingError", {
  stream: Schema.String,
  index: Schema.Int,
  rule: Schema.String,
  path: Schema.String,
  message: Schema.String
}) {}

/**
 * The backend cannot be reached or refused the operation for a passing reason
 * (connection lost, disk full, lock timeout). Retryable; nothing was half-written.
 *
 * @category errors
 * @since 0.1.0
 */
export class StoreUnavailable extends Schema.TaggedError<StoreUnavailable>()("StoreUnavailable", {
  message: Schema.String,
  cause: Schema.optionalKey(Schema.Defect())
}) {}

/**
 * The store was opened read-only (a follower) and was asked to write. Carried
 * as the `cause` of a `StoreUnavailable` (the error type of the ports), which is
 * then permanent: retrying cannot help, so runners stop at once (see
 * {@link isPermanentlyUnavailable}). `operation` names what was refused.
 *
 * @category errors
 * @since 0.1.0
 */
export class StoreReadOnly extends Schema.TaggedError<StoreReadOnly>()("StoreReadOnly", {
  operation: Schema.String,
  message: Schema.String
}) {}

/**
 * Whether an error is a `StoreUnavailable` that retrying cannot cure: one
 * caused by {@link StoreReadOnly}.
 *
 * @category guards
 * @since 0.1.0
 */
export const isPermanentlyUnavailable = (e: unknown): boolean =>
  e instanceof StoreUnavailable &&
  typeof e.cause === "object" &&
  e.cause !== null &&
  (e.cause as { _tag?: unknown })._tag === "StoreReadOnly"

/**
 * Stored data is not what the store wrote (bad checksum, undecodable record, a
 * version gap). Not retryable; `location` names where (segment, offset, line, row).
 *
 * @category errors
 * @since 0.1.0
 */
export class StoreCorrupted extends Schema.TaggedError<StoreCorrupted>()("StoreCorrupted", {
  message: Schema.String,
  location: Schema.optionalKey(Schema.String)
}) {}

/**
 * Errors of reading.
 *
 * @category models
 * @since 0.1.0
 */
export type ReadError = StoreUnavailable | StoreCorrupted

/**
 * Errors of appending.
 *
 * @category models
 * @since 0.1.0
 */
export type AppendError = WrongExpectedVersion | DuplicateEventConflict | EventEncodingError | ReadError
