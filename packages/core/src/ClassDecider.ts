/**
 * The decider of `class-…` streams: planning, sessions, enrolment, attendance,
 * leave, make-up, corrections and completion of one training class.
 *
 * @since 0.1.0
 */
import { HashMap, HashSet, Option } from "effect"
import type { CommandFor } from "./Commands.js"
import { eventOfCommand } from "./Commands.js"
import { decideWith, type Facts, type StreamKind } from "./Decider.js"
import type { ClassEvent } from "./Events.js"
import type { ClassId, MemberId, SchoolId, SessionId } from "./Ids.js"
import { type RuleViolation, violation } from "./Rules.js"
import type { ClassFormat, CourseCategory, SessionMode, TraineeCategory } from "./Vocabulary.js"

/**
 * What a class keeps of a session.
 *
 * @since 0.1.0
 */
export interface SessionFacts {
  readonly minutes: number
  readonly startsAt: string
  readonly category: CourseCategory
  readonly mode: SessionMode
  readonly cancelled: boolean
}

/**
 * The state of a class stream. Per-member facts are keyed by
 * {@link attendanceKey}`(sessionId, memberId)`.
 *
 * @since 0.1.0
 */
export interface ClassState {
  readonly status: "new" | "planned" | "completed"
  readonly classId?: ClassId
  readonly schoolId?: SchoolId
  readonly format?: ClassFormat
  readonly audience?: ReadonlyArray<TraineeCategory>
  readonly capacity?: number
  readonly sessions: HashMap.HashMap<SessionId, SessionFacts>
  /** Members ever enrolled: `true` while enrolled, `false` after withdrawal. */
  readonly enrolled: HashMap.HashMap<MemberId, boolean>
  readonly enrolledCount: number
  /** Attended minutes (> 0) per session and member. */
  readonly attended: HashMap.HashMap<string, number>
  readonly leave: HashSet.HashSet<string>
  /** Made-up minutes per session and member. */
  readonly madeUp: HashMap.HashMap<string, number>
}

/**
 * Commands of class streams.
 *
 * @since 0.1.0
 */
export type ClassCommand = CommandFor<ClassEvent>

/**
 * The key of a member's facts about a session in {@link ClassState}.
 *
 * @since 0.1.0
 */
export const attendanceKey = (sessionId: string, memberId: string): string => `${sessionId}\u0000${memberId}`

const initialState: ClassState = {
  status: "new",
  sessions: HashMap.empty(),
  enrolled: HashMap.empty(),
  enrolledCount: 0,
  attended: HashMap.empty(),
  leave: HashSet.empty(),
  madeUp: HashMap.empty()
}

const isEnrolled = (state: ClassState, memberId: MemberId) =>
  Option.getOrElse(HashMap.get(state.enrolled, memberId), () => false)

const liveSession = (
  state: ClassState,
  sessionId: SessionId
): { readonly session: SessionFacts } | { readonly error: RuleViolation } => {
  const s = HashMap.get(state.sessions, sessionId)
  if (Option.isNone(s))
    return { error: violation("session.unknown", "sessionId", `session ${sessionId} is not scheduled`) }
  if (s.value.cancelled)
    return { error: violation("session.cancelled", "sessionId", `session ${sessionId} is cancelled`) }
  return { session: s.value }
}

const notEnrolled = (memberId: MemberId) =>
  violation("enrollment.notEnrolled", "memberId", `member ${memberId} is not enrolled`)

/** The live session a member's event concerns, and their key, if they are enrolled. */
const enrolledAtLiveSession = (
  state: ClassState,
  d: { readonly sessionId: SessionId; readonly memberId: MemberId }
): { readonly session: SessionFacts; readonly key: string } | { readonly error: RuleViolation } => {
  const s = liveSession(state, d.sessionId)
  if ("error" in s) return s
  if (!isEnrolled(state, d.memberId)) return { error: notEnrolled(d.memberId) }
  return { session: s.session, key: attendanceKey(d.sessionId, d.memberId) }
}

const exceeds = (minutes: number, session: SessionFacts, sessionId: SessionId) =>
  minutes > session.minutes
    ? violation(
        "attendance.exceedsSession",
        "minutes",
        `${minutes} minutes exceed the ${session.minutes} of session ${sessionId}`
      )
    : undefined

const maxMinutesUsed = (state: ClassState, sessionId: SessionId): number => {
  const prefix = `${sessionId}\u0000`
  let max = 0
  for (const m of [state.attended, state.madeUp]) {
    for (const [k, v] of m) if (k.startsWith(prefix) && v > max) max = v
  }
  return max
}

const check = (state: ClassState, event: ClassEvent, facts?: Facts): RuleViolation | undefined => {
  if (event.type === "ClassPlanned") {
    return state.status === "new"
      ? undefined
      : violation("class.alreadyPlanned", "classId", `class ${event.data.classId} is already planned`)
  }
  if (state.status === "new") {
    return violation("class.notPlanned", "classId", `class ${event.data.classId} is not planned`)
  }
  if (state.status === "completed" && event.type !== "AttendanceCorrected") {
    return violation(
      "class.completed",
      "$type",
      `class ${event.data.classId} is completed; only AttendanceCorrected may follow`
    )
  }
  switch (event.type) {
    case "SessionScheduled":
      return HashMap.has(state.sessions, event.data.sessionId)
        ? violation("session.duplicateId", "sessionId", `session ${event.data.sessionId} already exists`)
        : undefined
    case "SessionRescheduled": {
      const s = liveSession(state, event.data.sessionId)
      if ("error" in s) return s.error
      const used = maxMinutesUsed(state, event.data.sessionId)
      return event.data.minutes < used
        ? violation(
            "session.belowAttended",
            "minutes",
            `${event.data.minutes} minutes is below the ${used} already attended`
          )
        : undefined
    }
    case "SessionCancelled": {
      const s = liveSession(state, event.data.sessionId)
      return "error" in s ? s.error : undefined
    }
    case "MemberEnrolled": {
      const d = event.data
      if (isEnrolled(state, d.memberId)) {
        return violation("enrollment.duplicate", "memberId", `member ${d.memberId} is already enrolled`)
      }
      if (state.capacity !== undefined && state.enrolledCount >= state.capacity) {
        return violation("enrollment.capacity", "memberId", `class ${d.classId} is full (capacity ${state.capacity})`)
      }
      const cats = facts?.memberCategories
      if (state.audience !== undefined && cats !== undefined && !cats.some((c) => state.audience?.includes(c))) {
        return violation(
          "enrollment.audience",
          "memberId",
          `member ${d.memberId} (${cats.join(", ")}) is not in the audience (${state.audience.join(", ")})`
        )
      }
      return undefined
    }
    case "EnrollmentWithdrawn":
      return isEnrolled(state, event.data.memberId) ? undefined : notEnrolled(event.data.memberId)
    case "AttendanceRecorded": {
      const d = event.data
      const s = enrolledAtLiveSession(state, d)
      if ("error" in s) return s.error
      const k = s.key
      if (HashMap.has(state.attended, k)) {
        return violation(
          "attendance.duplicate",
          "memberId",
          `attendance of ${d.memberId} at ${d.sessionId} is already recorded`
        )
      }
      if (HashSet.has(state.leave, k)) {
        return violation("attendance.withLeave", "memberId", `member ${d.memberId} has leave for ${d.sessionId}`)
      }
      if (HashMap.has(state.madeUp, k)) {
        return violation("makeUp.attended", "memberId", `member ${d.memberId} already made up ${d.sessionId}`)
      }
      return exceeds(d.minutes, s.session, d.sessionId)
    }
    case "LeaveGranted": {
      const d = event.data
      const s = enrolledAtLiveSession(state, d)
      if ("error" in s) return s.error
      const k = s.key
      if (HashSet.has(state.leave, k)) {
        return violation("leave.duplicate", "memberId", `member ${d.memberId} already has leave for ${d.sessionId}`)
      }
      return HashMap.has(state.attended, k)
        ? violation("attendance.withLeave", "memberId", `member ${d.memberId} attended ${d.sessionId}`)
        : undefined
    }
    case "MakeUpCompleted": {
      const d = event.data
      const s = enrolledAtLiveSession(state, d)
      if ("error" in s) return s.error
      const k = s.key
      if (HashMap.has(state.attended, k)) {
        return violation("makeUp.attended", "sessionId", `member ${d.memberId} attended ${d.sessionId}`)
      }
      if (HashMap.has(state.madeUp, k)) {
        return violation("makeUp.duplicate", "sessionId", `member ${d.memberId} already made up ${d.sessionId}`)
      }
      return exceeds(d.minutes, s.session, d.sessionId)
    }
    case "AttendanceCorrected": {
      const d = event.data
      const s = liveSession(state, d.sessionId)
      if ("error" in s) return s.error
      const k = attendanceKey(d.sessionId, d.memberId)
      const current = Option.getOrElse(HashMap.get(state.attended, k), () => 0)
      if (current === 0 && !isEnrolled(state, d.memberId)) return notEnrolled(d.memberId)
      if (state.status === "completed" && current === 0 && d.minutes > 0) {
        return violation(
          "class.completed",
          "minutes",
          `class ${d.classId} is completed; a correction cannot add attendance that was never recorded`
        )
      }
      if (d.minutes === current) {
        return violation(
          "correction.noChange",
          "minutes",
          `attendance of ${d.memberId} at ${d.sessionId} is already ${current}`
        )
      }
      if (d.minutes > 0 && HashSet.has(state.leave, k)) {
        return violation("attendance.withLeave", "minutes", `member ${d.memberId} has leave for ${d.sessionId}`)
      }
      if (d.minutes > 0 && HashMap.has(state.madeUp, k)) {
        return violation("makeUp.attended", "minutes", `member ${d.memberId} made up ${d.sessionId}`)
      }
      return exceeds(d.minutes, s.session, d.sessionId)
    }
    case "ClassCompleted":
      return undefined
  }
}

const evolve = (state: ClassState, event: ClassEvent): ClassState => {
  switch (event.type) {
    case "ClassPlanned": {
      const d = event.data
      return {
        ...state,
        status: "planned",
        classId: d.classId,
        schoolId: d.schoolId,
        format: d.format,
        ...(d.audience === undefined ? {} : { audience: d.audience }),
        ...(d.capacity === undefined ? {} : { capacity: d.capacity })
      }
    }
    case "SessionScheduled": {
      const d = event.data
      return {
        ...state,
        sessions: HashMap.set(state.sessions, d.sessionId, {
          minutes: d.minutes,
          startsAt: d.startsAt,
          category: d.category,
          mode: d.mode,
          cancelled: false
        })
      }
    }
    case "SessionRescheduled": {
      const d = event.data
      return {
        ...state,
        sessions: HashMap.modify(state.sessions, d.sessionId, (s) => ({
          ...s,
          startsAt: d.startsAt,
          minutes: d.minutes
        }))
      }
    }
    case "SessionCancelled":
      return {
        ...state,
        sessions: HashMap.modify(state.sessions, event.data.sessionId, (s) => ({ ...s, cancelled: true }))
      }
    case "MemberEnrolled":
      return {
        ...state,
        enrolled: HashMap.set(state.enrolled, event.data.memberId, true),
        enrolledCount: state.enrolledCount + 1
      }
    case "EnrollmentWithdrawn":
      return {
        ...state,
        enrolled: HashMap.set(state.enrolled, event.data.memberId, false),
        enrolledCount: state.enrolledCount - 1
      }
    case "AttendanceRecorded": {
      const d = event.data
      return { ...state, attended: HashMap.set(state.attended, attendanceKey(d.sessionId, d.memberId), d.minutes) }
    }
    case "LeaveGranted": {
      const d = event.data
      return { ...state, leave: HashSet.add(state.leave, attendanceKey(d.sessionId, d.memberId)) }
    }
    case "MakeUpCompleted": {
      const d = event.data
      return { ...state, madeUp: HashMap.set(state.madeUp, attendanceKey(d.sessionId, d.memberId), d.minutes) }
    }
    case "AttendanceCorrected": {
      const d = event.data
      const k = attendanceKey(d.sessionId, d.memberId)
      return {
        ...state,
        attended: d.minutes === 0 ? HashMap.remove(state.attended, k) : HashMap.set(state.attended, k, d.minutes)
      }
    }
    case "ClassCompleted":
      return { ...state, status: "completed" }
  }
}

/**
 * The class stream kind. Its rules: planned once and first; unique session ids;
 * capacity and audience at enrolment; attendance once per member and session,
 * within the session's minutes, never with leave or after a make-up of the same
 * session; nothing after completion but attendance corrections.
 *
 * @since 0.1.0
 */
export const ClassDecider: StreamKind<ClassCommand, ClassEvent, ClassState> = {
  category: "class",
  initialState,
  evolve,
  check,
  decide: decideWith((c: ClassCommand) => [eventOfCommand(c) as ClassEvent], check, evolve)
}
