import { Effect } from "effect"
import { DistrictReport, EventCodec, Ledger, Presets } from "../../packages/core/src/index.js"
import { DistrictGenerator } from "../../packages/testing/src/index.js"
const members = Number(process.argv[2] ?? 3000)
const policy = Presets.composePolicySet({ id: "xiqing-district", title: "x", effectiveFrom: "2019-05-06", credit: Presets.standard45, requirements: [Presets.annual32, Presets.secretary56, Presets.cadreAnnual, Presets.candidate24hOr3d], courseMix: [Presets.xiqing404020] })
const lines: string[] = []
for (const r of DistrictGenerator.generateDistrict({ seed: 2025, year: 2025, members })) lines.push(EventCodec.EventLogCodec.encodeLine(r))
let t = performance.now()
const ledger = await Effect.runPromise(Ledger.fromLog(lines, policy))
console.log("ledger built", ((performance.now()-t)/1000).toFixed(2))
const time = (l: string, f: () => unknown) => { const t = performance.now(); f(); console.log(l, ((performance.now()-t)/1000).toFixed(2)) }
time("rollup", () => ledger.rollup({ year: 2025 }))
time("mix classes", () => { for (const c of ledger.classIds()) ledger.courseMix({ kind: "class", classId: c }, { asOf: "2025-12-31" as any }) })
time("mix modules", () => { for (const m of ledger.modules()) ledger.courseMix({ kind: "module", module: m, year: 2025 }, { asOf: "2025-12-31" as any }) })
time("completion", () => { for (const c of ledger.classIds()) ledger.completion(c, { asOf: "2025-12-31" as any }) })
time("quotas", () => ledger.quotas({ year: 2025 }))
time("compliance all", () => { for (const m of ledger.memberIds()) ledger.compliance(m, { year: 2025 }) })
time("report", () => DistrictReport.build(ledger, { year: 2025 }))
