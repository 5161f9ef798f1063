/**
 * The school roll-up kept up to date by key: a fold that answers roll-ups
 * again and again (a read-model runner after every batch, a live ledger)
 * recomputes only the members and classes its records touched since the last
 * answer, not every member of the district.
 *
 * The tally keeps, per roll-up query (year, as-of date, requirement), each
 * member's and each class's figures ({@link SchoolRollup.memberFigures},
 * {@link SchoolRollup.classFigures}) and their sums by school; a touched key's
 * old figures are taken out of the sums and its new ones put in. The sums are
 * integers, so the answer equals {@link SchoolRollup.evaluateRollup}'s exactly
 * (a property test checks it on random histories cut into random batches).
 *
 * What a record touches ({@link RollupTally.touchRecord}): the member it names
 * and the class it names; a record of a class that names no member (a session
 * rescheduled, the class completed) touches every member enrolled in or
 * recorded by it too. The fold touches the members of the credit it derives.
 * Records of schools touch nothing: a school's quota and place in the tree are
 * read again on every answer.
 *
 * @since 0.1.0
 */
import type { DomainEvent } from "../Events.js"
import type * as Facts from "./Facts.js"
import type { PolicySet } from "./PolicySet.js"
import {
  adderInto,
  basisOf,
  buildRollup,
  classFigures,
  type FiguresBySchool,
  figureMemberIds,
  memberFigures,
  type RollupFigures,
  type RollupQuery,
  type RollupReport
} from "./SchoolRollup.js"

type Entry = readonly [schoolId: string | undefined, field: keyof RollupFigures, n: number]

interface Tally {
  readonly bySchool: FiguresBySchool
  readonly members: Map<string, ReadonlyArray<Entry>>
  readonly classes: Map<string, ReadonlyArray<Entry>>
  readonly dirtyMembers: Set<string>
  readonly dirtyClasses: Set<string>
}

/**
 * A roll-up kept by key over one fact store.
 *
 * @category models
 * @since 0.1.0
 */
export interface RollupTally {
  /** Marks what a record (just applied to the facts) may have changed. */
  readonly touchRecord: (facts: Facts.FactsState, record: DomainEvent) => void
  /** Marks a member (their figures are computed again at the next answer). */
  readonly touchMember: (memberId: string) => void
  /** Forgets every kept figure (the next answers compute everything). */
  readonly touchAll: () => void
  /** The roll-up of a query, as {@link SchoolRollup.evaluateRollup} answers it. */
  readonly rollup: (facts: Facts.FactsState, q: RollupQuery) => RollupReport
}

/** Queries kept at once (years × requirements × as-of dates). */
const MAX_TALLIES = 32

const subtract = (into: FiguresBySchool, entries: ReadonlyArray<Entry>) => {
  for (const [schoolId, field, n] of entries) {
    const f = into.get(schoolId) as Record<keyof RollupFigures, number>
    f[field] -= n
  }
}

/**
 * A tally under a policy set, empty.
 *
 * @category constructors
 * @since 0.1.0
 */
export const make = (policy: PolicySet): RollupTally => {
  const tallies = new Map<string, Tally>()
  const touchMember = (memberId: string) => {
    if (tallies.size === 0) return
    for (const t of tallies.values()) t.dirtyMembers.add(memberId)
  }
  /** A class, and with `everyone` every member enrolled in or recorded by it. */
  const touchClass = (facts: Facts.FactsState, classId: string, everyone: boolean) => {
    if (tallies.size === 0) return
    for (const t of tallies.values()) t.dirtyClasses.add(classId)
    if (!everyone) return
    const c = facts.classes.get(classId)
    if (c === undefined) return
    for (const m of c.records.keys()) touchMember(m)
    for (const m of c.enrolments.keys()) touchMember(m)
  }
  const figures = (compute: (add: (s: string | undefined, f: keyof RollupFigures, n: number) => void) => void) => {
    const out: Array<Entry> = []
    compute((s, f, n) => {
      out.push([s, f, n])
    })
    return out
  }
  const build = (facts: Facts.FactsState, q: RollupQuery): Tally => {
    const basis = basisOf(policy, q)
    const t: Tally = {
      bySchool: new Map(),
      members: new Map(),
      classes: new Map(),
      dirtyMembers: new Set(),
      dirtyClasses: new Set()
    }
    const add = adderInto(t.bySchool)
    for (const id of figureMemberIds(facts)) {
      const e = figures((a) => memberFigures(facts, policy, basis, id, a))
      for (const [s, f, n] of e) add(s, f, n)
      if (e.length > 0) t.members.set(id, e)
    }
    for (const c of facts.classes.values()) {
      const e = figures((a) => classFigures(c, basis, a))
      for (const [s, f, n] of e) add(s, f, n)
      if (e.length > 0) t.classes.set(c.classId, e)
    }
    return t
  }
  const refresh = (facts: Facts.FactsState, q: RollupQuery, t: Tally) => {
    const basis = basisOf(policy, q)
    const add = adderInto(t.bySchool)
    for (const id of t.dirtyMembers) {
      subtract(t.bySchool, t.members.get(id) ?? [])
      const e = figures((a) => memberFigures(facts, policy, basis, id, a))
      for (const [s, f, n] of e) add(s, f, n)
      if (e.length > 0) t.members.set(id, e)
      else t.members.delete(id)
    }
    for (const id of t.dirtyClasses) {
      subtract(t.bySchool, t.classes.get(id) ?? [])
      const c = facts.classes.get(id)
      const e = c === undefined ? [] : figures((a) => classFigures(c, basis, a))
      for (const [s, f, n] of e) add(s, f, n)
      if (e.length > 0) t.classes.set(id, e)
      else t.classes.delete(id)
    }
    t.dirtyMembers.clear()
    t.dirtyClasses.clear()
  }
  return {
    touchRecord: (facts, record) => {
      const data = record.data as { readonly memberId?: unknown; readonly classId?: unknown }
      const member = typeof data.memberId === "string"
      if (member) touchMember(data.memberId as string)
      // a member's own record in a class changes that member; a class's own (a session moved) all of its
      if (typeof data.classId === "string") touchClass(facts, data.classId, !member)
    },
    touchMember,
    touchAll: () => tallies.clear(),
    rollup: (facts, q) => {
      const key = `${q.year}|${q.asOf}|${q.requirementId ?? ""}`
      let t = tallies.get(key)
      if (t === undefined) {
        t = build(facts, q)
        // a few queries are kept (the years and requirements a runner writes); the oldest goes first
        if (tallies.size >= MAX_TALLIES) tallies.delete(tallies.keys().next().value as string)
        tallies.set(key, t)
      } else refresh(facts, q, t)
      return buildRollup(facts, basisOf(policy, q), t.bySchool)
    }
  }
}
