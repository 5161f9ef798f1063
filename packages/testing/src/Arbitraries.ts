/**
 * fast-check arbitraries of single values of the event model: ids, vocabulary,
 * times, hours, the payload of every event type, every command, and whole log
 * records. Every value is a *runtime* value (branded ids, {@link Hours} as
 * integers of 0.01 hour) that its schema accepts, chosen so that encoding it
 * with the event-log codec and decoding the line gives the same value back.
 *
 * These arbitraries know nothing about histories: a generated event is valid by
 * its schema, not necessarily by the rules of a stream. For valid histories see
 * `District`.
 *
 * @since 0.1.0
 */
import { Commands, type EventCodec, Events, type Hours } from "@xueshi/core"
import fc from "fast-check"
import {
  categories,
  classFormat,
  classId,
  courseCategory,
  eventId,
  exemptionReason,
  grantId,
  instant,
  localDate,
  memberId,
  positiveHours,
  schoolId,
  schoolTier,
  sessionId,
  sessionMinutes,
  sessionMode,
  tags,
  text,
  year
} from "./ValueArbitraries.js"

export * from "./ValueArbitraries.js"

// ---------------------------------------------------------------------------
// payloads
// ---------------------------------------------------------------------------

type Payloads = { readonly [T in Events.EventType]: fc.Arbitrary<Events.PayloadOf<T>> }

const creditSource: fc.Arbitrary<Events.CreditSource> = fc.oneof(
  fc.record({ kind: fc.constant("session" as const), classId, sessionId }),
  fc.record({ kind: fc.constant("external" as const), system: text, reference: text })
)

const asPayload = <T extends Events.EventType>(
  _type: T,
  arb: fc.Arbitrary<object>
): fc.Arbitrary<Events.PayloadOf<T>> => arb as fc.Arbitrary<Events.PayloadOf<T>>

/**
 * The payload of every event type (valid by its schema), by type.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const payloads: Payloads = {
  SchoolRegistered: asPayload(
    "SchoolRegistered",
    fc.record(
      { schoolId, name: text, tier: schoolTier, parentId: schoolId },
      { requiredKeys: ["schoolId", "name", "tier"] }
    )
  ),
  QuotaClaimed: asPayload(
    "QuotaClaimed",
    fc.record(
      {
        schoolId,
        year,
        traineeTimes: fc.integer({ min: 0, max: 100_000_000 }),
        classes: fc.integer({ min: 0, max: 1_000_000 })
      },
      { requiredKeys: ["schoolId", "year", "traineeTimes"] }
    )
  ),
  MemberRegistered: asPayload(
    "MemberRegistered",
    fc.record(
      { memberId, schoolId, categories, joinedOn: localDate },
      { requiredKeys: ["memberId", "schoolId", "categories"] }
    )
  ),
  MemberCategoriesChanged: asPayload(
    "MemberCategoriesChanged",
    fc.record({ memberId, categories, effectiveOn: localDate })
  ),
  MemberTransferred: asPayload("MemberTransferred", fc.record({ memberId, schoolId, effectiveOn: localDate })),
  ExemptionGranted: asPayload("ExemptionGranted", fc.record({ memberId, year, reason: exemptionReason })),
  ExemptionRevoked: asPayload(
    "ExemptionRevoked",
    fc.record({ memberId, year, reason: exemptionReason }, { requiredKeys: ["memberId", "year"] })
  ),
  MemberDeregistered: asPayload("MemberDeregistered", fc.record({ memberId, effectiveOn: localDate, reason: text })),
  ClassPlanned: asPayload(
    "ClassPlanned",
    fc.record(
      {
        classId,
        schoolId,
        title: text,
        format: classFormat,
        module: text,
        audience: categories,
        capacity: fc.integer({ min: 1, max: 1_000_000 })
      },
      { requiredKeys: ["classId", "schoolId", "title", "format"] }
    )
  ),
  SessionScheduled: asPayload(
    "SessionScheduled",
    fc.record(
      {
        classId,
        sessionId,
        title: text,
        category: courseCategory,
        startsAt: instant,
        minutes: sessionMinutes,
        mode: sessionMode,
        tags
      },
      { requiredKeys: ["classId", "sessionId", "title", "category", "startsAt", "minutes", "mode"] }
    )
  ),
  SessionRescheduled: asPayload(
    "SessionRescheduled",
    fc.record({ classId, sessionId, startsAt: instant, minutes: sessionMinutes })
  ),
  SessionCancelled: asPayload("SessionCancelled", fc.record({ classId, sessionId, reason: text })),
  MemberEnrolled: asPayload("MemberEnrolled", fc.record({ classId, memberId, at: instant })),
  EnrollmentWithdrawn: asPayload("EnrollmentWithdrawn", fc.record({ classId, memberId, at: instant, reason: text })),
  AttendanceRecorded: asPayload(
    "AttendanceRecorded",
    fc.record(
      { classId, sessionId, memberId, minutes: sessionMinutes, at: instant },
      { requiredKeys: ["classId", "sessionId", "memberId", "minutes"] }
    )
  ),
  LeaveGranted: asPayload("LeaveGranted", fc.record({ classId, sessionId, memberId, reason: text })),
  MakeUpCompleted: asPayload(
    "MakeUpCompleted",
    fc.record({ classId, sessionId, memberId, minutes: sessionMinutes, at: instant, mode: sessionMode })
  ),
  AttendanceCorrected: asPayload(
    "AttendanceCorrected",
    fc.record({
      classId,
      sessionId,
      memberId,
      minutes: fc.oneof(fc.constant(0), sessionMinutes),
      reason: text
    })
  ),
  ClassCompleted: asPayload("ClassCompleted", fc.record({ classId, at: instant })),
  CreditGranted: asPayload(
    "CreditGranted",
    fc.record(
      {
        memberId,
        grantId,
        year,
        hours: positiveHours,
        category: courseCategory,
        mode: sessionMode,
        source: creditSource,
        policyId: text,
        at: instant
      },
      { requiredKeys: ["memberId", "grantId", "year", "hours", "source", "policyId", "at"] }
    )
  ),
  CreditRevoked: asPayload("CreditRevoked", fc.record({ memberId, grantId, reason: text, at: instant }))
}

/**
 * A domain event of one type.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const eventOf = <T extends Events.EventType>(type: T): fc.Arbitrary<Events.EventOf<T>> =>
  (payloads[type] as fc.Arbitrary<Events.PayloadOf<T>>).map((data) => ({ type, data }) as unknown as Events.EventOf<T>)

const EVENT_TYPES: ReadonlyArray<Events.EventType> = Object.keys(payloads) as Array<Events.EventType>

/**
 * A domain event of any type (each type equally likely).
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const event: fc.Arbitrary<Events.DomainEvent> = fc.oneof(
  ...EVENT_TYPES.map((t) => eventOf(t) as fc.Arbitrary<Events.DomainEvent>)
)

// ---------------------------------------------------------------------------
// commands
// ---------------------------------------------------------------------------

/**
 * Facts a command may carry: the enrolling member's categories.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const facts = fc.record({ memberCategories: categories })

/**
 * A command of one type (valid by its payload schema; its rules may still refuse it).
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const commandOf = <C extends Commands.CommandType>(type: C): fc.Arbitrary<Commands.CommandOf<C>> => {
  const eventType = Commands.CommandEvents[type]
  return fc
    .tuple(payloads[eventType] as fc.Arbitrary<object>, fc.option(facts, { nil: undefined }))
    .map(([data, f]) => Commands.makeCommand(type, data as never, f) as Commands.CommandOf<C>)
}

/**
 * A command of any type.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const command: fc.Arbitrary<Commands.Command> = fc.oneof(
  ...(Object.keys(Commands.CommandEvents) as Array<Commands.CommandType>).map(
    (c) => commandOf(c) as fc.Arbitrary<Commands.Command>
  )
)

// ---------------------------------------------------------------------------
// log records
// ---------------------------------------------------------------------------

/**
 * A free `meta` object as writers use it (actor, correlation and causation ids, source).
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const meta: fc.Arbitrary<Record<string, unknown>> = fc.record(
  {
    actor: fc.constantFrom("admin@xq", "importer", "张老师"),
    correlationId: fc.uuid(),
    causationId: fc.uuid(),
    source: fc.constantFrom("cli", "api", "legacy-import"),
    attempt: fc.integer({ min: 1, max: 5 }),
    tags: fc.array(fc.constantFrom("a", "b", "学时"), { maxLength: 3 })
  },
  { requiredKeys: [] }
)

/**
 * One log record of schema version 1: an event of any type in the stream its
 * payload names, with some of the optional envelope fields.
 *
 * @category arbitraries
 * @since 0.1.0
 */
export const logRecord: fc.Arbitrary<EventCodec.LogRecord> = fc
  .record(
    {
      event,
      version: fc.integer({ min: 1, max: 1_000_000 }),
      id: eventId,
      recordedAt: instant,
      position: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
      meta
    },
    { requiredKeys: ["event"] }
  )
  .map(({ event: e, ...envelope }) => {
    const stream = Events.streamOf(e)
    return { ...e, stream, schemaVersion: 1, ...envelope } as unknown as EventCodec.LogRecord
  })
