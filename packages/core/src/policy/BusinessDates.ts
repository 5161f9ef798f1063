/**
 * Business dates: the date of every event in the policy's time zone (what "as
 * of a date" means), and the questions about members and classes as of a date.
 * Re-exported by `Facts`, whose store they read.
 *
 * **Business time.** Each event has a business date in the policy's time zone,
 * or none:
 *
 * - plan facts are undated and always known: `SchoolRegistered`, `QuotaClaimed`,
 *   `ClassPlanned`, `SessionScheduled`, `SessionRescheduled`, `SessionCancelled`,
 *   `ExemptionGranted`, `ExemptionRevoked` (a year's exemption), and
 *   `MemberRegistered` without `joinedOn`;
 * - `MemberRegistered` is dated by `joinedOn`; `MemberCategoriesChanged`,
 *   `MemberTransferred`, `MemberDeregistered` by `effectiveOn`;
 * - `MemberEnrolled`, `EnrollmentWithdrawn`, `MakeUpCompleted`, `ClassCompleted`,
 *   `CreditGranted` by the date of their `at`;
 * - `AttendanceRecorded` by its `at`, else the date of its session;
 *   `LeaveGranted` by its session's date;
 * - corrections correct the past: `AttendanceCorrected` takes the date of the
 *   attendance it corrects (else its session's date), `CreditRevoked` the date of
 *   the grant it revokes.
 *
 * A query "as of D" sees the undated facts and the dated facts up to D, with the
 * latest knowledge of the log (a later correction applies to the date it
 * corrects). So folding a whole log and asking as of D answers like folding only
 * the events dated up to D (`Facts.makeDater` gives those dates).
 *
 * @since 0.1.0
 */

import type { Instant, LocalDate } from "../Calendar.js"
import * as Calendar from "../Calendar.js"
import type { DomainEvent } from "../Events.js"
import type { TraineeCategory } from "../Vocabulary.js"
import type { ClassFact, Dated, FactsState, MemberFact, MemberSessionFact, SessionFact } from "./Facts.js"

const dateCaches = new Map<string, Map<string, LocalDate>>()

/**
 * The business date of an instant in a time zone ({@link Calendar.localDateIn}),
 * memoised per zone (sessions and their grants share instants).
 *
 * @category dates
 * @since 0.1.0
 */
export const dateIn = (instant: Instant, timeZone: string): LocalDate => {
  let cache = dateCaches.get(timeZone)
  if (cache === undefined) {
    cache = new Map()
    dateCaches.set(timeZone, cache)
  }
  let d = cache.get(instant)
  if (d === undefined) {
    d = Calendar.localDateIn(instant, timeZone)
    if (cache.size >= 200_000) cache.clear()
    cache.set(instant, d)
  }
  return d
}

/**
 * The value of a dated history on a date (the last entry whose `from` is on or
 * before it), or `undefined` when none holds yet.
 *
 * @category dates
 * @since 0.1.0
 */
export const valueOn = <T>(history: ReadonlyArray<Dated<T>>, date: LocalDate): T | undefined => {
  let v: T | undefined
  for (const h of history) if (h.from === null || h.from <= date) v = h.value
  return v
}

const sessionOf = (state: FactsState, classId: string, sessionId: string): SessionFact | undefined =>
  state.classes.get(classId)?.sessions.get(sessionId)

/**
 * The business date of an event given the facts before it (see the module
 * doc), or `undefined` for an undated (plan) fact. Needs the sessions of classes
 * (`classes: "full"`) for attendance, leave and corrections, and the credit
 * slice for revocations.
 *
 * @category dates
 * @since 0.1.0
 */
export const dateOf = (state: FactsState, event: DomainEvent, timeZone: string): LocalDate | undefined => {
  switch (event.type) {
    case "MemberRegistered":
      return event.data.joinedOn
    case "MemberCategoriesChanged":
    case "MemberTransferred":
    case "MemberDeregistered":
      return event.data.effectiveOn
    case "MemberEnrolled":
    case "EnrollmentWithdrawn":
    case "MakeUpCompleted":
    case "ClassCompleted":
    case "CreditGranted":
      return dateIn(event.data.at, timeZone)
    case "AttendanceRecorded":
      return event.data.at !== undefined
        ? dateIn(event.data.at, timeZone)
        : sessionOf(state, event.data.classId, event.data.sessionId)?.date
    case "LeaveGranted":
      return sessionOf(state, event.data.classId, event.data.sessionId)?.date
    case "AttendanceCorrected": {
      const d = event.data
      const existing = state.classes.get(d.classId)?.records.get(d.memberId)?.get(d.sessionId)?.attended
      return existing?.date ?? sessionOf(state, d.classId, d.sessionId)?.date
    }
    case "CreditRevoked":
      return state.credit.get(event.data.memberId)?.get(event.data.grantId)?.date
    default:
      return undefined
  }
}

// ---------------------------------------------------------------------------
// questions about members and classes as of a date
// ---------------------------------------------------------------------------

/**
 * Whether a member is on the register on a date (registered on or before it, not
 * deregistered on or before it).
 *
 * @category guards
 * @since 0.1.0
 */
export const isRegisteredOn = (m: MemberFact, date: LocalDate): boolean =>
  (m.registeredOn === null || m.registeredOn <= date) && (m.deregisteredOn === undefined || m.deregisteredOn > date)

/**
 * The school responsible for a member on a date.
 *
 * @category dates
 * @since 0.1.0
 */
export const schoolOn = (m: MemberFact, date: LocalDate): string | undefined => valueOn(m.schools, date)

/**
 * A member's trainee categories on a date.
 *
 * @category dates
 * @since 0.1.0
 */
export const categoriesOn = (m: MemberFact, date: LocalDate): ReadonlyArray<TraineeCategory> =>
  valueOn(m.categories, date) ?? []

/**
 * A member's attended minutes of a session as of a date (0 when none).
 *
 * @category dates
 * @since 0.1.0
 */
export const attendedAsOf = (r: MemberSessionFact | undefined, asOf: LocalDate): number =>
  r?.attended !== undefined && r.attended.date <= asOf ? r.attended.minutes : 0

/**
 * Whether a session was held by a date: not cancelled, and someone's attendance
 * dated on or before it.
 *
 * @category guards
 * @since 0.1.0
 */
export const isDelivered = (c: ClassFact, sessionId: string, asOf: LocalDate): boolean => {
  const s = c.sessions.get(sessionId)
  if (s === undefined || s.cancelled) return false
  for (const sessions of c.records.values()) {
    const r = sessions.get(sessionId)
    if (r?.attended !== undefined && r.attended.date <= asOf) return true
  }
  return false
}

/**
 * The sessions of a class held by a date (see {@link isDelivered}), computed in
 * one pass over the records.
 *
 * @category dates
 * @since 0.1.0
 */
export const deliveredSessions = (c: ClassFact, asOf: LocalDate): Set<string> => {
  const out = new Set<string>()
  for (const sessions of c.records.values()) {
    for (const [sid, r] of sessions) {
      if (r.attended !== undefined && r.attended.date <= asOf && c.sessions.get(sid)?.cancelled === false) out.add(sid)
    }
  }
  return out
}
