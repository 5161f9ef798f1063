/**
 * The decider of `class-…` streams: planning, sessions, enrolment, attendance,
 * leave, make-up, corrections and completion of one training class.
 *
 * @since 0.1.0
 */
import type { CommandFor } from "./Commands.js"
import { eventOfCommand } from "./Commands.js"
import { decideWith, type ReferencedFacts, type StreamKind } from "./Decider.js"
import type { ClassEvent } from "./Events.js"
import type { ClassId, MemberId, SchoolId, SessionId } from "./Ids.js"
import { type RuleViolation, violation } from "./Rules.js"
import type { ClassFormat, CourseCategory, SessionMode, TraineeCategory } from "./Vocabulary.js"

/**
 * What a class keeps of a session.
 *
 * @category models
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
 * {@link attendanceKey}`(sessionId, memberId)`. `evolve` never changes a state
 * it is given (it copies the collection an event changes); the log validator
 * evolves states it owns in place (`evolveOwned`).
 *
 * @category models
 * @since 0.1.0
 */
export interface ClassState {
  readonly status: "new" | "planned" | "completed"
  readonly classId?: ClassId
  readonly schoolId?: SchoolId
  readonly format?: ClassFormat
  readonly audience?: ReadonlyArray<TraineeCategory>
  readonly capacity?: number
  readonly sessions: ReadonlyMap<SessionId, SessionFacts>
  /** Members ever enrolled: `true` while enrolled, `false` after withdrawal. */
  readonly enrolled: ReadonlyMap<MemberId, boolean>
  readonly enrolledCount: number
  /** Attended minutes (> 0) per session and member. */
  readonly attended: ReadonlyMap<string, number>
  readonly leave: ReadonlySet<string>
  /** Made-up minutes per session and member. */
  readonly madeUp: ReadonlyMap<string, number>
}

/**
 * Commands of class streams.
 *
 * @category models
 * @since 0.1.0
 */
export type ClassCommand = CommandFor<ClassEvent>

/**
 * The key of a member's facts about a session in {@link ClassState}.
 *
 * @category utils
 * @since 0.1.0
 */
export const attendanceKey = (sessionId: string, memberId: string): string => `${sessionId}\u0000${memberId}`

const initialState: ClassState = {
  status: "new",
  sessions: new Map(),
  enrolled: new Map(),
  enrolledCount: 0,
  attended: new Map(),
  leave: new Set(),
  madeUp: new Map()
}

const isEnrolled = (state: ClassState, memberId: MemberId) => state.enrolled.get(memberId) === true

const liveSession = (
  state: ClassState,
  sessionId: SessionId
): { readonly session: SessionFacts } | { readonly error: RuleViolation } => {
  const s = state.sessions.get(sessionId)
  if (s === undefined)
    return { error: violation("session.unknown", "sessionId", `session ${sessionId} is not scheduled`) }
  if (s.cancelled) return { error: violation("session.cancelled", "sessionId", `session ${sessionId} is cancelled`) }
  return { session: s }
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

const check = (state: ClassState, event: ClassEvent, facts?: ReferencedFacts): RuleViolation | undefined => {
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
      return state.sessions.has(event.data.sessionId)
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
      if (state.attended.has(k)) {
        return violation(
          "attendance.duplicate",
          "memberId",
          `attendance of ${d.memberId} at ${d.sessionId} is already recorded`
        )
      }
      if (state.leave.has(k)) {
        return violation("attendance.withLeave", "memberId", `member ${d.memberId} has leave for ${d.sessionId}`)
      }
      if (state.madeUp.has(k)) {
        return violation("makeUp.attended", "memberId", `member ${d.memberId} already made up ${d.sessionId}`)
      }
      return exceeds(d.minutes, s.session, d.sessionId)
    }
    case "LeaveGranted": {
      const d = event.data
      const s = enrolledAtLiveSession(state, d)
      if ("error" in s) return s.error
      const k = s.key
      if (state.leave.has(k)) {
        return violation("leave.duplicate", "memberId", `member ${d.memberId} already has leave for ${d.sessionId}`)
      }
      return state.attended.has(k)
        ? violation("attendance.withLeave", "memberId", `member ${d.memberId} attended ${d.sessionId}`)
        : undefined
    }
    case "MakeUpCompleted": {
      const d = event.data
      const s = enrolledAtLiveSession(state, d)
      if ("error" in s) return s.error
      const k = s.key
      if (state.attended.has(k)) {
        return violation("makeUp.attended", "sessionId", `member ${d.memberId} attended ${d.sessionId}`)
      }
      if (state.madeUp.has(k)) {
        return violation("makeUp.duplicate", "sessionId", `member ${d.memberId} already made up ${d.sessionId}`)
      }
      return exceeds(d.minutes, s.session, d.sessionId)
    }
    case "AttendanceCorrected": {
      const d = event.data
      const s = liveSession(state, d.sessionId)
      if ("error" in s) return s.error
      const k = attendanceKey(d.sessionId, d.memberId)
      const current = state.attended.get(k) ?? 0
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
      if (d.minutes > 0 && state.leave.has(k)) {
        return violation("attendance.withLeave", "minutes", `member ${d.memberId} has leave for ${d.sessionId}`)
      }
      if (d.minutes > 0 && state.madeUp.has(k)) {
        return violation("makeUp.attended", "minutes", `member ${d.memberId} made up ${d.sessionId}`)
      }
      return exceeds(d.minutes, s.session, d.sessionId)
    }
    case "ClassCompleted":
      return undefined
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/**
 * Folds an event into a class state: in place when the caller owns the state
 * (`owned`: its collections are its own, see {@link ClassDecider}'s `own`),
 * else into a new state that copies only the collection the event changes.
 */
const step = (state: ClassState, event: ClassEvent, owned: boolean): ClassState => {
  const next: Mutable<ClassState> = owned ? (state as Mutable<ClassState>) : { ...state }
  const edit = <C extends Map<unknown, unknown> | Set<unknown>>(
    c: ReadonlyMap<unknown, unknown> | ReadonlySet<unknown>
  ) => (owned ? c : c instanceof Map ? new Map(c) : new Set(c as ReadonlySet<unknown>)) as C
  switch (event.type) {
    case "ClassPlanned": {
      const d = event.data
      next.status = "planned"
      next.classId = d.classId
      next.schoolId = d.schoolId
      next.format = d.format
      if (d.audience !== undefined) next.audience = d.audience
      if (d.capacity !== undefined) next.capacity = d.capacity
      return next
    }
    case "SessionScheduled": {
      const d = event.data
      const sessions = edit<Map<SessionId, SessionFacts>>(state.sessions)
      sessions.set(d.sessionId, {
        minutes: d.minutes,
        startsAt: d.startsAt,
        category: d.category,
        mode: d.mode,
        cancelled: false
      })
      next.sessions = sessions
      return next
    }
    case "SessionRescheduled":
    case "SessionCancelled": {
      const d = event.data
      const s = state.sessions.get(d.sessionId)
      if (s === undefined) return next
      const sessions = edit<Map<SessionId, SessionFacts>>(state.sessions)
      sessions.set(
        d.sessionId,
        event.type === "SessionCancelled"
          ? { ...s, cancelled: true }
          : { ...s, startsAt: event.data.startsAt, minutes: event.data.minutes }
      )
      next.sessions = sessions
      return next
    }
    case "MemberEnrolled":
    case "EnrollmentWithdrawn": {
      const enrolled = edit<Map<MemberId, boolean>>(state.enrolled)
      const on = event.type === "MemberEnrolled"
      enrolled.set(event.data.memberId, on)
      next.enrolled = enrolled
      next.enrolledCount = state.enrolledCount + (on ? 1 : -1)
      return next
    }
    case "AttendanceRecorded": {
      const d = event.data
      const attended = edit<Map<string, number>>(state.attended)
      attended.set(attendanceKey(d.sessionId, d.memberId), d.minutes)
      next.attended = attended
      return next
    }
    case "LeaveGranted": {
      const d = event.data
      const leave = edit<Set<string>>(state.leave)
      leave.add(attendanceKey(d.sessionId, d.memberId))
      next.leave = leave
      return next
    }
    case "MakeUpCompleted": {
      const d = event.data
      const madeUp = edit<Map<string, number>>(state.madeUp)
      madeUp.set(attendanceKey(d.sessionId, d.memberId), d.minutes)
      next.madeUp = madeUp
      return next
    }
    case "AttendanceCorrected": {
      const d = event.data
      const k = attendanceKey(d.sessionId, d.memberId)
      const attended = edit<Map<string, number>>(state.attended)
      if (d.minutes === 0) attended.delete(k)
      else attended.set(k, d.minutes)
      next.attended = attended
      return next
    }
    case "ClassCompleted":
      next.status = "completed"
      return next
  }
}

const evolve = (state: ClassState, event: ClassEvent): ClassState => step(state, event, false)

/**
 * The class stream kind. Its rules: planned once and first; unique session ids;
 * capacity and audience at enrolment; attendance once per member and session,
 * within the session's minutes, never with leave or after a make-up of the same
 * session; nothing after completion but attendance corrections.
 *
 * @category deciders
 * @since 0.1.0
 */
export const ClassDecider: StreamKind<ClassCommand, ClassEvent, ClassState> = {
  category: "class",
  initialState,
  evolve,
  own: (state) => ({
    ...state,
    sessions: new Map(state.sessions),
    enrolled: new Map(state.enrolled),
    attended: new Map(state.attended),
    leave: new Set(state.leave),
    madeUp: new Map(state.madeUp)
  }),
  evolveOwned: (state, event) => step(state, event, true),
  check,
  decide: decideWith((c: ClassCommand) => [eventOfCommand(c) as ClassEvent], check, evolve)
}
