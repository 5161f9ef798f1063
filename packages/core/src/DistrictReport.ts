/**
 * The district report: everything a district office hands its party committee
 * for a year, as one typed value with a stable JSON form (its JSON Schema is
 * generated from {@link DistrictReport} and published with the package;
 * docs/reference/district-report.md documents every field).
 *
 * The JSON form is the value itself: plain objects, arrays, strings and
 * numbers, keys in the schema's order, lists sorted (schools in tree order,
 * members and classes by id), so the same ledger gives byte-identical JSON on
 * every machine and in every time zone. Hours are numbers of hours with at most
 * two decimals (exact: computed from integers of 0.01 hour); rates carry the
 * exact fraction and its percentage text.
 *
 * @since 0.1.0
 */

import type { LocalDate } from "./Calendar.js"
import * as Calendar from "./Calendar.js"
import type {
  Bucket,
  ClassLine,
  DistrictReport,
  Figures,
  MixVerdict,
  ModuleMix,
  Rate,
  RequirementLine,
  SchoolLine,
  Shortfall
} from "./DistrictReportSchema.js"
import * as Hours from "./Hours.js"
import { type Ledger, quotasOf, referenceDate } from "./Ledger.js"
import type { RuleVerdict } from "./policy/CourseMix.js"
import type { MixBreakdown } from "./policy/CourseMixProjection.js"
import type { ComplianceAnswer, ComplianceStatus } from "./policy/MemberCompliance.js"
import { evaluate } from "./policy/MemberCompliance.js"
import { addFigures, evaluateRollup, type RollupFigures, type SchoolNode } from "./policy/SchoolRollup.js"
import * as Rational from "./Rational.js"

export * from "./DistrictReportSchema.js"

const STATUSES: ReadonlyArray<ComplianceStatus> = ["met", "onTrack", "behind", "notMet", "exempt", "notApplicable"]
const BUCKET = 400 // 4 hours, in 0.01 hour

const zeroCounts = (): { -readonly [K in ComplianceStatus]: number } => ({
  met: 0,
  onTrack: 0,
  behind: 0,
  notMet: 0,
  exempt: 0,
  notApplicable: 0
})
const hours = (h: number): number => Hours.toWire(Hours.make(h))
const rate = (r: Rational.Rational | undefined): Rate | null =>
  r === undefined ? null : { num: r.num, den: r.den, percent: Rational.toPercentString(r) }
const figures = (f: RollupFigures): Figures => ({ ...f, hoursGranted: hours(f.hoursGranted) })
const share = (f: { minutes: number; lessons: number; minutesPercent?: string }) => ({
  minutes: f.minutes,
  lessons: f.lessons,
  percent: f.minutesPercent ?? null
})
const breakdown = (b: MixBreakdown) => ({
  minutes: b.minutes,
  lessons: b.lessons,
  theory: share(b.byCategory.theory),
  practice: share(b.byCategory.practice),
  exemplar: share(b.byCategory.exemplar),
  other: share(b.byCategory.other)
})
const verdict = (v: RuleVerdict): MixVerdict => ({
  ruleId: v.ruleId,
  status: v.status,
  basis: v.basis,
  total: v.total,
  constraints: v.constraints.map((c) => ({
    label: c.label,
    op: c.op,
    target: c.targetText,
    share: c.shareText ?? null,
    deviation: c.deviationText ?? null,
    pass: c.pass ?? null
  }))
})

/**
 * Builds the district report of a year from a ledger, as of a date (default:
 * December 31 of the year).
 *
 * @category utils
 * @since 0.1.0
 */
export const build = (ledger: Ledger, query: { readonly year: number; readonly asOf?: LocalDate }): DistrictReport => {
  const { policy, facts } = ledger
  const year = query.year
  const asOf = query.asOf ?? Calendar.endOfYear(year)
  const ref = referenceDate({ year, asOf })
  const primary = policy.requirements[0]

  // every member under every requirement, once
  const ownCounts = new Map<string, Map<string, ReturnType<typeof zeroCounts>>>()
  const requirementCounts = new Map(policy.requirements.map((r) => [r.id, zeroCounts()]))
  const earnedBy = new Map(policy.requirements.map((r) => [r.id, [] as Array<number>]))
  const shortfalls: Array<Shortfall> = []
  const primaryAnswers = new Map<string, ComplianceAnswer>()
  for (const memberId of ledger.memberIds()) {
    for (const r of policy.requirements) {
      const a = evaluate(facts, policy, r, memberId, ref, year)
      if (r === primary) primaryAnswers.set(memberId, a)
      const school = a.schoolId ?? ""
      let bySchool = ownCounts.get(school)
      if (bySchool === undefined) {
        bySchool = new Map()
        ownCounts.set(school, bySchool)
      }
      let counts = bySchool.get(r.id)
      if (counts === undefined) {
        counts = zeroCounts()
        bySchool.set(r.id, counts)
      }
      counts[a.status]++
      ;(requirementCounts.get(r.id) as ReturnType<typeof zeroCounts>)[a.status]++
      if (a.status === "notApplicable") continue
      earnedBy.get(r.id)?.push(a.earned.hours)
      if (a.status === "notMet" || a.status === "behind") {
        const t = a.thresholds.find((x) => x.measure === "hours")
        shortfalls.push({
          memberId,
          schoolId: a.schoolId ?? null,
          requirementId: r.id,
          status: a.status,
          earnedHours: hours(a.earned.hours),
          requiredHours: t === undefined ? null : hours(t.required),
          shortfallHours: hours(a.shortfallHours)
        })
      }
    }
  }

  const rollup = evaluateRollup(facts, policy, { asOf, year }, primaryAnswers)

  // the school tree, flattened in order, with subtree counts per requirement
  const schools: Array<SchoolLine> = []
  const walk = (n: SchoolNode, parentId: string | null, depth: number): Map<string, ReturnType<typeof zeroCounts>> => {
    const index = schools.length
    schools.push(undefined as never)
    const total = new Map<string, ReturnType<typeof zeroCounts>>()
    const add = (from: Map<string, ReturnType<typeof zeroCounts>> | undefined) => {
      for (const [id, c] of from ?? []) {
        const t = total.get(id) ?? zeroCounts()
        for (const s of STATUSES) t[s] += c[s]
        total.set(id, t)
      }
    }
    add(ownCounts.get(n.schoolId))
    for (const k of n.children) add(walk(k, n.schoolId, depth + 1))
    schools[index] = {
      schoolId: n.schoolId,
      name: n.name,
      tier: n.tier,
      parentId,
      depth,
      own: figures(n.own),
      total: figures(n.total),
      complianceRate: rate(n.rates.complianceRate),
      deliveryRate: rate(n.rates.deliveryRate),
      byRequirement: Object.fromEntries(policy.requirements.map((r) => [r.id, total.get(r.id) ?? zeroCounts()]))
    }
    return total
  }
  for (const root of rollup.roots) walk(root, null, 0)
  const headline = rollup.roots.reduce((acc, n) => addFigures(acc, n.total), zero(rollup.unplaced))

  const requirements: Array<RequirementLine> = policy.requirements.map((r) => {
    const t = r.thresholds.find((x) => x.measure === "hours")
    const earned = earnedBy.get(r.id) ?? []
    const top = Math.max(2 * (t?.min ?? 3200), 6400)
    const buckets: Array<Bucket> = []
    for (let from = 0; from < top; from += BUCKET)
      buckets.push({ fromHours: hours(from), toHours: hours(from + BUCKET), members: 0 })
    buckets.push({ fromHours: hours(top), toHours: null, members: 0 })
    for (const h of earned) {
      const i = Math.min(Math.floor(h / BUCKET), buckets.length - 1)
      ;(buckets[i] as { members: number }).members++
    }
    return {
      requirementId: r.id,
      title: r.title,
      counts: requirementCounts.get(r.id) ?? zeroCounts(),
      requiredHours: t === undefined ? null : hours(t.min),
      distribution: buckets
    }
  })

  // course mix by module, classes of the year
  const modules: Array<ModuleMix> = ledger.modules().map((module) => {
    const m = ledger.courseMix({ kind: "module", module, year }, { asOf })
    return {
      module,
      classes: m.classes.length,
      scheduled: breakdown(m.scheduled),
      delivered: breakdown(m.delivered),
      verdicts: m.verdicts.map(verdict)
    }
  })
  const mixCounts = { pass: 0, fail: 0, noData: 0 }
  const completion = { pass: 0, fail: 0, withdrawn: 0, inProgress: 0 }
  const classes: Array<ClassLine> = []
  for (const classId of ledger.classIds()) {
    const c = facts.classes.get(classId)
    if (c === undefined || !Array.from(c.sessions.values()).some((s) => Calendar.yearOfDate(s.date) === year)) continue
    const mix = ledger.courseMix({ kind: "class", classId }, { asOf })
    const done = ledger.completion(classId, { asOf })
    const verdicts = mix.verdicts.map(verdict)
    for (const v of verdicts) mixCounts[v.status]++
    const counts = done?.counts ?? { pass: 0, fail: 0, withdrawn: 0, inProgress: 0 }
    for (const k of ["pass", "fail", "withdrawn", "inProgress"] as const) completion[k] += counts[k]
    classes.push({
      classId,
      title: c.title,
      schoolId: c.schoolId,
      module: c.module ?? null,
      format: c.format,
      completed: done?.completed ?? false,
      delivered: breakdown(mix.delivered),
      verdicts,
      completion: { ...counts }
    })
  }

  const quotas = quotasOf(facts, rollup).map((q) => ({
    ...q,
    deliveryRate: rate(Rational.share(q.traineeTimes, q.claimedTraineeTimes)),
    claimedClasses: q.claimedClasses,
    classesHeld: q.classesHeld
  }))

  return {
    format: "xueshi/district-report@1",
    policy: { id: policy.id, version: policy.version, title: policy.title, timeZone: policy.timeZone },
    year,
    asOf,
    requirementId: primary?.id ?? null,
    log: {
      events: ledger.stats.events,
      byType: { ...ledger.stats.byType },
      setAside: ledger.stats.setAside,
      derived: { ...ledger.stats.derived }
    },
    headline: {
      figures: figures(headline),
      complianceRate: rate(Rational.share(headline.met, headline.applicable - headline.exempt)),
      deliveryRate: rate(Rational.share(headline.traineeTimes, headline.claimedTraineeTimes))
    },
    schools,
    unplaced: figures(rollup.unplaced),
    requirements,
    shortfalls,
    modules,
    classes,
    courseMix: mixCounts,
    completion,
    quotas
  }
}

const zero = (f: RollupFigures): RollupFigures =>
  Object.fromEntries(Object.keys(f).map((k) => [k, 0])) as unknown as RollupFigures

/**
 * The report's JSON text (keys in the schema's order; the same report gives
 * the same text).
 *
 * @category codecs
 * @since 0.1.0
 */
export const toJson = (report: DistrictReport, indent?: number): string => JSON.stringify(report, null, indent)
