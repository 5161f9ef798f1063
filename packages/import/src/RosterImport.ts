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
import { ClassDecider, type EventStore, type Ids, Input, type StoreErrors } from "@xueshi/core"
import { Effect, Result, Schema } from "effect"
import { parse as parseUuid, v5 as uuidv5 } from "uuid"
import * as CommandPlan from "./CommandPlan.js"
import type * as RosterEntries from "./RosterEntries.js"
import { type Entry, readEntries, type SessionInfo, sessionsOf } from "./RosterEntries.js"
import type { RosterMapping } from "./RosterMapping.js"
import { type ResolvedMapping, resolve } from "./RosterMapping.js"
import { readFile, type Sheet, type SheetError } from "./RosterSheet.js"

/**
 * The namespace of the importers' UUID v5 event ids.
 *
 * @category constants
 * @since 0.1.0
 */
export const EVENT_ID_NAMESPACE = "6f1a9a52-3c1e-5b8e-9d7e-2a0f3e4b5c6d"

const NAMESPACE_BYTES = parseUuid(EVENT_ID_NAMESPACE)

/**
 * The importers' event id of a key: UUID v5 (SHA-1) in {@link EVENT_ID_NAMESPACE}.
 *
 * @category utils
 * @since 0.1.0
 */
export const eventIdOf = (key: string): string => uuidv5(key, NAMESPACE_BYTES)

/**
 * A problem with one row (or the header, row 1; row 0 is the sheet as a whole):
 * where it is and the rule it breaks — a core rule id
 * (`attendance.exceedsSession`, `enrollment.unknownMember`, …) or a roster rule
 * (`roster.status`, `roster.minutes`, `roster.session`, …).
 *
 * @category models
 * @since 0.1.0
 */
export type RosterIssue = RosterEntries.RosterIssue

/**
 * A sheet is refused: every issue found, and nothing was written.
 *
 * @category errors
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
 * @category models
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
 * @category models
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

/**
 * Imports one sheet into the class (see the module docs). Fails with
 * {@link RosterRejected} (every issue; nothing written) unless the sheet is
 * valid or `validRows` is set.
 *
 * @category utils
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

    const read = readEntries(sheet, mapping, sessions, options, issues)
    if (read === undefined) return yield* reject()
    const { entries, badRows } = read

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
    for (const e of entries) if (!(initial.enrolled.get(e.memberId as Ids.MemberId) ?? false)) toEnrol.add(e.memberId)
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
  const attended = state.attended.get(key)
  const leave = state.leave.has(key)
  const madeUp = state.madeUp.get(key)
  const enrolled = state.enrolled.get(e.memberId as Ids.MemberId) ?? false
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

/**
 * Reads a CSV or XLSX file and imports it (see {@link importSheet}).
 *
 * @category utils
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
