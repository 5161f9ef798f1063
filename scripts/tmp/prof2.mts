import { Effect } from "effect"
import { DistrictReport, EventCodec, Ledger, Presets, LogValidator } from "../../packages/core/src/index.js"
import { DistrictGenerator } from "../../packages/testing/src/index.js"
const members = Number(process.argv[2] ?? 10000)
const lines: string[] = []
for (const r of DistrictGenerator.generateDistrict({ seed: 2025, year: 2025, members })) lines.push(EventCodec.EventLogCodec.encodeLine(r))
const t0 = performance.now()
const v = LogValidator.makeLogValidator(); const recs: any[] = []
for (const l of lines) { const o = v.push(l); if (o._tag === "Record") recs.push(o.record) }
const t1 = performance.now()
const fold = Ledger.makeFold(Presets.xiqingDistrict)
for (const r of recs) fold.push(r)
const t2 = performance.now()
const ledger = fold.finish()
const t3 = performance.now()
DistrictReport.build(ledger, { year: 2025 })
const t4 = performance.now()
console.log({ validate: (t1-t0)|0, fold: (t2-t1)|0, accrue: (t3-t2)|0, report: (t4-t3)|0, lines: lines.length })
