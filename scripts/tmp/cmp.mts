import { Effect } from "effect"
import { Accrual, DistrictReport, EventCodec, Ledger, LogValidator, Presets, SchoolRollup, MemberCompliance, CourseMixProjection, ClassCompletion } from "../../packages/core/src/index.js"
import { DistrictGenerator } from "../../packages/testing/src/index.js"
const members = Number(process.argv[2] ?? 3000)
const policy = Presets.composePolicySet({ id: "xiqing-district", title: "x", effectiveFrom: "2019-05-06", credit: Presets.standard45, requirements: [Presets.annual32, Presets.secretary56, Presets.cadreAnnual, Presets.candidate24hOr3d], courseMix: [Presets.xiqing404020] })
const lines: string[] = []
for (const r of DistrictGenerator.generateDistrict({ seed: 2025, year: 2025, members })) lines.push(EventCodec.EventLogCodec.encodeLine(r))
let t = performance.now()
const ledger = await Effect.runPromise(Ledger.fromLog(lines, policy))
console.log("ledger built", ((performance.now()-t)/1000).toFixed(2), ledger.stats)
t = performance.now()
const report = DistrictReport.build(ledger, { year: 2025 })
console.log("report", ((performance.now()-t)/1000).toFixed(2), DistrictReport.toJson(report).length)
// legacy
const rollupP = SchoolRollup.make(policy)
let facts = rollupP.initial
const v = LogValidator.makeLogValidator()
for (const l of lines) { const o = v.push(l); if (o._tag === "Record") facts = rollupP.apply(facts, o.record) }
for (const e of Accrual.toEvents(Accrual.accrueAll(facts, policy))) facts = rollupP.apply(facts, e)
const asOf = "2025-12-31" as any
const legacy = rollupP.query(facts, { asOf, year: 2025, requirementId: "annual-32" })
console.log(JSON.stringify(legacy.roots[0].total) === JSON.stringify(ledger.rollup({year:2025}).roots[0].total), legacy.roots[0].total, report.headline)
const comp = MemberCompliance.make(policy); const st: any = {}
for (const id of [...facts.members.keys()].sort()) for (const a of comp.query(facts, { asOf, memberId: id })) { st[a.requirementId] ??= {met:0,onTrack:0,behind:0,notMet:0,exempt:0,notApplicable:0}; st[a.requirementId][a.status]++ }
console.log(JSON.stringify(st) === JSON.stringify(Object.fromEntries(report.requirements.map(r => [r.requirementId, r.counts]))), st)
console.log(report.courseMix, report.completion, report.modules.map(m => [m.module, m.delivered.theory.percent, m.verdicts[0]?.status]))
console.log(report.quotas.slice(0,3), report.shortfalls.length, report.schools.length, report.requirements[0].distribution.slice(0,10))
