/**
 * The class tasks of the simulation: planning (with audience and capacity),
 * scheduling (some at 23:30 on 31 December), cancelling, rescheduling,
 * enrolling, withdrawing, attendance, leave, make-ups, corrections (some to 0,
 * some after completion) and completion.
 *
 * @since 0.1.0
 */
import type { Calendar, Ids, Vocabulary } from "@xueshi/core"
import { DAY, instantOf, newYearsEve } from "./Clock.js"
import {
  CANCELLATION_REASONS,
  CATEGORY_WEIGHTS,
  CLASS_TITLES,
  COMMON_CATEGORIES,
  FORMATS,
  FREE_MODULES,
  LEAVE_REASONS,
  LESSON_MINUTES,
  MODES,
  SESSION_TITLES,
  WITHDRAWAL_REASONS
} from "./Names.js"
import type { SchoolNode } from "./Schools.js"
import type { ClassSim, MemberSim, NonEmptyCategories, SessionSim, Simulation } from "./SimulationState.js"

type SessionCredit = (m: MemberSim, c: ClassSim, s: SessionSim, minutes: number, suffix: string) => () => void

/**
 * The class tasks of one simulation (`sessionCredit` grants a session's credit).
 *
 * @category utils
 * @since 0.1.0
 */
export const classTasks = (sim: Simulation, sessionCredit: SessionCredit) => {
  const { r, config, year, emit, at, spawn, activeMembers, memberById } = sim
  const { prefix } = config
  const live = (s: SessionSim) => !s.cancelled
  const isEnrolled = (c: ClassSim, m: MemberSim) => c.enrolled.get(m.id) === true

  const planClass = (n: number, school: SchoolNode) => () => {
    const audience: ReadonlyArray<Vocabulary.TraineeCategory> | undefined = r.chance(0.3)
      ? [...new Set([r.pick(COMMON_CATEGORIES), r.pick(COMMON_CATEGORIES)])]
      : undefined
    const capacity = r.chance(0.35) ? r.int(1, 4) : r.chance(0.2) ? r.int(20, 200) : undefined
    const c: ClassSim = {
      id: `${prefix}C${String(n).padStart(3, "0")}` as Ids.ClassId,
      schoolId: school.id as Ids.SchoolId,
      ...(audience === undefined ? {} : { audience }),
      ...(capacity === undefined ? {} : { capacity }),
      sessions: [],
      enrolled: new Map(),
      enrolledCount: 0,
      completed: false,
      pending: 0
    }
    emit("ClassPlanned", {
      classId: c.id,
      schoolId: school.id as Ids.SchoolId,
      title: r.pick(CLASS_TITLES),
      format: r.pick(FORMATS),
      ...(r.chance(0.5) ? { module: r.pick(FREE_MODULES) } : {}),
      ...(audience === undefined ? {} : { audience: audience as unknown as NonEmptyCategories }),
      ...(capacity === undefined ? {} : { capacity })
    })
    const sessions = r.int(1, config.maxSessionsPerClass)
    for (let i = 1; i <= sessions; i++) spawn(scheduleSession(c, i), c)
    const enrolments = r.int(1, config.maxEnrolmentsPerClass)
    for (let i = 0; i < enrolments; i++) spawn(enrol(c), c)
  }

  const startsAt = (): string => {
    if (r.chance(0.06)) return instantOf(newYearsEve(year))
    const day = Date.UTC(year, 0, 1) + r.int(0, 364) * DAY
    const date = new Date(day).toISOString().slice(0, 10)
    return `${date}T${r.pick(["09:00", "14:30", "19:00"])}:00+08:00`
  }

  const scheduleSession = (c: ClassSim, n: number) => () => {
    const tags: Array<string> = []
    if (r.chance(0.4)) tags.push("newThought")
    if (r.chance(0.3)) tags.push("partySpirit")
    const s: SessionSim = {
      id: `S${n}` as Ids.SessionId,
      minutes: r.pick(LESSON_MINUTES),
      startsAt: startsAt(),
      category: r.pick(CATEGORY_WEIGHTS),
      mode: r.pick(MODES),
      cancelled: false,
      attended: new Map(),
      leave: new Set(),
      madeUp: new Map()
    }
    emit("SessionScheduled", {
      classId: c.id,
      sessionId: s.id,
      title: r.pick(SESSION_TITLES),
      category: s.category,
      startsAt: s.startsAt as Calendar.Instant,
      minutes: s.minutes,
      mode: s.mode,
      ...(tags.length > 0 || r.chance(0.1) ? { tags } : {})
    })
    c.sessions.push(s)
    for (const [id, on] of c.enrolled) if (on) spawn(attend(c, s, memberById.get(id) as MemberSim), c)
    if (r.chance(0.07)) spawn(cancel(c, s), c)
    if (r.chance(0.1)) spawn(reschedule(c, s), c)
  }

  const cancel = (c: ClassSim, s: SessionSim) => () => {
    if (!live(s) || c.completed) return
    emit("SessionCancelled", {
      classId: c.id,
      sessionId: s.id,
      reason: r.pick(CANCELLATION_REASONS)
    })
    s.cancelled = true
  }

  const reschedule = (c: ClassSim, s: SessionSim) => () => {
    if (!live(s) || c.completed) return
    let used = 0
    for (const v of s.attended.values()) used = Math.max(used, v)
    for (const v of s.madeUp.values()) used = Math.max(used, v)
    const options = LESSON_MINUTES.filter((m) => m >= used)
    const minutes = options.length > 0 ? r.pick(options) : used
    s.minutes = minutes
    s.startsAt = startsAt()
    emit("SessionRescheduled", { classId: c.id, sessionId: s.id, startsAt: s.startsAt as Calendar.Instant, minutes })
  }

  const enrol = (c: ClassSim) => () => {
    if (c.completed) return
    if (c.capacity !== undefined && c.enrolledCount >= c.capacity) return
    if (activeMembers.length === 0) return
    let m: MemberSim | undefined
    for (let tries = 0; tries < 8 && m === undefined; tries++) {
      const cand = r.pick(activeMembers)
      if (cand.status !== "active" || isEnrolled(c, cand)) continue
      if (c.audience !== undefined && !cand.categories.some((k) => c.audience?.includes(k))) continue
      m = cand
    }
    if (m === undefined) return
    emit("MemberEnrolled", { classId: c.id, memberId: m.id, at: at() })
    c.enrolled.set(m.id, true)
    c.enrolledCount++
    for (const s of c.sessions) spawn(attend(c, s, m), c)
    if (r.chance(0.05)) spawn(withdraw(c, m), c)
  }

  const withdraw = (c: ClassSim, m: MemberSim) => () => {
    if (c.completed || !isEnrolled(c, m)) return
    emit("EnrollmentWithdrawn", { classId: c.id, memberId: m.id, at: at(), reason: r.pick(WITHDRAWAL_REASONS) })
    c.enrolled.set(m.id, false)
    c.enrolledCount--
  }

  const attend = (c: ClassSim, s: SessionSim, m: MemberSim) => () => {
    if (c.completed || !live(s) || !isEnrolled(c, m)) return
    if (s.attended.has(m.id) || s.leave.has(m.id) || s.madeUp.has(m.id)) return
    const roll = r.next()
    if (roll < 0.78) {
      const minutes = r.chance(0.75) ? s.minutes : r.int(1, s.minutes)
      emit("AttendanceRecorded", {
        classId: c.id,
        sessionId: s.id,
        memberId: m.id,
        minutes,
        ...(r.chance(0.5) ? { at: s.startsAt as Calendar.Instant } : {})
      })
      s.attended.set(m.id, minutes)
      if (r.chance(0.6)) spawn(sessionCredit(m, c, s, minutes, ""))
      if (r.chance(0.08)) spawn(correct(c, s, m), c)
    } else if (roll < 0.9) {
      emit("LeaveGranted", {
        classId: c.id,
        sessionId: s.id,
        memberId: m.id,
        reason: r.pick(LEAVE_REASONS)
      })
      s.leave.add(m.id)
      if (r.chance(0.4)) spawn(makeUp(c, s, m), c)
    } else if (r.chance(0.5)) {
      spawn(makeUp(c, s, m), c)
    }
  }

  const makeUp = (c: ClassSim, s: SessionSim, m: MemberSim) => () => {
    if (c.completed || !live(s) || !isEnrolled(c, m)) return
    if (s.attended.has(m.id) || s.madeUp.has(m.id)) return
    const minutes = r.chance(0.7) ? s.minutes : r.int(1, s.minutes)
    emit("MakeUpCompleted", {
      classId: c.id,
      sessionId: s.id,
      memberId: m.id,
      minutes,
      at: at(),
      mode: r.pick(["online", "homeDelivery", "inPerson"] as const)
    })
    s.madeUp.set(m.id, minutes)
    if (r.chance(0.5)) spawn(sessionCredit(m, c, s, minutes, "/make-up"))
  }

  const correct = (c: ClassSim, s: SessionSim, m: MemberSim) => () => {
    if (!live(s)) return
    const current = s.attended.get(m.id) ?? 0
    if (current === 0 && !isEnrolled(c, m)) return
    let minutes: number
    if (current > 0 && (r.chance(0.4) || s.minutes === 1)) minutes = 0
    else {
      if (s.leave.has(m.id) || s.madeUp.has(m.id)) return
      minutes = r.int(1, s.minutes)
      if (minutes === current) minutes = current === s.minutes ? current - 1 : current + 1
    }
    if (minutes === current) return
    emit("AttendanceCorrected", {
      classId: c.id,
      sessionId: s.id,
      memberId: m.id,
      minutes,
      reason: minutes === 0 ? "误签到" : "考勤更正"
    })
    if (minutes === 0) s.attended.delete(m.id)
    else s.attended.set(m.id, minutes)
  }

  const complete = (c: ClassSim) => () => {
    if (c.completed) return
    emit("ClassCompleted", { classId: c.id, at: at() })
    c.completed = true
    for (const s of c.sessions) {
      for (const id of s.attended.keys()) if (r.chance(0.05)) spawn(correct(c, s, memberById.get(id) as MemberSim))
    }
  }
  return { planClass, complete }
}
