/**
 * The payload schemas of event-log-v1's event types, by stream category.
 *
 * Each payload schema decodes the wire form (`data` of a log line) into the
 * runtime form: branded ids, literal unions, hours as integers of 0.01 hour.
 * Field order in each struct is the order of the contract, and it is the key
 * order the codec writes on export. `Events` lists them in its catalogue and
 * re-exports them.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { InstantSchema, LocalDateSchema } from "./Calendar.js"
import { PositiveHoursFromWire } from "./Hours.js"
import { ClassId, GrantId, MemberId, SchoolId, SessionId } from "./Ids.js"
import { ClassFormat, CourseCategory, ExemptionReason, SchoolTier, SessionMode, TraineeCategory } from "./Vocabulary.js"

const intBetween = (min: number, max: number) =>
  Schema.Int.check(
    Schema.makeFilter((n: number) => (n >= min && n <= max) || `expected an integer from ${min} to ${max}`, {
      toJsonSchema: () => ({ minimum: min, maximum: max })
    })
  )

const Text = Schema.String.check(
  Schema.makeFilter((s: string) => s.trim().length > 0 || "expected a non-blank string", {
    // \S is exactly what String.prototype.trim keeps (ECMA-262 WhiteSpace and LineTerminator)
    toJsonSchema: () => ({ pattern: "\\S" })
  })
).annotate({ title: "Text", description: "A non-blank string (at least one character that is not white space)." })

/**
 * A calendar year (1900–9999).
 *
 * @category values
 * @since 0.1.0
 */
export const Year = intBetween(1900, 9999).annotate({ title: "Year", description: "A calendar year, 1900–9999." })

/**
 * Minutes of a session: an integer from 1 to 1440.
 *
 * @category values
 * @since 0.1.0
 */
export const SessionMinutes = intBetween(1, 1440).annotate({
  title: "SessionMinutes",
  description: "Minutes of a session: an integer from 1 to 1440."
})

/**
 * A non-empty list of trainee categories.
 *
 * @category schemas
 * @since 0.1.0
 */
export const Categories = Schema.NonEmptyArray(TraineeCategory).annotate({
  title: "Categories",
  description: "A non-empty list of trainee categories."
})

// ---------------------------------------------------------------------------
// school-⟨schoolId⟩
// ---------------------------------------------------------------------------

/**
 * A school joins the network; `parentId` is the school one tier up.
 *
 * @category schemas
 * @since 0.1.0
 */
export const SchoolRegistered = Schema.Struct({
  schoolId: SchoolId,
  name: Text,
  tier: SchoolTier,
  parentId: Schema.optionalKey(SchoolId)
})

/**
 * A school claims its yearly training quota (认领培训指标); a later claim for the
 * same year replaces the earlier one.
 *
 * @category schemas
 * @since 0.1.0
 */
export const QuotaClaimed = Schema.Struct({
  schoolId: SchoolId,
  year: Year,
  traineeTimes: intBetween(0, 100_000_000),
  classes: Schema.optionalKey(intBetween(0, 1_000_000))
})

// ---------------------------------------------------------------------------
// member-⟨memberId⟩
// ---------------------------------------------------------------------------

/**
 * A member is registered with the school responsible for them.
 *
 * @category schemas
 * @since 0.1.0
 */
export const MemberRegistered = Schema.Struct({
  memberId: MemberId,
  schoolId: SchoolId,
  categories: Categories,
  joinedOn: Schema.optionalKey(LocalDateSchema)
})

/**
 * A member's trainee categories change from a date on.
 *
 * @category schemas
 * @since 0.1.0
 */
export const MemberCategoriesChanged = Schema.Struct({
  memberId: MemberId,
  categories: Categories,
  effectiveOn: LocalDateSchema
})

/**
 * A member moves to another school from a date on.
 *
 * @category schemas
 * @since 0.1.0
 */
export const MemberTransferred = Schema.Struct({
  memberId: MemberId,
  schoolId: SchoolId,
  effectiveOn: LocalDateSchema
})

/**
 * A member is exempt from the hard requirement of a year.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ExemptionGranted = Schema.Struct({
  memberId: MemberId,
  year: Year,
  reason: ExemptionReason
})

/**
 * A year's exemption is withdrawn.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ExemptionRevoked = Schema.Struct({
  memberId: MemberId,
  year: Year,
  reason: Schema.optionalKey(ExemptionReason)
})

/**
 * A member leaves the register (death, expulsion, transfer out of the district…).
 *
 * @category schemas
 * @since 0.1.0
 */
export const MemberDeregistered = Schema.Struct({
  memberId: MemberId,
  effectiveOn: LocalDateSchema,
  reason: Text
})

// ---------------------------------------------------------------------------
// class-⟨classId⟩
// ---------------------------------------------------------------------------

/**
 * A class is planned by a school; `audience` restricts who may enrol.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ClassPlanned = Schema.Struct({
  classId: ClassId,
  schoolId: SchoolId,
  title: Text,
  format: ClassFormat,
  module: Schema.optionalKey(Text),
  audience: Schema.optionalKey(Categories),
  capacity: Schema.optionalKey(intBetween(1, 1_000_000))
})

/**
 * A session (lesson) of a class is scheduled.
 *
 * @category schemas
 * @since 0.1.0
 */
export const SessionScheduled = Schema.Struct({
  classId: ClassId,
  sessionId: SessionId,
  title: Text,
  category: CourseCategory,
  startsAt: InstantSchema,
  minutes: SessionMinutes,
  mode: SessionMode,
  tags: Schema.optionalKey(Schema.Array(Text))
})

/**
 * A session moves or changes length.
 *
 * @category schemas
 * @since 0.1.0
 */
export const SessionRescheduled = Schema.Struct({
  classId: ClassId,
  sessionId: SessionId,
  startsAt: InstantSchema,
  minutes: SessionMinutes
})

/**
 * A session is cancelled; attendance already recorded for it no longer counts.
 *
 * @category schemas
 * @since 0.1.0
 */
export const SessionCancelled = Schema.Struct({
  classId: ClassId,
  sessionId: SessionId,
  reason: Text
})

/**
 * A member enrols in a class.
 *
 * @category schemas
 * @since 0.1.0
 */
export const MemberEnrolled = Schema.Struct({
  classId: ClassId,
  memberId: MemberId,
  at: InstantSchema
})

/**
 * A member's enrolment ends before the class does.
 *
 * @category schemas
 * @since 0.1.0
 */
export const EnrollmentWithdrawn = Schema.Struct({
  classId: ClassId,
  memberId: MemberId,
  at: InstantSchema,
  reason: Text
})

/**
 * A member attended a session for some minutes (0 < minutes ≤ the session's minutes).
 *
 * @category schemas
 * @since 0.1.0
 */
export const AttendanceRecorded = Schema.Struct({
  classId: ClassId,
  sessionId: SessionId,
  memberId: MemberId,
  minutes: SessionMinutes,
  at: Schema.optionalKey(InstantSchema)
})

/**
 * A member is excused from a session (请假).
 *
 * @category schemas
 * @since 0.1.0
 */
export const LeaveGranted = Schema.Struct({
  classId: ClassId,
  sessionId: SessionId,
  memberId: MemberId,
  reason: Text
})

/**
 * A member made up a session they did not attend (补学).
 *
 * @category schemas
 * @since 0.1.0
 */
export const MakeUpCompleted = Schema.Struct({
  classId: ClassId,
  sessionId: SessionId,
  memberId: MemberId,
  minutes: SessionMinutes,
  at: InstantSchema,
  mode: SessionMode
})

/**
 * Sets a member's attended minutes of a session; 0 removes the attendance.
 *
 * @category schemas
 * @since 0.1.0
 */
export const AttendanceCorrected = Schema.Struct({
  classId: ClassId,
  sessionId: SessionId,
  memberId: MemberId,
  minutes: intBetween(0, 1440),
  reason: Text
})

/**
 * The class is over (结业); afterwards only attendance corrections are accepted.
 *
 * @category schemas
 * @since 0.1.0
 */
export const ClassCompleted = Schema.Struct({
  classId: ClassId,
  at: InstantSchema
})

// ---------------------------------------------------------------------------
// credit-⟨memberId⟩
// ---------------------------------------------------------------------------

/**
 * Where a grant of credit comes from: a session of a class, or another system.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CreditSource = Schema.Union([
  Schema.Struct({ kind: Schema.Literal("session"), classId: ClassId, sessionId: SessionId }),
  Schema.Struct({ kind: Schema.Literal("external"), system: Text, reference: Text })
]).annotate({
  title: "CreditSource",
  description: "Where a grant of credit comes from: a session of a class, or another system."
})

/**
 * Where a grant of credit comes from.
 *
 * @category models
 * @since 0.1.0
 */
export type CreditSource = typeof CreditSource.Type

/**
 * Credit hours granted to a member for a year (hours > 0).
 *
 * @category schemas
 * @since 0.1.0
 */
export const CreditGranted = Schema.Struct({
  memberId: MemberId,
  grantId: GrantId,
  year: Year,
  hours: PositiveHoursFromWire,
  category: Schema.optionalKey(CourseCategory),
  mode: Schema.optionalKey(SessionMode),
  source: CreditSource,
  policyId: Text,
  at: InstantSchema
})

/**
 * A grant is withdrawn; a grant is never edited in place.
 *
 * @category schemas
 * @since 0.1.0
 */
export const CreditRevoked = Schema.Struct({
  memberId: MemberId,
  grantId: GrantId,
  reason: Text,
  at: InstantSchema
})
