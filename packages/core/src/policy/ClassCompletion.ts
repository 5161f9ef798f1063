/**
 * Class completion: per class and member, attended hours, attendance ratio,
 * leaves, unexcused absences and make-ups, and the verdict (pass / fail /
 * withdrawn, or in progress before `ClassCompleted`) under the completion rule.
 *
 * @since 0.1.0
 */
import type { LocalDate } from "../Calendar.js"
import * as Hours from "../Hours.js"
import * as Rational from "../Rational.js"
import type { CompletionRule } from "./CompletionRule.js"
import { type CreditPolicy, sessionCredit } from "./CreditPolicy.js"
import * as Facts from "./Facts.js"
import type { PolicySet } from "./PolicySet.js"
import { fromJsonValue, type Projection, toJsonValue } from "./Projection.js"

/**
 * A member's standing in a class as of a date.
 *
 * @category models
 * @since 0.1.0
 */
export interface MemberCompletion {
  readonly classId: string
  readonly memberId: string
  /** Sessions held (attended by someone, not cancelled) while the member was enrolled. */
  readonly sessionsHeld: number
  readonly heldMinutes: number
  /** Minutes of all the class's sessions not cancelled (the base of the leave ratio). */
  readonly classMinutes: number
  readonly attendedMinutes: number
  readonly madeUpMinutes: number
  /** Credit hours of the attended (and, if credited, made-up) sessions under the credit policy. */
  readonly attendedHours: Hours.Hours
  readonly attendanceRatio?: Rational.Rational
  readonly attendanceRatioText?: string
  readonly leaves: number
  readonly leaveMinutes: number
  readonly leaveRatio?: Rational.Rational
  readonly leaveRatioText?: string
  readonly unexcusedAbsences: number
  readonly makeUps: number
  readonly verdict: "pass" | "fail" | "withdrawn" | "inProgress"
  /** Why the verdict is not `pass` (or what already fails while in progress). */
  readonly reasons: ReadonlyArray<string>
}

/**
 * The completion of a class as of a date.
 *
 * @category models
 * @since 0.1.0
 */
export interface ClassCompletionReport {
  readonly classId: string
  readonly asOf: LocalDate
  readonly ruleId: string
  readonly completed: boolean
  readonly completedOn?: LocalDate
  readonly members: ReadonlyArray<MemberCompletion>
  readonly counts: {
    readonly pass: number
    readonly fail: number
    readonly withdrawn: number
    readonly inProgress: number
  }
}

const inSpans = (spans: ReadonlyArray<Facts.EnrolmentSpan>, date: LocalDate): boolean =>
  spans.some((s) => s.from <= date && (s.to === undefined || date < s.to))

/**
 * A member's completion in a class as of a date, or `undefined` when the member
 * was not enrolled by then.
 *
 * @category rules
 * @since 0.1.0
 */
export const evaluateMember = (
  c: Facts.ClassFact,
  memberId: string,
  rule: CompletionRule,
  credit: CreditPolicy,
  asOf: LocalDate,
  held: ReadonlySet<string> = Facts.deliveredSessions(c, asOf)
): MemberCompletion | undefined => {
  const spans = (c.enrolments.get(memberId) ?? []).filter((s) => s.from <= asOf)
  if (spans.length === 0) return undefined
  const records = c.records.get(memberId)
  let classMinutes = 0
  let sessionsHeld = 0
  let heldMinutes = 0
  let attendedMinutes = 0
  let madeUpMinutes = 0
  let attendedHours = 0
  let leaves = 0
  let leaveMinutes = 0
  let unexcused = 0
  let makeUps = 0
  for (const s of c.sessions.values()) {
    if (s.cancelled) continue
    classMinutes += s.minutes
    const r = records?.get(s.sessionId)
    const attended = Facts.attendedAsOf(r, asOf)
    const onLeave = r?.leave !== undefined && r.leave <= asOf
    const madeUp = r?.makeUp !== undefined && r.makeUp.date <= asOf ? r.makeUp.minutes : 0
    if (onLeave) {
      leaves++
      leaveMinutes += s.minutes
    }
    if (madeUp > 0) {
      makeUps++
      madeUpMinutes += madeUp
      if (credit.makeUpCredit) attendedHours += sessionCredit(credit, madeUp, s.minutes)
    }
    if (attended > 0) attendedHours += sessionCredit(credit, attended, s.minutes)
    if (!held.has(s.sessionId) || !inSpans(spans, s.date)) continue
    sessionsHeld++
    heldMinutes += s.minutes
    attendedMinutes += attended
    if (attended === 0 && !onLeave && !(madeUp > 0 && rule.makeUpAllowed)) unexcused++
  }
  const credited = attendedMinutes + (rule.makeUpAllowed ? madeUpMinutes : 0)
  const attendanceRatio = Rational.share(Math.min(credited, heldMinutes), heldMinutes)
  const leaveRatio = Rational.share(leaveMinutes, classMinutes)
  const reasons: Array<string> = []
  let verdict: MemberCompletion["verdict"] | undefined
  const last = spans[spans.length - 1]
  if (last !== undefined && last.to !== undefined && last.to <= asOf) {
    verdict = "withdrawn"
    reasons.push(`enrolment withdrawn on ${last.to}`)
  }
  if (
    rule.maxLeaveRatio !== undefined &&
    leaveRatio !== undefined &&
    Rational.isGreaterThan(leaveRatio, rule.maxLeaveRatio)
  ) {
    const outcome = rule.leaveRatioExceeded ?? "withdrawn"
    if (verdict === undefined) verdict = outcome
    reasons.push(
      `leave ${leaveMinutes} of ${classMinutes} minutes (${Rational.toPercentString(leaveRatio)}) exceeds ${rule.maxLeaveRatio.num}/${rule.maxLeaveRatio.den}: ${outcome}`
    )
  }
  const failures: Array<string> = []
  if (
    rule.minAttendanceRatio !== undefined &&
    attendanceRatio !== undefined &&
    Rational.isLessThan(attendanceRatio, rule.minAttendanceRatio)
  ) {
    failures.push(
      `attendance ${Rational.toPercentString(attendanceRatio)} is below ${Rational.toPercentString(rule.minAttendanceRatio)}`
    )
  }
  if (rule.maxLeaves !== undefined && leaves > rule.maxLeaves)
    failures.push(`${leaves} leaves exceed ${rule.maxLeaves}`)
  if (rule.maxUnexcusedAbsences !== undefined && unexcused > rule.maxUnexcusedAbsences) {
    failures.push(`${unexcused} unexcused absences exceed ${rule.maxUnexcusedAbsences}`)
  }
  reasons.push(...failures)
  const completed = c.completedOn !== undefined && c.completedOn <= asOf
  if (verdict === undefined) verdict = !completed ? "inProgress" : failures.length > 0 ? "fail" : "pass"
  return {
    classId: c.classId,
    memberId,
    sessionsHeld,
    heldMinutes,
    classMinutes,
    attendedMinutes,
    madeUpMinutes,
    attendedHours: Hours.make(attendedHours),
    ...(attendanceRatio === undefined
      ? {}
      : { attendanceRatio, attendanceRatioText: Rational.toPercentString(attendanceRatio) }),
    leaves,
    leaveMinutes,
    ...(leaveRatio === undefined ? {} : { leaveRatio, leaveRatioText: Rational.toPercentString(leaveRatio) }),
    unexcusedAbsences: unexcused,
    makeUps,
    verdict,
    reasons
  }
}

/**
 * The completion of a class as of a date (members sorted by id), or `undefined`
 * for an unknown class.
 *
 * @category rules
 * @since 0.1.0
 */
export const evaluateClass = (
  c: Facts.ClassFact,
  policy: PolicySet,
  asOf: LocalDate,
  memberId?: string
): ClassCompletionReport => {
  const held = Facts.deliveredSessions(c, asOf)
  const ids = memberId === undefined ? Array.from(c.enrolments.keys()).sort() : [memberId]
  const members: Array<MemberCompletion> = []
  const counts = { pass: 0, fail: 0, withdrawn: 0, inProgress: 0 }
  for (const id of ids) {
    const m = evaluateMember(c, id, policy.completion, policy.credit, asOf, held)
    if (m === undefined) continue
    members.push(m)
    counts[m.verdict]++
  }
  const completed = c.completedOn !== undefined && c.completedOn <= asOf
  return {
    classId: c.classId,
    asOf,
    ruleId: policy.completion.id,
    completed,
    ...(completed && c.completedOn !== undefined ? { completedOn: c.completedOn } : {}),
    members,
    counts
  }
}

/**
 * A class-completion query: a class as of a date, optionally one member.
 *
 * @category models
 * @since 0.1.0
 */
export interface ClassCompletionQuery {
  readonly asOf: LocalDate
  readonly classId: string
  readonly memberId?: string
}

/**
 * The class-completion projection under a policy set (its completion rule and
 * credit policy). `query` answers `undefined` for an unknown class.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (
  policy: PolicySet
): Projection<Facts.FactsState, ClassCompletionQuery, ClassCompletionReport | undefined> => ({
  name: `class-completion/${policy.id}@${policy.version}`,
  get initial() {
    return Facts.emptyFacts()
  },
  apply: (state, record) => Facts.applyFact(state, record, policy.timeZone),
  query: (state, q) => {
    const c = state.classes.get(q.classId)
    return c === undefined ? undefined : evaluateClass(c, policy, q.asOf, q.memberId)
  },
  encodeState: toJsonValue,
  decodeState: (json) => fromJsonValue(json) as Facts.FactsState,
  keyed: Facts.keyedFacts
})
