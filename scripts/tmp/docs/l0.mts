import { Ledger, Presets } from "@xueshi/core"
import { DistrictGenerator } from "@xueshi/testing"

const ledger = Ledger.fromRecords(DistrictGenerator.generateDistrict({ members: 300, communities: 6 }), Presets.xiqingDistrict)
const member = ledger.memberIds()[0] as string
const [annual] = ledger.compliance(member, { year: 2025, requirementId: "annual-32" })
console.log(member, annual?.status, annual?.explanation.counted.length, "grants counted")
for (const node of ledger.rollup({ year: 2025 }).roots) console.log(node.name, node.rates.complianceRateText)
console.log(ledger.quotas({ year: 2025 }).slice(0, 3))
