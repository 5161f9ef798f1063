/**
 * The tables of the SQL read models and their rows, computed from a ledger
 * (pure: no I/O). Part of {@link ReadModelRows}, which re-exports all of it.
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
 * @since 0.1.0
 */
import type { Ledger } from "@xueshi/core"

/**
 * The ledger rows are computed from.
 *
 * @category models
 * @since 0.1.0
 */
export type Ledgerish = Ledger.Ledger

/**
 * The read-model tables (the names without the prefix).
 *
 * @category models
 * @since 0.1.0
 */
export type TableName = "member_compliance" | "school_rollup" | "course_mix"

/**
 * The tables, in the order a save writes them.
 *
 * @category constants
 * @since 0.1.0
 */
export const TABLES: ReadonlyArray<TableName> = ["member_compliance", "school_rollup", "course_mix"]

/**
 * A column of a read-model table: its name and SQL type.
 *
 * @category models
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
 * @category models
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
 * @category constants
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

/**
 * A row: its key values, then its other values (JSON-able: strings, integers, null).
 *
 * @category models
 * @since 0.1.0
 */
export type Row = ReadonlyArray<string | number | null>

/**
 * What a save sends for one table: rows to upsert, keys to delete.
 *
 * @category models
 * @since 0.1.0
 */
export interface TableChanges {
  readonly upserts: Array<Row>
  readonly deletes: Array<Row>
}

/**
 * What a save sends: per table.
 *
 * @category models
 * @since 0.1.0
 */
export type Changes = Record<TableName, TableChanges>

/**
 * An empty set of changes.
 *
 * @category utils
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
 * @category utils
 * @since 0.1.0
 */
export const changeCount = (changes: Changes): number =>
  TABLES.reduce((n, t) => n + changes[t].upserts.length + changes[t].deletes.length, 0)

// ---------------------------------------------------------------------------
// rows
// ---------------------------------------------------------------------------

/**
 * The separator of a row key's parts.
 *
 * @category constants
 * @since 0.1.0
 */
export const SEP = "\u0000"

/**
 * The years the read models cover: those of every credit grant and quota claim.
 *
 * @category utils
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
 * @category utils
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
 * @category utils
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
/**
 * A course-mix target: a class or a module, by id.
 *
 * @category models
 * @since 0.1.0
 */
export type Target = readonly ["class" | "module", string]

/**
 * The `course_mix` rows of one target (a class, or a module over all years).
 *
 * @category utils
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
