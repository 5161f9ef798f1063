/**
 * One member's record, from a ledger: the explanation of every requirement (`xueshi explain`:
 * every grant counted, excluded by a filter, cut by a cap or revoked, and why) and the year's
 * transcript (`xueshi transcript`: classes, sessions, hours, status per requirement). Pure:
 * ledger in, values and text out. Built on the public ledger API (`Ledger.compliance`,
 * `Ledger.hours`, `Ledger.completion`, the fact store).
 *
 * @since 0.1.0
 */
import { Calendar, Explanation, Facts, Hours, type Ledger, type MemberCompliance } from "@xueshi/core"
import { type Lang, label } from "./Labels.js"

/**
 * A member's explanation (see the module docs).
 *
 * @category models
 * @since 0.1.0
 */
export interface Explained {
  readonly memberId: string
  readonly year: number
  readonly asOf: Calendar.LocalDate
  readonly policy: { readonly id: string; readonly version: number; readonly title: string }
  readonly school: { readonly schoolId: string; readonly name: string } | null
  readonly granted: Ledger.MemberHours
  readonly answers: ReadonlyArray<MemberCompliance.ComplianceAnswer>
}

const schoolOf = (ledger: Ledger.Ledger, memberId: string, date: Calendar.LocalDate) => {
  const m = ledger.facts.members.get(memberId)
  const id = m === undefined ? undefined : Facts.schoolOn(m, date)
  if (id === undefined) return null
  return { schoolId: id, name: ledger.facts.schools.get(id)?.name ?? id }
}

const referenceOf = (year: number, asOf: Calendar.LocalDate | undefined): Calendar.LocalDate => {
  const end = Calendar.endOfYear(year)
  return asOf === undefined || asOf > end ? end : asOf
}

/**
 * Explains a member's year under the ledger's policy (`undefined` for an unknown member).
 *
 * @category rendering
 * @since 0.1.0
 */
export const explain = (
  ledger: Ledger.Ledger,
  memberId: string,
  query: { readonly year: number; readonly asOf?: Calendar.LocalDate | undefined; readonly requirementId?: string }
): Explained | undefined => {
  if (!ledger.facts.members.has(memberId)) return undefined
  const q = { year: query.year, ...(query.asOf === undefined ? {} : { asOf: query.asOf }) }
  const ref = referenceOf(query.year, query.asOf)
  return {
    memberId,
    year: query.year,
    asOf: ref,
    policy: { id: ledger.policy.id, version: ledger.policy.version, title: ledger.policy.title },
    school: schoolOf(ledger, memberId, ref),
    granted: ledger.hours(memberId, q),
    answers: ledger.compliance(
      memberId,
      query.requirementId === undefined ? q : { ...q, requirementId: query.requirementId }
    )
  }
}

const h = (x: number) => Hours.format(Hours.make(x))

const titleOf = (
  ledger: {
    readonly policy: { readonly requirements: ReadonlyArray<{ readonly id: string; readonly title: string }> }
  },
  id: string
) => ledger.policy.requirements.find((r) => r.id === id)?.title ?? id

/**
 * An explanation as text lines: per requirement, its status, the counted hours against the
 * threshold, the reason, then every counted grant (`+`) and every excluded one (`-`, with why).
 *
 * @category rendering
 * @since 0.1.0
 */
export const explainLines = (x: Explained, ledger: Ledger.Ledger, lang: Lang): Array<string> => {
  const L = (k: string) => label(lang, k)
  const out: Array<string> = [
    `${L("memberId")} ${x.memberId} · ${L("year")} ${x.year} · ${L("asOf")} ${x.asOf} · ${L("policy")} ${x.policy.id} v${x.policy.version}`,
    `${L("school")} ${x.school === null ? "—" : `${x.school.name} (${x.school.schoolId})`}`,
    `${L("hoursGranted")} ${h(x.granted.total)} h · ${x.granted.grants} grants`
  ]
  for (const a of x.answers) {
    out.push("")
    const threshold = a.thresholds.find((t) => t.measure === "hours")
    const figures =
      threshold === undefined
        ? `${L("earnedHours")} ${h(a.earned.hours)} h`
        : `${L("earnedHours")} ${h(a.earned.hours)} / ${L("requiredHours")} ${h(threshold.required)} h, ${L("shortfallHours")} ${h(a.shortfallHours)} h`
    out.push(
      `${a.requirementId} ${titleOf(ledger, a.requirementId)}: ${L(a.status)}${lang === "zh" ? ` (${a.status})` : ""} — ${figures}`
    )
    for (const t of a.thresholds.filter((t) => t.measure !== "hours"))
      out.push(`  ${t.measure}: ${t.earned} / ${t.required}${t.met ? "" : `, short ${t.shortfall}`}`)
    if (a.reason !== undefined) out.push(`  reason: ${a.reason}`)
    if (a.exemption !== undefined) out.push(`  exemption ${a.exemption.year}: ${a.exemption.reason}`)
    const e = a.explanation
    out.push(
      `  counted: ${e.counted.length} grant${e.counted.length === 1 ? "" : "s"}${e.carriedOver === undefined ? "" : `, carried over ${h(e.carriedOver.hours)} h from ${e.carriedOver.fromYear}`}`
    )
    for (const line of Explanation.render({
      counted: e.counted,
      excluded: [],
      ...(e.carriedOver === undefined ? {} : { carriedOver: e.carriedOver })
    }))
      out.push(`    ${line}`)
    const kinds = new Map<string, number>()
    for (const g of e.excluded) kinds.set(g.reason.kind, (kinds.get(g.reason.kind) ?? 0) + 1)
    out.push(
      `  excluded: ${e.excluded.length}${kinds.size === 0 ? "" : ` (${[...kinds].map(([k, n]) => `${k} ${n}`).join(", ")})`}`
    )
    for (const line of Explanation.render({ counted: [], excluded: e.excluded })) out.push(`    ${line}`)
  }
  return out
}

/** Hours fields (integers of 0.01 h) written as numbers of hours in the JSON forms. */
const HOURS_KEYS = new Set(["hours", "granted", "total", "shortfallHours", "maxHours"])

/**
 * A value as JSON with hours as numbers of hours (two decimals, exact from the integers).
 *
 * @category codecs
 * @since 0.1.0
 */
export const toJson = (value: unknown): string =>
  JSON.stringify(value, (key, v) =>
    HOURS_KEYS.has(key) && typeof v === "number" && Number.isInteger(v) ? Number(Hours.format(Hours.make(v))) : v
  )

// ---------------------------------------------------------------------------------------------
// transcript

/**
 * A session of a class as the member's transcript lists it.
 *
 * @category models
 * @since 0.1.0
 */
export interface TranscriptSession {
  readonly sessionId: string
  readonly date: Calendar.LocalDate
  readonly category: string
  readonly mode: string
  readonly minutes: number
  /** `attended`, `madeUp`, `leave` or `absent`. */
  readonly presence: "attended" | "madeUp" | "leave" | "absent"
  readonly attendedMinutes: number
  /** Hours credited for it in the year (not revoked), in 0.01 h. */
  readonly hours: number
}

/**
 * A class of the member's year.
 *
 * @category models
 * @since 0.1.0
 */
export interface TranscriptClass {
  readonly classId: string
  readonly title: string
  readonly schoolId: string
  readonly module: string | null
  readonly format: string
  readonly verdict: string | null
  readonly hours: number
  readonly sessions: ReadonlyArray<TranscriptSession>
}

/**
 * A member's transcript of a year.
 *
 * @category models
 * @since 0.1.0
 */
export interface Transcript {
  readonly memberId: string
  readonly year: number
  readonly asOf: Calendar.LocalDate
  readonly policy: { readonly id: string; readonly version: number; readonly title: string }
  readonly school: { readonly schoolId: string; readonly name: string } | null
  readonly totalHours: number
  readonly requirements: ReadonlyArray<{
    readonly requirementId: string
    readonly title: string
    readonly status: string
    readonly earnedHours: number
    readonly requiredHours: number | null
    readonly shortfallHours: number
  }>
  readonly classes: ReadonlyArray<TranscriptClass>
  readonly external: ReadonlyArray<{
    readonly date: Calendar.LocalDate
    readonly system: string
    readonly reference: string
    readonly hours: number
  }>
}

/**
 * A member's transcript (`undefined` for an unknown member).
 *
 * @category rendering
 * @since 0.1.0
 */
export const transcript = (
  ledger: Ledger.Ledger,
  memberId: string,
  query: { readonly year: number; readonly asOf?: Calendar.LocalDate | undefined }
): Transcript | undefined => {
  const x = explain(ledger, memberId, query)
  if (x === undefined) return undefined
  const credited = new Map<string, number>() // classId\0sessionId -> hours
  const external: Array<Transcript["external"][number]> = []
  for (const g of ledger.facts.credit.get(memberId)?.values() ?? []) {
    if (g.revoked || g.year !== query.year || g.date > x.asOf) continue
    if (g.source.kind === "session") {
      const k = `${g.source.classId}\u0000${g.source.sessionId}`
      credited.set(k, (credited.get(k) ?? 0) + g.hours)
    } else external.push({ date: g.date, system: g.source.system, reference: g.source.reference, hours: g.hours })
  }
  external.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.reference < b.reference ? -1 : 1))
  const classes: Array<TranscriptClass> = []
  for (const classId of ledger.classIds()) {
    const c = ledger.facts.classes.get(classId) as Facts.ClassFact
    const records = c.records.get(memberId)
    if (records === undefined && !c.enrolments.has(memberId)) continue
    const sessions: Array<TranscriptSession> = []
    for (const s of c.sessions.values()) {
      if (s.cancelled || Calendar.yearOfDate(s.date) !== query.year || s.date > x.asOf) continue
      const r = records?.get(s.sessionId)
      const hours = credited.get(`${classId}\u0000${s.sessionId}`) ?? 0
      const presence =
        r?.attended !== undefined
          ? "attended"
          : r?.makeUp !== undefined
            ? "madeUp"
            : r?.leave !== undefined
              ? "leave"
              : "absent"
      sessions.push({
        sessionId: s.sessionId,
        date: s.date,
        category: s.category,
        mode: s.mode,
        minutes: s.minutes,
        presence,
        attendedMinutes: r?.attended?.minutes ?? r?.makeUp?.minutes ?? 0,
        hours
      })
    }
    if (sessions.length === 0) continue
    sessions.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.sessionId < b.sessionId ? -1 : 1))
    const completion = ledger.completion(classId, { asOf: x.asOf, memberId })
    classes.push({
      classId,
      title: c.title,
      schoolId: c.schoolId,
      module: c.module ?? null,
      format: c.format,
      verdict: completion?.members[0]?.verdict ?? null,
      hours: sessions.reduce((n, s) => n + s.hours, 0),
      sessions
    })
  }
  return {
    memberId,
    year: x.year,
    asOf: x.asOf,
    policy: x.policy,
    school: x.school,
    totalHours: x.granted.total,
    requirements: x.answers.map((a) => {
      const t = a.thresholds.find((t) => t.measure === "hours")
      return {
        requirementId: a.requirementId,
        title: titleOf(ledger, a.requirementId),
        status: a.status,
        earnedHours: a.earned.hours,
        requiredHours: t === undefined ? null : t.required,
        shortfallHours: a.shortfallHours
      }
    }),
    classes,
    external
  }
}

// ---------------------------------------------------------------------------------------------
// the explanation summary linked from the HTML report's shortfall table

/**
 * A compact explanation of one (member, requirement): the counted hours grouped by class (or
 * external system), every excluded grant with why, hours carried over. Lines are text.
 *
 * @category models
 * @since 0.1.0
 */
export interface ExplanationSummary {
  readonly counted: ReadonlyArray<string>
  readonly excluded: ReadonlyArray<string>
  readonly carriedOver?: string
}

/**
 * Summarises a compliance answer's explanation (see {@link ExplanationSummary}).
 *
 * @category rendering
 * @since 0.1.0
 */
export const summarise = (a: MemberCompliance.ComplianceAnswer): ExplanationSummary => {
  const groups = new Map<string, { hours: number; grants: number }>()
  for (const g of a.explanation.counted) {
    const k = g.source.kind === "session" ? `class ${g.source.classId}` : `external ${g.source.system}`
    const v = groups.get(k) ?? { hours: 0, grants: 0 }
    v.hours += g.hours
    v.grants++
    groups.set(k, v)
  }
  const e = a.explanation
  return {
    counted: [...groups].map(([k, v]) => `+ ${h(v.hours)} h  ${k} (${v.grants} grant${v.grants === 1 ? "" : "s"})`),
    excluded: Explanation.render({ counted: [], excluded: e.excluded }),
    ...(e.carriedOver === undefined
      ? {}
      : { carriedOver: `+ ${h(e.carriedOver.hours)} h  carried over from ${e.carriedOver.fromYear}` })
  }
}

/**
 * The explanation summaries of every (member, requirement) a report lists as falling short:
 * `memberId → requirementId → summary`.
 *
 * @category utils
 * @since 0.1.0
 */
export const shortfallExplanations = (
  ledger: Ledger.Ledger,
  shortfalls: ReadonlyArray<{ readonly memberId: string; readonly requirementId: string }>,
  query: { readonly year: number; readonly asOf?: Calendar.LocalDate | undefined }
): Map<string, Record<string, ExplanationSummary>> => {
  const out = new Map<string, Record<string, ExplanationSummary>>()
  const q = { year: query.year, ...(query.asOf === undefined ? {} : { asOf: query.asOf }) }
  for (const s of shortfalls) {
    const [a] = ledger.compliance(s.memberId, { ...q, requirementId: s.requirementId })
    if (a === undefined) continue
    const m = out.get(s.memberId) ?? {}
    m[s.requirementId] = summarise(a)
    out.set(s.memberId, m)
  }
  return out
}
