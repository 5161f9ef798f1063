/**
 * The terminal layout of a district report (`--format table`): a title block, the headline
 * figures, then the requirements, the school tree (names indented by depth), the course mix
 * by module, the classes that fail the course mix with their deviations, the quota
 * reconciliation, and the count of members who fall short by requirement (the full list is in
 * the CSV and HTML reports). Pure: report in, text out.
 *
 * @since 0.1.0
 */
import type { DistrictReport } from "@xueshi/core"
import { type Column, grid, left, right } from "./Grid.js"
import { hours, type Lang, label } from "./Labels.js"
import * as Tables from "./Tables.js"

/**
 * Options of {@link render}.
 *
 * @category models
 * @since 0.1.0
 */
export interface TableOptions {
  /** Labels: Chinese (default) or the identifiers. */
  readonly lang?: Lang
}

const section = (title: string, lines: ReadonlyArray<string>): Array<string> => ["", `== ${title} ==`, ...lines]

const terminalGrid = (t: Tables.Table, lang: Lang, indent?: (row: number) => number): Array<string> => {
  const keep = t.columns.map((c, i) => [c, i] as const).filter(([c]) => c.terminal)
  const columns: Array<Column> = keep.map(([c]) => ({ heading: Tables.heading(lang, c.key), align: c.align }))
  const nameAt = t.columns.findIndex((c) => c.key === "name")
  const rows = t.rows.map((row, r) =>
    keep.map(([, i]) => {
      const cell = row[i] ?? ""
      return i === nameAt && indent !== undefined ? "  ".repeat(indent(r)) + cell : cell
    })
  )
  return grid(columns, rows)
}

/**
 * The report as terminal text (ends with a newline).
 *
 * @category rendering
 * @since 0.1.0
 */
export const render = (report: DistrictReport.DistrictReport, options: TableOptions = {}): string => {
  const lang = options.lang ?? "zh"
  const L = (k: string) => label(lang, k)
  const f = report.headline.figures
  const out: Array<string> = [
    `${L("reportTitle")} ${report.year}`,
    `${L("policy")}: ${report.policy.id} v${report.policy.version} (${report.policy.title})`,
    `${L("asOf")}: ${report.asOf}  ${L("events")}: ${report.log.events}  ${L("granted")}: ${report.log.derived.granted}`
  ]
  out.push(
    ...section(
      L("headline"),
      grid(
        [left(""), right("")],
        [
          [L("members"), String(f.members)],
          [L("applicable"), String(f.applicable)],
          [L("met"), String(f.met)],
          [L("notMet"), String(f.notMet)],
          [L("behind"), String(f.behind)],
          [L("exempt"), String(f.exempt)],
          [`${L("complianceRate")} (${report.requirementId ?? ""})`, report.headline.complianceRate?.percent ?? ""],
          [L("hoursGranted"), hours(f.hoursGranted)],
          [L("traineeTimes"), String(f.traineeTimes)],
          [L("claimedTraineeTimes"), String(f.claimedTraineeTimes)],
          [L("deliveryRate"), report.headline.deliveryRate?.percent ?? ""],
          [L("classesHeld"), String(f.classesHeld)],
          [L("sessionsHeld"), String(f.sessionsHeld)]
        ]
      ).slice(2)
    )
  )
  out.push(...section(L("requirements"), terminalGrid(Tables.requirements(report), lang)))
  const depth = report.schools.map((s) => s.depth)
  out.push(
    ...section(
      L("schools"),
      terminalGrid(Tables.schools(report, lang), lang, (r) => depth[r] ?? 0)
    )
  )
  out.push(...section(L("modules"), terminalGrid(Tables.modules(report, lang), lang)))

  const failing = report.classes.flatMap((c) =>
    c.verdicts
      .filter((v) => v.status === "fail")
      .map((v) => [c.classId, c.title, c.schoolId, v.ruleId, Tables.deviations(lang, v)])
  )
  const mix = report.courseMix
  out.push(
    ...section(`${L("courseMix")}: ${L("pass")} ${mix.pass}, ${L("fail")} ${mix.fail}, ${L("noData")} ${mix.noData}`, [
      ...grid(
        [left(L("classId")), left(L("title")), left(L("schoolId")), left(L("rule")), left(L("deviation"))],
        failing
      )
    ])
  )
  const c = report.completion
  out.push(
    ...section(L("completion"), [
      `${L("pass")} ${c.pass}  ${L("fail")} ${c.fail}  ${L("withdrawn")} ${c.withdrawn}  ${L("inProgress")} ${c.inProgress}`
    ])
  )
  out.push(...section(L("quotas"), terminalGrid(Tables.quotas(report, lang), lang)))

  const byRequirement = new Map<string, { notMet: number; behind: number }>()
  for (const s of report.shortfalls) {
    const n = byRequirement.get(s.requirementId) ?? { notMet: 0, behind: 0 }
    n[s.status]++
    byRequirement.set(s.requirementId, n)
  }
  out.push(
    ...section(`${L("shortfalls")} (${report.shortfalls.length})`, [
      ...grid(
        [left(L("requirementId")), right(L("notMet")), right(L("behind"))],
        Array.from(byRequirement, ([id, n]) => [id, String(n.notMet), String(n.behind)])
      ),
      lang === "zh" ? "（完整名单见 --format csv 或 --format html）" : "(the full list: --format csv or --format html)"
    ])
  )
  return `${out.join("\n")}\n`
}
