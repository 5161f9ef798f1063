/**
 * The course-mix projection: per class, per module and per school-year, minutes
 * and lessons by category and tag, scheduled and delivered side by side, shares
 * as exact rationals with percentages, and each applicable rule's verdict with
 * its deviation.
 *
 * Scheduled sessions are every session not cancelled (the plan: undated, so
 * the latest plan at any as-of date); delivered sessions are those held by the
 * as-of date (not cancelled, someone's attendance dated on or before it). Module
 * and school-year scopes take sessions by the year of their date.
 *
 * @since 0.1.0
 */

import type { LocalDate } from "../Calendar.js"
import * as Calendar from "../Calendar.js"
import * as Rational from "../Rational.js"
import type { CourseCategory } from "../Vocabulary.js"
import { type CourseMixRule, evaluateRule, type MixItem, type MixScope, type RuleVerdict } from "./CourseMix.js"
import * as Facts from "./Facts.js"
import type { PolicySet } from "./PolicySet.js"
import { fromJsonValue, type Projection, toJsonValue } from "./Projection.js"

/**
 * What a course-mix query looks at.
 *
 * @category models
 * @since 0.1.0
 */
export type MixTarget =
  | { readonly kind: "class"; readonly classId: string }
  | { readonly kind: "module"; readonly module: string; readonly year?: number }
  | { readonly kind: "schoolYear"; readonly schoolId: string; readonly year: number }

/**
 * Minutes and lessons of one category or tag, with their shares of the total.
 *
 * @category models
 * @since 0.1.0
 */
export interface MixFigures {
  readonly minutes: number
  readonly lessons: number
  readonly minutesShare?: Rational.Rational
  readonly minutesPercent?: string
  readonly lessonsShare?: Rational.Rational
  readonly lessonsPercent?: string
}

/**
 * Minutes and lessons by category (all four, summing to the totals) and by tag.
 *
 * @category models
 * @since 0.1.0
 */
export interface MixBreakdown {
  readonly minutes: number
  readonly lessons: number
  readonly byCategory: Readonly<Record<CourseCategory, MixFigures>>
  readonly byTag: Readonly<Record<string, MixFigures>>
}

/**
 * A course-mix report.
 *
 * @category models
 * @since 0.1.0
 */
export interface CourseMixReport {
  readonly target: MixTarget
  readonly asOf: LocalDate
  readonly classes: ReadonlyArray<string>
  readonly scheduled: MixBreakdown
  readonly delivered: MixBreakdown
  readonly verdicts: ReadonlyArray<RuleVerdict>
}

/**
 * A course-mix query.
 *
 * @category models
 * @since 0.1.0
 */
export interface CourseMixQuery {
  readonly asOf: LocalDate
  readonly target: MixTarget
}

interface ScopedItem extends MixItem {
  readonly classFact: Facts.ClassFact
}

const CATEGORIES: ReadonlyArray<CourseCategory> = ["theory", "practice", "exemplar", "other"]

const figures = (minutes: number, lessons: number, totalMinutes: number, totalLessons: number): MixFigures => {
  const ms = Rational.share(minutes, totalMinutes)
  const ls = Rational.share(lessons, totalLessons)
  return {
    minutes,
    lessons,
    ...(ms === undefined ? {} : { minutesShare: ms, minutesPercent: Rational.toPercentString(ms) }),
    ...(ls === undefined ? {} : { lessonsShare: ls, lessonsPercent: Rational.toPercentString(ls) })
  }
}

/**
 * Minutes and lessons of sessions by category and tag.
 *
 * @category rules
 * @since 0.1.0
 */
export const breakdown = (items: ReadonlyArray<MixItem>): MixBreakdown => {
  let minutes = 0
  const cat = new Map<string, [number, number]>()
  const tag = new Map<string, [number, number]>()
  for (const i of items) {
    minutes += i.minutes
    const c = cat.get(i.category) ?? [0, 0]
    cat.set(i.category, [c[0] + i.minutes, c[1] + 1])
    for (const t of new Set(i.tags)) {
      const x = tag.get(t) ?? [0, 0]
      tag.set(t, [x[0] + i.minutes, x[1] + 1])
    }
  }
  const lessons = items.length
  const byCategory = {} as Record<CourseCategory, MixFigures>
  for (const c of CATEGORIES) {
    const [m, l] = cat.get(c) ?? [0, 0]
    byCategory[c] = figures(m, l, minutes, lessons)
  }
  const byTag: Record<string, MixFigures> = {}
  for (const t of Array.from(tag.keys()).sort()) {
    const [m, l] = tag.get(t) as [number, number]
    byTag[t] = figures(m, l, minutes, lessons)
  }
  return { minutes, lessons, byCategory, byTag }
}

const classesIn = (facts: Facts.FactsState, target: MixTarget): Array<Facts.ClassFact> => {
  const out: Array<Facts.ClassFact> = []
  if (target.kind === "class") {
    const c = facts.classes.get(target.classId)
    if (c !== undefined) out.push(c)
    return out
  }
  for (const c of facts.classes.values()) {
    if (target.kind === "module" ? c.module === target.module : c.schoolId === target.schoolId) out.push(c)
  }
  return out.sort((a, b) => (a.classId < b.classId ? -1 : a.classId > b.classId ? 1 : 0))
}

const itemsIn = (facts: Facts.FactsState, target: MixTarget, asOf: LocalDate): Array<ScopedItem> => {
  const year = target.kind === "class" ? undefined : target.year
  const out: Array<ScopedItem> = []
  for (const c of classesIn(facts, target)) {
    const delivered = Facts.deliveredSessions(c, asOf)
    const ids = Array.from(c.sessions.keys()).sort()
    for (const id of ids) {
      const s = c.sessions.get(id) as Facts.SessionFact
      if (s.cancelled) continue
      if (year !== undefined && Calendar.yearOfDate(s.date) !== year) continue
      out.push({ minutes: s.minutes, category: s.category, tags: s.tags, delivered: delivered.has(id), classFact: c })
    }
  }
  return out
}

const ruleApplies = (facts: Facts.FactsState, rule: CourseMixRule, c: Facts.ClassFact): boolean => {
  const a = rule.appliesTo
  if (a === undefined) return true
  if (a.formats !== undefined && !a.formats.includes(c.format)) return false
  if (a.modules !== undefined && (c.module === undefined || !a.modules.includes(c.module))) return false
  if (a.schoolTiers !== undefined) {
    const tier = facts.schools.get(c.schoolId)?.tier
    if (tier === undefined || !a.schoolTiers.includes(tier)) return false
  }
  return true
}

/**
 * The course mix of a class, module or school-year as of a date, with the
 * verdict of every rule of the policy set for that scope. For a class, a rule
 * whose `appliesTo` excludes the class is left out; for a module or a
 * school-year, `appliesTo` selects the classes whose sessions count.
 *
 * @category rules
 * @since 0.1.0
 */
export const evaluateMix = (
  facts: Facts.FactsState,
  rules: ReadonlyArray<CourseMixRule>,
  target: MixTarget,
  asOf: LocalDate
): CourseMixReport => {
  const items = itemsIn(facts, target, asOf)
  const scope: MixScope = target.kind
  const verdicts: Array<RuleVerdict> = []
  for (const rule of rules) {
    if (!rule.scopes.includes(scope)) continue
    const scoped = items.filter((i) => ruleApplies(facts, rule, i.classFact))
    if (target.kind === "class" && scoped.length === 0 && items.length > 0) continue
    if (target.kind === "class" && items.length === 0) {
      const c = facts.classes.get(target.classId)
      if (c === undefined || !ruleApplies(facts, rule, c)) continue
    }
    verdicts.push(evaluateRule(rule, scoped))
  }
  return {
    target,
    asOf,
    classes: classesIn(facts, target).map((c) => c.classId),
    scheduled: breakdown(items),
    delivered: breakdown(items.filter((i) => i.delivered)),
    verdicts
  }
}

/**
 * The course-mix projection under a policy set (its `courseMix` rules).
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (policy: PolicySet): Projection<Facts.FactsState, CourseMixQuery, CourseMixReport> => ({
  name: `course-mix/${policy.id}@${policy.version}`,
  get initial() {
    return Facts.emptyFacts()
  },
  apply: (state, record) => Facts.applyFact(state, record, policy.timeZone),
  query: (state, q) => evaluateMix(state, policy.courseMix, q.target, q.asOf),
  encodeState: toJsonValue,
  decodeState: (json) => fromJsonValue(json) as Facts.FactsState,
  keyed: Facts.keyedFacts
})
