/**
 * The event types of event-log-v1: the catalogue (each type's payload schema,
 * stream category and the payload field naming its stream), the domain event
 * types and their constructors. The payload schemas are in `EventPayloads`,
 * re-exported here.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import {
  AttendanceCorrected,
  AttendanceRecorded,
  ClassCompleted,
  ClassPlanned,
  CreditGranted,
  CreditRevoked,
  EnrollmentWithdrawn,
  ExemptionGranted,
  ExemptionRevoked,
  LeaveGranted,
  MakeUpCompleted,
  MemberCategoriesChanged,
  MemberDeregistered,
  MemberEnrolled,
  MemberRegistered,
  MemberTransferred,
  QuotaClaimed,
  SchoolRegistered,
  SessionCancelled,
  SessionRescheduled,
  SessionScheduled
} from "./EventPayloads.js"

export * from "./EventPayloads.js"

// ---------------------------------------------------------------------------
// The catalogue
// ---------------------------------------------------------------------------

/**
 * The stream categories of event-log-v1.
 *
 * @category schemas
 * @since 0.1.0
 */
export const StreamCategory = Schema.Literals(["school", "member", "class", "credit"])

/**
 * A stream category.
 *
 * @category models
 * @since 0.1.0
 */
export type StreamCategory = typeof StreamCategory.Type

/**
 * Every event type of version 1 with its payload schema, its stream category and
 * the payload field that must equal the stream's id.
 *
 * @category values
 * @since 0.1.0
 */
export const EventCatalogue = {
  SchoolRegistered: { schema: SchoolRegistered, category: "school", idField: "schoolId" },
  QuotaClaimed: { schema: QuotaClaimed, category: "school", idField: "schoolId" },
  MemberRegistered: { schema: MemberRegistered, category: "member", idField: "memberId" },
  MemberCategoriesChanged: { schema: MemberCategoriesChanged, category: "member", idField: "memberId" },
  MemberTransferred: { schema: MemberTransferred, category: "member", idField: "memberId" },
  ExemptionGranted: { schema: ExemptionGranted, category: "member", idField: "memberId" },
  ExemptionRevoked: { schema: ExemptionRevoked, category: "member", idField: "memberId" },
  MemberDeregistered: { schema: MemberDeregistered, category: "member", idField: "memberId" },
  ClassPlanned: { schema: ClassPlanned, category: "class", idField: "classId" },
  SessionScheduled: { schema: SessionScheduled, category: "class", idField: "classId" },
  SessionRescheduled: { schema: SessionRescheduled, category: "class", idField: "classId" },
  SessionCancelled: { schema: SessionCancelled, category: "class", idField: "classId" },
  MemberEnrolled: { schema: MemberEnrolled, category: "class", idField: "classId" },
  EnrollmentWithdrawn: { schema: EnrollmentWithdrawn, category: "class", idField: "classId" },
  AttendanceRecorded: { schema: AttendanceRecorded, category: "class", idField: "classId" },
  LeaveGranted: { schema: LeaveGranted, category: "class", idField: "classId" },
  MakeUpCompleted: { schema: MakeUpCompleted, category: "class", idField: "classId" },
  AttendanceCorrected: { schema: AttendanceCorrected, category: "class", idField: "classId" },
  ClassCompleted: { schema: ClassCompleted, category: "class", idField: "classId" },
  CreditGranted: { schema: CreditGranted, category: "credit", idField: "memberId" },
  CreditRevoked: { schema: CreditRevoked, category: "credit", idField: "memberId" }
} as const

type Catalogue = typeof EventCatalogue

/**
 * The name of an event type.
 *
 * @category models
 * @since 0.1.0
 */
export type EventType = keyof Catalogue

/**
 * Every event type name, in the order of the contract.
 *
 * @category utils
 * @since 0.1.0
 */
export const eventTypes: ReadonlyArray<EventType> = Object.keys(EventCatalogue) as Array<EventType>

/**
 * Whether a string names an event type of version 1.
 *
 * @category guards
 * @since 0.1.0
 */
export const isEventType = (s: unknown): s is EventType => typeof s === "string" && Object.hasOwn(EventCatalogue, s)

/**
 * The runtime payload of an event type.
 *
 * @category models
 * @since 0.1.0
 */
export type PayloadOf<T extends EventType> = Catalogue[T]["schema"]["Type"]

/**
 * The wire payload of an event type (what `data` holds in a log line).
 *
 * @category models
 * @since 0.1.0
 */
export type WirePayloadOf<T extends EventType> = Catalogue[T]["schema"]["Encoded"]

/**
 * A domain event: its type and its decoded payload.
 *
 * @category models
 * @since 0.1.0
 */
export type DomainEvent = { [T in EventType]: { readonly type: T; readonly data: PayloadOf<T> } }[EventType]

/**
 * The domain event of one type.
 *
 * @category models
 * @since 0.1.0
 */
export type EventOf<T extends EventType> = Extract<DomainEvent, { readonly type: T }>

/**
 * Events of a stream category.
 *
 * @category models
 * @since 0.1.0
 */
export type EventOfCategory<C extends StreamCategory> = {
  [T in EventType]: Catalogue[T]["category"] extends C ? EventOf<T> : never
}[EventType]

/**
 * Events of `school-…` streams.
 *
 * @category models
 * @since 0.1.0
 */
export type SchoolEvent = EventOfCategory<"school">
/**
 * Events of `member-…` streams.
 *
 * @category models
 * @since 0.1.0
 */
export type MemberEvent = EventOfCategory<"member">
/**
 * Events of `class-…` streams.
 *
 * @category models
 * @since 0.1.0
 */
export type ClassEvent = EventOfCategory<"class">
/**
 * Events of `credit-…` streams.
 *
 * @category models
 * @since 0.1.0
 */
export type CreditEvent = EventOfCategory<"credit">

/**
 * Builds a domain event of a type from its runtime payload.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeEvent = <T extends EventType>(type: T, data: PayloadOf<T>): EventOf<T> =>
  ({ type, data }) as unknown as EventOf<T>

/**
 * The stream id that an event's payload names (`data[idField]`).
 *
 * @category utils
 * @since 0.1.0
 */
export const streamIdOf = (event: DomainEvent): string =>
  (event.data as unknown as Record<string, string>)[EventCatalogue[event.type].idField] as string

/**
 * The stream an event belongs to: `<category>-<id>`.
 *
 * @category utils
 * @since 0.1.0
 */
export const streamOf = (event: DomainEvent): string => `${EventCatalogue[event.type].category}-${streamIdOf(event)}`
