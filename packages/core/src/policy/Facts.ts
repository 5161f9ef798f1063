/**
 * The fact store: the dated facts that the projections fold a log into
 * (schools, members, classes with their sessions and records, credit ledgers),
 * and the fold itself ({@link applyFact}).
 *
 * Each event has a business date in the policy's time zone, or none; a query
 * "as of D" sees the undated facts and the dated facts up to D, with the latest
 * knowledge of the log. What each event's date is, and the questions asked as of
 * a date, live in `BusinessDates` (re-exported here: {@link dateOf},
 * {@link dateIn}, {@link valueOn}, {@link schoolOn}, …); folding a whole log and
 * asking as of D answers like folding only the events dated up to D
 * ({@link makeDater} gives those dates, {@link eventsUpTo} those events). The
 * store's form as entries by key, for keyed saves, lives in `KeyedFacts`
 * (re-exported here: {@link keyedFacts}, {@link factKey}).
 *
 * The state is made of mutable `Map`s updated in place (see `Projection`).
 *
 * @since 0.1.0
 */

import type { Instant, LocalDate } from "../Calendar.js"
import * as Calendar from "../Calendar.js"
import type { CreditSource, DomainEvent } from "../Events.js"
import type { Hours } from "../Hours.js"
import type {
  ClassFormat,
  CourseCategory,
  ExemptionReason,
  SchoolTier,
  SessionMode,
  TraineeCategory
} from "../Vocabulary.js"
import { dateIn, dateOf } from "./BusinessDates.js"

export {
  attendedAsOf,
  categoriesOn,
  dateIn,
  dateOf,
  deliveredSessions,
  isDelivered,
  isRegisteredOn,
  schoolOn,
  valueOn
} from "./BusinessDates.js"
export { factKey, keyedFacts } from "./KeyedFacts.js"

/**
 * A school and its quota claims by year.
 *
 * @category models
 * @since 0.1.0
 */
export interface SchoolFact {
  readonly schoolId: string
  readonly name: string
  readonly tier: SchoolTier
  readonly parentId?: string
  readonly quotas: Map<number, { readonly traineeTimes: number; readonly classes?: number }>
}

/**
 * A value that holds from a date on (`null`: from the start).
 *
 * @category models
 * @since 0.1.0
 */
export interface Dated<T> {
  readonly from: LocalDate | null
  readonly value: T
}

/**
 * A member: registration date, schools and categories over time, exemptions.
 *
 * @category models
 * @since 0.1.0
 */
export interface MemberFact {
  readonly memberId: string
  /** `joinedOn`, or `null` when registered without one (always registered). */
  readonly registeredOn: LocalDate | null
  readonly schools: Array<Dated<string>>
  readonly categories: Array<Dated<ReadonlyArray<TraineeCategory>>>
  readonly exemptions: Map<number, ExemptionReason>
  deregisteredOn?: LocalDate
}

/**
 * A session of a class (its current schedule).
 *
 * @category models
 * @since 0.1.0
 */
export interface SessionFact {
  readonly sessionId: string
  startsAt: Instant
  date: LocalDate
  minutes: number
  readonly category: CourseCategory
  readonly mode: SessionMode
  readonly tags: ReadonlyArray<string>
  cancelled: boolean
}

/**
 * What a member did about one session: attended (minutes, date), leave, make-up.
 *
 * @category models
 * @since 0.1.0
 */
export interface MemberSessionFact {
  attended?: { readonly minutes: number; readonly date: LocalDate }
  leave?: LocalDate
  makeUp?: { readonly minutes: number; readonly at: Instant; readonly date: LocalDate; readonly mode: SessionMode }
}

/**
 * An enrolment span (`to`: the withdrawal date).
 *
 * @category models
 * @since 0.1.0
 */
export interface EnrolmentSpan {
  readonly from: LocalDate
  to?: LocalDate
}

/**
 * A class: its plan, sessions, enrolments and per-member records.
 *
 * @category models
 * @since 0.1.0
 */
export interface ClassFact {
  readonly classId: string
  readonly schoolId: string
  readonly title: string
  readonly format: ClassFormat
  readonly module?: string
  completedOn?: LocalDate
  completedAt?: Instant
  readonly sessions: Map<string, SessionFact>
  readonly enrolments: Map<string, Array<EnrolmentSpan>>
  /** memberId → sessionId → facts. */
  readonly records: Map<string, Map<string, MemberSessionFact>>
}

/**
 * A credit grant as recorded, with its business date and whether it was revoked.
 *
 * @category models
 * @since 0.1.0
 */
export interface GrantFact {
  readonly grantId: string
  readonly memberId: string
  readonly year: number
  readonly hours: Hours
  readonly at: Instant
  /** `at` in milliseconds since the epoch (grants are counted in time order). */
  readonly t: number
  readonly date: LocalDate
  readonly category?: CourseCategory
  readonly mode?: SessionMode
  readonly source: CreditSource
  readonly policyId: string
  revoked: boolean
  revokedReason?: string
}

/**
 * The fact store: every school, member, class (with its sessions, enrolments and
 * records) and credit ledger of a log. There is one shape and it is always
 * whole, so any projection's state answers every query and feeds accrual.
 *
 * @category models
 * @since 0.1.0
 */
export interface FactsState {
  readonly schools: Map<string, SchoolFact>
  readonly members: Map<string, MemberFact>
  readonly classes: Map<string, ClassFact>
  /** memberId → grantId → grant. */
  readonly credit: Map<string, Map<string, GrantFact>>
}

/**
 * A fresh, empty fact store.
 *
 * @category utils
 * @since 0.1.0
 */
export const emptyFacts = (): FactsState => ({
  schools: new Map(),
  members: new Map(),
  classes: new Map(),
  credit: new Map()
})

// ---------------------------------------------------------------------------
// folding
// ---------------------------------------------------------------------------

const insertDated = <T>(history: Array<Dated<T>>, entry: Dated<T>): void => {
  let i = history.length
  while (i > 0) {
    const prev = history[i - 1] as Dated<T>
    if (prev.from === null || entry.from === null || prev.from <= entry.from) break
    i--
  }
  history.splice(i, 0, entry)
}

const recordOf = (c: ClassFact, memberId: string, sessionId: string): MemberSessionFact => {
  let m = c.records.get(memberId)
  if (m === undefined) {
    m = new Map()
    c.records.set(memberId, m)
  }
  let r = m.get(sessionId)
  if (r === undefined) {
    r = {}
    m.set(sessionId, r)
  }
  return r
}

/**
 * Folds one event into a fact store, in place. Events
 * about unknown schools, members, classes or sessions are ignored (a partial log
 * folds without error).
 *
 * @category utils
 * @since 0.1.0
 */
export const applyFact = (state: FactsState, event: DomainEvent, timeZone: string): FactsState => {
  switch (event.type) {
    case "SchoolRegistered": {
      const d = event.data
      state.schools.set(d.schoolId, {
        schoolId: d.schoolId,
        name: d.name,
        tier: d.tier,
        ...(d.parentId === undefined ? {} : { parentId: d.parentId }),
        quotas: new Map()
      })
      return state
    }
    case "QuotaClaimed": {
      const d = event.data
      state.schools
        .get(d.schoolId)
        ?.quotas.set(
          d.year,
          d.classes === undefined
            ? { traineeTimes: d.traineeTimes }
            : { traineeTimes: d.traineeTimes, classes: d.classes }
        )
      return state
    }
    case "MemberRegistered": {
      const d = event.data
      const from = d.joinedOn ?? null
      state.members.set(d.memberId, {
        memberId: d.memberId,
        registeredOn: from,
        schools: [{ from, value: d.schoolId }],
        categories: [{ from, value: d.categories }],
        exemptions: new Map()
      })
      return state
    }
    case "MemberCategoriesChanged": {
      const m = state.members.get(event.data.memberId)
      if (m !== undefined) insertDated(m.categories, { from: event.data.effectiveOn, value: event.data.categories })
      return state
    }
    case "MemberTransferred": {
      const m = state.members.get(event.data.memberId)
      if (m !== undefined) insertDated(m.schools, { from: event.data.effectiveOn, value: event.data.schoolId })
      return state
    }
    case "ExemptionGranted":
      state.members.get(event.data.memberId)?.exemptions.set(event.data.year, event.data.reason)
      return state
    case "ExemptionRevoked":
      state.members.get(event.data.memberId)?.exemptions.delete(event.data.year)
      return state
    case "MemberDeregistered": {
      const m = state.members.get(event.data.memberId)
      if (m !== undefined) m.deregisteredOn = event.data.effectiveOn
      return state
    }
    case "ClassPlanned": {
      const d = event.data
      state.classes.set(d.classId, {
        classId: d.classId,
        schoolId: d.schoolId,
        title: d.title,
        format: d.format,
        ...(d.module === undefined ? {} : { module: d.module }),
        sessions: new Map(),
        enrolments: new Map(),
        records: new Map()
      })
      return state
    }
    case "ClassCompleted": {
      const c = state.classes.get(event.data.classId)
      if (c !== undefined) {
        c.completedOn = dateIn(event.data.at, timeZone)
        c.completedAt = event.data.at
      }
      return state
    }
    case "CreditGranted": {
      const d = event.data
      let grants = state.credit.get(d.memberId)
      if (grants === undefined) {
        grants = new Map()
        state.credit.set(d.memberId, grants)
      }
      // field by field, in the order of the fact's keys (spreads are slow on this hot path)
      const g: Record<string, unknown> = {
        grantId: d.grantId,
        memberId: d.memberId,
        year: d.year,
        hours: d.hours,
        at: d.at,
        t: Calendar.epochMillis(d.at),
        date: dateIn(d.at, timeZone)
      }
      if (d.category !== undefined) g.category = d.category
      if (d.mode !== undefined) g.mode = d.mode
      g.source = d.source
      g.policyId = d.policyId
      g.revoked = false
      grants.set(d.grantId, g as unknown as GrantFact)
      return state
    }
    case "CreditRevoked": {
      const g = state.credit.get(event.data.memberId)?.get(event.data.grantId)
      if (g !== undefined) {
        g.revoked = true
        g.revokedReason = event.data.reason
      }
      return state
    }
    default:
      break
  }
  const c = state.classes.get(event.data.classId)
  if (c === undefined) return state
  switch (event.type) {
    case "SessionScheduled": {
      const d = event.data
      c.sessions.set(d.sessionId, {
        sessionId: d.sessionId,
        startsAt: d.startsAt,
        date: dateIn(d.startsAt, timeZone),
        minutes: d.minutes,
        category: d.category,
        mode: d.mode,
        tags: d.tags ?? [],
        cancelled: false
      })
      return state
    }
    case "SessionRescheduled": {
      const s = c.sessions.get(event.data.sessionId)
      if (s !== undefined) {
        s.startsAt = event.data.startsAt
        s.date = dateIn(event.data.startsAt, timeZone)
        s.minutes = event.data.minutes
      }
      return state
    }
    case "SessionCancelled": {
      const s = c.sessions.get(event.data.sessionId)
      if (s !== undefined) s.cancelled = true
      return state
    }
    case "MemberEnrolled": {
      const spans = c.enrolments.get(event.data.memberId)
      const span = { from: dateIn(event.data.at, timeZone) }
      if (spans === undefined) c.enrolments.set(event.data.memberId, [span])
      else spans.push(span)
      return state
    }
    case "EnrollmentWithdrawn": {
      const spans = c.enrolments.get(event.data.memberId)
      const last = spans?.[spans.length - 1]
      if (last !== undefined && last.to === undefined) last.to = dateIn(event.data.at, timeZone)
      return state
    }
    case "AttendanceRecorded": {
      const d = event.data
      const date = dateOf(state, event, timeZone)
      if (date === undefined) return state
      recordOf(c, d.memberId, d.sessionId).attended = { minutes: d.minutes, date }
      return state
    }
    case "LeaveGranted": {
      const date = dateOf(state, event, timeZone)
      if (date === undefined) return state
      recordOf(c, event.data.memberId, event.data.sessionId).leave = date
      return state
    }
    case "MakeUpCompleted": {
      const d = event.data
      recordOf(c, d.memberId, d.sessionId).makeUp = {
        minutes: d.minutes,
        at: d.at,
        date: dateIn(d.at, timeZone),
        mode: d.mode
      }
      return state
    }
    case "AttendanceCorrected": {
      const d = event.data
      const date = dateOf(state, event, timeZone)
      if (date === undefined) return state
      const r = recordOf(c, d.memberId, d.sessionId)
      if (d.minutes === 0) delete r.attended
      else r.attended = { minutes: d.minutes, date }
      return state
    }
    default:
      return state
  }
}

/**
 * A dater: folds a log and tells the business date of each event as it comes
 * (`undefined` for undated plan facts). Feed it every event in log order.
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeDater = (
  timeZone: string = Calendar.DEFAULT_TIME_ZONE
): ((event: DomainEvent) => LocalDate | undefined) => {
  const state = emptyFacts()
  return (event) => {
    const d = dateOf(state, event, timeZone)
    applyFact(state, event, timeZone)
    return d
  }
}

/**
 * The events of a log dated on or before `asOf` (undated plan facts included),
 * in log order: replaying them and asking as of `asOf` answers like the whole log.
 *
 * @category utils
 * @since 0.1.0
 */
export const eventsUpTo = <E extends DomainEvent>(
  events: Iterable<E>,
  asOf: LocalDate,
  timeZone: string = Calendar.DEFAULT_TIME_ZONE
): Array<E> => {
  const dater = makeDater(timeZone)
  const out: Array<E> = []
  for (const e of events) {
    const d = dater(e)
    if (d === undefined || d <= asOf) out.push(e)
  }
  return out
}
