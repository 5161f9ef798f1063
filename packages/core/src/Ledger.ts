/**
 * The ledger: one value that answers every question about a district's
 * training record under one policy set.
 *
 * A ledger holds ONE fact store (every school, member, class and credit ledger
 * of the history) and derives credit under its policy set itself, so the
 * answers can never be read off a partial state or before the credit was
 * determined:
 *
 * - session credit (`CreditGranted` with a `session` source) is always the
 *   policy set's own: grants recorded under another policy id are set aside
 *   (counted in `stats.setAside`), and accrual adds what the policy calls for;
 * - external credit (`source.kind: "external"`, an online platform's course) is
 *   a recorded fact and counts under every policy set.
 *
 * Build one from a log with {@link fromLog} (validated, streaming) or from
 * records with {@link fromRecords}; keep one live over a store with
 * `LiveLedger.start`. Queries are pure and as of a business date (default: the
 * end of the year asked about).
 *
 * ```ts
 * const ledger = Ledger.fromRecords(records, Presets.national2019)
 * ledger.compliance("M1", { year: 2025 }) // per requirement, with explanation
 * ledger.report({ year: 2025 })           // the whole district report
 * ```
 *
 * @since 0.1.0
 */

import { Effect } from "effect"
import type { LocalDate } from "./Calendar.js"
import * as Calendar from "./Calendar.js"
import type { DomainEvent } from "./Events.js"
import * as Hours from "./Hours.js"
import { type LogSource, type LogSourceError, type ReadOptions, validated } from "./LogSource.js"
import type { LogError } from "./LogValidator.js"
import * as Accrual from "./policy/Accrual.js"
import { type ClassCompletionReport, evaluateClass } from "./policy/ClassCompletion.js"
import { type CourseMixReport, evaluateMix, type MixTarget } from "./policy/CourseMixProjection.js"
import * as Facts from "./policy/Facts.js"
import { type ComplianceAnswer, evaluate } from "./policy/MemberCompliance.js"
import type { PolicySet } from "./policy/PolicySet.js"
import { fromJsonValue, toJsonValue } from "./policy/Projection.js"
import * as RollupTally from "./policy/RollupTally.js"
import { evaluateRollup, type RollupQuery, type RollupReport } from "./policy/SchoolRollup.js"
import type { CourseCategory, SessionMode } from "./Vocabulary.js"

/**
 * What a ledger folded: events by type, credit it derived, grants it set aside.
 *
 * @category models
 * @since 0.1.0
 */
export interface LedgerStats {
  /** Events folded (derived credit not included). */
  readonly events: number
  readonly byType: Readonly<Record<string, number>>
  /** Session grants recorded under another policy id, not counted here. */
  readonly setAside: number
  /** Credit events derived under the policy set (not in the history). */
  readonly derived: { readonly granted: number; readonly revoked: number }
}

/**
 * A member's granted hours in a year, before requirement filters and caps
 * (compliance applies those): in all, by course category and by mode.
 *
 * @category models
 * @since 0.1.0
 */
export interface MemberHours {
  readonly memberId: string
  readonly year: number
  readonly asOf: LocalDate
  readonly total: Hours.Hours
  readonly grants: number
  readonly byCategory: Readonly<Partial<Record<CourseCategory | "unspecified", Hours.Hours>>>
  readonly byMode: Readonly<Partial<Record<SessionMode | "unspecified", Hours.Hours>>>
}

/**
 * One school's year-end quota reconciliation: claimed against delivered, both
 * over the school's subtree (the roll-up's totals and delivery rate).
 *
 * @category models
 * @since 0.1.0
 */
export interface QuotaLine {
  readonly schoolId: string
  readonly name: string
  readonly tier: string
  readonly claimedTraineeTimes: number
  readonly traineeTimes: number
  /** Delivered minus claimed. */
  readonly difference: number
  readonly claimedClasses: number
  readonly classesHeld: number
}

/**
 * A member as a roll-up node lists them: school on the reference date and
 * status under the requirement.
 *
 * @category models
 * @since 0.1.0
 */
export interface MemberLine {
  readonly memberId: string
  readonly schoolId: string | undefined
  readonly answer: ComplianceAnswer
}

/**
 * Options of a year's query: the year, as of a date (default: December 31 of
 * the year), one requirement (default: all, or the policy's first for roll-ups).
 *
 * @category models
 * @since 0.1.0
 */
export interface YearQuery {
  readonly year: number
  readonly asOf?: LocalDate
  readonly requirementId?: string
}

/**
 * The ledger (see the module docs).
 *
 * @category models
 * @since 0.1.0
 */
export interface Ledger {
  readonly policy: PolicySet
  /** The fact store (read it, never change it). */
  readonly facts: Facts.FactsState
  readonly stats: LedgerStats
  /** The credit events the ledger derived, in order (append them to record the credit). */
  readonly derivedCredit: ReadonlyArray<DomainEvent>
  /** Member ids, sorted. */
  readonly memberIds: () => ReadonlyArray<string>
  /** Class ids, sorted. */
  readonly classIds: () => ReadonlyArray<string>
  /** Modules named by classes, sorted. */
  readonly modules: () => ReadonlyArray<string>
  readonly hours: (memberId: string, query: Omit<YearQuery, "requirementId">) => MemberHours
  /** A member's compliance with each requirement (or one), with explanations. */
  readonly compliance: (memberId: string, query: YearQuery) => ReadonlyArray<ComplianceAnswer>
  /** The school roll-up: every node of the school tree, own and subtree figures. */
  readonly rollup: (query: YearQuery) => RollupReport
  /** The members a school is responsible for on the reference date (with its subtree when `subtree`). */
  readonly members: (schoolId: string, query: YearQuery & { readonly subtree?: boolean }) => ReadonlyArray<MemberLine>
  readonly courseMix: (target: MixTarget, options?: { readonly asOf?: LocalDate }) => CourseMixReport
  /** Class completion (`undefined` for an unknown class). */
  readonly completion: (
    classId: string,
    options?: { readonly asOf?: LocalDate; readonly memberId?: string }
  ) => ClassCompletionReport | undefined
  /** The year-end quota reconciliation of every school that claimed a quota for the year. */
  readonly quotas: (query: Omit<YearQuery, "requirementId">) => ReadonlyArray<QuotaLine>
}

/**
 * The reference date of a year's query: the as-of date, or December 31 if earlier.
 *
 * @category utils
 * @since 0.1.0
 */
export const referenceDate = (query: Omit<YearQuery, "requirementId">): LocalDate => {
  const end = Calendar.endOfYear(query.year)
  return query.asOf === undefined || query.asOf > end ? end : query.asOf
}

const asOfOf = (query: Omit<YearQuery, "requirementId">): LocalDate => query.asOf ?? Calendar.endOfYear(query.year)

/**
 * An incremental ledger fold: push records in log order, then `finish` (which
 * derives the credit still missing) or, live, `pushLive` (which derives it
 * record by record and answers the credit commands to append).
 *
 * @category models
 * @since 0.1.0
 */
export interface LedgerFold {
  readonly facts: Facts.FactsState
  /** Folds one record of the history. */
  readonly push: (record: DomainEvent) => void
  /** Folds one record and derives at once the credit it causes (the live form). */
  readonly pushLive: (record: DomainEvent) => ReadonlyArray<Accrual.CreditCommand>
  /** Derives the credit still missing and answers the ledger. */
  readonly finish: () => Ledger
  /** The ledger as it stands (live form: credit is already derived). */
  readonly current: () => Ledger
}

/**
 * What a fold saves: its fact store and counters (see {@link encodeFold}).
 *
 * @category models
 * @since 0.1.0
 */
export interface FoldSnapshot {
  readonly facts: Facts.FactsState
  readonly stats: LedgerStats
}

/**
 * A fold's state as a JSON value (map entries sorted by key: equal folds encode
 * to equal text).
 *
 * @category codecs
 * @since 0.1.0
 */
export const encodeFold = (fold: LedgerFold): unknown => {
  const { stats } = fold.current()
  return toJsonValue({ facts: fold.facts, stats })
}

/**
 * A fold from {@link encodeFold}'s JSON, under a policy set.
 *
 * @category codecs
 * @since 0.1.0
 */
export const decodeFold = (policy: PolicySet, json: unknown): LedgerFold =>
  makeFold(policy, fromJsonValue(json) as FoldSnapshot)

/**
 * Starts a ledger fold under a policy set (from a saved snapshot, or empty).
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeFold = (policy: PolicySet, from?: FoldSnapshot): LedgerFold => {
  const facts = from?.facts ?? Facts.emptyFacts()
  const tz = policy.timeZone
  const byType: Record<string, number> = { ...from?.stats.byType }
  const derived: Array<DomainEvent> = []
  let events = from?.stats.events ?? 0
  let setAside = from?.stats.setAside ?? 0
  let granted = from?.stats.derived.granted ?? 0
  let revoked = from?.stats.derived.revoked ?? 0
  const reactor = Accrual.reactor(policy)
  // the roll-ups it answers again and again follow what its records touched
  const tally = RollupTally.make(policy)

  /** Whether a record is folded: other policies' session grants are set aside; a grant already held is an echo. */
  const admit = (record: DomainEvent): boolean => {
    events++
    byType[record.type] = (byType[record.type] ?? 0) + 1
    if (record.type !== "CreditGranted") return true
    const d = record.data
    if (d.source.kind === "session" && d.policyId !== policy.id) {
      setAside++
      return false
    }
    return facts.credit.get(d.memberId)?.has(d.grantId) !== true
  }
  const keep = (commands: ReadonlyArray<Accrual.CreditCommand>) => {
    for (const c of commands) if (c.type === "GrantCredit") granted++
    revoked += commands.length - commands.filter((c) => c.type === "GrantCredit").length
    for (const e of Accrual.toEvents(commands)) derived.push(e)
  }
  const current = (): Ledger =>
    make(
      policy,
      facts,
      {
        events,
        byType: Object.fromEntries(Object.entries(byType).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
        setAside,
        derived: { granted, revoked }
      },
      derived,
      tally
    )
  return {
    facts,
    push: (record) => {
      if (!admit(record)) return
      Facts.applyFact(facts, record, tz)
      tally.touchRecord(facts, record)
    },
    pushLive: (record) => {
      if (!admit(record)) return []
      const [, commands] = reactor.react(facts, record)
      tally.touchRecord(facts, record)
      for (const c of commands) tally.touchMember(c.data.memberId)
      keep(commands)
      return commands
    },
    finish: () => {
      const commands = Accrual.accrueAll(facts, policy)
      for (const e of Accrual.toEvents(commands)) {
        Facts.applyFact(facts, e, tz)
        tally.touchRecord(facts, e)
      }
      keep(commands)
      return current()
    },
    current
  }
}

/**
 * A ledger from records already validated (an array, a generator, a store's
 * events), in log order.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromRecords = (records: Iterable<DomainEvent>, policy: PolicySet): Ledger => {
  const fold = makeFold(policy)
  for (const r of records) fold.push(r)
  return fold.finish()
}

/**
 * A ledger from a log, validated line by line in one streaming pass (only the
 * fact store is kept, never the lines). Fails with the first {@link LogError}
 * (line, field path, rule): a log that is not valid answers nothing.
 *
 * @category constructors
 * @since 0.1.0
 */
export const fromLog = <E = never, R = never>(
  source: LogSource<E, R>,
  policy: PolicySet,
  options: ReadOptions = {}
): Effect.Effect<Ledger, LogError | LogSourceError | E, R> =>
  Effect.suspend(() => {
    const fold = makeFold(policy)
    return Effect.map(validated(source, fold.push, options), () => fold.finish())
  })

const addTo = <K extends string>(m: Partial<Record<K, Hours.Hours>>, k: K, h: Hours.Hours) => {
  m[k] = Hours.make((m[k] ?? 0) + h)
}

/**
 * The queries over a fact store whose credit is derived (see {@link Ledger}).
 * Use {@link makeFold} or {@link fromRecords} rather than this.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (
  policy: PolicySet,
  facts: Facts.FactsState,
  stats: LedgerStats,
  derivedCredit: ReadonlyArray<DomainEvent> = [],
  tally?: RollupTally.RollupTally
): Ledger => {
  const rollupOf = (q: RollupQuery) => (tally === undefined ? evaluateRollup(facts, policy, q) : tally.rollup(facts, q))
  const requirementsOf = (id: string | undefined) =>
    id === undefined ? policy.requirements : policy.requirements.filter((r) => r.id === id)
  const sorted = (it: Iterable<string>) => Array.from(it).sort()
  const compliance = (memberId: string, q: YearQuery) =>
    requirementsOf(q.requirementId).map((r) => evaluate(facts, policy, r, memberId, referenceDate(q), q.year))
  const subtreeOf = (schoolId: string): Set<string> => {
    const out = new Set([schoolId])
    let grew = true
    while (grew) {
      grew = false
      for (const s of facts.schools.values()) {
        if (s.parentId !== undefined && out.has(s.parentId) && !out.has(s.schoolId)) {
          out.add(s.schoolId)
          grew = true
        }
      }
    }
    return out
  }
  return {
    policy,
    facts,
    stats,
    derivedCredit,
    memberIds: () => sorted(facts.members.keys()),
    classIds: () => sorted(facts.classes.keys()),
    modules: () => sorted(new Set(Array.from(facts.classes.values(), (c) => c.module).filter((m) => m !== undefined))),
    hours: (memberId, q) => {
      const asOf = asOfOf(q)
      const byCategory: Partial<Record<CourseCategory | "unspecified", Hours.Hours>> = {}
      const byMode: Partial<Record<SessionMode | "unspecified", Hours.Hours>> = {}
      let total = 0
      let grants = 0
      for (const g of facts.credit.get(memberId)?.values() ?? []) {
        if (g.revoked || g.year !== q.year || g.date > asOf) continue
        total += g.hours
        grants++
        addTo(byCategory, g.category ?? "unspecified", g.hours)
        addTo(byMode, g.mode ?? "unspecified", g.hours)
      }
      return { memberId, year: q.year, asOf, total: Hours.make(total), grants, byCategory, byMode }
    },
    compliance,
    rollup: (q) =>
      rollupOf({
        asOf: asOfOf(q),
        year: q.year,
        ...(q.requirementId === undefined ? {} : { requirementId: q.requirementId })
      }),
    members: (schoolId, q) => {
      const ref = referenceDate(q)
      const schools = q.subtree === true ? subtreeOf(schoolId) : new Set([schoolId])
      const requirement = requirementsOf(q.requirementId ?? policy.requirements[0]?.id)[0]
      const out: Array<MemberLine> = []
      for (const id of sorted(facts.members.keys())) {
        const m = facts.members.get(id) as Facts.MemberFact
        if (!Facts.isRegisteredOn(m, ref)) continue
        const at = Facts.schoolOn(m, ref)
        if (at === undefined || !schools.has(at) || requirement === undefined) continue
        out.push({ memberId: id, schoolId: at, answer: evaluate(facts, policy, requirement, id, ref, q.year) })
      }
      return out
    },
    courseMix: (target, options = {}) =>
      evaluateMix(
        facts,
        policy.courseMix,
        target,
        options.asOf ??
          (target.kind === "class" || target.year === undefined ? ALL_KNOWN : Calendar.endOfYear(target.year))
      ),
    completion: (classId, options = {}) => {
      const c = facts.classes.get(classId)
      if (c === undefined) return undefined
      return evaluateClass(c, policy, options.asOf ?? ALL_KNOWN, options.memberId)
    },
    quotas: (q) => quotasOf(facts, rollupOf({ asOf: asOfOf(q), year: q.year }))
  }
}

/**
 * The quota reconciliation lines of a roll-up: every school that claimed a
 * quota for the roll-up's year, in tree order.
 *
 * @category rules
 * @since 0.1.0
 */
export const quotasOf = (facts: Facts.FactsState, report: RollupReport): Array<QuotaLine> => {
  const out: Array<QuotaLine> = []
  const walk = (n: RollupReport["roots"][number]) => {
    if (facts.schools.get(n.schoolId)?.quotas.has(report.year) === true) {
      out.push({
        schoolId: n.schoolId,
        name: n.name,
        tier: n.tier,
        claimedTraineeTimes: n.total.claimedTraineeTimes,
        traineeTimes: n.total.traineeTimes,
        difference: n.total.traineeTimes - n.total.claimedTraineeTimes,
        claimedClasses: n.total.claimedClasses,
        classesHeld: n.total.classesHeld
      })
    }
    for (const k of n.children) walk(k)
  }
  for (const r of report.roots) walk(r)
  return out
}

/** The default as-of of queries that name no year: everything the history knows. */
const ALL_KNOWN: LocalDate = Calendar.endOfYear(9999)
