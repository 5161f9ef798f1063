/**
 * The HTML form of a district report (`--format html`): ONE self-contained file (inline CSS,
 * SVG and a small script; no network, no external fonts) with the headline figures, compliance
 * along the school tree (`<details>` down to every community, village and teaching point: no
 * script needed), a histogram of members' hours per requirement with its threshold line, the
 * course mix of each module and class against the target (failing classes highlighted with
 * their deviation), quota claimed against delivered per school and a searchable, sortable
 * table of the members who fall short. Chinese labels; prints on A4; usable at phone width.
 * Every text from the report is escaped (school names and titles are user data).
 *
 * @since 0.1.0
 */
import type { DistrictReport } from "@xueshi/core"
import { css, js } from "./HtmlAssets.js"
import { hours, label } from "./Labels.js"
import type { ExplanationSummary } from "./MemberRecord.js"
import * as Tables from "./Tables.js"

type Report = DistrictReport.DistrictReport
type SchoolLine = DistrictReport.SchoolLine

/**
 * Escapes text for HTML content and attribute values.
 *
 * @category utils
 * @since 0.1.0
 */
export const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c)

const e = escape
const L = (k: string) => e(label("zh", k))
const CATEGORIES = ["theory", "practice", "exemplar", "other"] as const

const card = (key: string, value: string, caption?: string) =>
  `<div class="card" data-key="${e(key)}"><div class="k">${caption === undefined ? L(key) : e(caption)}</div><div class="v">${e(value)}</div></div>`

const rateBar = (r: DistrictReport.Rate | null) =>
  r === null
    ? `<span class="rate">—</span>`
    : `<span class="rate"><span class="bar"><i style="width:${e(r.percent)}"></i></span>${e(r.percent)}</span>`

const headline = (r: Report) => {
  const f = r.headline.figures
  return `<section id="headline"><h2>${L("headline")}</h2><div class="cards">
${card("members", String(f.members))}${card("applicable", String(f.applicable))}${card("met", String(f.met))}${card("notMet", String(f.notMet))}${card("exempt", String(f.exempt))}
${card("complianceRate", r.headline.complianceRate?.percent ?? "—", `${label("zh", "complianceRate")}（${r.requirementId ?? ""}）`)}
${card("hoursGranted", hours(f.hoursGranted))}${card("traineeTimes", String(f.traineeTimes))}${card("claimedTraineeTimes", String(f.claimedTraineeTimes))}
${card("deliveryRate", r.headline.deliveryRate?.percent ?? "—")}${card("classesHeld", String(f.classesHeld))}
${card("courseMix", `${r.courseMix.pass} / ${r.courseMix.fail}`, `${label("zh", "courseMix")} ${label("zh", "pass")} / ${label("zh", "fail")}`)}
</div></section>`
}

const schoolTree = (r: Report) => {
  const children = new Map<string | null, Array<SchoolLine>>()
  for (const s of r.schools) {
    const list = children.get(s.parentId) ?? []
    list.push(s)
    children.set(s.parentId, list)
  }
  const req = r.requirementId
  const summary = (s: SchoolLine) => {
    const t = s.total
    return `<span class="name">${e(s.name)}</span><span class="tier">${L(s.tier)}</span>${rateBar(s.complianceRate)}<span class="count">${L("met")} ${t.met} / ${L("applicable")} ${t.applicable} · ${L("members")} ${t.members}</span>`
  }
  const leafTable = (s: SchoolLine) =>
    `<div class="scroll leaf"><table><thead><tr><th>${L("requirementId")}</th>${["met", "onTrack", "behind", "notMet", "exempt"].map((k) => `<th class="n">${L(k)}</th>`).join("")}</tr></thead><tbody>${Object.entries(
      s.byRequirement
    )
      .map(
        ([id, c]) =>
          `<tr><td>${e(id)}</td>${[c.met, c.onTrack, c.behind, c.notMet, c.exempt].map((n) => `<td class="n">${n}</td>`).join("")}</tr>`
      )
      .join("")}</tbody></table></div>`
  const node = (s: SchoolLine): string => {
    const kids = children.get(s.schoolId) ?? []
    const cls = s.parentId === null ? ` class="root" open` : ""
    return `<details${cls} data-school="${e(s.schoolId)}"><summary>${summary(s)}</summary>${leafTable(s)}${kids.map(node).join("")}</details>`
  }
  return `<section id="schools"><h2>${L("schools")}</h2><p class="meta">${L("complianceRate")}：${e(req ?? "")}；点击党校展开至社区、村和教学点。</p>${(children.get(null) ?? []).map(node).join("")}</section>`
}

const histogram = (q: DistrictReport.RequirementLine) => {
  const W = 640
  const H = 180
  const pad = 28
  const n = q.distribution.length
  const bw = (W - pad) / n
  const max = Math.max(1, ...q.distribution.map((b) => b.members))
  const bars = q.distribution
    .map((b, i) => {
      const h = ((H - pad - 10) * b.members) / max
      const range = b.toHours === null ? `≥ ${hours(b.fromHours)}` : `${hours(b.fromHours)}–${hours(b.toHours)}`
      const below = q.requiredHours !== null && (b.toHours ?? Number.POSITIVE_INFINITY) <= q.requiredHours
      return `<rect data-members="${b.members}" x="${(pad + i * bw + 1).toFixed(1)}" y="${(H - pad - h).toFixed(1)}" width="${(bw - 2).toFixed(1)}" height="${h.toFixed(1)}" fill="${below ? "#cf222e" : "#1a7f37"}"><title>${e(range)} 学时：${b.members} 人</title></rect>`
    })
    .join("")
  const ticks = q.distribution
    .filter((_, i) => i % 2 === 0)
    .map((b) => {
      const i = q.distribution.indexOf(b)
      return `<text x="${(pad + i * bw).toFixed(1)}" y="${H - 10}">${e(hours(b.fromHours).replace(/\.00$/, ""))}</text>`
    })
    .join("")
  let threshold = ""
  if (q.requiredHours !== null) {
    const i = q.distribution.findIndex((b) => b.toHours === null || (q.requiredHours as number) < b.toHours)
    const b = q.distribution[i]
    if (b !== undefined) {
      const within = b.toHours === null ? 0 : ((q.requiredHours as number) - b.fromHours) / (b.toHours - b.fromHours)
      const x = (pad + (i + within) * bw).toFixed(1)
      threshold = `<line class="threshold" x1="${x}" x2="${x}" y1="4" y2="${H - pad}" stroke="#1f2328" stroke-width="2" stroke-dasharray="5 3"/><text x="${x}" y="12" dx="4">${L("requiredHours")} ${e(hours(q.requiredHours))}</text>`
    }
  }
  return `<figure data-requirement="${e(q.requirementId)}"><h3>${e(q.title)}（${e(q.requirementId)}）</h3>
<p class="count">${["met", "onTrack", "behind", "notMet", "exempt", "notApplicable"].map((k) => `${L(k)} ${q.counts[k as keyof typeof q.counts]}`).join(" · ")}</p>
<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${e(q.title)}"><line x1="${pad}" x2="${W}" y1="${H - pad}" y2="${H - pad}" stroke="#8c959f"/>${bars}${threshold}${ticks}</svg><figcaption class="count">横轴：已获学时（每 4 学时一组）；纵轴：党员人数；虚线：要求学时</figcaption></figure>`
}

/**
 * Where the targets fall on a stacked bar: after each category with an `==` target, the running
 * sum of the targets so far (display geometry only; the figures shown are the report's texts).
 */
const markers = (verdicts: ReadonlyArray<DistrictReport.MixVerdict>): Array<number> => {
  const targets = new Map<string, number>()
  for (const v of verdicts)
    for (const c of v.constraints)
      if (c.op === "==" && c.target.endsWith("%")) targets.set(c.label, Number.parseFloat(c.target))
  const out: Array<number> = []
  let at = 0
  for (const c of CATEGORIES) {
    const t = targets.get(c)
    if (t === undefined) break
    at += t
    if (at > 0 && at < 100) out.push(at)
  }
  return out
}

const stack = (d: DistrictReport.ModuleMix["delivered"], verdicts: ReadonlyArray<DistrictReport.MixVerdict>) =>
  `<div class="stack">${CATEGORIES.map((c) => (d[c].percent === null ? "" : `<i class="${c}" style="width:${e(d[c].percent as string)}" title="${L(c)} ${e(d[c].percent as string)}"></i>`)).join("")}${markers(
    verdicts
  )
    .map((x) => `<b class="mark" style="left:${x.toFixed(2)}%"></b>`)
    .join("")}</div>`

const legend = `<p class="legend">${CATEGORIES.map((c) => `<span><i class="${c}"></i>${L(c)}</span>`).join("")}<span><i class="mark-key"></i>${L("target")}</span></p>`

const targets = (verdicts: ReadonlyArray<DistrictReport.MixVerdict>) =>
  verdicts
    .map(
      (v) =>
        `${e(v.ruleId)}：${v.constraints.map((c) => `${L(c.label)} ${e(c.op)} ${e(c.target)}`).join("，")} <b class="${v.status === "fail" ? "bad" : "ok"}">${L(v.status)}</b>`
    )
    .join("<br>")

const courseMix = (r: Report) => {
  const modules = r.modules
    .map(
      (m) =>
        `<tr data-module="${e(m.module)}"><td>${L(m.module)}</td><td class="n">${m.classes}</td><td>${stack(m.delivered, m.verdicts)}</td><td>${targets(m.verdicts)}</td></tr>`
    )
    .join("")
  const classes = r.classes
    .map((c) => {
      const fail = c.verdicts.some((v) => v.status === "fail")
      const dev = c.verdicts
        .filter((v) => v.status === "fail")
        .map((v) => Tables.deviations("zh", v))
        .join("；")
      return `<tr${fail ? ` class="fail"` : ""} data-class="${e(c.classId)}"><td class="id">${e(c.classId)}</td><td>${e(c.title)}</td><td class="wide">${c.module === null ? "" : L(c.module)}</td><td class="wide">${L(c.format)}</td><td>${stack(c.delivered, c.verdicts)}</td><td>${c.verdicts.map((v) => L(v.status)).join(" ")}</td><td class="dev">${e(dev)}</td></tr>`
    })
    .join("")
  return `<section id="course-mix"><h2>${L("courseMix")}</h2>${legend}
<h3>${L("modules")}</h3><div class="scroll"><table id="modules"><thead><tr><th>${L("module")}</th><th class="n">${L("classes")}</th><th>${L("share")}</th><th>${L("target")}</th></tr></thead><tbody>${modules}</tbody></table></div>
<h3>${L("classes")}（${L("pass")} ${r.courseMix.pass}，${L("fail")} ${r.courseMix.fail}，${L("noData")} ${r.courseMix.noData}）</h3>
<div class="scroll"><table id="classes" data-sortable><thead><tr><th data-sort="s">${L("classId")}</th><th data-sort="s">${L("title")}</th><th data-sort="s" class="wide">${L("module")}</th><th data-sort="s" class="wide">${L("format")}</th><th>${L("share")}</th><th data-sort="s">${L("status")}</th><th data-sort="s">${L("deviation")}</th></tr></thead><tbody>${classes}</tbody></table></div></section>`
}

const quotas = (r: Report) => {
  const max = Math.max(1, ...r.quotas.flatMap((q) => [q.claimedTraineeTimes, q.traineeTimes]))
  const w = (n: number) => `${((100 * n) / max).toFixed(2)}%`
  const rows = r.quotas
    .map(
      (q) =>
        `<div data-school="${e(q.schoolId)}"><b>${e(q.name)}</b> <span class="count">${L("claimedTraineeTimes")} ${q.claimedTraineeTimes} · ${L("traineeTimes")} ${q.traineeTimes} · ${e(q.deliveryRate?.percent ?? "—")}</span></div><div class="pair"><div class="claimed" style="width:${w(q.claimedTraineeTimes)}"></div><div class="delivered" style="width:${w(q.traineeTimes)}"></div></div>`
    )
    .join("")
  return `<section id="quotas"><h2>${L("quotas")}</h2><p class="legend"><span><i style="background:#8c959f"></i>${L("claimedTraineeTimes")}</span><span><i style="background:#2f6fbd"></i>${L("traineeTimes")}</span></p><div class="quota">${rows}</div></section>`
}

/**
 * Options of {@link render}.
 *
 * @category models
 * @since 0.1.0
 */
export interface RenderOptions {
  /**
   * The explanation of each (member, requirement) of the shortfall table
   * (`MemberRecord.shortfallExplanations`): each row then links to it (`#explain/<memberId>/<requirementId>`,
   * a panel the script fills). Without them the link names the command that explains.
   */
  readonly explanations?: ReadonlyMap<string, Readonly<Record<string, ExplanationSummary>>>
}

/** JSON for an inline `<script type="application/json">`: `<` escaped so no `</script>` can close it. */
const inlineJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c")

const shortfalls = (r: Report, options: RenderOptions) => {
  const t = Tables.shortfalls(r, "zh")
  const numeric = new Set(["earnedHours", "requiredHours", "shortfallHours"])
  const head = `${t.columns
    .map(
      (c) =>
        `<th data-sort="${numeric.has(c.key) ? "n" : "s"}"${numeric.has(c.key) ? ` class="n"` : ""}>${L(c.key)}</th>`
    )
    .join("")}<th class="noprint">说明</th>`
  const ex = options.explanations
  const body = t.rows
    .map((row, k) => {
      const s = r.shortfalls[k] as DistrictReport.Shortfall
      const link =
        ex?.get(s.memberId)?.[s.requirementId] !== undefined
          ? `<a class="explain" href="#explain/${e(encodeURIComponent(s.memberId))}/${e(encodeURIComponent(s.requirementId))}">说明</a>`
          : `<span class="count" title="xueshi explain ${e(s.memberId)} --requirement ${e(s.requirementId)}">xueshi explain</span>`
      return `<tr data-member="${e(s.memberId)}">${row.map((cell, i) => `<td${numeric.has(t.columns[i]?.key ?? "") ? ` class="n"` : ""}>${e(cell)}</td>`).join("")}<td class="noprint">${link}</td></tr>`
    })
    .join("\n")
  const data =
    ex === undefined
      ? ""
      : `<script type="application/json" id="explanations">${inlineJson(Object.fromEntries(ex))}</script>`
  return `<section id="shortfalls"><h2>${L("shortfalls")}</h2>
<input type="search" placeholder="搜索党员编号、党校、要求…" aria-label="搜索" data-filter="shortfall-table" data-count="shortfall-count">
<p class="count">显示 <span id="shortfall-count">${t.rows.length}</span> / ${t.rows.length} 条；点击“说明”查看每笔学时计入或未计入的原因。</p>
<div id="explain-panel" class="panel" hidden><button type="button" class="close" aria-label="关闭">×</button><h3></h3><div class="body"></div></div>
<div class="scroll"><table id="shortfall-table" data-sortable><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>${data}</section>`
}

/**
 * The report as one self-contained HTML document.
 *
 * @category rendering
 * @since 0.1.0
 */
export const render = (report: Report, options: RenderOptions = {}): string => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${L("reportTitle")} ${report.year}</title><style>${css}</style></head>
<body><main>
<header><h1>${L("reportTitle")} ${report.year}</h1><p class="meta">${L("policy")}：${e(report.policy.title)}（${e(report.policy.id)} v${report.policy.version}）· ${L("asOf")} ${e(report.asOf)} · ${L("events")} ${report.log.events}</p></header>
${headline(report)}
<section id="requirements"><h2>${L("requirements")}·${L("distribution")}</h2>${report.requirements.map(histogram).join("\n")}</section>
${schoolTree(report)}
${courseMix(report)}
${quotas(report)}
${shortfalls(report, options)}
</main><script>${js}</script></body></html>
`
