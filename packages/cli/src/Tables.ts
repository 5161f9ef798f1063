/**
 * The six tables of a district report (schools, requirements, shortfalls, modules, classes,
 * quotas) as rows of text, in the report's order. The CSV files are these tables; the terminal
 * layout shows the columns marked `terminal`. Every number is the report's own (hours by
 * `Hours.format`, rates by their percentage text); nothing is summed here.
 *
 * @since 0.1.0
 */
import type { DistrictReport } from "@xueshi/core"
import type { Align } from "./Grid.js"
import { hours, type Lang, label } from "./Labels.js"

type Report = DistrictReport.DistrictReport

/**
 * A column of a table: its key (the English heading), alignment, and whether the terminal shows it.
 *
 * @category models
 * @since 0.1.0
 */
export interface TableColumn {
  readonly key: string
  readonly align: Align
  readonly terminal: boolean
}

/**
 * A table: its file name, its title key, columns and rows.
 *
 * @category models
 * @since 0.1.0
 */
export interface Table {
  readonly name: "schools" | "requirements" | "shortfalls" | "modules" | "classes" | "quotas"
  readonly columns: ReadonlyArray<TableColumn>
  readonly rows: ReadonlyArray<ReadonlyArray<string>>
}

const col = (key: string, align: Align = "left", terminal = true): TableColumn => ({ key, align, terminal })
const num = (key: string, terminal = true) => col(key, "right", terminal)
const pct = (r: { readonly percent: string } | null): string => r?.percent ?? ""

/**
 * A column heading in a language (`requirementId`, or 要求编号).
 *
 * @category utils
 * @since 0.1.0
 */
export const heading = (lang: Lang, key: string): string => {
  const dot = key.indexOf(".")
  return dot === -1 ? label(lang, key) : `${label(lang, key.slice(0, dot))}·${label(lang, key.slice(dot + 1))}`
}

/**
 * The school roll-up, in tree order, with the subtree's figures.
 *
 * @category utils
 * @since 0.1.0
 */
export const schools = (r: Report, lang: Lang): Table => ({
  name: "schools",
  columns: [
    col("schoolId", "left", false),
    col("name"),
    col("tier"),
    col("parentId", "left", false),
    num("depth", false),
    num("members"),
    num("applicable"),
    num("met"),
    num("onTrack", false),
    num("behind", false),
    num("notMet"),
    num("exempt"),
    num("hoursGranted", false),
    num("traineeTimes"),
    num("classesHeld", false),
    num("sessionsHeld", false),
    num("claimedTraineeTimes"),
    num("claimedClasses", false),
    num("complianceRate"),
    num("deliveryRate")
  ],
  rows: r.schools.map((s) => {
    const t = s.total
    return [
      s.schoolId,
      s.name,
      label(lang, s.tier),
      s.parentId ?? "",
      String(s.depth),
      ...[t.members, t.applicable, t.met, t.onTrack, t.behind, t.notMet, t.exempt].map(String),
      hours(t.hoursGranted),
      ...[t.traineeTimes, t.classesHeld, t.sessionsHeld, t.claimedTraineeTimes, t.claimedClasses].map(String),
      pct(s.complianceRate),
      pct(s.deliveryRate)
    ]
  })
})

/**
 * Compliance by requirement across the district.
 *
 * @category utils
 * @since 0.1.0
 */
export const requirements = (r: Report): Table => ({
  name: "requirements",
  columns: [
    col("requirementId"),
    col("title"),
    num("requiredHours"),
    num("met"),
    num("onTrack"),
    num("behind"),
    num("notMet"),
    num("exempt"),
    num("notApplicable")
  ],
  rows: r.requirements.map((q) => [
    q.requirementId,
    q.title,
    hours(q.requiredHours),
    ...[q.counts.met, q.counts.onTrack, q.counts.behind, q.counts.notMet, q.counts.exempt, q.counts.notApplicable].map(
      String
    )
  ])
})

/**
 * Every member who falls short of a requirement, by member id.
 *
 * @category utils
 * @since 0.1.0
 */
export const shortfalls = (r: Report, lang: Lang): Table => {
  const names = new Map(r.schools.map((s) => [s.schoolId, s.name]))
  return {
    name: "shortfalls",
    columns: [
      col("memberId"),
      col("schoolId"),
      col("school"),
      col("requirementId"),
      col("status"),
      num("earnedHours"),
      num("requiredHours"),
      num("shortfallHours")
    ],
    rows: r.shortfalls.map((s) => [
      s.memberId,
      s.schoolId ?? "",
      s.schoolId === null ? "" : (names.get(s.schoolId) ?? ""),
      s.requirementId,
      label(lang, s.status),
      hours(s.earnedHours),
      hours(s.requiredHours),
      hours(s.shortfallHours)
    ])
  }
}

const constraintColumns = [col("rule"), col("status"), col("constraint"), num("target"), num("share"), num("deviation")]

/**
 * The course mix of each module: one row per rule constraint.
 *
 * @category utils
 * @since 0.1.0
 */
export const modules = (r: Report, lang: Lang): Table => ({
  name: "modules",
  columns: [col("module"), num("classes"), num("minutes"), ...constraintColumns],
  rows: r.modules.flatMap((m) => {
    const head = [label(lang, m.module), String(m.classes), String(m.delivered.minutes)]
    if (m.verdicts.length === 0) return [[...head, "", "", "", "", "", ""]]
    return m.verdicts.flatMap((v) =>
      v.constraints.map((c) => [
        ...head,
        v.ruleId,
        label(lang, v.status),
        label(lang, c.label),
        c.target,
        c.share ?? "",
        c.deviation ?? ""
      ])
    )
  })
})

/**
 * The deviations of a verdict's failing constraints: `基层实务类 +3.48%; 先进模范类 -2.61%`.
 *
 * @category utils
 * @since 0.1.0
 */
export const deviations = (lang: Lang, v: DistrictReport.MixVerdict): string =>
  v.constraints
    .filter((c) => c.pass === false)
    .map((c) => `${label(lang, c.label)} ${c.deviation ?? ""}`.trim())
    .join("; ")

/**
 * The classes of the year, one row per course-mix verdict (a class without a rule has one
 * row with no rule): delivered minutes and shares, status, the failing constraints'
 * deviations and the completion counts.
 *
 * @category utils
 * @since 0.1.0
 */
export const classes = (r: Report, lang: Lang): Table => ({
  name: "classes",
  columns: [
    col("classId"),
    col("title"),
    col("schoolId"),
    col("module"),
    col("format"),
    col("completed"),
    num("minutes"),
    num("theory"),
    num("practice"),
    num("exemplar"),
    num("other"),
    col("rule"),
    col("status"),
    col("deviation"),
    num("pass"),
    num("fail"),
    num("withdrawn"),
    num("inProgress")
  ],
  rows: r.classes.flatMap((c) => {
    const d = c.delivered
    const head = [
      c.classId,
      c.title,
      c.schoolId,
      c.module === null ? "" : label(lang, c.module),
      label(lang, c.format),
      label(lang, c.completed ? "yes" : "no"),
      String(d.minutes),
      d.theory.percent ?? "",
      d.practice.percent ?? "",
      d.exemplar.percent ?? "",
      d.other.percent ?? ""
    ]
    const done = [c.completion.pass, c.completion.fail, c.completion.withdrawn, c.completion.inProgress].map(String)
    if (c.verdicts.length === 0) return [[...head, "", "", "", ...done]]
    return c.verdicts.map((v) => [...head, v.ruleId, label(lang, v.status), deviations(lang, v), ...done])
  })
})

/**
 * The year-end quota reconciliation, per claiming school.
 *
 * @category rules
 * @since 0.1.0
 */
export const quotas = (r: Report, lang: Lang): Table => ({
  name: "quotas",
  columns: [
    col("schoolId", "left", false),
    col("name"),
    col("tier"),
    num("claimedTraineeTimes"),
    num("traineeTimes"),
    num("difference"),
    num("deliveryRate"),
    num("claimedClasses"),
    num("classesHeld")
  ],
  rows: r.quotas.map((q) => [
    q.schoolId,
    q.name,
    label(lang, q.tier),
    String(q.claimedTraineeTimes),
    String(q.traineeTimes),
    q.difference > 0 ? `+${q.difference}` : String(q.difference),
    pct(q.deliveryRate),
    String(q.claimedClasses),
    String(q.classesHeld)
  ])
})

/**
 * All six tables, in file order.
 *
 * @category utils
 * @since 0.1.0
 */
export const all = (r: Report, lang: Lang): ReadonlyArray<Table> => [
  schools(r, lang),
  requirements(r),
  shortfalls(r, lang),
  modules(r, lang),
  classes(r, lang),
  quotas(r, lang)
]
