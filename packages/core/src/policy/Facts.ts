/**
 * The dated facts that the projections fold a log into, and the business date
 * of every event (what "as of a date" means).
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
 * the events dated up to D ({@link makeDater} gives those dates).
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
import type { KeyedEntries } from "./Projection.js"
import { fromJsonValue, toJsonValue } from "./Projection.js"

/**
 * A school and its quota claims by year.
 *
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
 * @since 0.1.0
 */
export interface Dated<T> {
  readonly from: LocalDate | null
  readonly value: T
}

/**
 * A member: registration date, schools and categories over time, exemptions.
 *
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
 * @since 0.1.0
 */
export interface EnrolmentSpan {
  readonly from: LocalDate
  to?: LocalDate
}

/**
 * A class: its plan, sessions, enrolments and per-member records.
 *
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
 * @since 0.1.0
 */
export const emptyFacts = (): FactsState => ({
  schools: new Map(),
  members: new Map(),
  classes: new Map(),
  credit: new Map()
})

// ---------------------------------------------------------------------------
// dates
// ---------------------------------------------------------------------------

const dateCaches = new Map<string, Map<string, LocalDate>>()

/**
 * The business date of an instant in a time zone ({@link Calendar.localDateIn}),
 * memoised per zone (sessions and their grants share instants).
 *
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
 * @since 0.1.0
 */
export const valueOn = <T>(history: ReadonlyArray<Dated<T>>, date: LocalDate): T | undefined => {
  let v: T | undefined
  for (const h of history) if (h.from === null || h.from <= date) v = h.value
  return v
}

const insertDated = <T>(history: Array<Dated<T>>, entry: Dated<T>): void => {
  let i = history.length
  while (i > 0) {
    const prev = history[i - 1] as Dated<T>
    if (prev.from === null || entry.from === null || prev.from <= entry.from) break
    i--
  }
  history.splice(i, 0, entry)
}

const sessionOf = (state: FactsState, classId: string, sessionId: string): SessionFact | undefined =>
  state.classes.get(classId)?.sessions.get(sessionId)

/**
 * The business date of an event given the facts before it (see the module
 * doc), or `undefined` for an undated (plan) fact. Needs the sessions of classes
 * (`classes: "full"`) for attendance, leave and corrections, and the credit
 * slice for revocations.
 *
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
// folding
// ---------------------------------------------------------------------------

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

// ---------------------------------------------------------------------------
// questions about members and classes as of a date
// ---------------------------------------------------------------------------

/**
 * Whether a member is on the register on a date (registered on or before it, not
 * deregistered on or before it).
 *
 * @since 0.1.0
 */
export const isRegisteredOn = (m: MemberFact, date: LocalDate): boolean =>
  (m.registeredOn === null || m.registeredOn <= date) && (m.deregisteredOn === undefined || m.deregisteredOn > date)

/**
 * The school responsible for a member on a date.
 *
 * @since 0.1.0
 */
export const schoolOn = (m: MemberFact, date: LocalDate): string | undefined => valueOn(m.schools, date)

/**
 * A member's trainee categories on a date.
 *
 * @since 0.1.0
 */
export const categoriesOn = (m: MemberFact, date: LocalDate): ReadonlyArray<TraineeCategory> =>
  valueOn(m.categories, date) ?? []

/**
 * A member's attended minutes of a session as of a date (0 when none).
 *
 * @since 0.1.0
 */
export const attendedAsOf = (r: MemberSessionFact | undefined, asOf: LocalDate): number =>
  r?.attended !== undefined && r.attended.date <= asOf ? r.attended.minutes : 0

/**
 * Whether a session was held by a date: not cancelled, and someone's attendance
 * dated on or before it.
 *
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

// ---------------------------------------------------------------------------
// the fact store as entries by key (keyed saves)
// ---------------------------------------------------------------------------

/**
 * The key of the one entry of a fact store that an event changes:
 * `school:<id>`, `member:<id>`, `class:<id>` (the plan, sessions and
 * enrolments), `record:<classId>/<memberId>` (a member's attendance, leave and
 * make-ups in a class) or `grant:<memberId>/<grantId>` (ids never hold `/`
 * before the grant id).
 *
 * @since 0.1.0
 */
export const factKey = (event: DomainEvent): string => {
  switch (event.type) {
    case "SchoolRegistered":
    case "QuotaClaimed":
      return `school:${event.data.schoolId}`
    case "MemberRegistered":
    case "MemberCategoriesChanged":
    case "MemberTransferred":
    case "MemberDeregistered":
    case "ExemptionGranted":
    case "ExemptionRevoked":
      return `member:${event.data.memberId}`
    case "CreditGranted":
    case "CreditRevoked":
      return `grant:${event.data.memberId}/${event.data.grantId}`
    case "AttendanceRecorded":
    case "LeaveGranted":
    case "MakeUpCompleted":
    case "AttendanceCorrected":
      return `record:${event.data.classId}/${event.data.memberId}`
    default:
      return `class:${event.data.classId}`
  }
}

const byKey = (a: readonly [string, unknown], b: readonly [string, unknown]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)

/** Splits `<a>/<b>` at the first `/`. */
const pair = (id: string): readonly [string, string] | undefined => {
  const slash = id.indexOf("/")
  return slash <= 0 ? undefined : [id.slice(0, slash), id.slice(slash + 1)]
}

/**
 * The fact store as entries (keys of {@link factKey}), each in the JSON form
 * of `encodeState`: a class's entry holds its plan, sessions and enrolments, its
 * members' records are entries of their own, and so is every grant. Decoding
 * puts every map's entries in key order, as `decodeState(encodeState(s))` does.
 *
 * @since 0.1.0
 */
export const keyedFacts: KeyedEntries<FactsState> = {
  keysOf: (record) => [factKey(record)],
  encodeEntry: (state, key) => {
    const colon = key.indexOf(":")
    const kind = key.slice(0, colon)
    const id = key.slice(colon + 1)
    switch (kind) {
      case "school":
        return state.schools.has(id) ? toJsonValue(state.schools.get(id)) : undefined
      case "member":
        return state.members.has(id) ? toJsonValue(state.members.get(id)) : undefined
      case "class": {
        const c = state.classes.get(id)
        return c === undefined ? undefined : toJsonValue({ ...c, records: undefined })
      }
      case "record": {
        const p = pair(id)
        const r = p === undefined ? undefined : state.classes.get(p[0])?.records.get(p[1])
        return r === undefined ? undefined : toJsonValue(r)
      }
      case "grant": {
        const p = pair(id)
        const g = p === undefined ? undefined : state.credit.get(p[0])?.get(p[1])
        return g === undefined ? undefined : toJsonValue(g)
      }
      default:
        return undefined
    }
  },
  decodeEntries: (entries) => {
    const state = emptyFacts()
    const sorted = Array.from(entries).sort(byKey)
    // grants by (member, grant) and records by (class, member): the order decodeState(encodeState(s)) gives
    const byPair = (a: readonly [string, string, unknown], b: readonly [string, string, unknown]) =>
      a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0
    const grants: Array<readonly [string, string, unknown]> = []
    const records: Array<readonly [string, string, unknown]> = []
    for (const [key, json] of sorted) {
      const colon = key.indexOf(":")
      const kind = key.slice(0, colon)
      const id = key.slice(colon + 1)
      if (kind === "school") state.schools.set(id, fromJsonValue(json) as SchoolFact)
      else if (kind === "member") state.members.set(id, fromJsonValue(json) as MemberFact)
      else if (kind === "class") state.classes.set(id, { ...(fromJsonValue(json) as ClassFact), records: new Map() })
      else if (kind === "grant" || kind === "record") {
        const p = pair(id)
        if (p !== undefined) (kind === "grant" ? grants : records).push([p[0], p[1], json])
      }
    }
    for (const [memberId, grantId, json] of grants.sort(byPair)) {
      let ledger = state.credit.get(memberId)
      if (ledger === undefined) {
        ledger = new Map()
        state.credit.set(memberId, ledger)
      }
      ledger.set(grantId, fromJsonValue(json) as GrantFact)
    }
    // classes come first: a member's records join their class
    for (const [classId, memberId, json] of records.sort(byPair)) {
      state.classes.get(classId)?.records.set(memberId, fromJsonValue(json) as Map<string, MemberSessionFact>)
    }
    return state
  }
}
