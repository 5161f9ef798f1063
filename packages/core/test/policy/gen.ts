// A small generator of valid one-year district histories (fast-check), for the laws of issue 3.
// Every history it builds passes the log validator (the laws check that too).
import fc from "fast-check"
import type { Instant } from "../../src/Calendar.js"
import * as Calendar from "../../src/Calendar.js"
import * as Accrual from "../../src/policy/Accrual.js"
import type { PolicySet } from "../../src/policy/PolicySet.js"
import * as Presets from "../../src/policy/Presets.js"
import { foldFacts, toWire, validate, type Wire, w } from "./fixtures.js"

const CATEGORIES = [
  "ordinaryMember",
  "grassrootsSecretary",
  "organCadre",
  "candidate",
  "newMember",
  "elderlyOrInfirm",
  "applicant"
] as const
const FORMATS = ["concentrated", "rotational", "online", "homeDelivery", "microLesson"] as const
const COURSE = ["theory", "practice", "exemplar", "other"] as const
const MODES = ["inPerson", "online", "liveStream", "homeDelivery", "onSite"] as const
const MINUTES = [15, 30, 45, 60, 90, 120, 180, 360] as const
const SLOTS = ["09:00", "14:00", "19:00", "23:30"] as const
const MODULES = ["ruralRevitalisation", "grassrootsGovernance", "partyAffairs"] as const

const sessionArb = fc.record({
  month: fc.integer({ min: 1, max: 12 }),
  day: fc.integer({ min: 1, max: 28 }),
  slot: fc.integer({ min: 0, max: 3 }),
  minutes: fc.constantFrom(...MINUTES),
  category: fc.constantFrom(...COURSE),
  mode: fc.constantFrom(...MODES),
  newThought: fc.boolean(),
  partySpirit: fc.boolean(),
  cancel: fc.boolean(),
  reschedule: fc.boolean()
})

/** What a member does about a session: 0 absent, 1 leave, 2 full, 3 partial, 4 make-up. */
const actArb = fc.record({
  kind: fc.constantFrom(0, 1, 2, 2, 2, 3, 4),
  part: fc.integer({ min: 1, max: 100 }),
  correct: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined })
})

export const planArb = fc.record({
  subdistricts: fc.integer({ min: 1, max: 3 }),
  communities: fc.integer({ min: 1, max: 2 }),
  members: fc.array(
    fc.record({
      category: fc.constantFrom(...CATEGORIES),
      school: fc.nat(),
      joinMonth: fc.option(fc.integer({ min: 1, max: 11 }), { nil: undefined }),
      exempt: fc.boolean(),
      transfer: fc.option(fc.record({ month: fc.integer({ min: 2, max: 12 }), school: fc.nat() }), { nil: undefined }),
      recategorise: fc.option(
        fc.record({ month: fc.integer({ min: 2, max: 12 }), category: fc.constantFrom(...CATEGORIES) }),
        {
          nil: undefined
        }
      )
    }),
    { minLength: 1, maxLength: 8 }
  ),
  classes: fc.array(
    fc.record({
      school: fc.nat(),
      format: fc.constantFrom(...FORMATS),
      module: fc.option(fc.constantFrom(...MODULES), { nil: undefined }),
      sessions: fc.array(sessionArb, { minLength: 1, maxLength: 5 }),
      enrolled: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
      acts: fc.array(fc.array(actArb, { minLength: 5, maxLength: 5 }), { minLength: 8, maxLength: 8 }),
      withdraw: fc.option(fc.nat(), { nil: undefined }),
      completed: fc.boolean()
    }),
    { minLength: 1, maxLength: 4 }
  ),
  quotas: fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 1, maxLength: 4 }),
  externals: fc.array(
    fc.record({
      member: fc.nat(),
      hours: fc.integer({ min: 1, max: 12 }).map((n) => n * 25),
      month: fc.integer({ min: 1, max: 12 }),
      mode: fc.constantFrom(...MODES)
    }),
    { maxLength: 3 }
  )
})

export type Plan = typeof planArb extends fc.Arbitrary<infer T> ? T : never

const pad = (n: number) => String(n).padStart(2, "0")

interface Happening {
  readonly key: number
  readonly seq: number
  readonly stream: string
  readonly line: Wire
}

/** The law-test policy: several requirements, all three mix rules, a strict completion rule. */
export const lawPolicy: PolicySet = Presets.composePolicySet({
  id: "laws",
  effectiveFrom: "2019-01-01",
  requirements: [
    Presets.annual32,
    Presets.secretary56,
    Presets.candidate24hOr3d,
    Presets.cadreAnnual,
    Presets.cadre5y,
    Presets.newMember,
    // a low bar, so that generated histories often meet it (and "met stays met" is not vacuous)
    {
      ...Presets.annual32,
      id: "low-4h-or-2d",
      combine: "any",
      thresholds: [
        { measure: "hours", min: 400 as never },
        { measure: "days", min: 2 }
      ],
      joiners: "none"
    }
  ],
  courseMix: [Presets.xiqing404020, Presets.fengxianTwoThirds, Presets.partySchool7020],
  completion: {
    id: "strict",
    source: "test",
    maxLeaveRatio: { num: 1, den: 7 },
    maxUnexcusedAbsences: 1,
    minAttendanceRatio: { num: 3, den: 4 },
    makeUpAllowed: true
  }
})

/**
 * The lines of a plan, before accrual: plan facts first, then what happens in date order.
 * `interleave` picks how the happenings of different streams are merged (default: by date).
 */
export const planLines = (plan: Plan, interleave?: ReadonlyArray<number>): Array<Wire> => {
  const parts = planParts(plan, interleave)
  return [...parts.plan, ...parts.happenings]
}

const planParts = (plan: Plan, interleave?: ReadonlyArray<number>): { plan: Array<Wire>; happenings: Array<Wire> } => {
  const lines: Array<Wire> = [w("SchoolRegistered", { schoolId: "D", name: "区委党校", tier: "district" })]
  const schools = ["D"]
  for (let s = 0; s < plan.subdistricts; s++) {
    lines.push(w("SchoolRegistered", { schoolId: `S${s}`, name: `街道党校${s}`, tier: "subdistrict", parentId: "D" }))
    schools.push(`S${s}`)
    for (let c = 0; c < plan.communities; c++) {
      lines.push(
        w("SchoolRegistered", {
          schoolId: `S${s}-V${c}`,
          name: `社区党校${s}-${c}`,
          tier: "community",
          parentId: `S${s}`
        })
      )
      schools.push(`S${s}-V${c}`)
    }
  }
  plan.quotas.forEach((q, i) => {
    const schoolId = schools[i % schools.length] as string
    lines.push(w("QuotaClaimed", { schoolId, year: 2025, traineeTimes: q, classes: q % 3 }))
  })
  const happenings: Array<Happening> = []
  let seq = 0
  const happen = (key: number, stream: string, line: Wire) => happenings.push({ key, seq: seq++, stream, line })
  const at = (month: number, day: number, time = "00:00") =>
    `2025-${pad(month)}-${pad(day)}T${time}:00+08:00` as Instant
  const ms = (i: Instant) => Calendar.epochMillis(i)
  const joined: Array<string | undefined> = []
  plan.members.forEach((m, i) => {
    const id = `M${i}`
    const joinedOn = m.joinMonth === undefined ? undefined : `2025-${pad(m.joinMonth)}-15`
    joined.push(joinedOn)
    const school = schools[m.school % schools.length] as string
    lines.push(
      w("MemberRegistered", {
        memberId: id,
        schoolId: school,
        categories: [m.category],
        ...(joinedOn ? { joinedOn } : {})
      })
    )
    if (m.exempt) lines.push(w("ExemptionGranted", { memberId: id, year: 2025, reason: "elderlyOrInfirm" }))
    const from = m.joinMonth ?? 0
    if (m.transfer !== undefined && m.transfer.month > from) {
      const to = schools[m.transfer.school % schools.length] as string
      if (to !== school) {
        happen(
          ms(at(m.transfer.month, 1)),
          `member-${id}`,
          w("MemberTransferred", { memberId: id, schoolId: to, effectiveOn: `2025-${pad(m.transfer.month)}-01` })
        )
      }
    }
    if (m.recategorise !== undefined && m.recategorise.month > from) {
      happen(
        ms(at(m.recategorise.month, 1)),
        `member-${id}`,
        w("MemberCategoriesChanged", {
          memberId: id,
          categories: [m.recategorise.category],
          effectiveOn: `2025-${pad(m.recategorise.month)}-01`
        })
      )
    }
  })
  plan.classes.forEach((c, ci) => {
    const classId = `C${ci}`
    const stream = `class-${classId}`
    const schoolId = schools[c.school % schools.length] as string
    lines.push(
      w("ClassPlanned", {
        classId,
        schoolId,
        title: `班次${ci}`,
        format: c.format,
        ...(c.module ? { module: c.module } : {})
      })
    )
    const sessions = c.sessions.map((s, si) => {
      const sessionId = `s${si}`
      let startsAt = at(s.month, s.day, SLOTS[s.slot] as string)
      const tags = [...(s.newThought ? ["newThought"] : []), ...(s.partySpirit ? ["partySpirit"] : [])]
      lines.push(
        w("SessionScheduled", {
          classId,
          sessionId,
          title: `课${si}`,
          category: s.category,
          startsAt,
          minutes: s.minutes,
          mode: s.mode,
          ...(tags.length ? { tags } : {})
        })
      )
      if (s.reschedule) {
        startsAt = at(s.month, s.day < 28 ? s.day + 1 : s.day - 1, SLOTS[s.slot] as string)
        lines.push(w("SessionRescheduled", { classId, sessionId, startsAt, minutes: s.minutes }))
      }
      if (s.cancel && si % 2 === 1) lines.push(w("SessionCancelled", { classId, sessionId, reason: "weather" }))
      return {
        sessionId,
        startsAt,
        minutes: s.minutes,
        cancelled: s.cancel && si % 2 === 1,
        date: startsAt.slice(0, 10)
      }
    })
    const members = plan.members.map((_, i) => i).filter((i) => c.enrolled[i] === true)
    for (const i of members) lines.push(w("MemberEnrolled", { classId, memberId: `M${i}`, at: at(1, 1, "08:00") }))
    const last = Math.max(...sessions.map((s) => ms(s.startsAt)))
    for (const i of members) {
      const memberId = `M${i}`
      sessions.forEach((s, si) => {
        if (s.cancelled) return
        const act = c.acts[i]?.[si]
        if (act === undefined) return
        const join = joined[i]
        if (join !== undefined && s.date < join) return
        const start = ms(s.startsAt)
        const partial = Math.max(1, Math.round((s.minutes * act.part) / 100))
        if (act.kind === 1)
          happen(start, stream, w("LeaveGranted", { classId, sessionId: s.sessionId, memberId, reason: "sick" }))
        if (act.kind === 2 || act.kind === 3) {
          const minutes = act.kind === 2 ? s.minutes : partial
          happen(start, stream, w("AttendanceRecorded", { classId, sessionId: s.sessionId, memberId, minutes }))
          if (act.correct !== undefined) {
            const to = Math.round((s.minutes * act.correct) / 100)
            if (to !== minutes) {
              happen(
                start + 86_400_000,
                stream,
                w("AttendanceCorrected", { classId, sessionId: s.sessionId, memberId, minutes: to, reason: "sheet" })
              )
            }
          }
        }
        if (act.kind === 4) {
          const mat = Calendar.makeInstant(start + 2 * 86_400_000, 480)
          happen(
            start + 2 * 86_400_000,
            stream,
            w("MakeUpCompleted", {
              classId,
              sessionId: s.sessionId,
              memberId,
              minutes: partial,
              at: mat,
              mode: "online"
            })
          )
        }
      })
    }
    if (c.withdraw !== undefined && members.length > 0) {
      const memberId = `M${members[c.withdraw % members.length]}`
      const wat = Calendar.makeInstant(last + 4 * 86_400_000, 480)
      happen(
        last + 4 * 86_400_000,
        stream,
        w("EnrollmentWithdrawn", { classId, memberId, at: wat, reason: "moved away" })
      )
    }
    if (c.completed) {
      const cat = Calendar.makeInstant(last + 5 * 86_400_000, 480)
      happen(last + 5 * 86_400_000, stream, w("ClassCompleted", { classId, at: cat }))
    }
  })
  happenings.sort((a, b) => a.key - b.key || a.seq - b.seq)
  if (interleave === undefined) return { plan: lines, happenings: happenings.map((h) => h.line) }
  // merge the per-stream sequences in an order picked by `interleave`
  const queues = new Map<string, Array<Happening>>()
  for (const h of happenings) {
    const q = queues.get(h.stream)
    if (q === undefined) queues.set(h.stream, [h])
    else q.push(h)
  }
  const names = Array.from(queues.keys()).sort()
  const out: Array<Wire> = []
  let k = 0
  while (names.length > 0) {
    const pick = (interleave[k++ % Math.max(1, interleave.length)] ?? 0) % names.length
    const name = names[pick] as string
    const q = queues.get(name) as Array<Happening>
    out.push((q.shift() as Happening).line)
    if (q.length === 0) names.splice(pick, 1)
  }
  return { plan: lines, happenings: out }
}

/**
 * A plan's whole log: its lines, accrual's credit lines, then external grants. Validated. Without
 * `interleave`, accrual also runs halfway through the happenings, so later corrections, cancellations
 * of nothing and withdrawals make it revoke and re-grant.
 */
export const planLog = (plan: Plan, policy: PolicySet = lawPolicy, interleave?: ReadonlyArray<number>) => {
  const parts = planParts(plan, interleave)
  let lines = [...parts.plan, ...parts.happenings]
  if (interleave === undefined) {
    const cut = parts.plan.length + Math.floor(parts.happenings.length / 2)
    const first = lines.slice(0, cut)
    const mid = Accrual.accrueAll(foldFacts(validate(first), policy.timeZone), policy)
    lines = [...first, ...toWire(Accrual.toEvents(mid)), ...lines.slice(cut)]
  }
  const records = validate(lines)
  const commands = Accrual.accrueAll(foldFacts(records, policy.timeZone), policy)
  const externals = plan.externals.map((e, i) =>
    Accrual.grantExternal(policy, {
      memberId: `M${e.member % plan.members.length}`,
      system: "wangyuan",
      reference: `course-${i}`,
      hours: e.hours as never,
      at: `2025-${pad(e.month)}-20T10:00:00+08:00` as never,
      mode: e.mode,
      category: "theory"
    })
  )
  const all = [...lines, ...toWire(Accrual.toEvents([...commands, ...externals]))]
  return { lines: all, records: validate(all), commands }
}
