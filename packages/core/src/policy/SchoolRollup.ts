/**
 * The school roll-up: per year, along the school tree (district →
 * subdistrict/township → community/village → teaching point), each school's own
 * figures and its subtree's totals: members, members applicable, met, exempt,
 * compliance rate, hours granted, trainee-times (人次), classes and sessions held,
 * and the quota claimed against delivered (the year-end reconciliation).
 *
 * Attribution:
 *
 * - a member counts in the school responsible for them on the reference date
 *   (the as-of date, or December 31 if earlier): exactly one school per date, and
 *   a transfer moves only what follows it;
 * - hours granted count in the member's school on each grant's date (a mobile
 *   member's credit counts once, in their own school, wherever it was earned);
 * - trainee-times, classes and sessions count in the school that planned the
 *   class: a trainee-time is a (member, class) pair, in the year of the member's
 *   first attendance or make-up in the class; a class is held in the year of its
 *   first delivered session; sessions by their own date.
 *
 * Totals are sums: `total = own + Σ children's totals`, for every figure.
 *
 * @since 0.1.0
 */

import type { LocalDate } from "../Calendar.js"
import * as Calendar from "../Calendar.js"
import * as Hours from "../Hours.js"
import * as Rational from "../Rational.js"
import type { SchoolTier } from "../Vocabulary.js"
import * as Facts from "./Facts.js"
import { type ComplianceAnswer, evaluate } from "./MemberCompliance.js"
import type { PolicySet } from "./PolicySet.js"
import { fromJsonValue, type Projection, toJsonValue } from "./Projection.js"
import type { Requirement } from "./Requirement.js"

/**
 * The additive figures of a school (own) or a subtree (total).
 *
 * @category models
 * @since 0.1.0
 */
export interface RollupFigures {
  readonly members: number
  readonly applicable: number
  readonly met: number
  readonly exempt: number
  readonly onTrack: number
  readonly behind: number
  readonly notMet: number
  readonly hoursGranted: Hours.Hours
  readonly traineeTimes: number
  readonly classesHeld: number
  readonly sessionsHeld: number
  readonly claimedTraineeTimes: number
  readonly claimedClasses: number
}

/**
 * The rates derived from a subtree's totals: compliance is `met / (applicable −
 * exempt)`, delivery `traineeTimes / claimedTraineeTimes` (absent when the base is 0).
 *
 * @category models
 * @since 0.1.0
 */
export interface RollupRates {
  readonly complianceRate?: Rational.Rational
  readonly complianceRateText?: string
  readonly deliveryRate?: Rational.Rational
  readonly deliveryRateText?: string
  /** Delivered minus claimed trainee-times. */
  readonly traineeTimesDifference: number
}

/**
 * A school in the roll-up tree.
 *
 * @category models
 * @since 0.1.0
 */
export interface SchoolNode {
  readonly schoolId: string
  readonly name: string
  readonly tier: SchoolTier
  readonly own: RollupFigures
  readonly total: RollupFigures
  readonly rates: RollupRates
  readonly children: ReadonlyArray<SchoolNode>
}

/**
 * A roll-up report: the trees (one per root school, normally the district) and
 * what belongs to no registered school.
 *
 * @category models
 * @since 0.1.0
 */
export interface RollupReport {
  readonly year: number
  readonly asOf: LocalDate
  readonly requirementId?: string
  readonly roots: ReadonlyArray<SchoolNode>
  readonly unplaced: RollupFigures
}

/**
 * A roll-up query: a year as of a date; compliance under one requirement of the
 * policy set (default: its first).
 *
 * @category models
 * @since 0.1.0
 */
export interface RollupQuery {
  readonly asOf: LocalDate
  readonly year: number
  readonly requirementId?: string
}

/**
 * A writable copy of a figures type.
 *
 * @category models
 * @since 0.1.0
 */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/**
 * Figures of nothing.
 *
 * @category utils
 * @since 0.1.0
 */
export const zeroFigures = (): Mutable<RollupFigures> => ({
  members: 0,
  applicable: 0,
  met: 0,
  exempt: 0,
  onTrack: 0,
  behind: 0,
  notMet: 0,
  hoursGranted: Hours.zero,
  traineeTimes: 0,
  classesHeld: 0,
  sessionsHeld: 0,
  claimedTraineeTimes: 0,
  claimedClasses: 0
})

const FIELDS = Object.keys(zeroFigures()) as Array<keyof RollupFigures>

/**
 * The sum of figures, field by field.
 *
 * @category utils
 * @since 0.1.0
 */
export const addFigures = (a: RollupFigures, b: RollupFigures): RollupFigures => {
  const out = zeroFigures() as Record<keyof RollupFigures, number>
  for (const f of FIELDS) out[f] = a[f] + b[f]
  return out as unknown as RollupFigures
}

const ratesOf = (t: RollupFigures): RollupRates => {
  const cr = Rational.share(t.met, t.applicable - t.exempt)
  const dr = Rational.share(t.traineeTimes, t.claimedTraineeTimes)
  return {
    ...(cr === undefined ? {} : { complianceRate: cr, complianceRateText: Rational.toPercentString(cr) }),
    ...(dr === undefined ? {} : { deliveryRate: dr, deliveryRateText: Rational.toPercentString(dr) }),
    traineeTimesDifference: t.traineeTimes - t.claimedTraineeTimes
  }
}

/**
 * Where a figure is counted: the school id as the facts name it (`undefined`:
 * none), placed when the roll-up is built (a school that is not registered
 * counts as unplaced).
 *
 * @category models
 * @since 0.1.0
 */
export type AddFigure = (schoolId: string | undefined, field: keyof RollupFigures, n: number) => void

/**
 * The reference of a roll-up query: the year, the as-of date, the reference
 * date (the as-of date, or December 31 if earlier) and the requirement.
 *
 * @category models
 * @since 0.1.0
 */
export interface RollupBasis {
  readonly year: number
  readonly asOf: LocalDate
  readonly ref: LocalDate
  readonly inYear: boolean
  readonly requirement: Requirement | undefined
}

/**
 * The basis of a query under a policy set.
 *
 * @category utils
 * @since 0.1.0
 */
export const basisOf = (policy: PolicySet, q: RollupQuery): RollupBasis => {
  const { asOf, year } = q
  const requirement =
    q.requirementId === undefined ? policy.requirements[0] : policy.requirements.find((r) => r.id === q.requirementId)
  const end = Calendar.endOfYear(year)
  const ref = Calendar.compareDates(asOf, end) < 0 ? asOf : end
  return { year, asOf, ref, inYear: ref >= Calendar.startOfYear(year), requirement }
}

/**
 * A member's figures: the member (and their compliance) in their school on the
 * reference date, and the hours of each of their grants in their school on the
 * grant's date. They depend on the member's own facts only (and the classes
 * behind their grants).
 *
 * @category utils
 * @since 0.1.0
 */
export const memberFigures = (
  facts: Facts.FactsState,
  policy: PolicySet,
  basis: RollupBasis,
  memberId: string,
  add: AddFigure,
  evaluated?: ReadonlyMap<string, ComplianceAnswer>
): void => {
  const { year, asOf, ref, requirement } = basis
  const m = facts.members.get(memberId)
  if (m !== undefined && basis.inYear && Facts.isRegisteredOn(m, ref)) {
    const school = Facts.schoolOn(m, ref)
    add(school, "members", 1)
    if (requirement !== undefined) {
      const a = evaluated?.get(memberId) ?? evaluate(facts, policy, requirement, memberId, ref, year)
      if (a.status !== "notApplicable") {
        add(school, "applicable", 1)
        add(school, a.status, 1)
      }
    }
  }
  const grants = facts.credit.get(memberId)
  if (grants === undefined) return
  // a member registered after the as-of date is not known yet: their credit is unplaced
  const known = m !== undefined && (m.registeredOn === null || m.registeredOn <= asOf) ? m : undefined
  for (const g of grants.values()) {
    if (g.revoked || g.year !== year || g.date > asOf) continue
    // credit earned before the member's registration date counts in their first school
    add(
      known === undefined ? undefined : (Facts.schoolOn(known, g.date) ?? known.schools[0]?.value),
      "hoursGranted",
      g.hours
    )
  }
}

/**
 * A class's figures, in the school that planned it: its sessions delivered in
 * the year, whether it was held in the year (its first delivered session), and
 * its trainee-times of the year (members by their first attendance or make-up).
 *
 * @category utils
 * @since 0.1.0
 */
export const classFigures = (c: Facts.ClassFact, basis: RollupBasis, add: AddFigure): void => {
  const { year, asOf } = basis
  const delivered = Facts.deliveredSessions(c, asOf)
  let first: LocalDate | undefined
  let sessions = 0
  for (const id of delivered) {
    const s = c.sessions.get(id) as Facts.SessionFact
    if (first === undefined || s.date < first) first = s.date
    if (Calendar.yearOfDate(s.date) === year) sessions++
  }
  if (sessions > 0) add(c.schoolId, "sessionsHeld", sessions)
  if (first !== undefined && Calendar.yearOfDate(first) === year) add(c.schoolId, "classesHeld", 1)
  let traineeTimes = 0
  for (const records of c.records.values()) {
    let firstPart: LocalDate | undefined
    for (const [sid, r] of records) {
      if (c.sessions.get(sid)?.cancelled !== false) continue
      for (const d of [r.attended?.date, r.makeUp?.date]) {
        if (d !== undefined && d <= asOf && (firstPart === undefined || d < firstPart)) firstPart = d
      }
    }
    if (firstPart !== undefined && Calendar.yearOfDate(firstPart) === year) traineeTimes++
  }
  if (traineeTimes > 0) add(c.schoolId, "traineeTimes", traineeTimes)
}

/**
 * Figures by school id as the facts name them (`undefined`: none).
 *
 * @category models
 * @since 0.1.0
 */
export type FiguresBySchool = Map<string | undefined, Mutable<RollupFigures>>

/**
 * An adder into figures by school id.
 *
 * @category utils
 * @since 0.1.0
 */
export const adderInto =
  (into: FiguresBySchool): AddFigure =>
  (schoolId, field, n) => {
    let f = into.get(schoolId)
    if (f === undefined) {
      f = zeroFigures()
      into.set(schoolId, f)
    }
    f[field] = (f[field] + n) as never
  }

/**
 * Builds the report from the members' and classes' figures (summed by school
 * id): places them (a school that is not registered counts as unplaced), adds
 * the quotas of the year and sums along the tree.
 *
 * @category utils
 * @since 0.1.0
 */
export const buildRollup = (facts: Facts.FactsState, basis: RollupBasis, bySchool: FiguresBySchool): RollupReport => {
  const { year, asOf, requirement } = basis
  const own = new Map<string, Mutable<RollupFigures>>()
  let unplaced = zeroFigures()
  for (const [schoolId, f] of bySchool) {
    if (schoolId !== undefined && facts.schools.has(schoolId)) own.set(schoolId, { ...f })
    else unplaced = addFigures(unplaced, f) as Mutable<RollupFigures>
  }
  // quotas
  for (const s of facts.schools.values()) {
    const quota = s.quotas.get(year)
    if (quota === undefined) continue
    let f = own.get(s.schoolId)
    if (f === undefined) {
      f = zeroFigures()
      own.set(s.schoolId, f)
    }
    f.claimedTraineeTimes += quota.traineeTimes
    f.claimedClasses += quota.classes ?? 0
  }
  // the tree
  const children = new Map<string, Array<Facts.SchoolFact>>()
  const roots: Array<Facts.SchoolFact> = []
  const ids = Array.from(facts.schools.keys()).sort()
  for (const id of ids) {
    const s = facts.schools.get(id) as Facts.SchoolFact
    if (s.parentId === undefined || !facts.schools.has(s.parentId)) roots.push(s)
    else {
      const list = children.get(s.parentId)
      if (list === undefined) children.set(s.parentId, [s])
      else list.push(s)
    }
  }
  const build = (s: Facts.SchoolFact, depth: number): SchoolNode => {
    const kids = depth > 64 ? [] : (children.get(s.schoolId) ?? []).map((k) => build(k, depth + 1))
    const mine = own.get(s.schoolId) ?? zeroFigures()
    const total = kids.reduce((t, k) => addFigures(t, k.total), mine as RollupFigures)
    return { schoolId: s.schoolId, name: s.name, tier: s.tier, own: mine, total, rates: ratesOf(total), children: kids }
  }
  return {
    year,
    asOf,
    ...(requirement === undefined ? {} : { requirementId: requirement.id }),
    roots: roots.map((r) => build(r, 0)),
    unplaced
  }
}

/**
 * The ids whose member figures may be non-zero: registered members and
 * holders of credit.
 *
 * @category utils
 * @since 0.1.0
 */
export const figureMemberIds = (facts: Facts.FactsState): Set<string> => {
  const ids = new Set(facts.members.keys())
  for (const id of facts.credit.keys()) ids.add(id)
  return ids
}

/**
 * Computes the roll-up of a year as of a date. `evaluated` may hold the members'
 * answers under the roll-up's requirement at the reference date, already
 * computed (the district report does); the others are evaluated here.
 *
 * @category rules
 * @since 0.1.0
 */
export const evaluateRollup = (
  facts: Facts.FactsState,
  policy: PolicySet,
  q: RollupQuery,
  evaluated?: ReadonlyMap<string, ComplianceAnswer>
): RollupReport => {
  const basis = basisOf(policy, q)
  const bySchool: FiguresBySchool = new Map()
  const add = adderInto(bySchool)
  for (const id of figureMemberIds(facts)) memberFigures(facts, policy, basis, id, add, evaluated)
  for (const c of facts.classes.values()) classFigures(c, basis, add)
  return buildRollup(facts, basis, bySchool)
}

/**
 * The school roll-up projection under a policy set. It keeps every slice of
 * the facts (schools, members, classes, credit).
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (policy: PolicySet): Projection<Facts.FactsState, RollupQuery, RollupReport> => ({
  name: `school-rollup/${policy.id}@${policy.version}`,
  get initial() {
    return Facts.emptyFacts()
  },
  apply: (state, record) => Facts.applyFact(state, record, policy.timeZone),
  query: (state, q) => evaluateRollup(state, policy, q),
  encodeState: toJsonValue,
  decodeState: (json) => fromJsonValue(json) as Facts.FactsState,
  keyed: Facts.keyedFacts
})
