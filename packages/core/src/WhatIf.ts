/**
 * What-if: the same history under two policy sets. Who changes status under
 * each requirement both sets name, and how every node of the school roll-up
 * moves. Credit is derived under each set by its own ledger, so the comparison
 * is of policies, not of recorded grants.
 *
 * ```ts
 * const report = yield* WhatIf.fromLog(lines, Presets.national2019, localRule, { year: 2025 })
 * report.changes // [{ memberId, requirementId, from: "notMet", to: "met", … }]
 * ```
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import type { LocalDate } from "./Calendar.js"
import type * as Hours from "./Hours.js"
import { type Ledger, makeFold, referenceDate } from "./Ledger.js"
import { type LogSource, type LogSourceError, type ReadOptions, validated } from "./LogSource.js"
import type { LogError } from "./LogValidator.js"
import { type ComplianceStatus, evaluate } from "./policy/MemberCompliance.js"
import { type PolicySet, policyKey } from "./policy/PolicySet.js"
import type { SchoolNode } from "./policy/SchoolRollup.js"
import * as Rational from "./Rational.js"

/**
 * A member whose status under a requirement differs between the two sets.
 *
 * @category models
 * @since 0.1.0
 */
export interface StatusChange {
  readonly memberId: string
  readonly requirementId: string
  readonly schoolId?: string
  readonly from: ComplianceStatus
  readonly to: ComplianceStatus
  /** Counted hours under A and under B. */
  readonly earnedA: Hours.Hours
  readonly earnedB: Hours.Hours
}

/**
 * A school's subtree figures under A and B, and the change of its compliance
 * rate in percentage points.
 *
 * @category models
 * @since 0.1.0
 */
export interface SchoolMove {
  readonly schoolId: string
  readonly name: string
  readonly depth: number
  readonly a: { readonly met: number; readonly applicable: number; readonly exempt: number; readonly rate?: string }
  readonly b: { readonly met: number; readonly applicable: number; readonly exempt: number; readonly rate?: string }
  /** B's rate minus A's, exact. */
  readonly change?: Rational.Rational
  readonly changeText?: string
}

/**
 * A what-if comparison.
 *
 * @category models
 * @since 0.1.0
 */
export interface WhatIfReport {
  readonly a: string
  readonly b: string
  readonly year: number
  readonly asOf: LocalDate
  /** Requirements both sets name (compared), and those only one does. */
  readonly requirements: {
    readonly compared: ReadonlyArray<string>
    readonly onlyA: ReadonlyArray<string>
    readonly onlyB: ReadonlyArray<string>
  }
  /** Transitions by requirement: `"notMet→met"` → members. */
  readonly transitions: Readonly<Record<string, Readonly<Record<string, number>>>>
  readonly changes: ReadonlyArray<StatusChange>
  /** The roll-up requirement whose rates the school moves compare (absent when none is shared). */
  readonly rollupRequirementId?: string
  readonly schools: ReadonlyArray<SchoolMove>
}

/**
 * Compares two ledgers of the same history.
 *
 * @category rules
 * @since 0.1.0
 */
export const compare = (
  a: Ledger,
  b: Ledger,
  query: { readonly year: number; readonly asOf?: LocalDate; readonly requirementId?: string }
): WhatIfReport => {
  const ref = referenceDate(query)
  const idsA = a.policy.requirements.map((r) => r.id)
  const idsB = new Set(b.policy.requirements.map((r) => r.id))
  const compared = idsA.filter((id) => idsB.has(id))
  const transitions: Record<string, Record<string, number>> = {}
  const changes: Array<StatusChange> = []
  const members = Array.from(new Set([...a.memberIds(), ...b.memberIds()])).sort()
  for (const requirementId of compared) {
    const ra = a.policy.requirements.find((r) => r.id === requirementId)
    const rb = b.policy.requirements.find((r) => r.id === requirementId)
    if (ra === undefined || rb === undefined) continue
    const moved: Record<string, number> = {}
    for (const memberId of members) {
      const x = evaluate(a.facts, a.policy, ra, memberId, ref, query.year)
      const y = evaluate(b.facts, b.policy, rb, memberId, ref, query.year)
      if (x.status === y.status) continue
      const key = `${x.status}→${y.status}`
      moved[key] = (moved[key] ?? 0) + 1
      changes.push({
        memberId,
        requirementId,
        ...((y.schoolId ?? x.schoolId) ? { schoolId: (y.schoolId ?? x.schoolId) as string } : {}),
        from: x.status,
        to: y.status,
        earnedA: x.earned.hours,
        earnedB: y.earned.hours
      })
    }
    transitions[requirementId] = Object.fromEntries(Object.entries(moved).sort(([p], [q]) => (p < q ? -1 : 1)))
  }
  const rollupRequirementId =
    query.requirementId ??
    (compared.includes(a.policy.requirements[0]?.id ?? "") ? a.policy.requirements[0]?.id : compared[0])
  const schools: Array<SchoolMove> = []
  if (rollupRequirementId !== undefined) {
    const asOf = query.asOf
    const ta = a.rollup({
      year: query.year,
      requirementId: rollupRequirementId,
      ...(asOf === undefined ? {} : { asOf })
    })
    const tb = b.rollup({
      year: query.year,
      requirementId: rollupRequirementId,
      ...(asOf === undefined ? {} : { asOf })
    })
    const byId = new Map<string, SchoolNode>()
    const index = (n: SchoolNode) => {
      byId.set(n.schoolId, n)
      n.children.forEach(index)
    }
    tb.roots.forEach(index)
    const side = (n: SchoolNode) => ({
      met: n.total.met,
      applicable: n.total.applicable,
      exempt: n.total.exempt,
      ...(n.rates.complianceRateText === undefined ? {} : { rate: n.rates.complianceRateText })
    })
    const walk = (n: SchoolNode, depth: number) => {
      const m = byId.get(n.schoolId)
      if (m !== undefined) {
        const x = n.rates.complianceRate
        const y = m.rates.complianceRate
        const change = x !== undefined && y !== undefined ? Rational.subtract(y, x) : undefined
        schools.push({
          schoolId: n.schoolId,
          name: n.name,
          depth,
          a: side(n),
          b: side(m),
          ...(change === undefined ? {} : { change, changeText: Rational.toPercentString(change) })
        })
      }
      for (const k of n.children) walk(k, depth + 1)
    }
    for (const r of ta.roots) walk(r, 0)
  }
  return {
    a: policyKey(a.policy),
    b: policyKey(b.policy),
    year: query.year,
    asOf: ref,
    requirements: {
      compared,
      onlyA: idsA.filter((id) => !idsB.has(id)),
      onlyB: b.policy.requirements.map((r) => r.id).filter((id) => !idsA.includes(id))
    },
    transitions,
    changes,
    ...(rollupRequirementId === undefined ? {} : { rollupRequirementId }),
    schools
  }
}

/**
 * Reads a log once (validated) into two ledgers, one per policy set, and
 * compares them.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromLog = <E = never, R = never>(
  source: LogSource<E, R>,
  a: PolicySet,
  b: PolicySet,
  query: { readonly year: number; readonly asOf?: LocalDate; readonly requirementId?: string },
  options: ReadOptions = {}
): Effect.Effect<WhatIfReport, LogError | LogSourceError | E, R> =>
  Effect.suspend(() => {
    const fa = makeFold(a)
    const fb = makeFold(b)
    return Effect.map(
      validated(
        source,
        (record) => {
          fa.push(record)
          fb.push(record)
        },
        options
      ),
      () => compare(fa.finish(), fb.finish(), query)
    )
  })
