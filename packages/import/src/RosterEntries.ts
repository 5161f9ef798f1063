/**
 * The rows of a sign-in sheet as entries: one member × session fact each, read by
 * the mapping (header names, status words, layout) and matched to the class's
 * sessions; every problem of a row is reported, in one pass.
 *
 * @since 0.1.0
 */
import { Calendar, type ClassDecider, Ids, Input } from "@xueshi/core"
import { Result } from "effect"
import type * as CommandPlan from "./CommandPlan.js"
import type { ResolvedMapping, RosterStatus } from "./RosterMapping.js"
import { columnLetter, type Sheet } from "./RosterSheet.js"

/**
 * A problem with one row (or the header, row 1; row 0 is the sheet as a whole).
 *
 * @category models
 * @since 0.1.0
 */
export interface RosterIssue {
  readonly sheet: string
  readonly row: number
  /** The header name of the column, and its letter (`时长 (E)`), or empty for the whole row. */
  readonly column: string
  readonly rule: string
  readonly message: string
}

/**
 * One member × session fact of the sheet.
 *
 * @category models
 * @since 0.1.0
 */
export interface Entry {
  readonly row: number
  readonly memberId: string
  readonly sessionId: string
  readonly status: RosterStatus
  readonly minutes: number | undefined
  readonly note: string | undefined
  readonly makeUpDate: string | undefined
  /** Columns to blame, by what they hold. */
  readonly at: { readonly status: string; readonly minutes: string; readonly session: string; readonly member: string }
}

/**
 * A session of the class a sheet is imported into, as the import matches rows to it.
 *
 * @category models
 * @since 0.1.0
 */
export interface SessionInfo {
  readonly id: string
  readonly title: string
  readonly date: string
  readonly startsAt: string
  readonly minutes: number
}

const CELL = /^(\D*?)\s*[(（]?\s*(\d+(?:\.\d+)?)?\s*(?:分钟|分|min|小时|h)?\s*[)）]?$/

/** Minutes from a cell: integers in `minutes`, up to two decimals in `hours` (1.5 → 90). */
const parseMinutes = (text: string, unit: "minutes" | "hours"): number | undefined => {
  if (!/^\d+(\.\d+)?$/.test(text)) return undefined
  if (unit === "minutes") return /^\d+$/.test(text) ? Number(text) : undefined
  const [whole, frac = ""] = text.split(".")
  if (frac.length > 2) return undefined
  const centi = Number(whole) * 100 + Number(frac.padEnd(2, "0"))
  return (centi * 60) % 100 === 0 ? (centi * 60) / 100 : undefined
}

/**
 * The facts of the class the sheet needs: its live sessions with their titles and local dates.
 *
 * @category rules
 * @since 0.1.0
 */
export const sessionsOf = (loaded: CommandPlan.LoadedStream, timeZone: string): Map<string, SessionInfo> => {
  const titles = new Map<string, string>()
  for (const p of loaded.stored)
    if (p.event.type === "SessionScheduled") titles.set(p.event.data.sessionId, p.event.data.title)
  const state = loaded.state as ClassDecider.ClassState
  const out = new Map<string, SessionInfo>()
  for (const [id, s] of state.sessions) {
    if (s.cancelled) continue
    out.set(id, {
      id,
      title: titles.get(id) ?? "",
      date: Calendar.localDateIn(s.startsAt as Calendar.Instant, timeZone),
      startsAt: s.startsAt,
      minutes: s.minutes
    })
  }
  return out
}

/**
 * The entries of a sheet, and the rows that are bad (each reported through `issues`);
 * `undefined` when the header itself is refused.
 *
 * @category utils
 * @since 0.1.0
 */
export const readEntries = (
  sheet: Sheet,
  mapping: ResolvedMapping,
  sessions: ReadonlyMap<string, SessionInfo>,
  options: { readonly classId: string; readonly names?: ReadonlyMap<string, string> | undefined },
  issues: Array<RosterIssue>
): { readonly entries: ReadonlyArray<Entry>; readonly badRows: ReadonlySet<number> } | undefined => {
  const cols = mapping.columns
  const header = sheet.header
  const indexOf = (name: string) => header.indexOf(name)
  const where = (name: string) => {
    const i = indexOf(name)
    return i < 0 ? name : `${name} (${columnLetter(i)})`
  }
  const issue = (row: number, column: string, rule: string, message: string) =>
    issues.push({ sheet: sheet.name, row, column, rule, message })
  // the header
  const required = mapping.layout === "rowPerSession" ? [cols.memberId, cols.status] : [cols.memberId]
  for (const name of required) if (indexOf(name) < 0) issue(1, name, "roster.header", `the sheet has no column ${name}`)
  if (
    mapping.layout === "rowPerSession" &&
    indexOf(cols.sessionId) < 0 &&
    indexOf(cols.session) < 0 &&
    indexOf(cols.date) < 0
  )
    issue(
      1,
      cols.session,
      "roster.header",
      `the sheet names no session: no column ${cols.session}, ${cols.date} or ${cols.sessionId}`
    )
  if (issues.length > 0) return undefined

  const cell = (cells: ReadonlyArray<string>, name: string): string => {
    const i = indexOf(name)
    return i < 0 ? "" : (cells[i] ?? "")
  }
  const findSession = (title: string, date: string | undefined): SessionInfo | string => {
    const mapped = mapping.sessions[title]
    if (mapped !== undefined) return sessions.get(mapped) ?? `session ${mapped} (mapped from ${title}) is not scheduled`
    const byId = sessions.get(title)
    if (byId !== undefined && date === undefined) return byId
    const candidates = [...sessions.values()].filter(
      (s) => (title === "" || s.title === title || s.id === title) && (date === undefined || s.date === date)
    )
    if (candidates.length === 1) return candidates[0] as SessionInfo
    const what = [title === "" ? undefined : `“${title}”`, date].filter((x) => x !== undefined).join(" on ")
    return candidates.length === 0
      ? `no session ${what} in class ${options.classId}`
      : `${candidates.length} sessions ${what} in class ${options.classId}: give ${cols.sessionId} or map it in "sessions"`
  }

  // rows → entries
  const entries: Array<Entry> = []
  const names = new Map<string, { name: string; row: number }>()
  const seen = new Map<string, number>()
  const badRows = new Set<number>()
  const bad = (row: number, column: string, rule: string, message: string) => {
    badRows.add(row)
    issue(row, column, rule, message)
  }
  const memberOf = (row: number, cells: ReadonlyArray<string>): string | undefined => {
    const id = cell(cells, cols.memberId)
    if (id === "") return void bad(row, where(cols.memberId), "roster.memberId", `${cols.memberId} is empty`)
    if (!Ids.STREAM_ID_PATTERN.test(id))
      return void bad(row, where(cols.memberId), "roster.memberId", `${JSON.stringify(id)} is not a member id`)
    const name = cell(cells, cols.name)
    if (name !== "") {
      const known = options.names?.get(id)
      if (known !== undefined && known !== name)
        return void bad(row, where(cols.name), "roster.name", `${name} is not the name of member ${id}`)
      const first = names.get(id)
      if (first !== undefined && first.name !== name)
        return void bad(
          row,
          where(cols.name),
          "roster.name",
          `member ${id} is ${first.name} in row ${first.row}, ${name} here`
        )
      if (first === undefined) names.set(id, { name, row })
    }
    return id
  }
  const makeUpDateOf = (row: number, cells: ReadonlyArray<string>): string | undefined | null => {
    const text = cell(cells, cols.makeUpDate)
    if (text === "") return undefined
    const d = parseDate(text)
    if (d === undefined) {
      bad(row, where(cols.makeUpDate), "roster.date", `${JSON.stringify(text)} is not a date (YYYY-MM-DD)`)
      return null
    }
    return d
  }
  const push = (e: Entry) => {
    const key = `${e.sessionId}\u0000${e.memberId}`
    const before = seen.get(key)
    if (before !== undefined)
      return bad(
        e.row,
        e.at.session,
        "roster.duplicate",
        `member ${e.memberId} at session ${e.sessionId} is already in row ${before}`
      )
    seen.set(key, e.row)
    entries.push(e)
  }
  const statusOf = (word: string) => mapping.statuses[word]

  if (mapping.layout === "rowPerSession") {
    for (const { row, cells } of sheet.rows) {
      const memberId = memberOf(row, cells)
      const word = cell(cells, cols.status)
      const status = statusOf(word)
      if (status === undefined)
        bad(
          row,
          where(cols.status),
          "roster.status",
          `${JSON.stringify(word)} is not a status (${Object.keys(mapping.statuses).join("/")})`
        )
      const minutesText = cell(cells, cols.minutes)
      const minutes = minutesText === "" ? undefined : parseMinutes(minutesText, mapping.minutesUnit)
      if (minutesText !== "" && (minutes === undefined || minutes <= 0))
        bad(
          row,
          where(cols.minutes),
          "roster.minutes",
          `${JSON.stringify(minutesText)} is not a number of ${mapping.minutesUnit} > 0`
        )
      const dateText = cell(cells, cols.date)
      const date = dateText === "" ? undefined : parseDate(dateText)
      if (dateText !== "" && date === undefined)
        bad(row, where(cols.date), "roster.date", `${JSON.stringify(dateText)} is not a date (YYYY-MM-DD)`)
      const idText = cell(cells, cols.sessionId)
      const title = cell(cells, cols.session)
      const sessionColumn =
        idText !== "" ? where(cols.sessionId) : title !== "" ? where(cols.session) : where(cols.date)
      let session: SessionInfo | string | undefined
      if (idText !== "")
        session = sessions.get(idText) ?? `session ${idText} is not scheduled in class ${options.classId}`
      else if (title !== "" || date !== undefined) session = findSession(title, date)
      else session = "the row names no session"
      if (typeof session === "string") bad(row, sessionColumn, "roster.session", session)
      const makeUpDate = makeUpDateOf(row, cells)
      if (badRows.has(row) || memberId === undefined || status === undefined || typeof session !== "object") continue
      const note = cell(cells, cols.note)
      push({
        row,
        memberId,
        sessionId: session.id,
        status,
        minutes,
        note: note === "" ? undefined : note,
        makeUpDate: makeUpDate ?? undefined,
        at: {
          status: where(cols.status),
          minutes: where(cols.minutes),
          session: sessionColumn,
          member: where(cols.memberId)
        }
      })
    }
  } else {
    // one column per session: every header that is not a known column names a session
    const known = new Set<string>([cols.name, cols.memberId, cols.note, cols.makeUpDate])
    const sessionColumns: Array<{ index: number; session: SessionInfo }> = []
    header.forEach((h, index) => {
      if (known.has(h) || h === "") return
      const m = /^(\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?)\s*(.*)$/.exec(h)
      const found = m === null ? findSession(h, undefined) : findSession((m[2] ?? "").trim(), parseDate(m[1] as string))
      if (typeof found === "string") issue(1, `${h} (${columnLetter(index)})`, "roster.session", found)
      else sessionColumns.push({ index, session: found })
    })
    if (issues.length > 0) return undefined
    for (const { row, cells } of sheet.rows) {
      const memberId = memberOf(row, cells)
      const makeUpDate = makeUpDateOf(row, cells)
      const note = cell(cells, cols.note)
      for (const { index, session } of sessionColumns) {
        const text = cells[index] ?? ""
        if (text === "") continue
        const column = `${header[index]} (${columnLetter(index)})`
        const m = CELL.exec(text)
        const word = m === null ? text : (m[1] ?? "").trim()
        const status = word === "" && m?.[2] !== undefined ? "attendance" : statusOf(word)
        const minutes = m?.[2] === undefined ? undefined : parseMinutes(m[2], mapping.minutesUnit)
        if (status === undefined) {
          bad(
            row,
            column,
            "roster.status",
            `${JSON.stringify(text)} is not a status (${Object.keys(mapping.statuses).join("/")})`
          )
          continue
        }
        if (m?.[2] !== undefined && (minutes === undefined || minutes <= 0)) {
          bad(row, column, "roster.minutes", `${JSON.stringify(text)}: not a number of ${mapping.minutesUnit} > 0`)
          continue
        }
        if (memberId === undefined || makeUpDate === null) continue
        push({
          row,
          memberId,
          sessionId: session.id,
          status,
          minutes,
          note: note === "" ? undefined : note,
          makeUpDate,
          at: { status: column, minutes: column, session: column, member: where(cols.memberId) }
        })
      }
    }
  }

  return { entries, badRows }
}

/**
 * A date cell: `2025-03-04`, `2025/3/4`, `2025.3.4`, `2025年3月4日` (or with a time after it).
 *
 * @category codecs
 * @since 0.1.0
 */
export const parseDate = (text: string): string | undefined => {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$/.exec(text.trim())
  if (m === null) return undefined
  const iso = `${m[1]}-${(m[2] as string).padStart(2, "0")}-${(m[3] as string).padStart(2, "0")}`
  return Result.isSuccess(Input.localDate(iso)) ? iso : undefined
}
