/**
 * xAPI statements into attendance and external credit, through command handling.
 *
 * - `attended` / `completed` on an activity mapped to a session record the
 *   member's attendance (enrolling them if needed): minutes from
 *   `result.duration` (ISO 8601; year and month units refused, seconds rounded
 *   down), else the whole session; a later statement with other minutes corrects it.
 * - `attended` / `completed` / `passed` / cmi5 `waived` on an activity mapped to
 *   an external source grant external credit (`CreditGranted`, source
 *   `{ kind: "external", system, reference }`, grant id `xapi:<statement id>`).
 * - `voided` (a `StatementRef` object) revokes what its target produced: the
 *   grant (`CreditRevoked`) or the attendance (`AttendanceCorrected` to 0).
 * - **Idempotent on statement id**, as an LRS: a statement already imported with
 *   the same content is skipped; the same id with other content is an error
 *   (`xapi.conflict`, an LRS's 409). Every event records the statement id and its
 *   digest in `meta`, and its id is a UUID v5 of the statement id.
 * - Every problem is reported in one pass; nothing is written unless the whole
 *   batch is valid (or `validStatements: true`).
 *
 * @since 0.1.0
 */
import { Calendar, ClassDecider, EventStore, type Events, Ids, type StoreErrors } from "@xueshi/core"
import { Effect, Option, Result, Schema, Stream } from "effect"
import * as CommandPlan from "./CommandPlan.js"
import { eventIdOf } from "./RosterImport.js"
import type { ExternalTarget, SessionTarget, XapiMapping } from "./XapiMapping.js"
import {
  digest,
  parseBatch,
  type RawStatement,
  type Statement,
  type Verb,
  validate,
  verbOf,
  type XapiIssue
} from "./XapiStatement.js"

/**
 * A batch is refused: every issue found, nothing written.
 *
 * @category errors
 * @since 0.1.0
 */
export class XapiRejected extends Schema.TaggedError<XapiRejected>()("XapiRejected", {
  issues: Schema.Array(
    Schema.Struct({
      statement: Schema.Number,
      line: Schema.optionalKey(Schema.Number),
      statementId: Schema.optionalKey(Schema.String),
      path: Schema.String,
      rule: Schema.String,
      message: Schema.String
    })
  )
}) {}

/**
 * Options of {@link importStatements}.
 *
 * @category models
 * @since 0.1.0
 */
export interface XapiImportOptions {
  readonly mapping: XapiMapping
  /** Write the valid statements and report the others (default: all or nothing). */
  readonly validStatements?: boolean
}

/**
 * What an import did.
 *
 * @category models
 * @since 0.1.0
 */
export interface XapiImportResult {
  readonly statements: number
  readonly appended: number
  readonly byType: Readonly<Record<string, number>>
  /** Statements already imported with the same content. */
  readonly skipped: number
  /** Statements that produce nothing, and why (another verb, a voided target never imported, …). */
  readonly ignored: ReadonlyArray<{ readonly statement: number; readonly statementId: string; readonly reason: string }>
  /** With `validStatements`, the statements left out. */
  readonly issues: ReadonlyArray<XapiIssue>
}

/**
 * Minutes of an ISO 8601 duration (`PT1H30M`, `P1DT2H`, `PT5400S`, `P1W`),
 * rounded down to whole minutes; year and month units are refused (their length
 * is not fixed).
 *
 * @category utils
 * @since 0.1.0
 */
export const durationMinutes = (text: string): Result.Result<number, string> => {
  const m =
    /^P(?:(\d+(?:\.\d+)?)Y)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)W)?(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(
      text
    )
  if (m === null || text === "P" || text.endsWith("T")) return Result.fail(`${text} is not an ISO 8601 duration`)
  if (m[1] !== undefined || m[2] !== undefined)
    return Result.fail(`${text} has years or months, whose length is not fixed: give weeks, days, hours, minutes`)
  // exact: every part as an integer of millionths of a second
  const micro = (v: string | undefined, seconds: number): bigint => {
    if (v === undefined) return 0n
    const [w, f = ""] = v.split(".")
    return (BigInt(w as string) * 1_000_000n + BigInt(f.slice(0, 6).padEnd(6, "0"))) * BigInt(seconds)
  }
  const total = micro(m[3], 604_800) + micro(m[4], 86_400) + micro(m[5], 3_600) + micro(m[6], 60) + micro(m[7], 1)
  return Result.succeed(Number(total / 60_000_000n))
}

/**
 * A statement's timestamp as the contract writes instants: an offset `+0800` becomes
 * `+08:00`, and a time without an offset is read as UTC (as an LRS may, by the xAPI
 * specification); anything else is left for the instant check to refuse.
 *
 * @category codecs
 * @since 0.1.0
 */
export const normalizeTimestamp = (text: string | undefined): string | undefined => {
  if (text === undefined) return undefined
  const basic = /^(.*T[0-9:.]+)([+-])(\d{2})(\d{2})$/.exec(text)
  if (basic !== null) return `${basic[1]}${basic[2]}${basic[3]}:${basic[4]}`
  return /T[0-9:.]+$/.test(text) ? `${text}Z` : text
}

const EVENT_TYPES: ReadonlyArray<Events.EventType> = [
  "MemberEnrolled",
  "AttendanceRecorded",
  "AttendanceCorrected",
  "CreditGranted",
  "CreditRevoked"
]

interface Produced {
  readonly digest: string
  readonly voids?: string
  readonly events: Array<Events.DomainEvent>
}

/** What the store already holds from xAPI: statement id → digest and the events it produced. */
const storedStatements = Effect.gen(function* () {
  const store = yield* EventStore.EventStore
  const index = new Map<string, Produced>()
  const voided = new Set<string>()
  yield* Stream.runForEach(store.readAll({ types: EVENT_TYPES }), (r) =>
    Effect.sync(() => {
      const meta = r.meta as { source?: unknown; statementId?: unknown; digest?: unknown; voids?: unknown } | undefined
      if (meta?.source !== "xapi" || typeof meta.statementId !== "string") return
      let entry = index.get(meta.statementId)
      if (entry === undefined) {
        entry = {
          digest: String(meta.digest),
          ...(typeof meta.voids === "string" ? { voids: meta.voids } : {}),
          events: []
        }
        index.set(meta.statementId, entry)
      }
      entry.events.push({ type: r.type, data: r.data } as Events.DomainEvent)
      if (typeof meta.voids === "string") voided.add(meta.voids)
    })
  )
  return { index, voided }
})

const isSession = (t: SessionTarget | ExternalTarget): t is SessionTarget => "classId" in t

/**
 * Imports a batch of statements (already parsed; see {@link importText}).
 *
 * @category utils
 * @since 0.1.0
 */
export const importStatements = (
  raw: ReadonlyArray<RawStatement>,
  options: XapiImportOptions,
  parseIssues: ReadonlyArray<XapiIssue> = []
): Effect.Effect<
  XapiImportResult,
  XapiRejected | StoreErrors.AppendError | StoreErrors.ReadError,
  EventStore.EventStore
> =>
  importOnce(raw, options, parseIssues).pipe(
    Effect.retry({ while: (e) => e._tag === "WrongExpectedVersion", times: 3 })
  )

const importOnce = (
  raw: ReadonlyArray<RawStatement>,
  options: XapiImportOptions,
  parseIssues: ReadonlyArray<XapiIssue>
) =>
  Effect.gen(function* () {
    const mapping = options.mapping
    const timeZone = mapping.timeZone ?? Calendar.DEFAULT_TIME_ZONE
    const policyId = mapping.policyId ?? "xapi"
    const issues: Array<XapiIssue> = [...parseIssues]
    const ignored: Array<{ statement: number; statementId: string; reason: string }> = []
    const { index, voided } = yield* storedStatements
    const plan = yield* CommandPlan.make
    const batch = new Map<string, Produced>()
    let skipped = 0

    interface Ready {
      readonly raw: RawStatement
      readonly s: Statement
      readonly verb: Verb
      readonly digest: string
      readonly at: string
    }
    const ready: Array<Ready> = []
    for (const r of raw) {
      const v = validate(
        r.value,
        r.line === undefined ? { statement: r.statement } : { statement: r.statement, line: r.line }
      )
      if (Result.isFailure(v)) {
        issues.push(...v.failure)
        continue
      }
      const s = v.success
      const where = { statement: r.statement, ...(r.line === undefined ? {} : { line: r.line }), statementId: s.id }
      const d = digest(r.value)
      const seen = batch.get(s.id) ?? index.get(s.id)
      if (seen !== undefined) {
        if (seen.digest === d) skipped++
        else
          issues.push({
            ...where,
            path: "id",
            rule: "xapi.conflict",
            message: `statement ${s.id} was already received with other content (an LRS answers 409 Conflict)`
          })
        continue
      }
      const verb = verbOf(s.verb.id)
      batch.set(s.id, { digest: d, ...(verb === "voided" ? { voids: s.object.id } : {}), events: [] })
      if (verb === undefined) {
        if (mapping.otherVerbs === "error")
          issues.push({
            ...where,
            path: "verb.id",
            rule: "xapi.verb",
            message: `the verb ${s.verb.id} is not imported`
          })
        else ignored.push({ statement: r.statement, statementId: s.id, reason: `verb ${s.verb.id}` })
        continue
      }
      const at = normalizeTimestamp(s.timestamp ?? s.stored)
      if (at === undefined || Calendar.parseInstant(at) === undefined) {
        issues.push({
          ...where,
          path: "timestamp",
          rule: "xapi.timestamp",
          message: `${at ?? "no timestamp"}: give an ISO 8601 time with an offset`
        })
        continue
      }
      ready.push({ raw: r, s, verb, digest: d, at })
    }
    // voidings last, so that a voiding before its target in the batch still finds what it produced
    const ordered = [...ready.filter((x) => x.verb !== "voided"), ...ready.filter((x) => x.verb === "voided")]

    for (const x of ordered) {
      const { s, raw: r } = x
      const where = { statement: r.statement, ...(r.line === undefined ? {} : { line: r.line }), statementId: s.id }
      const fail = (path: string, rule: string, message: string) => {
        issues.push({ ...where, path, rule, message })
        return false
      }
      const meta = {
        source: "xapi",
        statementId: s.id,
        digest: x.digest,
        ...(s.context?.registration === undefined ? {} : { registration: s.context.registration }),
        ...(x.verb === "voided" ? { voids: s.object.id } : {})
      }
      const produced = batch.get(s.id) as Produced
      let n = 0
      const run = (
        type: Parameters<CommandPlan.CommandPlan["decide"]>[0],
        data: Record<string, unknown>,
        path: string
      ) =>
        Effect.map(plan.decide(type, data, { eventId: () => eventIdOf(`xapi/${s.id}/${n++}`), meta }), (decided) => {
          if (Result.isFailure(decided)) {
            const f = decided.failure
            return fail(path, f.rule, f.message)
          }
          produced.events.push(...decided.success)
          return true
        })

      const ok = yield* plan.atomically(
        Effect.gen(function* () {
          if (x.verb === "voided") {
            const target = s.object.id
            if (s.object.objectType !== "StatementRef")
              return fail("object.objectType", "xapi.structure", "a voiding statement's object is a StatementRef")
            const t = batch.get(target) ?? index.get(target)
            if (t?.voids !== undefined)
              return fail("object.id", "xapi.voidVoiding", `statement ${target} is itself a voiding statement`)
            if (voided.has(target)) {
              ignored.push({
                statement: r.statement,
                statementId: s.id,
                reason: `statement ${target} is already voided`
              })
              return true
            }
            if (t === undefined || t.events.length === 0) {
              ignored.push({
                statement: r.statement,
                statementId: s.id,
                reason: `statement ${target} produced nothing here`
              })
              return true
            }
            voided.add(target)
            const reason = `xAPI statement ${target} voided by ${s.id}`
            for (const e of t.events) {
              if (e.type === "CreditGranted") {
                if (
                  !(yield* run(
                    "RevokeCredit",
                    { memberId: e.data.memberId, grantId: e.data.grantId, reason, at: x.at },
                    "object.id"
                  ))
                )
                  return false
              } else if (e.type === "AttendanceRecorded" || e.type === "AttendanceCorrected") {
                const loaded = yield* plan.stream(`class-${e.data.classId}`)
                const state = loaded.state as ClassDecider.ClassState
                const now = Option.getOrUndefined(
                  Option.fromNullishOr(
                    state.attended.get(ClassDecider.attendanceKey(e.data.sessionId, e.data.memberId))
                  )
                )
                if (now === undefined) continue
                const data = {
                  classId: e.data.classId,
                  sessionId: e.data.sessionId,
                  memberId: e.data.memberId,
                  minutes: 0,
                  reason
                }
                if (!(yield* run("CorrectAttendance", data, "object.id"))) return false
              }
            }
            return true
          }
          // the member
          const account = s.actor.account
          if (account === undefined)
            return fail("actor", "xapi.actor", "the actor has no account (mbox and openid actors are not mapped)")
          const platform = mapping.actors.find((a) => a.homePage === account.homePage)
          const memberId =
            platform === undefined
              ? undefined
              : (platform.members?.[account.name] ?? (platform.nameIsMemberId === true ? account.name : undefined))
          if (memberId === undefined)
            return fail(
              "actor.account",
              "xapi.actor",
              `no member for the account ${account.name} of ${account.homePage}`
            )
          if (!Ids.STREAM_ID_PATTERN.test(memberId))
            return fail("actor.account.name", "xapi.actor", `${JSON.stringify(memberId)} is not a member id`)
          // the activity
          const target = mapping.activities[s.object.id]
          if (target === undefined)
            return fail("object.id", "xapi.activity", `the activity ${s.object.id} is not mapped`)
          let minutes: number | undefined
          if (s.result?.duration !== undefined) {
            const d = durationMinutes(s.result.duration)
            if (Result.isFailure(d)) return fail("result.duration", "xapi.duration", d.failure)
            if (d.success === 0)
              return fail("result.duration", "xapi.duration", `${s.result.duration} is less than a minute`)
            minutes = d.success
          }
          if (isSession(target)) {
            if (x.verb !== "attended" && x.verb !== "completed")
              return fail(
                "verb.id",
                "xapi.verbTarget",
                `${x.verb} on a session: only attended and completed record attendance`
              )
            const loaded = yield* plan.stream(`class-${target.classId}`)
            const state = loaded.state as ClassDecider.ClassState
            const session = Option.fromNullishOr(state.sessions.get(target.sessionId as Ids.SessionId))
            const full = Option.isSome(session) ? session.value.minutes : undefined
            const want = minutes ?? full ?? 0
            const base = { classId: target.classId, sessionId: target.sessionId, memberId }
            const enrolled = Option.getOrElse(
              Option.fromNullishOr(state.enrolled.get(memberId as Ids.MemberId)),
              () => false
            )
            if (
              !enrolled &&
              !(yield* run("EnrollMember", { classId: target.classId, memberId, at: x.at }, "actor.account"))
            )
              return false
            const now = Option.getOrUndefined(
              Option.fromNullishOr(
                (loaded.state as ClassDecider.ClassState).attended.get(
                  ClassDecider.attendanceKey(target.sessionId, memberId)
                )
              )
            )
            if (now === want) return true
            return now === undefined
              ? yield* run(
                  "RecordAttendance",
                  { ...base, minutes: want, at: x.at },
                  minutes === undefined ? "object.id" : "result.duration"
                )
              : yield* run(
                  "CorrectAttendance",
                  { ...base, minutes: want, reason: `xAPI statement ${s.id}` },
                  "result.duration"
                )
          }
          if (target.verbs !== undefined && !target.verbs.includes(x.verb as never)) {
            ignored.push({
              statement: r.statement,
              statementId: s.id,
              reason: `verb ${x.verb} does not grant credit for ${s.object.id}`
            })
            return true
          }
          let centi: number
          if (target.hours !== undefined) centi = Math.round(target.hours * 100)
          else if (target.minutesPerHour !== undefined && minutes !== undefined)
            centi = Math.floor((minutes * 100) / target.minutesPerHour)
          else
            return fail(
              "result.duration",
              "xapi.hours",
              `the activity ${s.object.id} maps no hours and the statement has no duration`
            )
          if (centi <= 0)
            return fail(
              "result.duration",
              "xapi.hours",
              `${minutes} minutes earn no credit at ${target.minutesPerHour} minutes an hour`
            )
          const data = {
            memberId,
            grantId: `xapi:${s.id}`,
            year: Calendar.yearIn(x.at as Calendar.Instant, timeZone),
            hours: centi / 100,
            ...(target.category === undefined ? {} : { category: target.category }),
            ...(target.mode === undefined ? {} : { mode: target.mode }),
            source: { kind: "external", system: target.system, reference: target.reference ?? s.object.id },
            policyId,
            at: x.at
          }
          return yield* run("GrantCredit", data, "actor.account")
        })
      )
      if (!ok) produced.events.length = 0
    }
    if (issues.length > 0 && options.validStatements !== true)
      return yield* Effect.fail(new XapiRejected({ issues: issues.sort((a, b) => a.statement - b.statement) }))
    const byType: Record<string, number> = {}
    const appended = yield* plan.commit()
    for (const p of batch.values()) for (const e of p.events) byType[e.type] = (byType[e.type] ?? 0) + 1
    return { statements: raw.length + parseIssues.length, appended, byType, skipped, ignored, issues }
  })

/**
 * Parses a batch (JSON array, `StatementResult` or NDJSON) and imports it.
 *
 * @category utils
 * @since 0.1.0
 */
export const importText = (
  text: string,
  options: XapiImportOptions
): Effect.Effect<
  XapiImportResult,
  XapiRejected | StoreErrors.AppendError | StoreErrors.ReadError,
  EventStore.EventStore
> => {
  const { statements, issues } = parseBatch(text)
  return importStatements(statements, options, issues)
}
