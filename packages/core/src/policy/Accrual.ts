/**
 * Credit determination (学时认定): a pure function from class facts and the
 * members' credit ledgers to the `GrantCredit` / `RevokeCredit` commands still
 * missing under a policy set.
 *
 * - **When credit is granted.** On attendance (`AttendanceRecorded`, as
 *   corrected), and on make-up (`MakeUpCompleted`) when the credit policy has
 *   `makeUpCredit`. Credit does not wait for `ClassCompleted` unless the credit
 *   policy says `creditRequiresCompletion`; then only members who pass the
 *   completion rule of a completed class are credited.
 * - **Which sessions.** Sessions of the policy's time zone dated on or after its
 *   `effectiveFrom`; cancelled sessions earn nothing (their grants are revoked).
 *   Grants of other policies (another `policyId`) are never touched.
 * - **Deterministic ids.** A grant's id is a function of the facts it rests on:
 *   `s:<classId>:<sessionId>:<a|m><minutes>/<sessionMinutes>:<year>:r<n>` (`a`
 *   attendance, `m` make-up; long ids are hashed to `s:#<16 hex>:r<n>`). A grant
 *   id is used once in a credit stream, so when the same facts recur after a
 *   revocation the revision `n` is one more than the highest used for them
 *   (the ids are made in `GrantIds`).
 * - **Idempotent.** A wanted grant that the ledger already holds, unrevoked, with
 *   the same hours and year is left alone; every other unrevoked grant of the
 *   policy for the class is revoked (correction, cancellation, changed policy),
 *   and every wanted grant missing is granted. Running accrual over a log that
 *   holds its output emits nothing. Nothing is edited in place.
 * - **Time.** A grant's `at` is the session's start (for the later part of a
 *   session split at New Year: midnight), or the make-up's `at`; its `year` is the
 *   year of that instant in the policy's time zone. A revocation's `at` is the
 *   `at` of the grant it revokes (a correction corrects the past).
 *
 * @since 0.1.0
 */
import type { Instant } from "../Calendar.js"
import * as Calendar from "../Calendar.js"
import { type CommandOf, makeCommand } from "../Commands.js"
import type * as CreditDecider from "../CreditDecider.js"
import type { CreditSource, DomainEvent } from "../Events.js"
import type * as Hours from "../Hours.js"
import type { ClassId, GrantId, MemberId, SessionId } from "../Ids.js"
import type { CourseCategory, SessionMode } from "../Vocabulary.js"
import { evaluateMember } from "./ClassCompletion.js"
import { sessionCredit, splitCredit } from "./CreditPolicy.js"
import * as Facts from "./Facts.js"
import { externalGrantId, grantBase, parseGrantId } from "./GrantIds.js"
import type { PolicySet } from "./PolicySet.js"
import { fromJsonValue, toJsonValue } from "./Projection.js"

export { grantBase, parseGrantId } from "./GrantIds.js"

/**
 * A credit command: `GrantCredit` or `RevokeCredit`, the commands of a credit
 * stream. The credit decider's own type, re-exported (one type, two homes).
 *
 * @category models
 * @since 0.1.0
 */
export type CreditCommand = CreditDecider.CreditCommand

/**
 * A grant that the facts call for.
 *
 * @category models
 * @since 0.1.0
 */
export interface WantedGrant {
  /** The grant id without its revision. */
  readonly base: string
  readonly memberId: string
  readonly year: number
  readonly hours: Hours.Hours
  readonly at: Instant
  readonly category: CourseCategory
  readonly mode: SessionMode
  readonly source: { readonly kind: "session"; readonly classId: string; readonly sessionId: string }
}

const offsetMinutes = (instant: Instant): number => {
  if (instant.endsWith("Z")) return 0
  const sign = instant.charAt(instant.length - 6) === "-" ? -1 : 1
  return sign * (Number(instant.slice(-5, -3)) * 60 + Number(instant.slice(-2)))
}

/** The attended minutes of a session that fall before the next New Year in the zone (all of them if none does). */
const minutesBeforeNewYear = (startsAt: Instant, minutes: number, timeZone: string): number => {
  const start = Calendar.epochMillis(startsAt)
  const year = Calendar.yearIn(startsAt, timeZone)
  const yearAt = (k: number) => Calendar.yearIn(Calendar.makeInstant(start + k * 60_000), timeZone)
  if (minutes <= 1 || yearAt(minutes - 1) === year) return minutes
  let lo = 0
  let hi = minutes - 1
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1
    if (yearAt(mid) === year) lo = mid
    else hi = mid
  }
  return hi
}

/**
 * The grants that a class's facts call for under a policy set, per member.
 *
 * @category rules
 * @since 0.1.0
 */
export const wantedGrants = (c: Facts.ClassFact, policy: PolicySet, onlyMember?: string): Array<WantedGrant> => {
  const tz = policy.timeZone
  const credit = policy.credit
  const out: Array<WantedGrant> = []
  const completed = c.completedOn !== undefined
  const members = onlyMember === undefined ? Array.from(c.records.keys()).sort() : [onlyMember]
  for (const memberId of members) {
    const records = c.records.get(memberId)
    if (records === undefined) continue
    if (credit.creditRequiresCompletion === true) {
      if (!completed) continue
      const v = evaluateMember(c, memberId, policy.completion, credit, "9999-12-31" as Calendar.LocalDate)
      if (v?.verdict !== "pass") continue
    }
    for (const sessionId of Array.from(records.keys()).sort()) {
      const s = c.sessions.get(sessionId)
      const r = records.get(sessionId)
      if (s === undefined || r === undefined || s.cancelled || s.date < policy.effectiveFrom) continue
      const source = { kind: "session", classId: c.classId, sessionId } as const
      if (r.attended !== undefined) {
        const attended = Math.min(r.attended.minutes, s.minutes)
        const total = sessionCredit(credit, attended, s.minutes)
        if (total === 0) continue
        const year = Calendar.yearOfDate(s.date)
        const before =
          credit.yearSplit.kind === "proportional" ? minutesBeforeNewYear(s.startsAt, attended, tz) : attended
        const [early, late] = splitCredit(credit.yearSplit, total, before, attended)
        const base = grantBase(c.classId, sessionId, "a", attended, s.minutes, year)
        if (early > 0) {
          out.push({ base, memberId, year, hours: early, at: s.startsAt, category: s.category, mode: s.mode, source })
        }
        if (late > 0) {
          const at = Calendar.makeInstant(Calendar.epochMillis(s.startsAt) + before * 60_000, offsetMinutes(s.startsAt))
          const lateYear = Calendar.yearIn(at, tz)
          out.push({
            base: grantBase(c.classId, sessionId, "a", attended, s.minutes, lateYear),
            memberId,
            year: lateYear,
            hours: late,
            at,
            category: s.category,
            mode: s.mode,
            source
          })
        }
      } else if (r.makeUp !== undefined && credit.makeUpCredit) {
        const hours = sessionCredit(credit, r.makeUp.minutes, s.minutes)
        if (hours === 0) continue
        const year = Calendar.yearOfDate(r.makeUp.date)
        out.push({
          base: grantBase(c.classId, sessionId, "m", r.makeUp.minutes, s.minutes, year),
          memberId,
          year,
          hours,
          at: r.makeUp.at,
          category: s.category,
          mode: r.makeUp.mode,
          source
        })
      }
    }
  }
  return out
}

const sessionGrantsByClass = (
  facts: Facts.FactsState,
  policyId: string
): Map<string, Map<string, Array<Facts.GrantFact>>> => {
  const out = new Map<string, Map<string, Array<Facts.GrantFact>>>()
  for (const [memberId, grants] of facts.credit) {
    for (const g of grants.values()) {
      if (g.source.kind !== "session" || g.policyId !== policyId) continue
      let byMember = out.get(g.source.classId)
      if (byMember === undefined) {
        byMember = new Map()
        out.set(g.source.classId, byMember)
      }
      const list = byMember.get(memberId)
      if (list === undefined) byMember.set(memberId, [g])
      else list.push(g)
    }
  }
  return out
}

/** The session grants of a policy for one class, by member, from the ledgers of the class's members. */
const classGrants = (
  facts: Facts.FactsState,
  c: Facts.ClassFact,
  policyId: string,
  onlyMember?: string
): Map<string, Array<Facts.GrantFact>> => {
  const out = new Map<string, Array<Facts.GrantFact>>()
  const members = onlyMember === undefined ? c.records.keys() : [onlyMember]
  for (const memberId of members) {
    const grants = facts.credit.get(memberId)
    if (grants === undefined) continue
    for (const g of grants.values()) {
      if (g.source.kind !== "session" || g.policyId !== policyId || g.source.classId !== c.classId) continue
      const list = out.get(memberId)
      if (list === undefined) out.set(memberId, [g])
      else list.push(g)
    }
  }
  return out
}

const accrueWith = (
  c: Facts.ClassFact,
  policy: PolicySet,
  existing: ReadonlyMap<string, ReadonlyArray<Facts.GrantFact>>,
  onlyMember?: string
): Array<CreditCommand> => {
  const wanted = wantedGrants(c, policy, onlyMember)
  const wantedByMember = new Map<string, Array<WantedGrant>>()
  for (const w of wanted) {
    const list = wantedByMember.get(w.memberId)
    if (list === undefined) wantedByMember.set(w.memberId, [w])
    else list.push(w)
  }
  const handled = (sessionId: string): boolean => {
    const s = c.sessions.get(sessionId)
    return s === undefined || s.date >= policy.effectiveFrom
  }
  const members = Array.from(new Set([...wantedByMember.keys(), ...existing.keys()])).sort()
  const revokes: Array<CreditCommand> = []
  const grants: Array<CreditCommand> = []
  for (const memberId of members) {
    const held = (existing.get(memberId) ?? []).filter(
      (g) => g.source.kind === "session" && handled(g.source.sessionId)
    )
    const byBase = new Map<string, Array<Facts.GrantFact>>()
    for (const g of held) {
      const base = parseGrantId(g.grantId)?.base ?? g.grantId
      const list = byBase.get(base)
      if (list === undefined) byBase.set(base, [g])
      else list.push(g)
    }
    const kept = new Set<string>()
    // nothing held (a first accrual): only this member's earlier wanted grants can share a base,
    // each one revision up (what the general path below answers then, without its map)
    const fresh = byBase.size === 0
    const grantedBases: Array<string> = []
    for (const w of wantedByMember.get(memberId) ?? []) {
      let revision: number
      if (fresh) {
        revision = 1
        for (const b of grantedBases) if (b === w.base) revision++
        grantedBases.push(w.base)
      } else {
        const same = byBase.get(w.base) ?? NONE
        const match = same.find((g) => !g.revoked && !kept.has(g.grantId) && g.hours === w.hours && g.year === w.year)
        if (match !== undefined) {
          kept.add(match.grantId)
          continue
        }
        revision = same.reduce((n, g) => Math.max(n, parseGrantId(g.grantId)?.revision ?? 0), 0) + 1
      }
      const grantId = `${w.base}:r${revision}`
      grants.push(
        makeCommand("GrantCredit", {
          memberId: memberId as MemberId,
          grantId: grantId as GrantId,
          year: w.year,
          hours: w.hours,
          category: w.category,
          mode: w.mode,
          source: { kind: "session", classId: w.source.classId as ClassId, sessionId: w.source.sessionId as SessionId },
          policyId: policy.id,
          at: w.at
        })
      )
      // a second wanted grant with the same base (never happens for distinct parts) gets the next revision
      if (!fresh)
        byBase.set(w.base, [...(byBase.get(w.base) ?? NONE), { grantId, revoked: true } as unknown as Facts.GrantFact])
    }
    for (const g of held) {
      if (g.revoked || kept.has(g.grantId) || g.source.kind !== "session") continue
      const sid = g.source.sessionId
      const s = c.sessions.get(sid)
      const reason =
        s === undefined
          ? "session unknown"
          : s.cancelled
            ? "session cancelled"
            : wantedByMember.get(memberId)?.some((w) => w.source.sessionId === sid) === true
              ? "recomputed: attendance corrected, session rescheduled or policy changed"
              : "no creditable attendance: attendance corrected or class not passed"
      revokes.push(
        makeCommand("RevokeCredit", {
          memberId: memberId as MemberId,
          grantId: g.grantId as GrantId,
          reason,
          at: g.at
        })
      )
    }
  }
  for (const g of grants) revokes.push(g)
  return revokes
}

const NONE: ReadonlyArray<Facts.GrantFact> = []

/**
 * The credit commands still missing for one class: revocations first, then
 * grants, each sorted by member and session. `[]` for an unknown class.
 *
 * @category rules
 * @since 0.1.0
 */
export const accrueClass = (facts: Facts.FactsState, classId: string, policy: PolicySet): Array<CreditCommand> => {
  const c = facts.classes.get(classId)
  if (c === undefined) return []
  return accrueWith(c, policy, classGrants(facts, c, policy.id))
}

/**
 * The credit commands still missing for one member of one class (what an
 * attendance, leave, make-up or correction of that member can change).
 *
 * @category rules
 * @since 0.1.0
 */
export const accrueMember = (
  facts: Facts.FactsState,
  classId: string,
  memberId: string,
  policy: PolicySet
): Array<CreditCommand> => {
  const c = facts.classes.get(classId)
  if (c === undefined) return []
  return accrueWith(c, policy, classGrants(facts, c, policy.id, memberId), memberId)
}

/**
 * The credit commands still missing for every class of a fact store (classes by id).
 *
 * @category rules
 * @since 0.1.0
 */
export const accrueAll = (facts: Facts.FactsState, policy: PolicySet): Array<CreditCommand> => {
  const existing = sessionGrantsByClass(facts, policy.id)
  const out: Array<CreditCommand> = []
  for (const classId of Array.from(facts.classes.keys()).sort()) {
    const c = facts.classes.get(classId) as Facts.ClassFact
    // one by one: spreading a large class into push's arguments would overflow the stack
    for (const command of accrueWith(c, policy, existing.get(classId) ?? new Map())) out.push(command)
  }
  return out
}

/**
 * Folds a log (class and credit events; others are ignored) and returns the
 * credit commands still missing for every class.
 *
 * @category rules
 * @since 0.1.0
 */
export const accrue = (events: Iterable<DomainEvent>, policy: PolicySet): Array<CreditCommand> => {
  const facts = Facts.emptyFacts()
  for (const e of events) Facts.applyFact(facts, e, policy.timeZone)
  return accrueAll(facts, policy)
}

/**
 * An incremental accrual for a credit reactor (`store/CreditReactor`): a fold
 * over the log that answers, for each record, the credit commands it causes.
 * Its state is the class facts and the credit ledgers; the commands it answers
 * are folded into its own state at once (the reactor appends them exactly once
 * in effect), and credit events read back from the log fold again harmlessly
 * (folding a grant or a revocation twice changes nothing). A member's attendance,
 * leave, make-up or correction re-accrues that member in that class; a session
 * rescheduled or cancelled, a withdrawal or the class's completion re-accrues the
 * class. The commands equal what {@link accrueAll} would add at that point.
 *
 * @category utils
 * @since 0.1.0
 */
export const reactor = (
  policy: PolicySet
): {
  readonly name: string
  readonly initial: Facts.FactsState
  readonly react: (
    state: Facts.FactsState,
    record: DomainEvent
  ) => readonly [Facts.FactsState, ReadonlyArray<CreditCommand>]
  readonly encodeState: (state: Facts.FactsState) => unknown
  readonly decodeState: (json: unknown) => Facts.FactsState
} => ({
  name: `accrual/${policy.id}`,
  get initial() {
    return Facts.emptyFacts()
  },
  react: (state, record) => {
    Facts.applyFact(state, record, policy.timeZone)
    let commands: Array<CreditCommand> = []
    switch (record.type) {
      case "AttendanceRecorded":
      case "AttendanceCorrected":
      case "MakeUpCompleted":
      case "LeaveGranted":
        commands =
          policy.credit.creditRequiresCompletion === true
            ? accrueClass(state, record.data.classId, policy)
            : accrueMember(state, record.data.classId, record.data.memberId, policy)
        break
      case "SessionRescheduled":
      case "SessionCancelled":
      case "EnrollmentWithdrawn":
      case "ClassCompleted":
        commands = accrueClass(state, record.data.classId, policy)
        break
      default:
        return [state, commands]
    }
    for (const e of toEvents(commands)) Facts.applyFact(state, e, policy.timeZone)
    return [state, commands]
  },
  encodeState: toJsonValue,
  decodeState: (json) => fromJsonValue(json) as Facts.FactsState
})

/**
 * A `GrantCredit` command for credit earned elsewhere (another platform's online
 * course): source `external`, id `x:<system>:<reference>` (hashed when long). It
 * counts under the same caps and filters as session credit.
 *
 * @category rules
 * @since 0.1.0
 */
export const grantExternal = (
  policy: PolicySet,
  grant: {
    readonly memberId: string
    readonly system: string
    readonly reference: string
    readonly hours: Hours.Hours
    readonly at: Instant
    readonly mode?: SessionMode
    readonly category?: CourseCategory
  }
): CommandOf<"GrantCredit"> => {
  const source: CreditSource = { kind: "external", system: grant.system, reference: grant.reference }
  return makeCommand("GrantCredit", {
    memberId: grant.memberId as MemberId,
    grantId: externalGrantId(grant.system, grant.reference) as GrantId,
    year: Calendar.yearIn(grant.at, policy.timeZone),
    hours: grant.hours,
    ...(grant.category === undefined ? {} : { category: grant.category }),
    ...(grant.mode === undefined ? {} : { mode: grant.mode }),
    source,
    policyId: policy.id,
    at: grant.at
  })
}

/**
 * The events of credit commands (to append to the members' credit streams, or to
 * fold in tests).
 *
 * @category codecs
 * @since 0.1.0
 */
export const toEvents = (commands: ReadonlyArray<CreditCommand>): Array<DomainEvent> =>
  commands.map((c) =>
    c.type === "GrantCredit" ? { type: "CreditGranted", data: c.data } : { type: "CreditRevoked", data: c.data }
  ) as Array<DomainEvent>
