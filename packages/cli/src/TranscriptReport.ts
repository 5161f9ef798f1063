/**
 * A member's transcript as a printable page, text or one-file HTML (A4), closed by its
 * verification line:
 *
 * ```text
 * xueshi-transcript: v1 member=M1 year=2025 asOf=2025-12-31 policy=xiqing-district format=text lang=zh events=11495 sha256=…
 * ```
 *
 * `events` and `sha256` are the length and the digest of the log prefix the transcript comes
 * from (see `Sources.prefixOf`); `xueshi verify` reads the line, folds that prefix of the log or
 * store again, renders the transcript again and compares both, byte for byte.
 *
 * @since 0.1.0
 */
import { Hours } from "@xueshi/core"
import { escape } from "./HtmlReport.js"
import { type Lang, label } from "./Labels.js"
import type { Transcript } from "./MemberRecord.js"

/**
 * The parameters a transcript is made from, written in its verification line.
 *
 * @category models
 * @since 0.1.0
 */
export interface TranscriptParams {
  readonly member: string
  readonly year: number
  readonly asOf: string
  readonly policy: string
  readonly format: "text" | "html"
  readonly lang: Lang
  readonly events: number
  readonly sha256: string
}

const KEYS = ["member", "year", "asOf", "policy", "format", "lang", "events", "sha256"] as const

/**
 * The verification line.
 *
 * @category rendering
 * @since 0.1.0
 */
export const verificationLine = (p: TranscriptParams): string =>
  `xueshi-transcript: v1 ${KEYS.map((k) => `${k}=${encodeURIComponent(String(p[k]))}`).join(" ")}`

/**
 * Reads the verification line out of a transcript (text or HTML); `undefined` when there is none
 * or it is malformed.
 *
 * @category codecs
 * @since 0.1.0
 */
export const parseVerificationLine = (text: string): TranscriptParams | undefined => {
  const m = /xueshi-transcript: v1 ([^\n<]*)/.exec(text)
  if (m === null) return undefined
  const values = new Map<string, string>()
  for (const pair of (m[1] as string).trim().split(" ")) {
    const i = pair.indexOf("=")
    if (i > 0) values.set(pair.slice(0, i), decodeURIComponent(pair.slice(i + 1)))
  }
  const get = (k: string) => values.get(k)
  const year = Number(get("year"))
  const events = Number(get("events"))
  const format = get("format")
  const lang = get("lang")
  const sha256 = get("sha256") ?? ""
  if (
    !Number.isInteger(year) ||
    !Number.isInteger(events) ||
    (format !== "text" && format !== "html") ||
    (lang !== "zh" && lang !== "en") ||
    !/^[0-9a-f]{64}$/.test(sha256) ||
    get("member") === undefined ||
    get("asOf") === undefined ||
    get("policy") === undefined
  )
    return undefined
  return {
    member: get("member") as string,
    year,
    asOf: get("asOf") as string,
    policy: get("policy") as string,
    format,
    lang,
    events,
    sha256
  }
}

const h = (x: number | null) => (x === null ? "—" : Hours.format(Hours.make(x)))

const presenceLabel = (lang: Lang, p: string) =>
  lang === "en"
    ? p
    : (({ attended: "出勤", madeUp: "补学", leave: "请假", absent: "缺勤" } as Record<string, string>)[p] ?? p)

/**
 * The transcript as plain text (UTF-8, for a terminal or a printer).
 *
 * @category rendering
 * @since 0.1.0
 */
export const renderText = (t: Transcript, p: TranscriptParams): string => {
  const L = (k: string) => label(p.lang, k)
  const out: Array<string> = [
    `${p.lang === "zh" ? "党员学时档案" : "Training transcript"} ${t.year}`,
    `${L("memberId")} ${t.memberId} · ${L("school")} ${t.school === null ? "—" : `${t.school.name} (${t.school.schoolId})`}`,
    `${L("policy")} ${t.policy.title} (${t.policy.id} v${t.policy.version}) · ${L("asOf")} ${t.asOf}`,
    `${L("hoursGranted")} ${h(t.totalHours)}`,
    "",
    `${L("requirements")}:`
  ]
  for (const r of t.requirements)
    out.push(
      `  ${r.requirementId} ${r.title}: ${L(r.status)} · ${L("earnedHours")} ${h(r.earnedHours)} / ${L("requiredHours")} ${h(r.requiredHours)} · ${L("shortfallHours")} ${h(r.shortfallHours)}`
    )
  out.push("", `${L("classes")}:`)
  if (t.classes.length === 0) out.push("  —")
  for (const c of t.classes) {
    out.push(
      `  ${c.classId} ${c.title} · ${c.module === null ? "" : `${L(c.module)} · `}${L(c.format)} · ${L("completion")} ${c.verdict === null ? "—" : L(c.verdict)} · ${h(c.hours)}`
    )
    for (const s of c.sessions)
      out.push(
        `    ${s.date}  ${s.sessionId}  ${L(s.category)}  ${s.mode}  ${s.minutes} min  ${presenceLabel(p.lang, s.presence)}${s.attendedMinutes > 0 ? ` ${s.attendedMinutes} min` : ""}  ${h(s.hours)}`
      )
  }
  if (t.external.length > 0) {
    out.push("", p.lang === "zh" ? "外部学时:" : "External credit:")
    for (const x of t.external) out.push(`  ${x.date}  ${x.system} ${x.reference}  ${h(x.hours)}`)
  }
  out.push(
    "",
    `${p.lang === "zh" ? "核验" : "Verification"}: ${p.lang === "zh" ? "日志前" : "the first"} ${p.events} ${p.lang === "zh" ? "个事件" : "events of the log"}, sha256 ${p.sha256}`,
    `  xueshi verify <transcript> <log | --store URL>`,
    verificationLine(p)
  )
  return `${out.join("\n")}\n`
}

const css = `body{font-family:system-ui,"PingFang SC","Noto Sans CJK SC","WenQuanYi Micro Hei","Microsoft YaHei",sans-serif;color:#1f2328;max-width:800px;margin:0 auto;padding:16px;font-size:14px}
h1{font-size:1.4rem;color:#b3261e;margin:0 0 4px}h2{font-size:1.05rem;border-bottom:2px solid #b3261e;margin-top:1.4em}
table{border-collapse:collapse;width:100%;font-size:.85rem}th,td{border-bottom:1px solid #d1d9e0;padding:3px 5px;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}.meta{color:#59636e}
tr.class td{background:#f6f8fa;font-weight:600}.bad{color:#cf222e}.ok{color:#1a7f37}
pre.verify{white-space:pre-wrap;word-break:break-all;font-size:.75rem;border:1px solid #d1d9e0;padding:6px}
@page{size:A4;margin:16mm}@media print{body{max-width:none;padding:0;font-size:10pt}tr{break-inside:avoid}th,tr.class td{print-color-adjust:exact;-webkit-print-color-adjust:exact}}
@media (max-width:600px){body{padding:8px}.wide{display:none}}`

/**
 * The transcript as one printable HTML page (A4, inline CSS, no script).
 *
 * @category rendering
 * @since 0.1.0
 */
export const renderHtml = (t: Transcript, p: TranscriptParams): string => {
  const e = escape
  const L = (k: string) => e(label(p.lang, k))
  const title = p.lang === "zh" ? "党员学时档案" : "Training transcript"
  const reqs = t.requirements
    .map(
      (r) =>
        `<tr><td>${e(r.requirementId)}</td><td>${e(r.title)}</td><td class="${r.status === "met" || r.status === "exempt" ? "ok" : r.status === "notMet" || r.status === "behind" ? "bad" : ""}">${L(r.status)}</td><td class="n">${h(r.earnedHours)}</td><td class="n">${h(r.requiredHours)}</td><td class="n">${h(r.shortfallHours)}</td></tr>`
    )
    .join("")
  const classes = t.classes
    .map(
      (c) =>
        `<tr class="class"><td colspan="5">${e(c.classId)} ${e(c.title)} · ${c.module === null ? "" : `${L(c.module)} · `}${L(c.format)} · ${L("completion")} ${c.verdict === null ? "—" : L(c.verdict)}</td><td class="n">${h(c.hours)}</td></tr>${c.sessions
          .map(
            (s) =>
              `<tr><td>${e(s.date)}</td><td class="wide">${e(s.sessionId)}</td><td>${L(s.category)}</td><td class="n">${s.minutes}</td><td>${e(presenceLabel(p.lang, s.presence))}${s.attendedMinutes > 0 ? ` ${s.attendedMinutes}` : ""}</td><td class="n">${h(s.hours)}</td></tr>`
          )
          .join("")}`
    )
    .join("")
  const external =
    t.external.length === 0
      ? ""
      : `<h2>${p.lang === "zh" ? "外部学时" : "External credit"}</h2><table><tbody>${t.external.map((x) => `<tr><td>${e(x.date)}</td><td>${e(x.system)} ${e(x.reference)}</td><td class="n">${h(x.hours)}</td></tr>`).join("")}</tbody></table>`
  return `<!doctype html>
<html lang="${p.lang === "zh" ? "zh-CN" : "en"}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${e(title)} ${e(t.memberId)} ${t.year}</title><style>${css}</style></head><body>
<h1>${e(title)} ${t.year}</h1>
<p class="meta">${L("memberId")} <b>${e(t.memberId)}</b> · ${L("school")} ${t.school === null ? "—" : `${e(t.school.name)}（${e(t.school.schoolId)}）`}<br>${L("policy")} ${e(t.policy.title)}（${e(t.policy.id)} v${t.policy.version}）· ${L("asOf")} ${e(t.asOf)} · ${L("hoursGranted")} <b>${h(t.totalHours)}</b></p>
<h2>${L("requirements")}</h2><table><thead><tr><th>${L("requirementId")}</th><th>${L("title")}</th><th>${L("status")}</th><th class="n">${L("earnedHours")}</th><th class="n">${L("requiredHours")}</th><th class="n">${L("shortfallHours")}</th></tr></thead><tbody>${reqs}</tbody></table>
<h2>${L("classes")}</h2><table><thead><tr><th>${p.lang === "zh" ? "日期" : "date"}</th><th class="wide">${p.lang === "zh" ? "课次" : "session"}</th><th>${p.lang === "zh" ? "类别" : "category"}</th><th class="n">${L("minutes")}</th><th>${p.lang === "zh" ? "出勤" : "presence"}</th><th class="n">${p.lang === "zh" ? "学时" : "hours"}</th></tr></thead><tbody>${classes}</tbody></table>
${external}
<h2>${p.lang === "zh" ? "核验" : "Verification"}</h2><p class="meta">${p.lang === "zh" ? `本档案来自日志前 ${p.events} 个事件（sha256 如下）；用 xueshi verify 核对。` : `Made from the first ${p.events} events of the log (sha256 below); check it with xueshi verify.`}</p>
<pre class="verify">${e(verificationLine(p))}</pre>
</body></html>
`
}
