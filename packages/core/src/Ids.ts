/**
 * Branded identifiers of the event log.
 *
 * Ids that name a stream (school, member, class) match the stream-id pattern of
 * event-log-v1: `[A-Za-z0-9][A-Za-z0-9._:-]{0,63}`. Session and grant ids are
 * free non-empty strings of at most 128 characters; event ids are UUIDs.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * The pattern every stream id matches.
 *
 * @since 0.1.0
 */
export const STREAM_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/

const streamId = Schema.String.check(
  Schema.makeFilter(
    (s: string) => STREAM_ID_PATTERN.test(s) || "expected an id matching [A-Za-z0-9][A-Za-z0-9._:-]{0,63}"
  )
)

const freeId = Schema.String.check(
  Schema.makeFilter(
    (s: string) =>
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects
      (s.length >= 1 && s.length <= 128 && !/[\u0000-\u001f\u007f]/.test(s)) ||
      "expected a non-empty id of at most 128 characters without control characters"
  )
)

/**
 * The id of a school (a `school-…` stream).
 *
 * @since 0.1.0
 */
export const SchoolId = streamId.pipe(Schema.brand("SchoolId"))
/**
 * The id of a school.
 *
 * @since 0.1.0
 */
export type SchoolId = typeof SchoolId.Type

/**
 * The id of a member (a `member-…` and a `credit-…` stream).
 *
 * @since 0.1.0
 */
export const MemberId = streamId.pipe(Schema.brand("MemberId"))
/**
 * The id of a member.
 *
 * @since 0.1.0
 */
export type MemberId = typeof MemberId.Type

/**
 * The id of a training class (a `class-…` stream).
 *
 * @since 0.1.0
 */
export const ClassId = streamId.pipe(Schema.brand("ClassId"))
/**
 * The id of a training class.
 *
 * @since 0.1.0
 */
export type ClassId = typeof ClassId.Type

/**
 * The id of a session, unique within its class.
 *
 * @since 0.1.0
 */
export const SessionId = freeId.pipe(Schema.brand("SessionId"))
/**
 * The id of a session.
 *
 * @since 0.1.0
 */
export type SessionId = typeof SessionId.Type

/**
 * The id of a credit grant, unique within the member's credit stream.
 *
 * @since 0.1.0
 */
export const GrantId = freeId.pipe(Schema.brand("GrantId"))
/**
 * The id of a credit grant.
 *
 * @since 0.1.0
 */
export type GrantId = typeof GrantId.Type

/**
 * The pattern of an event id (a UUID, any version, either case).
 *
 * @since 0.1.0
 */
export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

/**
 * The unique id of an event (a UUID).
 *
 * @since 0.1.0
 */
export const EventId = Schema.String.check(
  Schema.makeFilter((s: string) => UUID_PATTERN.test(s) || "expected a UUID")
).pipe(Schema.brand("EventId"))
/**
 * The unique id of an event.
 *
 * @since 0.1.0
 */
export type EventId = typeof EventId.Type
