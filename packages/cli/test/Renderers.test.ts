import stringWidth from "string-width"
import { describe, expect, it } from "vitest"
import * as CsvReport from "../src/CsvReport.js"
import { grid, left, right } from "../src/Grid.js"
import * as HtmlReport from "../src/HtmlReport.js"
import * as TableReport from "../src/TableReport.js"
import { smallReport } from "./helpers.js"

const report = smallReport()
// the same report with hostile user data in a school name and a class title
const hostile = {
  ...report,
  schools: report.schools.map((s, i) => (i === 1 ? { ...s, name: `<script>alert("x")</script>, "A&B"` } : s)),
  classes: report.classes.map((c, i) => (i === 0 ? { ...c, title: `<img src=x onerror=alert(1)>` } : c))
}

describe("Grid", () => {
  it("pads by display width (CJK takes two columns) and right-aligns numbers", () => {
    const lines = grid(
      [left("名称"), right("n")],
      [
        ["区委党校", "1"],
        ["ab", "1000"]
      ]
    )
    expect(lines).toEqual(["名称         n", "--------  ----", "区委党校     1", "ab        1000"])
    expect(new Set(lines.map((l) => stringWidth(l))).size).toBe(1)
  })
})

describe("TableReport", () => {
  const text = TableReport.render(report)
  it("has Chinese labels, the headline figures of the report and no quotes", () => {
    expect(text).toContain("学时年度报告 2025")
    expect(text).toContain("== 各级党校 ==")
    expect(text).toContain(report.headline.complianceRate?.percent as string)
    expect(text).toMatch(new RegExp(`党员\\s+${report.headline.figures.members}\\n`))
    expect(text).not.toContain('"')
  })
  it("aligns every row of a grid to the same display width", () => {
    const lines = text.split("\n")
    const start = lines.indexOf("== 学时要求 ==") + 1
    const rows = lines.slice(start, start + 2 + report.requirements.length)
    // right-aligned last column: every row ends at the heading's width
    expect(new Set(rows.map((l) => stringWidth(l))).size).toBe(1)
  })
  it("names every school, indented by depth, and every failing class", () => {
    for (const s of report.schools) expect(text).toContain(`${"  ".repeat(s.depth)}${s.name}`)
    for (const c of report.classes.filter((c) => c.verdicts.some((v) => v.status === "fail")))
      expect(text).toContain(c.classId)
  })
  it("--lang en uses the identifiers", () => {
    const en = TableReport.render(report, { lang: "en" })
    expect(en).toContain("complianceRate")
    expect(en).not.toContain("达标率")
  })
})

describe("CsvReport", () => {
  const files = CsvReport.render(hostile)
  const byName = new Map(files.map((f) => [f.name, f.text]))
  it("writes the six tables, each with a BOM and CRLF lines", () => {
    expect(files.map((f) => f.name)).toEqual([
      "schools.csv",
      "requirements.csv",
      "shortfalls.csv",
      "modules.csv",
      "classes.csv",
      "quotas.csv"
    ])
    for (const f of files) {
      expect(f.text.startsWith("\uFEFF")).toBe(true)
      expect(f.text.endsWith("\r\n")).toBe(true)
    }
  })
  it("has one row per school, shortfall and quota line, after the heading", () => {
    const rows = (name: string) => (byName.get(name) as string).trimEnd().split("\r\n").length - 1
    expect(rows("schools.csv")).toBe(report.schools.length)
    expect(rows("shortfalls.csv")).toBe(report.shortfalls.length)
    expect(rows("quotas.csv")).toBe(report.quotas.length)
    expect(rows("requirements.csv")).toBe(report.requirements.length)
  })
  it("quotes a field with a comma or a quote (RFC 4180)", () => {
    expect(byName.get("schools.csv")).toContain(`"<script>alert(""x"")</script>, ""A&B"""`)
  })
  it("heads the columns in Chinese by default and with identifiers in English", () => {
    expect((byName.get("shortfalls.csv") as string).split("\r\n")[0]).toBe(
      "\uFEFF党员编号,党校编号,党校,要求编号,状态,已获学时,要求学时,差额学时"
    )
    const en = CsvReport.render(report, { lang: "en" })[2]?.text as string
    expect(en.split("\r\n")[0]).toBe(
      "\uFEFFmemberId,schoolId,school,requirementId,status,earnedHours,requiredHours,shortfallHours"
    )
  })
})

describe("HtmlReport", () => {
  const html = HtmlReport.render(hostile)
  it("escapes user data", () => {
    expect(html).not.toContain("<script>alert")
    expect(html).not.toContain("<img src=x")
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")
    expect(html.match(/<script>/g)?.length).toBe(1)
  })
  it("is self-contained: no URL, no external resource", () => {
    expect(html).not.toMatch(/https?:\/\//)
    expect(html).not.toMatch(/<link|<img|@import|url\(/)
  })
  it("has a histogram bar per bucket and a threshold line per requirement", () => {
    const buckets = report.requirements.reduce((n, q) => n + q.distribution.length, 0)
    expect(html.match(/<rect data-members=/g)?.length).toBe(buckets)
    expect(html.match(/class="threshold"/g)?.length).toBe(
      report.requirements.filter((q) => q.requiredHours !== null).length
    )
  })
  it("has a drill-down node per school, a row per shortfall and highlights failing classes", () => {
    expect(html.match(/<details/g)?.length).toBe(report.schools.length)
    const failing = report.classes.filter((c) => c.verdicts.some((v) => v.status === "fail")).length
    expect(html.match(/<tr class="fail"/g)?.length).toBe(failing)
    const table = html.slice(html.indexOf('id="shortfall-table"'))
    expect(table.match(/<tr data-member="/g)?.length).toBe(report.shortfalls.length)
  })
  it("prints on A4 and adapts to a phone", () => {
    expect(html).toContain("@page{size:A4")
    expect(html).toContain("@media (max-width:600px)")
    expect(html).toContain('name="viewport"')
  })
})
