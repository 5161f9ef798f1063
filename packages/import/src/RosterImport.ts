/**
 * A sign-in sheet (签到表) into a class's events, through command handling:
 * each row says what a member did at a session (出席 attendance with its minutes,
 * 请假 leave, 缺勤 absence, 补学 make-up); the importer compares it with what the
 * class stream already holds and asks for exactly the difference — enrolment if
 * missing, attendance, leave, make-up, and `AttendanceCorrected` where a row
 * changes a value already imported — and every command is decided by the class
 * decider, its references checked, so every rule of the contract holds.
 *
 * - **One pass, every bad row**: each problem is a {@link RosterIssue} with the
 *   sheet, row, column and rule; nothing is written unless the whole sheet is
 *   valid (or `validRows: true`, which writes the valid rows and reports the rest).
 * - **Re-import is a no-op, a changed sheet gives only the corrections**: the
 *   rows are compared with the stream, and event ids are UUID v5 of the row's
 *   content and its position (the stream version it lands at), so a re-run after
 *   a crash appends the same events or nothing.
 * - **One append**: a sheet's events all go to the class stream, in one append at
 *   the version read — all or nothing, and a concurrent writer makes it retry.
 * - Member names (`姓名`) are only cross-checked (one name per member id in the
 *   sheet, and against `names` when given); events carry member ids only.
 *
 * @since 0.1.0
 */
import { Calendar, ClassDecider, type EventStore, Ids, Input, type StoreErrors } from "@xueshi/core"
import { Effect, HashMap, HashSet, Option, Result, Schema } from "effect"
import { parse as parseUuid, v5 as uuidv5 } from "uuid"
import * as CommandPlan from "./CommandPlan.js"
import type { RosterMapping, RosterStatus } from "./RosterMapping.js"
import { type ResolvedMapping, resolve } from "./RosterMapping.js"
import { columnLetter, readFile, type Sheet, type SheetError } from "./RosterSheet.js"

/**
 * The namespace of the importers' UUID v5 event ids.
 *
 * @since 0.1.0
 */
export const EVENT_ID_NAMESPACE = "6f1a9a52-3c1e-5b8e-9d7e-2a0f3e4b5c6d"

const NAMESPACE_BYTES = parseUuid(EVENT_ID_NAMESPACE)

/**
 * The importers' event id of a key: UUID v5 (SHA-1) in {@link EVENT_ID_NAMESPACE}.
 *
 * @since 0.1.0
 */
export const eventIdOf = (key: string): string => uuidv5(key, NAMESPACE_BYTES)

/**
 * A problem with one row (or the header, row 1): where it is and the rule it
 * breaks — a core rule id (`attendance.exceedsSession`, `enrollment.unknownMember`,
 * …) or a roster rule (`roster.status`, `roster.minutes`, `roster.session`, …).
 *
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
 * A sheet is refused: every issue found, and nothing was written.
 *
 * @since 0.1.0
 */
export class RosterRejected extends Schema.TaggedError<RosterRejected>()("RosterRejected", {
  sheet: Schema.String,
  issues: Schema.Array(
    Schema.Struct({
      sheet: Schema.String,
      row: Schema.Number,
      column: Schema.String,
      rule: Schema.String,
      message: Schema.String
    })
  )
}) {}

/**
 * Options of {@link importSheet}.
 *
 * @since 0.1.0
 */
export interface RosterImportOptions {
  /** The class the sheet is about (planned, its sessions scheduled). */
  readonly classId: string
  readonly mapping?: RosterMapping
  /** Write the valid rows and report the others (default: nothing unless every row is valid). */
  readonly validRows?: boolean
  /** Known names by member id, to cross-check 姓名 (never stored). */
  readonly names?: ReadonlyMap<string, string>
  /** The file name recorded in the events' meta (default: the sheet's name). */
  readonly file?: string
}

/**
 * What an import did.
 *
 * @since 0.1.0
 */
export interface RosterImportResult {
  readonly sheet: string
  /** Data rows read (for columnPerSession: member rows). */
  readonly rows: number
  /** Events appended. */
  readonly appended: number
  /** Appended events by type. */
  readonly byType: Readonly<Record<string, number>>
  /** Entries (member × session) already as the sheet says: nothing to do. */
  readonly unchanged: number
  /** With `validRows`, the rows left out; otherwise empty. */
  readonly issues: ReadonlyArray<RosterIssue>
}

/** One member × session fact of the sheet. */
interface Entry {
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

interface SessionInfo {
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

/** The facts of the class the sheet needs: its sessions with their titles and local dates. */
const sessionsOf = (loaded: CommandPlan.LoadedStream, timeZone: string): Map<string, SessionInfo> => {
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
 * Imports one sheet into the class (see the module docs). Fails with
 * {@link RosterRejected} (every issue; nothing written) unless the sheet is
 * valid or `validRows` is set.
 *
 * @since 0.1.0
 */
export const importSheet = (
  sheet: Sheet,
  options: RosterImportOptions
): Effect.Effect<
  RosterImportResult,
  RosterRejected | StoreErrors.AppendError | StoreErrors.ReadError,
  EventStore.EventStore
> => importOnce(sheet, options).pipe(Effect.retry({ while: (e) => e._tag === "WrongExpectedVersion", times: 3 }))

const importOnce = (sheet: Sheet, options: RosterImportOptions) =>
  Effect.gen(function* () {
    const mapping = resolve(options.mapping)
    const issues: Array<RosterIssue> = []
    const cols = mapping.columns
    const header = sheet.header
    const indexOf = (name: string) => header.indexOf(name)
    const where = (name: string) => {
      const i = indexOf(name)
      return i < 0 ? name : `${name} (${columnLetter(i)})`
    }
    const issue = (row: number, column: string, rule: string, message: string) =>
      issues.push({ sheet: sheet.name, row, column, rule, message })
    const reject = () =>
      Effect.fail(new RosterRejected({ sheet: sheet.name, issues: [...issues].sort((a, b) => a.row - b.row) }))

    const classId = Input.classId(options.classId, "classId")
    if (Result.isFailure(classId)) {
      issue(0, "", "stream.format", classId.failure.message)
      return yield* reject()
    }
    const plan = yield* CommandPlan.make
    const stream = `class-${options.classId}`
    const loaded = yield* plan.stream(stream)
    const classState = loaded.state as ClassDecider.ClassState
    if (classState.status === "new") {
      issue(0, "", "class.notPlanned", `class ${options.classId} is not planned in the store`)
      return yield* reject()
    }
    const sessions = sessionsOf(loaded, mapping.timeZone)
    const firstStart = [...sessions.values()].map((s) => s.startsAt).sort()[0]

    // the header
    const required = mapping.layout === "rowPerSession" ? [cols.memberId, cols.status] : [cols.memberId]
    for (const name of required)
      if (indexOf(name) < 0) issue(1, name, "roster.header", `the sheet has no column ${name}`)
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
    if (issues.length > 0) return yield* reject()

    const cell = (cells: ReadonlyArray<string>, name: string): string => {
      const i = indexOf(name)
      return i < 0 ? "" : (cells[i] ?? "")
    }
    const findSession = (title: string, date: string | undefined): SessionInfo | string => {
      const mapped = mapping.sessions[title]
      if (mapped !== undefined)
        return sessions.get(mapped) ?? `session ${mapped} (mapped from ${title}) is not scheduled`
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
        const found =
          m === null ? findSession(h, undefined) : findSession((m[2] ?? "").trim(), parseDate(m[1] as string))
        if (typeof found === "string") issue(1, `${h} (${columnLetter(index)})`, "roster.session", found)
        else sessionColumns.push({ index, session: found })
      })
      if (issues.length > 0) return yield* reject()
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

    // entries → commands, decided against the class as it stands plus what the sheet already decided
    const file = options.file ?? sheet.name
    let unchanged = 0
    const refused = new Set<number>()
    const byRow = new Map<number, Array<Entry>>()
    for (const e of entries) {
      if (badRows.has(e.row)) continue
      const list = byRow.get(e.row)
      if (list === undefined) byRow.set(e.row, [e])
      else list.push(e)
    }
    // what deciding needs beyond the class stream: the members to enrol (registered? their categories)
    const initial = loaded.state as ClassDecider.ClassState
    const toEnrol = new Set<string>()
    for (const e of entries)
      if (!Option.getOrElse(HashMap.get(initial.enrolled, e.memberId as Ids.MemberId), () => false))
        toEnrol.add(e.memberId)
    for (const memberId of toEnrol)
      yield* plan.prepare("EnrollMember", {
        classId: options.classId,
        memberId,
        at: firstStart ?? "2000-01-01T00:00:00Z"
      })
    for (const [row, rowEntries] of byRow) {
      const meta = { source: "roster", file, sheet: sheet.name, row }
      const ok = plan.atomicallyNow(() => {
        for (const e of rowEntries) {
          const blame = (path: string) =>
            path.endsWith("minutes")
              ? e.at.minutes
              : path.endsWith("memberId")
                ? e.at.member
                : path.endsWith("sessionId")
                  ? e.at.session
                  : e.at.status
          const commands = changesOf(
            e,
            loaded.state as ClassDecider.ClassState,
            sessions.get(e.sessionId) as SessionInfo,
            firstStart,
            mapping,
            sheet.name
          )
          if ("unchangeable" in commands) {
            issue(row, e.at.status, "roster.unchangeable", commands.unchangeable)
            return false
          }
          if (commands.length === 0) unchanged++
          for (const [type, data] of commands) {
            const decided = plan.decideNow(type, data, {
              eventId: (event, version) => eventIdOf(`${stream}@${version}/${event.type}/${JSON.stringify(data)}`),
              meta
            })
            if (Result.isFailure(decided)) {
              const f = decided.failure
              issue(row, blame(f._tag === "InputError" ? f.field : f.path), f.rule, f.message)
              return false
            }
          }
        }
        return true
      })
      if (!ok) refused.add(row)
    }
    if (issues.length > 0 && options.validRows !== true) return yield* reject()
    const byType: Record<string, number> = {}
    for (const p of loaded.planned) byType[p.event.type] = (byType[p.event.type] ?? 0) + 1
    const appended = yield* plan.commit()
    issues.sort((a, b) => a.row - b.row)
    return { sheet: sheet.name, rows: sheet.rows.length, appended, byType, unchanged, issues }
  })

type Change = readonly [
  type: "EnrollMember" | "RecordAttendance" | "CorrectAttendance" | "GrantLeave" | "CompleteMakeUp",
  data: Record<string, unknown>
]

/** The commands that make the class say what the entry says (empty: it already does). */
const changesOf = (
  e: Entry,
  state: ClassDecider.ClassState,
  session: SessionInfo,
  firstStart: string | undefined,
  mapping: ResolvedMapping,
  sheet: string
): ReadonlyArray<Change> | { readonly unchangeable: string } => {
  const base = { classId: state.classId as string, sessionId: e.sessionId, memberId: e.memberId }
  const key = ClassDecider.attendanceKey(e.sessionId, e.memberId)
  const attended = Option.getOrUndefined(HashMap.get(state.attended, key))
  const leave = HashSet.has(state.leave, key)
  const madeUp = Option.getOrUndefined(HashMap.get(state.madeUp, key))
  const enrolled = Option.getOrElse(HashMap.get(state.enrolled, e.memberId as Ids.MemberId), () => false)
  const out: Array<Change> = []
  if (!enrolled)
    out.push(["EnrollMember", { classId: base.classId, memberId: e.memberId, at: firstStart ?? session.startsAt }])
  const reason = e.note ?? `签到表 ${sheet} 第${e.row}行`
  const minutes = e.minutes ?? session.minutes
  const cannot = (what: string) => ({
    unchangeable: `the class already records ${what} for ${e.memberId} at ${e.sessionId}, which no event can withdraw`
  })
  switch (e.status) {
    case "attendance":
      if (attended === minutes) break
      out.push(
        attended === undefined
          ? ["RecordAttendance", { ...base, minutes }]
          : ["CorrectAttendance", { ...base, minutes, reason }]
      )
      break
    case "leave":
      if (leave) break
      if (madeUp !== undefined) return cannot("a make-up")
      if (attended !== undefined) out.push(["CorrectAttendance", { ...base, minutes: 0, reason }])
      out.push(["GrantLeave", { ...base, reason: e.note ?? "请假" }])
      break
    case "absence":
      if (leave) return cannot("leave")
      if (madeUp !== undefined) return cannot("a make-up")
      if (attended !== undefined) out.push(["CorrectAttendance", { ...base, minutes: 0, reason }])
      break
    case "makeUp": {
      if (madeUp === minutes) break
      if (madeUp !== undefined) return cannot(`a make-up of ${madeUp} minutes`)
      if (attended !== undefined) out.push(["CorrectAttendance", { ...base, minutes: 0, reason }])
      const at = e.makeUpDate === undefined ? session.startsAt : `${e.makeUpDate}${session.startsAt.slice(10)}`
      out.push(["CompleteMakeUp", { ...base, minutes, at, mode: mapping.makeUpMode }])
      break
    }
  }
  return out
}

/** A date cell: `2025-03-04`, `2025/3/4`, `2025.3.4`, `2025年3月4日` (or with a time after it). */
export const parseDate = (text: string): string | undefined => {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$/.exec(text.trim())
  if (m === null) return undefined
  const iso = `${m[1]}-${(m[2] as string).padStart(2, "0")}-${(m[3] as string).padStart(2, "0")}`
  return Result.isSuccess(Input.localDate(iso)) ? iso : undefined
}

/**
 * Reads a CSV or XLSX file and imports it (see {@link importSheet}).
 *
 * @since 0.1.0
 */
export const importFile = (
  path: string,
  options: RosterImportOptions
): Effect.Effect<
  RosterImportResult,
  RosterRejected | SheetError | StoreErrors.AppendError | StoreErrors.ReadError,
  EventStore.EventStore
> =>
  Effect.flatMap(readFile(path, options.mapping?.sheet), (sheet) =>
    importSheet(sheet, { ...options, file: options.file ?? path.split(/[\\/]/).pop() ?? path })
  )
