/**
 * The mapping of a sign-in sheet (签到表): which column holds what, which words
 * are which status, and how the sheet is laid out. Every field is optional; the
 * defaults read the usual Chinese sheet (`姓名`, `党员编号`, `课程`, `日期`, `时长`,
 * `考勤状态`, statuses `出席`/`请假`/`缺勤`/`补学`). A mapping file is JSON:
 *
 * ```json
 * { "layout": "columnPerSession", "columns": { "memberId": "编号" }, "statuses": { "√": "attendance" } }
 * ```
 *
 * @since 0.1.0
 */
import { Result, Schema, SchemaIssue } from "effect"

/**
 * What a status word means: attendance (出席), leave (请假), an unexcused
 * absence (缺勤: nothing is recorded, an attendance already imported is
 * corrected to 0) or a make-up (补学).
 *
 * @category schemas
 * @since 0.1.0
 */
export const RosterStatus = Schema.Literals(["attendance", "leave", "absence", "makeUp"])
/**
 * The decoded value of the schema {@link RosterStatus}.
 *
 * @category models
 * @since 0.1.0
 */
export type RosterStatus = typeof RosterStatus.Type

/**
 * `rowPerSession`: one row per member and session (columns 课程/日期 or a session id
 * name the session). `columnPerSession`: one row per member and one column per
 * session, each cell a status (optionally with minutes: `出席 60`, `补学(45)`).
 *
 * @category schemas
 * @since 0.1.0
 */
export const RosterLayout = Schema.Literals(["rowPerSession", "columnPerSession"])
/**
 * The decoded value of the schema {@link RosterLayout}.
 *
 * @category models
 * @since 0.1.0
 */
export type RosterLayout = typeof RosterLayout.Type

const Header = Schema.String.check(Schema.isMinLength(1))

/**
 * The header names of the columns (each optional, with its default).
 *
 * @category schemas
 * @since 0.1.0
 */
export const RosterColumns = Schema.Struct({
  /** 姓名: only cross-checked against the member id, never stored. */
  name: Schema.optionalKey(Header),
  /** 党员编号: the member id (required column). */
  memberId: Schema.optionalKey(Header),
  /** 课程: the session's title (rowPerSession). */
  session: Schema.optionalKey(Header),
  /** 课程编号: the session id, when the sheet has one (rowPerSession). */
  sessionId: Schema.optionalKey(Header),
  /** 日期: the session's date in the class's time zone (rowPerSession). */
  date: Schema.optionalKey(Header),
  /** 时长: minutes attended or made up (blank: the whole session). */
  minutes: Schema.optionalKey(Header),
  /** 考勤状态: the status word (rowPerSession). */
  status: Schema.optionalKey(Header),
  /** 备注: the reason of a leave or a correction. */
  note: Schema.optionalKey(Header),
  /** 补学日期: the day a make-up was done (blank: the session's day). */
  makeUpDate: Schema.optionalKey(Header)
})

/**
 * A mapping file (see the module docs).
 *
 * @category schemas
 * @since 0.1.0
 */
export const RosterMapping = Schema.Struct({
  layout: Schema.optionalKey(RosterLayout),
  /** The XLSX worksheet to read (default: the first). */
  sheet: Schema.optionalKey(Header),
  columns: Schema.optionalKey(RosterColumns),
  /** Status words and what they mean, added to (and overriding) the defaults. */
  statuses: Schema.optionalKey(Schema.Record(Schema.String, RosterStatus)),
  /** Session ids by header (columnPerSession) or by title (rowPerSession), when the text is not the id. */
  sessions: Schema.optionalKey(Schema.Record(Schema.String, Header)),
  /** 时长 in `minutes` (default) or `hours` (1.5 → 90 minutes). */
  minutesUnit: Schema.optionalKey(Schema.Literals(["minutes", "hours"])),
  /** The mode of a make-up (default `online`). */
  makeUpMode: Schema.optionalKey(Schema.Literals(["inPerson", "online", "liveStream", "onSite", "homeDelivery"])),
  /** The time zone of the sheet's dates (default `Asia/Shanghai`). */
  timeZone: Schema.optionalKey(Header)
})
/**
 * The decoded value of the schema {@link RosterMapping}.
 *
 * @category models
 * @since 0.1.0
 */
export type RosterMapping = typeof RosterMapping.Type

/**
 * The default status words.
 *
 * @category utils
 * @since 0.1.0
 */
export const defaultStatuses: Readonly<Record<string, RosterStatus>> = {
  出席: "attendance",
  到: "attendance",
  请假: "leave",
  缺勤: "absence",
  旷课: "absence",
  补学: "makeUp",
  补课: "makeUp"
}

/**
 * The default header names.
 *
 * @category utils
 * @since 0.1.0
 */
export const defaultColumns = {
  name: "姓名",
  memberId: "党员编号",
  session: "课程",
  sessionId: "课程编号",
  date: "日期",
  minutes: "时长",
  status: "考勤状态",
  note: "备注",
  makeUpDate: "补学日期"
} as const

/**
 * A mapping with every default filled in.
 *
 * @category models
 * @since 0.1.0
 */
export interface ResolvedMapping {
  readonly layout: RosterLayout
  readonly sheet: string | undefined
  readonly columns: { readonly [K in keyof typeof defaultColumns]: string }
  readonly statuses: Readonly<Record<string, RosterStatus>>
  readonly sessions: Readonly<Record<string, string>>
  readonly minutesUnit: "minutes" | "hours"
  readonly makeUpMode: "inPerson" | "online" | "liveStream" | "onSite" | "homeDelivery"
  readonly timeZone: string
}

/**
 * Fills in the defaults.
 *
 * @category utils
 * @since 0.1.0
 */
export const resolve = (mapping: RosterMapping = {}): ResolvedMapping => ({
  layout: mapping.layout ?? "rowPerSession",
  sheet: mapping.sheet,
  columns: { ...defaultColumns, ...mapping.columns },
  statuses: { ...defaultStatuses, ...mapping.statuses },
  sessions: mapping.sessions ?? {},
  minutesUnit: mapping.minutesUnit ?? "minutes",
  makeUpMode: mapping.makeUpMode ?? "online",
  timeZone: mapping.timeZone ?? "Asia/Shanghai"
})

/**
 * A mapping file is rejected: the path of the bad field and what is wrong.
 *
 * @category errors
 * @since 0.1.0
 */
export class MappingError extends Schema.TaggedError<MappingError>()("MappingError", {
  path: Schema.String,
  message: Schema.String
}) {}

const formatter = SchemaIssue.makeFormatterStandardSchemaV1()

/**
 * Decodes a value with a schema (excess keys refused), or a {@link MappingError} naming the first bad field.
 *
 * @category codecs
 * @since 0.1.0
 */
export const decodeWith =
  <A>(schema: Schema.Codec<A, unknown>) =>
  (input: unknown): Result.Result<A, MappingError> => {
    const r = Schema.decodeUnknownResult(schema, { onExcessProperty: "error" })(input)
    if (Result.isSuccess(r)) return Result.succeed(r.success)
    const first = formatter(r.failure.issue).issues[0]
    const path = first?.path?.map((p) => (typeof p === "object" && p !== null ? String(p.key) : String(p))) ?? []
    return Result.fail(new MappingError({ path: path.join("."), message: first?.message ?? "invalid mapping" }))
  }

/**
 * A roster mapping from its JSON text.
 *
 * @category codecs
 * @since 0.1.0
 */
export const parse = (text: string): Result.Result<RosterMapping, MappingError> => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (e) {
    return Result.fail(new MappingError({ path: "", message: `not JSON: ${(e as Error).message}` }))
  }
  return decodeWith(RosterMapping as unknown as Schema.Codec<RosterMapping, unknown>)(json)
}
