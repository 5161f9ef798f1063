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
 * @category constants
 * @since 0.1.0
 */
export const STREAM_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/

const streamId = Schema.String.check(
  Schema.makeFilter(
    (s: string) => STREAM_ID_PATTERN.test(s) || "expected an id matching [A-Za-z0-9][A-Za-z0-9._:-]{0,63}",
    { toJsonSchema: () => ({ pattern: STREAM_ID_PATTERN.source }) }
  )
)

const freeId = Schema.String.check(
  Schema.makeFilter(
    (s: string) =>
      // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it rejects
      (s.length >= 1 && s.length <= 128 && !/[\u0000-\u001f\u007f]/.test(s)) ||
      "expected a non-empty id of at most 128 characters without control characters",
    {
      // JSON Schema counts code points, the filter UTF-16 units: a looser bound for astral characters
      toJsonSchema: () => [{ minLength: 1, maxLength: 128, pattern: "^[^\\u0000-\\u001f\\u007f]*$" }, true]
    }
  )
)

/**
 * The id of a school (a `school-…` stream).
 *
 * @category values
 * @since 0.1.0
 */
export const SchoolId = streamId.pipe(Schema.brand("SchoolId")).annotate({
  title: "SchoolId",
  description: "The id of a school: the id of its school-… stream."
})
/**
 * The id of a school.
 *
 * @category models
 * @since 0.1.0
 */
export type SchoolId = typeof SchoolId.Type

/**
 * The id of a member (a `member-…` and a `credit-…` stream).
 *
 * @category values
 * @since 0.1.0
 */
export const MemberId = streamId.pipe(Schema.brand("MemberId")).annotate({
  title: "MemberId",
  description: "The id of a member: the id of its member-… and credit-… streams."
})
/**
 * The id of a member.
 *
 * @category models
 * @since 0.1.0
 */
export type MemberId = typeof MemberId.Type

/**
 * The id of a training class (a `class-…` stream).
 *
 * @category values
 * @since 0.1.0
 */
export const ClassId = streamId.pipe(Schema.brand("ClassId")).annotate({
  title: "ClassId",
  description: "The id of a training class: the id of its class-… stream."
})
/**
 * The id of a training class.
 *
 * @category models
 * @since 0.1.0
 */
export type ClassId = typeof ClassId.Type

/**
 * The id of a session, unique within its class.
 *
 * @category values
 * @since 0.1.0
 */
export const SessionId = freeId.pipe(Schema.brand("SessionId")).annotate({
  title: "SessionId",
  description:
    "The id of a session, unique within its class: 1–128 UTF-16 code units without control characters (JSON Schema counts code points, so it accepts some longer ids with astral characters that the decoder rejects)."
})
/**
 * The id of a session.
 *
 * @category models
 * @since 0.1.0
 */
export type SessionId = typeof SessionId.Type

/**
 * The id of a credit grant, unique within the member's credit stream.
 *
 * @category values
 * @since 0.1.0
 */
export const GrantId = freeId.pipe(Schema.brand("GrantId")).annotate({
  title: "GrantId",
  description:
    "The id of a credit grant, unique within the member's credit stream (uniqueness is checked by import, not by the schema): 1–128 UTF-16 code units without control characters."
})
/**
 * The id of a credit grant.
 *
 * @category models
 * @since 0.1.0
 */
export type GrantId = typeof GrantId.Type

/**
 * The pattern of an event id (a UUID, any version, either case).
 *
 * @category constants
 * @since 0.1.0
 */
export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

/**
 * The unique id of an event (a UUID).
 *
 * @category schemas
 * @since 0.1.0
 */
export const EventId = Schema.String.check(
  Schema.makeFilter((s: string) => UUID_PATTERN.test(s) || "expected a UUID", {
    toJsonSchema: () => ({ pattern: UUID_PATTERN.source })
  })
)
  .pipe(Schema.brand("EventId"))
  .annotate({ title: "EventId", description: "The unique id of an event: a UUID (any version, either case)." })
/**
 * The unique id of an event.
 *
 * @category models
 * @since 0.1.0
 */
export type EventId = typeof EventId.Type
