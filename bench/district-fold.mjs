// District fold benchmark (issue 3): generates a deterministic (seeded) one-year history of a
// 40,000-member district in memory (District.generateDistrict of @xueshi/testing), runs accrual over it, then folds every event through the four
// projections (member compliance, course mix, class completion, school roll-up) in ONE pass, and
// answers the year-end queries. Prints events, wall time, events/s and peak RSS.
//
// Uses the BUILT package: `pnpm build` first, then `node bench/district-fold.mjs [--members N] [--seed S] [--shared]`.
// With --shared, the four projections share ONE fact store (the roll-up's, which keeps every slice):
// every projection's query reads any fact store (they all keep the whole one).
// Run it with `node --expose-gc` to also see the heap held by the folded states.
import { performance } from "node:perf_hooks"
import { Accrual, ClassCompletion, CourseMixProjection, MemberCompliance, Presets, SchoolRollup } from "@xueshi/core"
import { District } from "@xueshi/testing"

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`)
  return i >= 0 ? Number(process.argv[i + 1]) : fallback
}
const MEMBERS = arg("members", 40_000)
const SHARED = process.argv.includes("--shared")
const SEED = arg("seed", 2025)

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
const t0 = performance.now()
// the district of @xueshi/testing's District.generateDistrict (the demo's too)
const events = [...District.generateDistrict({ seed: SEED, members: MEMBERS, year: 2025 })]
const members = events.filter((e) => e.type === "MemberRegistered").map((e) => ({ id: e.data.memberId }))
const classIds = events.filter((e) => e.type === "ClassPlanned").map((e) => e.data.classId)
const schools = events.filter((e) => e.type === "SchoolRegistered").length
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
for (const classId of classIds) {
  for (const v of projections[1].query(states[1], { asOf, target: { kind: "class", classId } }).verdicts) {
    if (v.status === "pass") mixPass++
    else if (v.status === "fail") mixFail++
  }
}
const completion = { pass: 0, fail: 0, withdrawn: 0, inProgress: 0 }
for (const classId of classIds) {
  const r = projections[2].query(states[2], { asOf, classId })
  for (const key of Object.keys(completion)) completion[key] += r.counts[key]
}
const q3 = performance.now()

const district = rollup.roots[0]
const count = (type) => events.filter((e) => e.type === type).length
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`
const s = (a, b) => `${((b - a) / 1000).toFixed(2)} s`
console.log(`xueshi district fold (seed ${SEED}, node ${process.version})`)
console.log(`members ${MEMBERS}, schools ${schools}, classes ${classIds.length}`)
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
