/**
 * The rules a log or a command can break, each with a stable id and a sentence.
 * Errors name the rule by id; docs/event-model.md lists this catalogue (a test
 * checks the page against it, so the two cannot drift).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * Every rule, by id, with what it requires.
 *
 * @category values
 * @since 0.1.0
 */
export const RuleCatalogue = {
  // lines and envelopes
  "line.json": "A line is one JSON value (UTF-8, no BOM).",
  "line.object": "A line is a JSON object.",
  "envelope.field":
    "Envelope fields are the contract's (stream, type, data, version, id, schemaVersion, recordedAt, position, meta), each well-formed.",
  "stream.format":
    "A stream is `<category>-<id>` with category school, member, class or credit and an id matching [A-Za-z0-9][A-Za-z0-9._:-]{0,63}.",
  "event.type": "The type is an event type of event-log-v1.",
  "event.category": "An event type belongs to one stream category (e.g. AttendanceRecorded to class-…).",
  "event.schemaVersion": "The payload version is one the codec knows (current, or older with an upcaster).",
  "event.schema": "The payload matches its event type's schema.",
  "stream.idMismatch": "The payload's id field agrees with the stream (class-X holds events whose data.classId is X).",
  "stream.version": "A line's version, if present, is exactly the next version of its stream.",
  "log.position": "A line's global position, if present, is greater than every position before it.",
  "event.idReused": "An event id names one event; a repeated id must repeat the same event (then it is a no-op).",
  // school streams
  "school.alreadyRegistered": "A school is registered once.",
  "school.notRegistered": "A school's events follow its registration.",
  "school.unknownParent": "A parent school is registered before its children.",
  "school.parentTier":
    "A parent school ranks above its child (district → subdistrict/township → community/village → teaching point).",
  // member streams
  "member.alreadyRegistered": "A member is registered once.",
  "member.notRegistered": "A member's events follow the registration.",
  "member.deregistered": "Nothing happens to a member's record after deregistration.",
  "member.unknownSchool": "A member is registered with, or transferred to, a registered school.",
  "member.transferSameSchool": "A transfer moves a member to another school.",
  "exemption.duplicate": "A member has at most one exemption per year.",
  "exemption.notGranted": "Only a granted exemption can be revoked.",
  // class streams
  "class.alreadyPlanned": "A class is planned once.",
  "class.notPlanned": "A class's events follow ClassPlanned.",
  "class.unknownSchool": "A class is planned by a registered school.",
  "class.completed": "After ClassCompleted a class accepts only attendance corrections.",
  "session.duplicateId": "Session ids are unique within a class (cancelled sessions included).",
  "session.unknown": "A session is scheduled before anything refers to it.",
  "session.cancelled": "A cancelled session takes no attendance, leave, make-up or rescheduling.",
  "session.belowAttended": "A session is not shortened below minutes already attended or made up.",
  "enrollment.duplicate": "A member is enrolled in a class at most once at a time.",
  "enrollment.capacity": "Enrolled members never exceed the class's capacity.",
  "enrollment.audience": "A member enrols only in a class whose audience includes one of their categories.",
  "enrollment.unknownMember": "Only a registered, not deregistered member enrols.",
  "enrollment.notEnrolled": "Attendance, leave, make-up, corrections and withdrawal concern enrolled members.",
  "attendance.duplicate": "Attendance is recorded once per member and session; later changes are AttendanceCorrected.",
  "attendance.exceedsSession": "Attended or made-up minutes never exceed the session's minutes.",
  "attendance.withLeave": "A member does not both attend a session and have leave for it.",
  "leave.duplicate": "Leave is granted once per member and session.",
  "makeUp.attended": "A make-up concerns a session the member did not attend.",
  "makeUp.duplicate": "A session is made up once per member.",
  "correction.noChange": "A correction changes the attended minutes.",
  // credit streams
  "credit.unknownMember": "Credit is granted to a registered member.",
  "credit.unknownSession":
    "A session-sourced grant names a scheduled, not cancelled session of a planned class (a grant made before a cancellation stays until it is revoked).",
  "credit.duplicateGrant": "A grant id is used once in a member's credit stream.",
  "credit.unknownGrant": "Only an existing grant can be revoked.",
  "credit.alreadyRevoked": "A grant is revoked at most once."
} as const

/**
 * The id of a rule.
 *
 * @category models
 * @since 0.1.0
 */
export type RuleId = keyof typeof RuleCatalogue

/**
 * Every rule id.
 *
 * @category utils
 * @since 0.1.0
 */
export const ruleIds: ReadonlyArray<RuleId> = Object.keys(RuleCatalogue) as Array<RuleId>

/**
 * The schema of a rule id.
 *
 * @category schemas
 * @since 0.1.0
 */
export const RuleIdSchema = Schema.Literals(ruleIds as unknown as readonly [RuleId, ...Array<RuleId>])

/**
 * A command or an event breaks a rule: names the rule, the field path (such as
 * `data.minutes`) and what is wrong.
 *
 * @category errors
 * @since 0.1.0
 */
export class RuleViolation extends Schema.TaggedError<RuleViolation>()("RuleViolation", {
  rule: RuleIdSchema,
  path: Schema.String,
  message: Schema.String
}) {}

/**
 * Makes a {@link RuleViolation}; `field` is a payload field (`"minutes"` → path `data.minutes`).
 *
 * @category utils
 * @since 0.1.0
 */
export const violation = (rule: RuleId, field: string | undefined, message: string): RuleViolation =>
  new RuleViolation({
    rule,
    path: field === undefined ? "" : field.startsWith("$") ? field.slice(1) : `data.${field}`,
    message
  })
