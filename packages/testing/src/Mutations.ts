/**
 * Invalid histories with exactly one broken rule, for every rule of the catalogue.
 *
 * A mutation takes a valid history and inserts or alters lines so that the
 * lines before the first touched line stay exactly as they were (so they stay
 * valid) and the touched line breaks one chosen rule, given the state the valid
 * prefix leaves. Most mutations insert a line right after a referent line (a
 * copy of an `AttendanceRecorded` right after it breaks `attendance.duplicate`;
 * an `AttendanceRecorded` right after a `LeaveGranted` for the same member and
 * session breaks `attendance.withLeave`); the state right after an accepted
 * line is known from that line alone, whatever else the history holds.
 *
 * @since 0.1.0
 */
import { type Rules, Vocabulary } from "@xueshi/core"
import fc from "fast-check"
import { vocabulary } from "./Arbitraries.js"
import { type History, type HistoryLine, renderLines } from "./District.js"
import {
  after,
  anyIndex,
  anyPosition,
  anywhere,
  brokenCopy,
  codec,
  copyAfter,
  d,
  ev,
  GARBAGE,
  indices,
  insert,
  type Mutator,
  NOW,
  plain,
  plainOf,
  replace,
  sessionMinutesBefore,
  text,
  versionBefore,
  type Wire,
  wireWith
} from "./mutation/Splices.js"
import { makeRandom } from "./Random.js"

/**
 * A history with one broken rule: its lines (log text, no newlines), the rule
 * and the 1-based line at which the validator must report it first.
 *
 * @category models
 * @since 0.1.0
 */
export interface Mutation {
  readonly rule: Rules.RuleId
  readonly line: number
  readonly lines: ReadonlyArray<string>
  /** What was done, for failure messages. */
  readonly note: string
}

/**
 * How to break each rule of the catalogue.
 *
 * @category utils
 * @since 0.1.0
 */
export const mutators: { readonly [R in Rules.RuleId]: Mutator } = {
  "line.json": (ctx) => insert(ctx, anyPosition(ctx), "line.json", "garbage line", ctx.r.pick(GARBAGE)),
  "line.object": (ctx) =>
    insert(
      ctx,
      anyPosition(ctx),
      "line.object",
      "a JSON value that is not an object",
      ctx.r.pick(["[1,2]", '"text"', "42", "null", "true", "[]"])
    ),
  "envelope.field": brokenCopy("envelope.field", (w, _l, ctx) =>
    ctx.r.pick([
      { ...w, extra: 1 },
      { ...w, version: 0 },
      { ...w, version: 1.5 },
      { ...w, id: "not-a-uuid" },
      { ...w, schemaVersion: 0 },
      { ...w, recordedAt: "2025-01-01" },
      { ...w, position: -3 },
      { ...w, meta: ["a"] }
    ])
  ),
  "stream.format": brokenCopy("stream.format", (w, _l, ctx) => {
    const bad = ctx.r.pick([
      "lesson-X1",
      "class-",
      "class",
      "Class-X1",
      "-X1",
      `member-${"a".repeat(65)}`,
      "class-é",
      42
    ])
    return { ...w, stream: bad }
  }),
  "event.type": brokenCopy("event.type", (w, _l, ctx) => {
    const t = ctx.r.pick(["SessionPostponed", "attendanceRecorded", "", 42, null, undefined])
    const { type: _drop, ...rest } = w
    return t === undefined ? rest : { ...w, type: t }
  }),
  "event.category": brokenCopy("event.category", (w, l, ctx) => {
    const id = (w.stream as string).slice((w.stream as string).indexOf("-") + 1)
    const cat = ctx.r.pick(
      ["school", "member", "class", "credit"].filter((c) => !(w.stream as string).startsWith(`${c}-`))
    )
    return { ...w, stream: `${cat}-${id}`, type: l.type }
  }),
  "event.schemaVersion": brokenCopy("event.schemaVersion", (w, _l, ctx) => ({ ...w, schemaVersion: ctx.r.int(2, 9) })),
  "event.schema": brokenCopy("event.schema", (w, l, ctx) => {
    const data = { ...(w.data as Wire) }
    const options: Array<() => void> = [() => (data.extraField = "x")]
    if ("minutes" in data) options.push(() => (data.minutes = ctx.r.pick([1441, 1.5, "90", -1])))
    if ("minutes" in data && l.type !== "AttendanceCorrected") options.push(() => (data.minutes = 0))
    if ("hours" in data) options.push(() => (data.hours = ctx.r.pick([1.234, 0, -1, "2"])))
    if ("startsAt" in data) options.push(() => (data.startsAt = "2025-03-04T19:00:00"))
    if ("at" in data) options.push(() => (data.at = "2025-13-01T00:00:00+08:00"))
    if ("categories" in data) options.push(() => (data.categories = []))
    if ("tier" in data) options.push(() => (data.tier = "province"))
    if ("year" in data) options.push(() => (data.year = 1899))
    if ("reason" in data && l.type !== "ExemptionGranted" && l.type !== "ExemptionRevoked") {
      options.push(() => (data.reason = "   "))
    }
    ctx.r.pick(options)()
    return { ...w, data }
  }),
  "stream.idMismatch": brokenCopy("stream.idMismatch", (w, _l, ctx) => {
    const s = w.stream as string
    return { ...w, stream: `${s.slice(0, s.indexOf("-"))}-${ctx.fresh("other")}` }
  }),
  "stream.version": (ctx) => {
    const i = anyIndex(ctx)
    if (i === undefined) return undefined
    const l = ctx.history[i] as HistoryLine
    const v = versionBefore(ctx.history, i) + 1
    const wrong = v > 1 && ctx.r.chance(0.5) ? ctx.r.int(1, v - 1) : v + ctx.r.int(1, 3)
    return replace(ctx, i, "stream.version", `version ${wrong} instead of ${v}`, wireWith(l, { version: wrong }))
  },
  "log.position": (ctx) => {
    if (ctx.history.length < 2) return undefined
    const i = ctx.r.int(1, ctx.history.length - 1)
    let max = 0
    for (let k = 0; k < i; k++) max = Math.max(max, (ctx.history[k] as HistoryLine).position ?? 0)
    const lines = [...ctx.wire]
    if (max === 0) {
      lines[0] = text(wireWith(ctx.history[0] as HistoryLine, { position: 1 }))
      max = 1
    }
    const bad = ctx.r.int(1, max)
    lines[i] = text(wireWith(ctx.history[i] as HistoryLine, { position: bad }))
    return { rule: "log.position", line: i + 1, lines, note: `position ${bad} after ${max}` }
  },
  "event.idReused": (ctx) => {
    if (ctx.history.length < 2) return undefined
    const i = ctx.r.int(0, ctx.history.length - 2)
    const li = ctx.history[i] as HistoryLine
    const lines = [...ctx.wire]
    let id = li.id
    if (id === undefined) {
      id = ctx.r.uuid()
      lines[i] = text(wireWith(li, { id }))
    }
    const fp = (l: HistoryLine) => `${l.stream}\n${l.type}\n${JSON.stringify(codec.encodeData(l.type, l.data))}`
    const others = indices(ctx.history, (l) => fp(l) !== fp(li))
    if (others.length === 0) return undefined
    const j = ctx.r.pick(others)
    const at = ctx.r.int(i + 1, lines.length)
    lines.splice(at, 0, text({ ...plainOf(ctx.history[j] as HistoryLine), id }))
    return { rule: "event.idReused", line: at + 1, lines, note: `id of line ${i + 1} on a copy of line ${j + 1}` }
  },
  // ----- school streams -----
  "school.alreadyRegistered": copyAfter("school.alreadyRegistered", "SchoolRegistered"),
  "school.notRegistered": anywhere("school.notRegistered", (ctx) =>
    ev("QuotaClaimed", { schoolId: ctx.fresh("school"), year: 2025, traineeTimes: 10 })
  ),
  "school.unknownParent": anywhere("school.unknownParent", (ctx) =>
    ev("SchoolRegistered", {
      schoolId: ctx.fresh("school"),
      name: "新社区党校",
      tier: "community",
      parentId: ctx.fresh("parent")
    })
  ),
  "school.parentTier": after("school.parentTier", ["SchoolRegistered"], (l, ctx) => {
    const rank = Vocabulary.tierRank[d(l).tier as Vocabulary.SchoolTier]
    const tiers = vocabulary.schoolTiers.filter((t) => Vocabulary.tierRank[t] <= rank)
    return ev("SchoolRegistered", {
      schoolId: ctx.fresh("school"),
      name: "错层党校",
      tier: ctx.r.pick(tiers),
      parentId: d(l).schoolId
    })
  }),
  // ----- member streams -----
  "member.alreadyRegistered": copyAfter("member.alreadyRegistered", "MemberRegistered"),
  "member.notRegistered": anywhere("member.notRegistered", (ctx) =>
    ev("MemberCategoriesChanged", {
      memberId: ctx.fresh("member"),
      categories: ["ordinaryMember"],
      effectiveOn: "2025-01-01"
    })
  ),
  "member.deregistered": after("member.deregistered", ["MemberDeregistered"], (l, ctx) =>
    ctx.r.chance(0.5)
      ? ev("MemberCategoriesChanged", {
          memberId: d(l).memberId,
          categories: ["ordinaryMember"],
          effectiveOn: "2025-12-31"
        })
      : ev("ExemptionGranted", { memberId: d(l).memberId, year: 2025, reason: "illness" })
  ),
  "member.unknownSchool": anywhere("member.unknownSchool", (ctx) =>
    ev("MemberRegistered", {
      memberId: ctx.fresh("member"),
      schoolId: ctx.fresh("school"),
      categories: ["ordinaryMember"]
    })
  ),
  "member.transferSameSchool": after("member.transferSameSchool", ["MemberRegistered"], (l) =>
    ev("MemberTransferred", { memberId: d(l).memberId, schoolId: d(l).schoolId, effectiveOn: "2025-05-01" })
  ),
  "exemption.duplicate": copyAfter("exemption.duplicate", "ExemptionGranted"),
  "exemption.notGranted": after("exemption.notGranted", ["MemberRegistered"], (l) =>
    ev("ExemptionRevoked", { memberId: d(l).memberId, year: 2025 })
  ),
  // ----- class streams -----
  "class.alreadyPlanned": copyAfter("class.alreadyPlanned", "ClassPlanned"),
  "class.notPlanned": anywhere("class.notPlanned", (ctx) =>
    ev("SessionScheduled", {
      classId: ctx.fresh("class"),
      sessionId: "S1",
      title: "未计划的课",
      category: "theory",
      startsAt: NOW,
      minutes: 90,
      mode: "inPerson"
    })
  ),
  "class.unknownSchool": anywhere("class.unknownSchool", (ctx) =>
    ev("ClassPlanned", {
      classId: ctx.fresh("class"),
      schoolId: ctx.fresh("school"),
      title: "无主班次",
      format: "concentrated"
    })
  ),
  "class.completed": after("class.completed", ["ClassCompleted"], (l, ctx) =>
    ctx.r.pick([
      ev("SessionScheduled", {
        classId: d(l).classId,
        sessionId: ctx.fresh("session"),
        title: "结业后的课",
        category: "practice",
        startsAt: NOW,
        minutes: 45,
        mode: "online"
      }),
      ev("ClassCompleted", { classId: d(l).classId, at: NOW }),
      ev("MemberEnrolled", { classId: d(l).classId, memberId: ctx.fresh("member"), at: NOW })
    ])
  ),
  "session.duplicateId": copyAfter("session.duplicateId", "SessionScheduled"),
  "session.unknown": after("session.unknown", ["ClassPlanned"], (l, ctx) => {
    const base = { classId: d(l).classId, sessionId: ctx.fresh("session") }
    return ctx.r.pick([
      ev("AttendanceRecorded", { ...base, memberId: ctx.fresh("member"), minutes: 30 }),
      ev("LeaveGranted", { ...base, memberId: ctx.fresh("member"), reason: "病假" }),
      ev("SessionCancelled", { ...base, reason: "取消" }),
      ev("SessionRescheduled", { ...base, startsAt: NOW, minutes: 60 }),
      ev("AttendanceCorrected", { ...base, memberId: ctx.fresh("member"), minutes: 10, reason: "更正" })
    ])
  }),
  "session.cancelled": after("session.cancelled", ["SessionCancelled"], (l, ctx) => {
    const base = { classId: d(l).classId, sessionId: d(l).sessionId }
    return ctx.r.pick([
      ev("AttendanceRecorded", { ...base, memberId: ctx.fresh("member"), minutes: 1 }),
      ev("LeaveGranted", { ...base, memberId: ctx.fresh("member"), reason: "病假" }),
      ev("SessionCancelled", { ...base, reason: "再次取消" }),
      ev("SessionRescheduled", { ...base, startsAt: NOW, minutes: 60 }),
      ev("MakeUpCompleted", { ...base, memberId: ctx.fresh("member"), minutes: 1, at: NOW, mode: "online" })
    ])
  }),
  "session.belowAttended": after("session.belowAttended", ["AttendanceRecorded", "MakeUpCompleted"], (l, ctx) =>
    d(l).minutes < 2
      ? undefined
      : ev("SessionRescheduled", {
          classId: d(l).classId,
          sessionId: d(l).sessionId,
          startsAt: NOW,
          minutes: ctx.r.int(1, d(l).minutes - 1)
        })
  ),
  "enrollment.duplicate": copyAfter("enrollment.duplicate", "MemberEnrolled"),
  "enrollment.capacity": (ctx) => {
    const h = ctx.history
    const capacity = new Map<string, number>()
    const count = new Map<string, number>()
    const full: Array<number> = []
    for (let i = 0; i < h.length; i++) {
      const l = h[i] as HistoryLine
      const c = d(l).classId as string
      if (l.type === "ClassPlanned" && d(l).capacity !== undefined) capacity.set(c, d(l).capacity)
      if (l.type === "MemberEnrolled") count.set(c, (count.get(c) ?? 0) + 1)
      if (l.type === "EnrollmentWithdrawn") count.set(c, (count.get(c) ?? 0) - 1)
      if (l.type === "MemberEnrolled" && capacity.get(c) === count.get(c)) full.push(i)
    }
    if (full.length === 0) return undefined
    const i = ctx.r.pick(full)
    const e = ev("MemberEnrolled", { classId: d(h[i] as HistoryLine).classId, memberId: ctx.fresh("member"), at: NOW })
    return insert(ctx, i + 1, "enrollment.capacity", `enrolment after line ${i + 1} filled the class`, plain(e))
  },
  "enrollment.audience": (ctx) => {
    const candidates = indices(ctx.history, (l) => l.type === "ClassPlanned" && d(l).audience !== undefined)
    if (candidates.length === 0) return undefined
    const i = ctx.r.pick(candidates)
    const l = ctx.history[i] as HistoryLine
    const outside = vocabulary.traineeCategories.filter((c) => !(d(l).audience as Array<string>).includes(c))
    if (outside.length === 0) return undefined
    const memberId = ctx.fresh("member")
    const reg = ev("MemberRegistered", { memberId, schoolId: d(l).schoolId, categories: [ctx.r.pick(outside)] })
    const enrol = ev("MemberEnrolled", { classId: d(l).classId, memberId, at: NOW })
    return insert(
      ctx,
      i + 1,
      "enrollment.audience",
      `a member outside the audience of line ${i + 1}`,
      plain(reg),
      plain(enrol)
    )
  },
  "enrollment.unknownMember": after("enrollment.unknownMember", ["ClassPlanned"], (l, ctx) =>
    ev("MemberEnrolled", { classId: d(l).classId, memberId: ctx.fresh("member"), at: NOW })
  ),
  "enrollment.notEnrolled": after("enrollment.notEnrolled", ["SessionScheduled"], (l, ctx) => {
    const base = { classId: d(l).classId, sessionId: d(l).sessionId, memberId: ctx.fresh("member") }
    return ctx.r.pick([
      ev("AttendanceRecorded", { ...base, minutes: 1 }),
      ev("LeaveGranted", { ...base, reason: "事假" }),
      ev("MakeUpCompleted", { ...base, minutes: 1, at: NOW, mode: "online" }),
      ev("AttendanceCorrected", { ...base, minutes: 1, reason: "补录" }),
      ev("EnrollmentWithdrawn", { classId: d(l).classId, memberId: base.memberId, at: NOW, reason: "退学" })
    ])
  }),
  "attendance.duplicate": copyAfter("attendance.duplicate", "AttendanceRecorded"),
  "attendance.exceedsSession": (ctx) => {
    const candidates = indices(ctx.history, (l) => l.type === "AttendanceRecorded" || l.type === "MakeUpCompleted")
    while (candidates.length > 0) {
      const k = ctx.r.int(0, candidates.length - 1)
      const i = candidates[k] as number
      const l = ctx.history[i] as HistoryLine
      const max = sessionMinutesBefore(ctx.history, i, d(l).classId, d(l).sessionId)
      if (max !== undefined && max < 1440) {
        const minutes = ctx.r.int(max + 1, Math.min(1440, max + 60))
        const w = wireWith(l, {})
        return replace(ctx, i, "attendance.exceedsSession", `${minutes} minutes of a ${max}-minute session`, {
          ...w,
          data: { ...(w.data as Wire), minutes }
        })
      }
      candidates.splice(k, 1)
    }
    return undefined
  },
  "attendance.withLeave": after("attendance.withLeave", ["LeaveGranted"], (l) =>
    ev("AttendanceRecorded", { classId: d(l).classId, sessionId: d(l).sessionId, memberId: d(l).memberId, minutes: 1 })
  ),
  "leave.duplicate": copyAfter("leave.duplicate", "LeaveGranted"),
  "makeUp.attended": after("makeUp.attended", ["AttendanceRecorded"], (l) =>
    ev("MakeUpCompleted", {
      classId: d(l).classId,
      sessionId: d(l).sessionId,
      memberId: d(l).memberId,
      minutes: 1,
      at: NOW,
      mode: "online"
    })
  ),
  "makeUp.duplicate": copyAfter("makeUp.duplicate", "MakeUpCompleted"),
  "correction.noChange": after("correction.noChange", ["AttendanceRecorded"], (l) =>
    ev("AttendanceCorrected", {
      classId: d(l).classId,
      sessionId: d(l).sessionId,
      memberId: d(l).memberId,
      minutes: d(l).minutes,
      reason: "无变化"
    })
  ),
  // ----- credit streams -----
  "credit.unknownMember": anywhere("credit.unknownMember", (ctx) =>
    ev("CreditGranted", {
      memberId: ctx.fresh("member"),
      grantId: "g1",
      year: 2025,
      hours: 200,
      source: { kind: "external", system: "学习强国", reference: "R1" },
      policyId: "linear-45",
      at: NOW
    })
  ),
  "credit.unknownSession": after("credit.unknownSession", ["MemberRegistered"], (l, ctx) =>
    ev("CreditGranted", {
      memberId: d(l).memberId,
      grantId: ctx.fresh("grant"),
      year: 2025,
      hours: 150,
      source: { kind: "session", classId: ctx.fresh("class"), sessionId: "S1" },
      policyId: "linear-45",
      at: NOW
    })
  ),
  "credit.duplicateGrant": copyAfter("credit.duplicateGrant", "CreditGranted"),
  "credit.unknownGrant": (ctx) => {
    const members = indices(ctx.history, (l) => l.type === "MemberRegistered")
    const memberId =
      members.length > 0 && ctx.r.chance(0.7)
        ? d(ctx.history[ctx.r.pick(members)] as HistoryLine).memberId
        : ctx.fresh("member")
    const e = ev("CreditRevoked", { memberId, grantId: ctx.fresh("grant"), reason: "撤销", at: NOW })
    return insert(ctx, anyPosition(ctx), "credit.unknownGrant", "revocation of a grant that never was", plain(e))
  },
  "credit.alreadyRevoked": copyAfter("credit.alreadyRevoked", "CreditRevoked")
}

/**
 * Every rule a mutation can break (all of the catalogue).
 *
 * @category utils
 * @since 0.1.0
 */
export const mutationRules: ReadonlyArray<Rules.RuleId> = Object.keys(mutators) as Array<Rules.RuleId>

const rendered = new WeakMap<History, ReadonlyArray<string>>()
const usedIdsCache = new WeakMap<History, ReadonlySet<string>>()

const usedIds = (history: History): Set<string> => {
  const cached = usedIdsCache.get(history)
  if (cached !== undefined) return new Set(cached)
  const used = new Set<string>()
  for (const l of history) {
    used.add(l.stream.slice(l.stream.indexOf("-") + 1))
    const data = d(l)
    for (const k of ["sessionId", "grantId", "parentId", "schoolId", "classId", "memberId"]) {
      if (typeof data[k] === "string") used.add(data[k])
    }
    if (data.source?.classId !== undefined) used.add(data.source.classId)
  }
  usedIdsCache.set(history, used)
  return new Set(used)
}

/**
 * Breaks one rule of a valid history, driven by a seed; `undefined` when the
 * history has nothing to hang that rule on (no leave to attend against, no
 * class at capacity …).
 *
 * @category utils
 * @since 0.1.0
 */
export const mutate = (history: History, rule: Rules.RuleId, seed: number): Mutation | undefined => {
  const used = usedIds(history)
  let n = 0
  const fresh = (hint: string) => {
    let id: string
    do id = `zz.${hint}.${++n}`
    while (used.has(id))
    used.add(id)
    return id
  }
  let wire = rendered.get(history)
  if (wire === undefined) {
    wire = renderLines(history)
    rendered.set(history, wire)
  }
  return mutators[rule]({ history, wire, r: makeRandom(seed), fresh })
}

/**
 * A mutation of a valid history that breaks one rule (each rule equally likely
 * among those the history can host; `line.json` always can).
 *
 * @category utils
 * @since 0.1.0
 */
export const invalidMutation = (history: History): fc.Arbitrary<Mutation> =>
  fc.tuple(fc.nat({ max: mutationRules.length - 1 }), fc.integer()).map(([start, seed]) => {
    for (let k = 0; k < mutationRules.length; k++) {
      const m = mutate(history, mutationRules[(start + k) % mutationRules.length] as Rules.RuleId, seed)
      if (m !== undefined) return m
    }
    return mutate(history, "line.json", seed) as Mutation
  })
