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
import type { Events, Ledger } from "@xueshi/core"

type Ledgerish = Ledger.Ledger

/**
 * The read-model tables (the names without the prefix).
 *
 * @since 0.1.0
 */
export type TableName = "member_compliance" | "school_rollup" | "course_mix"

/**
 * The tables, in the order a save writes them.
 *
 * @since 0.1.0
 */
export const TABLES: ReadonlyArray<TableName> = ["member_compliance", "school_rollup", "course_mix"]

/**
 * A column of a read-model table: its name and SQL type.
 *
 * @since 0.1.0
 */
export interface Column {
  readonly name: string
  readonly type: string
}

/**
 * The shape of a read-model table: key columns, then value columns (in the
 * order of a row's values).
 *
 * @since 0.1.0
 */
export interface TableShape {
  readonly key: ReadonlyArray<Column>
  readonly values: ReadonlyArray<Column>
  /** Columns the database computes from the others (`GENERATED ALWAYS … STORED`). */
  readonly generated: ReadonlyArray<string>
}

const c = (name: string, type: string): Column => ({ name, type })

/**
 * The shapes of the three tables.
 *
 * @since 0.1.0
 */
export const SHAPES: Readonly<Record<TableName, TableShape>> = {
  member_compliance: {
    key: [c("member_id", "text"), c("year", "integer"), c("requirement_id", "text")],
    values: [
      c("school_id", "text"),
      c("status", "text"),
      c("hours_centi", "bigint"),
      c("required_centi", "bigint"),
      c("shortfall_centi", "bigint"),
      c("days", "integer"),
      c("trainings", "integer"),
      c("as_of", "date"),
      c("reason", "text")
    ],
    generated: [
      "hours numeric(14,2) GENERATED ALWAYS AS (hours_centi / 100.0) STORED",
      "shortfall numeric(14,2) GENERATED ALWAYS AS (shortfall_centi / 100.0) STORED"
    ]
  },
  school_rollup: {
    key: [c("year", "integer"), c("requirement_id", "text"), c("school_id", "text"), c("scope", "text")],
    values: [
      c("parent_id", "text"),
      c("name", "text"),
      c("tier", "text"),
      c("members", "integer"),
      c("applicable", "integer"),
      c("met", "integer"),
      c("exempt", "integer"),
      c("on_track", "integer"),
      c("behind", "integer"),
      c("not_met", "integer"),
      c("hours_centi", "bigint"),
      c("trainee_times", "integer"),
      c("classes_held", "integer"),
      c("sessions_held", "integer"),
      c("claimed_trainee_times", "integer"),
      c("claimed_classes", "integer"),
      c("compliance_num", "bigint"),
      c("compliance_den", "bigint"),
      c("compliance_percent", "text"),
      c("delivery_num", "bigint"),
      c("delivery_den", "bigint"),
      c("delivery_percent", "text")
    ],
    generated: ["hours numeric(14,2) GENERATED ALWAYS AS (hours_centi / 100.0) STORED"]
  },
  course_mix: {
    key: [
      c("target_kind", "text"),
      c("target_id", "text"),
      c("phase", "text"),
      c("dimension", "text"),
      c("key", "text")
    ],
    values: [
      c("minutes", "bigint"),
      c("lessons", "integer"),
      c("minutes_percent", "text"),
      c("lessons_percent", "text"),
      c("status", "text")
    ],
    generated: []
  }
}

/** A row: its key values, then its other values (JSON-able: strings, integers, null). */
export type Row = ReadonlyArray<string | number | null>

/**
 * What a save sends for one table: rows to upsert, keys to delete.
 *
 * @since 0.1.0
 */
export interface TableChanges {
  readonly upserts: Array<Row>
  readonly deletes: Array<Row>
}

/**
 * What a save sends: per table.
 *
 * @since 0.1.0
 */
export type Changes = Record<TableName, TableChanges>

/**
 * An empty set of changes.
 *
 * @since 0.1.0
 */
export const emptyChanges = (): Changes => ({
  member_compliance: { upserts: [], deletes: [] },
  school_rollup: { upserts: [], deletes: [] },
  course_mix: { upserts: [], deletes: [] }
})

/**
 * How many rows a set of changes writes (upserts and deletes).
 *
 * @since 0.1.0
 */
export const changeCount = (changes: Changes): number =>
  TABLES.reduce((n, t) => n + changes[t].upserts.length + changes[t].deletes.length, 0)

// ---------------------------------------------------------------------------
// rows
// ---------------------------------------------------------------------------

const SEP = "\u0000"

/**
 * The years the read models cover: those of every credit grant and quota claim.
 *
 * @since 0.1.0
 */
export const yearsOf = (ledger: Ledgerish): Set<number> => {
  const years = new Set<number>()
  for (const grants of ledger.facts.credit.values()) for (const g of grants.values()) years.add(g.year)
  for (const s of ledger.facts.schools.values()) for (const y of s.quotas.keys()) years.add(y)
  return years
}

/**
 * The `member_compliance` rows of one member, every year and requirement.
 *
 * @since 0.1.0
 */
export const memberRows = (ledger: Ledgerish, memberId: string, years: Iterable<number>): Array<Row> => {
  const out: Array<Row> = []
  for (const year of years) {
    for (const a of ledger.compliance(memberId, { year })) {
      const hours = a.thresholds.find((t) => t.measure === "hours")
      out.push([
        memberId,
        year,
        a.requirementId,
        a.schoolId ?? null,
        a.status,
        a.earned.hours,
        hours === undefined ? null : hours.required,
        a.shortfallHours,
        a.earned.days,
        a.earned.trainings,
        a.asOf,
        a.reason ?? null
      ])
    }
  }
  return out
}

type Figures = Ledger.Ledger extends { rollup: (q: never) => infer R }
  ? R extends { unplaced: infer F }
    ? F
    : never
  : never

const figureValues = (f: Figures): Array<number> => [
  f.members,
  f.applicable,
  f.met,
  f.exempt,
  f.onTrack,
  f.behind,
  f.notMet,
  f.hoursGranted,
  f.traineeTimes,
  f.classesHeld,
  f.sessionsHeld,
  f.claimedTraineeTimes,
  f.claimedClasses
]

/**
 * The `school_rollup` rows of one year, every requirement.
 *
 * @since 0.1.0
 */
export const rollupRows = (ledger: Ledgerish, year: number): Array<Row> => {
  const out: Array<Row> = []
  for (const requirement of ledger.policy.requirements) {
    const report = ledger.rollup({ year, requirementId: requirement.id })
    type Node = (typeof report.roots)[number]
    const walk = (n: Node, parentId: string | null) => {
      const r = n.rates
      out.push([year, requirement.id, n.schoolId, "own", parentId, n.name, n.tier, ...figureValues(n.own), ...NO_RATES])
      out.push([
        year,
        requirement.id,
        n.schoolId,
        "subtree",
        parentId,
        n.name,
        n.tier,
        ...figureValues(n.total),
        r.complianceRate?.num ?? null,
        r.complianceRate?.den ?? null,
        r.complianceRateText ?? null,
        r.deliveryRate?.num ?? null,
        r.deliveryRate?.den ?? null,
        r.deliveryRateText ?? null
      ])
      for (const k of n.children) walk(k, n.schoolId)
    }
    for (const root of report.roots) walk(root, null)
    out.push([year, requirement.id, "", "unplaced", null, "", "", ...figureValues(report.unplaced), ...NO_RATES])
  }
  return out
}

/** The own and unplaced rows have no rates (rates are of subtree totals). */
const NO_RATES: Row = [null, null, null, null, null, null]

/** A course-mix target: `class:<id>` or `module:<name>`. */
type Target = readonly ["class" | "module", string]

/**
 * The `course_mix` rows of one target (a class, or a module over all years).
 *
 * @since 0.1.0
 */
export const mixRows = (ledger: Ledgerish, target: Target): Array<Row> => {
  const [kind, id] = target
  const report =
    kind === "class"
      ? ledger.courseMix({ kind: "class", classId: id })
      : ledger.courseMix({ kind: "module", module: id })
  const out: Array<Row> = []
  for (const phase of ["scheduled", "delivered"] as const) {
    const b = report[phase]
    out.push([kind, id, phase, "total", "", b.minutes, b.lessons, null, null, null])
    const dims = [
      ["category", b.byCategory],
      ["tag", b.byTag]
    ] as const
    for (const [dimension, record] of dims) {
      for (const key of Object.keys(record).sort()) {
        const f = (record as Record<string, (typeof b.byTag)[string]>)[key]
        if (f === undefined) continue
        out.push([
          kind,
          id,
          phase,
          dimension,
          key,
          f.minutes,
          f.lessons,
          f.minutesPercent ?? null,
          f.lessonsPercent ?? null,
          null
        ])
      }
    }
  }
  for (const v of report.verdicts) out.push([kind, id, "rule", "rule", v.ruleId, v.total, null, null, null, v.status])
  return out
}

// ---------------------------------------------------------------------------
// change tracking
// ---------------------------------------------------------------------------

/**
 * What a table's rows were when last written: partition → row key → row text.
 * Member rows are partitioned by member, roll-up rows by year, course-mix rows
 * by target.
 *
 * @since 0.1.0
 */
export type Baseline = Record<TableName, Map<string, Map<string, string>>>

/**
 * An empty baseline (empty tables).
 *
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
 * @since 0.1.0
 */
export type PendingBaseline = Record<TableName, Map<string, Map<string, string>>>

/**
 * Swaps the partitions a committed save wrote into the baseline.
 *
 * @since 0.1.0
 */
export const commit = (baseline: Baseline, pending: PendingBaseline): void => {
  for (const t of TABLES) for (const [p, m] of pending[t]) baseline[t].set(p, m)
}

/**
 * What a runner must recompute at its next save.
 *
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
