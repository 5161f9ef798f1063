// District fold benchmark (issue 3): generates a deterministic (seeded) one-year history of a
// 40,000-member district in memory, runs accrual over it, then folds every event through the four
// projections (member compliance, course mix, class completion, school roll-up) in ONE pass, and
// answers the year-end queries. Prints events, wall time, events/s and peak RSS.
//
// Uses the BUILT package: `pnpm build` first, then `node bench/district-fold.mjs [--members N] [--seed S] [--shared]`.
// With --shared, the four projections share ONE fact store (the roll-up's, which keeps every slice):
// every projection's query reads any fact store that holds the slices it needs.
// Run it with `node --expose-gc` to also see the heap held by the folded states.
import { performance } from "node:perf_hooks"
import { Accrual, ClassCompletion, CourseMixProjection, MemberCompliance, Presets, SchoolRollup } from "@xueshi/core"

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}
const MEMBERS = arg("members", 40_000)
const SHARED = process.argv.includes("--shared")
const SEED = arg("seed", 20250101)

// mulberry32: a small seeded PRNG, so every run generates the same district
let seed = SEED >>> 0
const rand = () => {
  seed = (seed + 0x6d2b79f5) >>> 0
  let t = seed
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
const pick = (xs) => xs[Math.floor(rand() * xs.length)]
const pad = (n) => String(n).padStart(2, "0")

const policy = Presets.composePolicySet({
  id: "bench-district",
  effectiveFrom: "2019-01-01",
  requirements: [Presets.annual32, Presets.secretary56, Presets.cadreAnnual, Presets.candidate24hOr3d],
  courseMix: [Presets.xiqing404020, Presets.fengxianTwoThirds],
  completion: Presets.cadreLeave17
})

// ---------------------------------------------------------------------------
// generation (Tianjin Xiqing's shape: 11 subdistrict/township schools, 271 communities/villages)
// ---------------------------------------------------------------------------
const ev = (type, data) => ({ type, data })
const events = []
const t0 = performance.now()
events.push(ev("SchoolRegistered", { schoolId: "XQ", name: "区委党校", tier: "district" }))
const subs = []
const communities = []
for (let s = 0; s < 11; s++) {
  const id = `XQ-S${s}`
  subs.push(id)
  events.push(
    ev("SchoolRegistered", {
      schoolId: id,
      name: `街道党校${s}`,
      tier: s < 7 ? "subdistrict" : "township",
      parentId: "XQ"
    })
  )
  events.push(ev("QuotaClaimed", { schoolId: id, year: 2025, traineeTimes: 5000, classes: 40 }))
}
for (let c = 0; c < 271; c++) {
  const parent = subs[c % subs.length]
  const id = `${parent}-V${c}`
  communities.push(id)
  events.push(
    ev("SchoolRegistered", {
      schoolId: id,
      name: `社区党校${c}`,
      tier: c % 3 === 0 ? "village" : "community",
      parentId: parent
    })
  )
}
const members = []
const byCommunity = new Map(communities.map((c) => [c, []]))
for (let i = 0; i < MEMBERS; i++) {
  const r = rand()
  const category =
    r < 0.03
      ? "grassrootsSecretary"
      : r < 0.05
        ? "committeeMember"
        : r < 0.08
          ? "organCadre"
          : r < 0.13
            ? "elderlyOrInfirm"
            : r < 0.14
              ? "candidate"
              : r < 0.16
                ? "newMember"
                : r < 0.18
                  ? "mobileMember"
                  : "ordinaryMember"
  const school = communities[i % communities.length]
  const id = `M${i}`
  const joinedOn = category === "newMember" ? `2025-${pad(1 + Math.floor(rand() * 11))}-15` : undefined
  members.push({ id, category, school, joinedOn })
  byCommunity.get(school).push(members[members.length - 1])
  events.push(
    ev("MemberRegistered", {
      memberId: id,
      schoolId: school,
      categories: [category],
      ...(joinedOn ? { joinedOn } : {})
    })
  )
  if (category === "elderlyOrInfirm")
    events.push(ev("ExemptionGranted", { memberId: id, year: 2025, reason: "elderlyOrInfirm" }))
}
const happenings = [] // [ms, event]
const at = (month, day, hh, mm) => `2025-${pad(month)}-${pad(day)}T${pad(hh)}:${pad(mm)}:00+08:00`
const ms = (month, day, hh, mm) => Date.UTC(2025, month - 1, day, hh - 8, mm)
let classNo = 0
const CATS = ["theory", "theory", "practice", "practice", "exemplar"]
const planClass = (schoolId, format, module, enrolled, sessions, months) => {
  const classId = `C${classNo++}`
  events.push(ev("ClassPlanned", { classId, schoolId, title: `班次${classId}`, format, ...(module ? { module } : {}) }))
  const ss = []
  for (let k = 0; k < sessions; k++) {
    const month = months[k % months.length]
    const day = 1 + Math.floor(rand() * 27)
    const hh = pick([9, 14, 19])
    const minutes = pick([90, 90, 120, 180])
    const sessionId = `s${k}`
    const category = CATS[k % CATS.length]
    events.push(
      ev("SessionScheduled", {
        classId,
        sessionId,
        title: `课${k}`,
        category,
        startsAt: at(month, day, hh, 0),
        minutes,
        mode: format === "homeDelivery" ? "homeDelivery" : pick(["inPerson", "inPerson", "inPerson", "liveStream"]),
        ...(rand() < 0.7 ? { tags: ["newThought"] } : {})
      })
    )
    const cancelled = rand() < 0.01
    if (cancelled) events.push(ev("SessionCancelled", { classId, sessionId, reason: "weather" }))
    ss.push({ sessionId, month, day, hh, minutes, cancelled, t: ms(month, day, hh, 0) })
  }
  for (const m of enrolled) events.push(ev("MemberEnrolled", { classId, memberId: m.id, at: at(1, 2, 9, 0) }))
  let last = 0
  for (const s of ss) {
    if (s.t > last) last = s.t
    if (s.cancelled) continue
    for (const m of enrolled) {
      if (m.joinedOn !== undefined && `2025-${pad(s.month)}-${pad(s.day)}` < m.joinedOn) continue
      const r = rand()
      const base = { classId, sessionId: s.sessionId, memberId: m.id }
      if (r < 0.8) {
        const minutes = rand() < 0.9 ? s.minutes : Math.max(1, Math.floor(s.minutes * rand()))
        happenings.push([s.t, ev("AttendanceRecorded", { ...base, minutes })])
        if (rand() < 0.01)
          happenings.push([
            s.t + 86_400_000,
            ev("AttendanceCorrected", { ...base, minutes: Math.floor(s.minutes / 2), reason: "sign-in sheet" })
          ])
      } else if (r < 0.88) {
        happenings.push([s.t, ev("LeaveGranted", { ...base, reason: "sick" })])
      } else if (r < 0.9) {
        const t = s.t + 2 * 86_400_000
        happenings.push([
          t,
          ev("MakeUpCompleted", {
            ...base,
            minutes: s.minutes,
            at: new Date(t).toISOString().replace("Z", "+00:00"),
            mode: "online"
          })
        ])
      }
    }
  }
  const done = last + 5 * 86_400_000
  happenings.push([done, ev("ClassCompleted", { classId, at: new Date(done).toISOString().replace("Z", "+00:00") })])
}
// every community: 6 classes a year of 3 sessions for all its members (rotational training and lectures)
const MODULES = ["ruralRevitalisation", "grassrootsGovernance", "partyAffairs"]
for (const c of communities) {
  const ms_ = byCommunity.get(c)
  for (let k = 0; k < 6; k++)
    planClass(c, k % 3 === 0 ? "rotational" : "concentrated", MODULES[k % 3], ms_, 3, [2 * k + 1, 2 * k + 2])
  const elderly = ms_.filter((m) => m.category === "elderlyOrInfirm")
  if (elderly.length > 0) planClass(c, "homeDelivery", undefined, elderly, 4, [3, 6, 9, 11])
}
// every subdistrict: secretaries' and cadres' classes (8 sessions), candidates' class (4 sessions)
for (const s of subs) {
  const local = members.filter((m) => m.school.startsWith(`${s}-`))
  planClass(
    s,
    "concentrated",
    "partyAffairs",
    local.filter((m) => m.category === "grassrootsSecretary" || m.category === "committeeMember"),
    8,
    [3, 4, 5, 9, 10, 11]
  )
  planClass(
    s,
    "concentrated",
    "grassrootsGovernance",
    local.filter((m) => m.category === "organCadre"),
    8,
    [4, 6, 8, 10]
  )
  planClass(
    s,
    "concentrated",
    undefined,
    local.filter((m) => m.category === "candidate"),
    4,
    [5, 6]
  )
}
// transfers: 1% of members move to another community on a date in the year
for (let i = 0; i < MEMBERS; i += 100) {
  const m = members[i]
  const month = 2 + Math.floor(rand() * 10)
  const to = communities[(communities.indexOf(m.school) + 1) % communities.length]
  happenings.push([
    ms(month, 1, 0, 0),
    ev("MemberTransferred", { memberId: m.id, schoolId: to, effectiveOn: `2025-${pad(month)}-01` })
  ])
}
happenings.sort((a, b) => a[0] - b[0])
for (const [, e] of happenings) events.push(e)
const generated = performance.now()

// ---------------------------------------------------------------------------
// accrual: the credit commands of the whole year (what the credit reactor would append)
// ---------------------------------------------------------------------------
const commands = Accrual.accrue(events, policy)
for (const e of Accrual.toEvents(commands)) events.push(e)
const accrued = performance.now()

// ---------------------------------------------------------------------------
// the fold: every event through all four projections, in one pass
// ---------------------------------------------------------------------------
globalThis.gc?.()
const heapBeforeFold = process.memoryUsage().heapUsed
const projections = [
  MemberCompliance.make(policy),
  CourseMixProjection.make(policy),
  ClassCompletion.make(policy),
  SchoolRollup.make(policy)
]
const states = projections.map((p) => p.initial)
const f0 = performance.now()
if (SHARED) {
  let state = states[3]
  for (let i = 0; i < events.length; i++) state = projections[3].apply(state, events[i])
  states.fill(state)
} else {
  for (let i = 0; i < events.length; i++) {
    const e = events[i]
    for (let j = 0; j < projections.length; j++) states[j] = projections[j].apply(states[j], e)
  }
}
const f1 = performance.now()
globalThis.gc?.()
const heapAfterFold = process.memoryUsage().heapUsed

// ---------------------------------------------------------------------------
// year-end queries
// ---------------------------------------------------------------------------
const asOf = "2025-12-31"
const q0 = performance.now()
const rollup = projections[3].query(states[3], { asOf, year: 2025 })
const q1 = performance.now()
const status = {}
for (const m of members) {
  for (const a of projections[0].query(states[0], { asOf, memberId: m.id, requirementId: "annual-32" })) {
    status[a.status] = (status[a.status] ?? 0) + 1
  }
}
const q2 = performance.now()
let mixPass = 0
let mixFail = 0
for (let k = 0; k < classNo; k++) {
  for (const v of projections[1].query(states[1], { asOf, target: { kind: "class", classId: `C${k}` } }).verdicts) {
    if (v.status === "pass") mixPass++
    else if (v.status === "fail") mixFail++
  }
}
const completion = { pass: 0, fail: 0, withdrawn: 0, inProgress: 0 }
for (let k = 0; k < classNo; k++) {
  const r = projections[2].query(states[2], { asOf, classId: `C${k}` })
  for (const key of Object.keys(completion)) completion[key] += r.counts[key]
}
const q3 = performance.now()

const district = rollup.roots[0]
const count = (type) => events.filter((e) => e.type === type).length
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`
const s = (a, b) => `${((b - a) / 1000).toFixed(2)} s`
console.log(`xueshi district fold (seed ${SEED}, node ${process.version})`)
console.log(`members ${MEMBERS}, schools ${1 + subs.length + communities.length}, classes ${classNo}`)
console.log(
  `events ${events.length} (attendance ${count("AttendanceRecorded")}, credit grants ${count("CreditGranted")}, revocations ${count("CreditRevoked")})`
)
console.log(`generate ${s(t0, generated)}, accrual ${s(generated, accrued)} (${commands.length} commands)`)
console.log(
  `fold (4 projections, one pass${SHARED ? ", one shared fact store" : ", a state each"}): ${s(f0, f1)}, ${Math.round(events.length / ((f1 - f0) / 1000)).toLocaleString("en")} events/s`
)
console.log(
  `queries: roll-up ${s(q0, q1)}, compliance of every member ${s(q1, q2)}, mix + completion of every class ${s(q2, q3)}`
)
console.log(
  `heap: the events in memory ${globalThis.gc ? mb(heapBeforeFold) : "?"}, the projection states ${globalThis.gc ? mb(heapAfterFold - heapBeforeFold) : "? (run with --expose-gc)"}; peak RSS ${mb(process.resourceUsage().maxRSS * 1024)}`
)
console.log(
  `district 2025: members ${district.total.members}, applicable ${district.total.applicable}, met ${district.total.met}, exempt ${district.total.exempt}, ` +
    `compliance ${district.rates.complianceRateText ?? "-"}, hours ${(district.total.hoursGranted / 100).toFixed(2)}, trainee-times ${district.total.traineeTimes} ` +
    `(claimed ${district.total.claimedTraineeTimes}), classes ${district.total.classesHeld}, sessions ${district.total.sessionsHeld}`
)
console.log(
  `annual-32 statuses ${JSON.stringify(status)}; mix verdicts pass ${mixPass} fail ${mixFail}; completion ${JSON.stringify(completion)}`
)
