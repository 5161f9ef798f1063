/**
 * The rows of the SQL read models, computed from a ledger (pure: no I/O), and
 * the change tracking that lets a runner write only what changed.
 *
 * Three tables (their columns are the public contract, see
 * docs/adapters/postgres.md):
 *
 * - `member_compliance`: one row per (member, year, requirement): the ledger's
 *   `compliance(member, { year })` (as of December 31 of the year);
 * - `school_rollup`: one row per (year, requirement, school, scope) with scope
 *   `own` or `subtree` (and one `unplaced` row per year and requirement): the
 *   ledger's `rollup({ year, requirementId })`;
 * - `course_mix`: one row per (target kind, target id, phase, dimension, key):
 *   the ledger's `courseMix` of each class and each module (everything known).
 *
 * The years are those of the district's credit grants and quota claims.
 *
 * A runner marks what a batch may have changed ({@link Tracker.touch}): the
 * members it names (and the members of the classes it names), the classes, and
 * the years; at a save it recomputes those partitions only and compares each
 * row with the one last written ({@link Baseline}), so the rows it sends are
 * exactly the rows whose values changed.
 *
 * @since 0.1.0
 */
import type { Events } from "@xueshi/core"
import {
  type Changes,
  emptyChanges,
  type Ledgerish,
  memberRows,
  mixRows,
  type Row,
  rollupRows,
  SEP,
  SHAPES,
  TABLES,
  type TableName,
  type Target,
  yearsOf
} from "./ReadModelTables.js"

export * from "./ReadModelTables.js"

// ---------------------------------------------------------------------------
// change tracking
// ---------------------------------------------------------------------------

/**
 * What a table's rows were when last written: partition → row key → row text.
 * Member rows are partitioned by member, roll-up rows by year, course-mix rows
 * by target.
 *
 * @category models
 * @since 0.1.0
 */
export type Baseline = Record<TableName, Map<string, Map<string, string>>>

/**
 * An empty baseline (empty tables).
 *
 * @category utils
 * @since 0.1.0
 */
export const emptyBaseline = (): Baseline => ({
  member_compliance: new Map(),
  school_rollup: new Map(),
  course_mix: new Map()
})

const keyLength: Record<TableName, number> = {
  member_compliance: SHAPES.member_compliance.key.length,
  school_rollup: SHAPES.school_rollup.key.length,
  course_mix: SHAPES.course_mix.key.length
}

/**
 * Compares a partition's new rows with its baseline: adds the rows that differ
 * (new or changed) and the keys that vanished to `changes`, and answers the
 * partition's new baseline (apply it with {@link commit} once written).
 *
 * @category utils
 * @since 0.1.0
 */
export const diffPartition = (
  table: TableName,
  before: ReadonlyMap<string, string> | undefined,
  rows: ReadonlyArray<Row>,
  changes: Changes
): Map<string, string> => {
  const n = keyLength[table]
  const after = new Map<string, string>()
  for (const row of rows) {
    const key = row.slice(0, n).join(SEP)
    const text = JSON.stringify(row)
    after.set(key, text)
    if (before?.get(key) !== text) changes[table].upserts.push(row)
  }
  if (before !== undefined) {
    for (const [key, text] of before) {
      if (!after.has(key)) changes[table].deletes.push((JSON.parse(text) as Array<Row[number]>).slice(0, n))
    }
  }
  return after
}

/**
 * The pending new baselines of a save: partition maps to swap in after the commit.
 *
 * @category models
 * @since 0.1.0
 */
export type PendingBaseline = Record<TableName, Map<string, Map<string, string>>>

/**
 * Swaps the partitions a committed save wrote into the baseline.
 *
 * @category utils
 * @since 0.1.0
 */
export const commit = (baseline: Baseline, pending: PendingBaseline): void => {
  for (const t of TABLES) for (const [p, m] of pending[t]) baseline[t].set(p, m)
}

/**
 * What a runner must recompute at its next save.
 *
 * @category models
 * @since 0.1.0
 */
export interface Tracker {
  /** Marks what one record (and the credit it caused) may change. */
  readonly touch: (facts: Ledgerish["facts"], record: Events.DomainEvent, creditMembers: ReadonlyArray<string>) => void
  /** Marks everything (a fresh start, or a changed set of years). */
  readonly touchAll: () => void
  /** Whether anything is marked. */
  readonly dirty: () => boolean
  /**
   * Recomputes what is marked against `baseline`: the changes to write and the
   * pending baseline; clears the marks only through {@link Tracker.clear}.
   */
  readonly compute: (ledger: Ledgerish, baseline: Baseline) => { changes: Changes; pending: PendingBaseline }
  /** Clears the marks (after a committed save). */
  readonly clear: () => void
}

/**
 * A fresh tracker (nothing marked).
 *
 * @category constructors
 * @since 0.1.0
 */
export const makeTracker = (): Tracker => {
  let all = false
  let any = false
  /** An event beyond one member's own (a class, a school, a quota): every roll-up year. */
  let wide = false
  const members = new Set<string>()
  const classes = new Set<string>()
  let years: Set<number> | undefined
  const membersOfClass = (facts: Ledgerish["facts"], classId: string) => {
    const k = facts.classes.get(classId)
    if (k === undefined) return
    for (const m of k.records.keys()) members.add(m)
    for (const m of k.enrolments.keys()) members.add(m)
  }
  return {
    touch: (facts, record, creditMembers) => {
      any = true
      if (all) return
      const data = record.data as { readonly memberId?: unknown; readonly classId?: unknown; readonly source?: unknown }
      if (typeof data.memberId === "string") members.add(data.memberId)
      else wide = true
      for (const m of creditMembers) members.add(m)
      if (typeof data.classId === "string") {
        wide = true
        classes.add(data.classId)
        membersOfClass(facts, data.classId)
      }
      const source = data.source as { readonly kind?: unknown; readonly classId?: unknown } | undefined
      if (source !== undefined && typeof source.classId === "string") classes.add(source.classId)
    },
    touchAll: () => {
      all = true
      any = true
    },
    dirty: () => any,
    compute: (ledger, baseline) => {
      const changes = emptyChanges()
      const pending: PendingBaseline = emptyBaseline()
      const now = yearsOf(ledger)
      const sameYears = years !== undefined && now.size === years.size && [...now].every((y) => years?.has(y))
      const everything = all || !sameYears
      const ys = [...now].sort((a, b) => a - b)
      const memberIds = everything ? ledger.memberIds() : [...members].sort()
      for (const m of memberIds) {
        const rows = memberRows(ledger, m, ys)
        pending.member_compliance.set(
          m,
          diffPartition("member_compliance", baseline.member_compliance.get(m), rows, changes)
        )
      }
      // a roll-up year depends on every member and class: recompute each year something may have moved
      // (after a member's own events: the years of their changed rows and of their grants; else every year)
      if (any) {
        let rollupYears = ys
        if (!everything && !wide) {
          const moved = new Set<number>()
          for (const row of changes.member_compliance.upserts) moved.add(row[1] as number)
          for (const m of members) for (const g of ledger.facts.credit.get(m)?.values() ?? []) moved.add(g.year)
          rollupYears = ys.filter((y) => moved.has(y))
        }
        for (const y of rollupYears) {
          const p = String(y)
          pending.school_rollup.set(
            p,
            diffPartition("school_rollup", baseline.school_rollup.get(p), rollupRows(ledger, y), changes)
          )
        }
        for (const p of baseline.school_rollup.keys()) {
          if (!now.has(Number(p)))
            pending.school_rollup.set(p, diffPartition("school_rollup", baseline.school_rollup.get(p), [], changes))
        }
      }
      const targets: Array<Target> = []
      const classIds = everything ? ledger.classIds() : [...classes].sort()
      const modules = new Set<string>()
      for (const id of classIds) {
        targets.push(["class", id])
        const mod = ledger.facts.classes.get(id)?.module
        if (mod !== undefined) modules.add(mod)
      }
      for (const mod of everything ? ledger.modules() : [...modules].sort()) targets.push(["module", mod])
      for (const t of targets) {
        const p = t.join(SEP)
        pending.course_mix.set(p, diffPartition("course_mix", baseline.course_mix.get(p), mixRows(ledger, t), changes))
      }
      years = now
      return { changes, pending }
    },
    clear: () => {
      all = false
      any = false
      wide = false
      members.clear()
      classes.clear()
    }
  }
}
