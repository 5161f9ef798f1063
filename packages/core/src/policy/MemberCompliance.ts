/**
 * Member compliance: per member × requirement × window, as of a date — what is
 * required, what was earned (hours, training days, trainings), the shortfall, a
 * status, and an explanation of every grant that counts or does not.
 *
 * Statuses:
 *
 * - `notApplicable`: the member is not on the register on the reference date
 *   (the as-of date, or the window's end if earlier), is not in the requirement's
 *   categories then, or the window has not started;
 * - `exempt`: a soft requirement and an exemption recorded for the year of the
 *   reference date (earned credit is still reported; an exempt member never fails);
 * - `met`: the thresholds hold (all of them, or any, per `combine`);
 * - `notMet`: not met and the window is over (a window without end, `once`, is
 *   `notMet` until met);
 * - `onTrack` / `behind`: not met yet, window running; with `linear` pacing,
 *   `onTrack` when every threshold (any, for `combine: "any"`) has at least the
 *   elapsed share of its minimum (days of the window elapsed, as of date
 *   included); with pacing `none`, `onTrack`.
 *
 * Counting: grants dated on or before the as-of date, in the window (by credit
 * year for calendar-year and fixed-cycle windows, by date otherwise), not
 * revoked, passing the requirement's `counts` filter, then the credit policy's
 * yearly caps, earliest grant first (ties by grant id). A threshold's own
 * `counts` filter narrows further. Days are the distinct dates of counted session
 * grants, trainings the distinct classes. Mobile members have one ledger, so
 * their credit counts once wherever it was earned.
 *
 * @since 0.1.0
 */

import type { LocalDate } from "../Calendar.js"
import * as Calendar from "../Calendar.js"
import * as Hours from "../Hours.js"
import { type CreditPolicy, firstMismatch, type GrantFilter, matchesFilter } from "./CreditPolicy.js"
import type { CountedGrant, ExcludedGrant, Explanation } from "./Explanation.js"
import * as Facts from "./Facts.js"
import type { PolicySet } from "./PolicySet.js"
import { fromJsonValue, type Projection, toJsonValue } from "./Projection.js"
import { type DateWindow, monthsLeft, type Requirement, type Threshold, windowFor } from "./Requirement.js"

/**
 * A compliance status.
 *
 * @category models
 * @since 0.1.0
 */
export type ComplianceStatus = "met" | "onTrack" | "behind" | "notMet" | "exempt" | "notApplicable"

/**
 * One threshold's result. `required` and `earned` are hours (0.01 hour) for the
 * `hours` measure, counts for `days` and `trainings`; `proRated` gives the months
 * a mid-window joiner was held to.
 *
 * @category models
 * @since 0.1.0
 */
export interface ThresholdResult {
  readonly measure: Threshold["measure"]
  readonly required: number
  readonly earned: number
  readonly shortfall: number
  readonly met: boolean
  readonly proRated?: { readonly monthsLeft: number; readonly months: number }
}

/**
 * A member's compliance with one requirement as of a date.
 *
 * @category models
 * @since 0.1.0
 */
export interface ComplianceAnswer {
  readonly memberId: string
  readonly requirementId: string
  readonly asOf: LocalDate
  readonly status: ComplianceStatus
  /** Why the requirement does not apply (for `notApplicable`). */
  readonly reason?: string
  readonly window?: DateWindow
  /** The member's school on the reference date. */
  readonly schoolId?: string
  readonly exemption?: { readonly year: number; readonly reason: string }
  readonly thresholds: ReadonlyArray<ThresholdResult>
  /** Counted by the requirement's filter and caps (before threshold filters). */
  readonly earned: { readonly hours: Hours.Hours; readonly days: number; readonly trainings: number }
  /** The hours threshold's shortfall (0 when met or when there is no hours threshold). */
  readonly shortfallHours: Hours.Hours
  readonly explanation: Explanation
}

interface Counted {
  readonly line: CountedGrant
  readonly classId?: string
}

interface Tally {
  readonly counted: Array<Counted>
  readonly excluded: Array<ExcludedGrant>
}

const EMPTY_EXPLANATION: Explanation = { counted: [], excluded: [] }

const inWindow = (g: Facts.GrantFact, w: DateWindow): boolean =>
  w.years !== undefined
    ? g.year >= w.years.from && g.year <= w.years.to
    : g.date >= w.from && (w.to === undefined || g.date <= w.to)

/**
 * A grant's line with `hours` (and `reason`) last: the keys and their order of
 * `{ ...line, hours, reason }`, built field by field (spreads are slow on this hot path).
 */
function lineOf(g: Facts.GrantFact, format: string | undefined, hours: Hours.Hours): CountedGrant
function lineOf(
  g: Facts.GrantFact,
  format: string | undefined,
  hours: Hours.Hours,
  reason: ExcludedGrant["reason"]
): ExcludedGrant
function lineOf(
  g: Facts.GrantFact,
  format: string | undefined,
  hours: Hours.Hours,
  reason?: ExcludedGrant["reason"]
): CountedGrant | ExcludedGrant {
  const line: Record<string, unknown> = {
    grantId: g.grantId,
    year: g.year,
    date: g.date,
    granted: g.hours,
    source: g.source
  }
  if (g.category !== undefined) line.category = g.category
  if (g.mode !== undefined) line.mode = g.mode
  if (format !== undefined) line.format = format
  line.hours = hours
  if (reason !== undefined) line.reason = reason
  return line as unknown as CountedGrant
}

/** Counts a member's grants in a window up to a date, under a filter and the credit policy's caps. */
const tally = (
  facts: Facts.FactsState,
  credit: CreditPolicy,
  memberId: string,
  window: DateWindow,
  asOf: LocalDate,
  filter: GrantFilter | undefined
): Tally => {
  const grants = Array.from(facts.credit.get(memberId)?.values() ?? []).filter(
    (g) => g.date <= asOf && inWindow(g, window)
  )
  grants.sort((a, b) => a.t - b.t || (a.grantId < b.grantId ? -1 : a.grantId > b.grantId ? 1 : 0))
  const used = new Map<string, number>()
  const counted: Array<Counted> = []
  const excluded: Array<ExcludedGrant> = []
  for (const g of grants) {
    const classId = g.source.kind === "session" ? g.source.classId : undefined
    const format = classId === undefined ? undefined : facts.classes.get(classId)?.format
    if (g.revoked) {
      excluded.push(lineOf(g, format, g.hours, { kind: "revoked", reason: g.revokedReason ?? "" }))
      continue
    }
    const shape = { mode: g.mode, category: g.category, format, sourceKind: g.source.kind }
    if (filter !== undefined) {
      const field = firstMismatch(filter, shape)
      if (field !== undefined) {
        const value =
          field === "modes"
            ? g.mode
            : field === "categories"
              ? g.category
              : field === "formats"
                ? format
                : g.source.kind
        excluded.push(
          lineOf(g, format, g.hours, {
            kind: "filter",
            field,
            value,
            allowed: (filter[field] ?? []) as ReadonlyArray<string>
          } as ExcludedGrant["reason"])
        )
        continue
      }
    }
    let allowed: number = g.hours
    let binding: CreditPolicy["caps"][number] | undefined
    const matching = credit.caps.length === 0 ? [] : credit.caps.filter((c) => matchesFilter(c.filter, shape))
    for (const cap of matching) {
      const left = Math.max(0, cap.maxHours - (used.get(`${cap.id}\u0000${g.year}`) ?? 0))
      if (left < allowed) {
        allowed = left
        binding = cap
      }
    }
    for (const cap of matching) {
      const k = `${cap.id}\u0000${g.year}`
      used.set(k, (used.get(k) ?? 0) + allowed)
    }
    if (allowed > 0) {
      const line = lineOf(g, format, Hours.make(allowed))
      counted.push(classId === undefined ? { line } : { line, classId })
    }
    if (binding !== undefined && allowed < g.hours) {
      excluded.push(
        lineOf(g, format, Hours.make(g.hours - allowed), {
          kind: "cap",
          capId: binding.id,
          maxHours: binding.maxHours,
          year: g.year
        })
      )
    }
  }
  return { counted, excluded }
}

const measure = (
  counted: ReadonlyArray<Counted>,
  filter: GrantFilter | undefined
): { hours: number; days: Set<string>; trainings: Set<string> } => {
  let hours = 0
  const days = new Set<string>()
  const trainings = new Set<string>()
  for (const c of counted) {
    const l = c.line
    if (
      filter !== undefined &&
      !matchesFilter(filter, { mode: l.mode, category: l.category, format: l.format, sourceKind: l.source.kind })
    ) {
      continue
    }
    hours += l.hours
    if (c.classId !== undefined) {
      days.add(l.date)
      trainings.add(c.classId)
    }
  }
  return { hours, days, trainings }
}

const ceilDiv = (a: number, b: number): number => Math.floor((a + b - 1) / b)

const notApplicable = (
  memberId: string,
  requirement: Requirement,
  asOf: LocalDate,
  reason: string,
  extra: Partial<Pick<ComplianceAnswer, "window" | "schoolId">> = {}
): ComplianceAnswer => ({
  memberId,
  requirementId: requirement.id,
  asOf,
  status: "notApplicable",
  reason,
  ...extra,
  thresholds: [],
  earned: { hours: Hours.zero, days: 0, trainings: 0 },
  shortfallHours: Hours.zero,
  explanation: EMPTY_EXPLANATION
})

/**
 * A member's compliance with a requirement as of a date; `year` picks the
 * calendar year or cycle (default: the as-of date's).
 *
 * @category rules
 * @since 0.1.0
 */
export const evaluate = (
  facts: Facts.FactsState,
  policy: PolicySet,
  requirement: Requirement,
  memberId: string,
  asOf: LocalDate,
  year?: number,
  carry: boolean = true
): ComplianceAnswer => {
  const member = facts.members.get(memberId)
  // a member registered after the as-of date is unknown then (as if the log stopped at that date)
  if (member === undefined || (member.registeredOn !== null && member.registeredOn > asOf)) {
    return notApplicable(memberId, requirement, asOf, "member not registered")
  }
  const joinedOn = member.registeredOn ?? undefined
  const window = windowFor(requirement.window, asOf, joinedOn, year)
  if (window === undefined) return notApplicable(memberId, requirement, asOf, "no window: the member has no joinedOn")
  if (window.from > asOf) return notApplicable(memberId, requirement, asOf, "window not started", { window })
  const ref = window.to !== undefined && window.to < asOf ? window.to : asOf
  const schoolId = Facts.schoolOn(member, ref)
  const where = { window, ...(schoolId === undefined ? {} : { schoolId }) }
  if (!Facts.isRegisteredOn(member, ref)) {
    return notApplicable(memberId, requirement, asOf, `not on the register on ${ref}`, where)
  }
  const categories = Facts.categoriesOn(member, ref)
  if (requirement.who !== undefined && !categories.some((c) => requirement.who?.includes(c))) {
    return notApplicable(
      memberId,
      requirement,
      asOf,
      `categories ${categories.join(", ")} not covered on ${ref}`,
      where
    )
  }
  // required amounts, pro-rated for a mid-window joiner
  const joinedInside =
    requirement.joiners === "proRated" && joinedOn !== undefined && joinedOn > window.from && window.to !== undefined
  const months = joinedInside && joinedOn !== undefined ? monthsLeft(window, joinedOn) : undefined
  const { counted, excluded } = tally(facts, policy.credit, memberId, window, asOf, requirement.counts)
  // carry-over from the previous calendar year
  let carried: Explanation["carriedOver"]
  const hoursThreshold = requirement.thresholds.find((t) => t.measure === "hours")
  if (carry && policy.credit.carryOver !== undefined && requirement.window.kind === "calendarYear" && hoursThreshold) {
    const y = Calendar.yearOfDate(window.from) - 1
    if (y >= 1) {
      const prev = evaluate(facts, policy, requirement, memberId, Calendar.endOfYear(y), y, false)
      const pt = prev.thresholds.find((t) => t.measure === "hours")
      if (prev.status !== "notApplicable" && pt !== undefined && pt.earned > pt.required) {
        const surplus = pt.earned - pt.required
        const max = policy.credit.carryOver.maxHours
        const h = max === undefined ? surplus : Math.min(surplus, max)
        if (h > 0) carried = { fromYear: y, hours: Hours.make(h) }
      }
    }
  }
  const all = measure(counted, undefined)
  const thresholds = requirement.thresholds.map((t): ThresholdResult => {
    const m = measure(counted, t.counts)
    const earned =
      t.measure === "hours" ? m.hours + (carried?.hours ?? 0) : t.measure === "days" ? m.days.size : m.trainings.size
    const required =
      months !== undefined && t.measure !== "trainings" ? ceilDiv(t.min * months.left, months.total) : t.min
    return {
      measure: t.measure,
      required,
      earned,
      shortfall: Math.max(0, required - earned),
      met: earned >= required,
      ...(months !== undefined && t.measure !== "trainings"
        ? { proRated: { monthsLeft: months.left, months: months.total } }
        : {})
    }
  })
  const combine = (f: (t: ThresholdResult) => boolean) =>
    requirement.combine === "all" ? thresholds.every(f) : thresholds.some(f)
  const met = combine((t) => t.met)
  const exemptReason = member.exemptions.get(Calendar.yearOfDate(ref))
  let status: ComplianceStatus
  if (requirement.strength === "soft" && exemptReason !== undefined) status = "exempt"
  else if (met) status = "met"
  else if (window.to === undefined || asOf >= window.to) status = "notMet"
  else if (requirement.pacing === "none") status = "onTrack"
  else {
    const from = months !== undefined && joinedOn !== undefined ? joinedOn : window.from
    const total = Calendar.daysBetween(from, window.to) + 1
    const elapsed = Math.min(total, Math.max(0, Calendar.daysBetween(from, asOf) + 1))
    status = combine((t) => t.earned * total >= t.required * elapsed) ? "onTrack" : "behind"
  }
  const hoursResult = thresholds.find((t) => t.measure === "hours")
  return {
    memberId,
    requirementId: requirement.id,
    asOf,
    status,
    ...where,
    ...(exemptReason === undefined ? {} : { exemption: { year: Calendar.yearOfDate(ref), reason: exemptReason } }),
    thresholds,
    earned: {
      hours: Hours.make(all.hours + (carried?.hours ?? 0)),
      days: all.days.size,
      trainings: all.trainings.size
    },
    shortfallHours: Hours.make(met || hoursResult === undefined ? 0 : hoursResult.shortfall),
    explanation: {
      counted: counted.map((c) => c.line),
      excluded,
      ...(carried === undefined ? {} : { carriedOver: carried })
    }
  }
}

/**
 * A compliance query: a member as of a date, every requirement of the policy set
 * (or one), for the as-of date's year (or `year`).
 *
 * @category models
 * @since 0.1.0
 */
export interface ComplianceQuery {
  readonly asOf: LocalDate
  readonly memberId: string
  readonly requirementId?: string
  readonly year?: number
}

/**
 * The member-compliance projection under a policy set. Its state is the whole
 * fact store (members' dated schools and categories, exemptions, class plans
 * for format filters, the credit ledgers), as every projection's is.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (
  policy: PolicySet
): Projection<Facts.FactsState, ComplianceQuery, ReadonlyArray<ComplianceAnswer>> => ({
  name: `member-compliance/${policy.id}@${policy.version}`,
  get initial() {
    return Facts.emptyFacts()
  },
  apply: (state, record) => Facts.applyFact(state, record, policy.timeZone),
  query: (state, q) =>
    policy.requirements
      .filter((r) => q.requirementId === undefined || r.id === q.requirementId)
      .map((r) => evaluate(state, policy, r, q.memberId, q.asOf, q.year)),
  encodeState: toJsonValue,
  decodeState: (json) => fromJsonValue(json) as Facts.FactsState,
  keyed: Facts.keyedFacts
})
