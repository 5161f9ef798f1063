// Policy staff: model a local rule as a policy file (examples/policies/local-40h.json) and see its
// effect on a district before it is adopted: who changes status, and how each school's rate moves.
//   node examples/custom-policy.mjs [policy.json] [--members N]
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { EventCodec, PolicySet, Presets, Rational, WhatIf } from "@xueshi/core"
import { District } from "@xueshi/testing"
import { Effect } from "effect"

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { members: { type: "string", default: "5000" } }
})
const file = positionals[0] ?? join(import.meta.dirname, "policies", "local-40h.json")
// a bad file is refused with the path of the field and what is wrong
const local = PolicySet.parsePolicySet(readFileSync(file, "utf8"))
if (local._tag === "Failure") {
  console.error(`${file}: ${local.failure.path}: ${local.failure.message}`)
  process.exit(1)
}

const lines = Array.from(District.generateDistrict({ members: Number(values.members) }), (r) =>
  EventCodec.EventLogCodec.encodeLine(r)
)
const report = await Effect.runPromise(WhatIf.fromLog(lines, Presets.xiqingDistrict, local.success, { year: 2025 }))
console.log(`${report.a} → ${report.b}, ${report.year} as of ${report.asOf}; compared: ${report.requirements.compared}`)
for (const [requirement, moves] of Object.entries(report.transitions)) console.log(`  ${requirement}:`, moves)
console.log("schools whose rate moves most (percentage points):")
const moved = report.schools
  .filter((s) => s.change !== undefined)
  .sort((x, y) => x.change.num / x.change.den - y.change.num / y.change.den)
for (const s of moved.slice(0, 8)) console.log(`  ${s.name}: ${s.a.rate} → ${s.b.rate} (${s.changeText})`)
