// The main job on the ledger facade: node examples/replay-district.mjs [log.jsonl] [--members N] [--seed S]
// [--as-of YYYY-MM-DD] [--out DIR]. Without a log it writes a seeded Xiqing-like district first (to a temporary
// file, or --out); the report JSON goes to --out when given, and its SHA-256 is printed either way.
import { createHash } from "node:crypto"
import { createReadStream, createWriteStream, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { Readable } from "node:stream"
import { pipeline } from "node:stream/promises"
import { parseArgs } from "node:util"
import { Client, DistrictReport, EventCodec, Input, Presets } from "@xueshi/core"
import { District } from "@xueshi/testing"

const flags = { members: { type: "string", default: "38000" }, seed: { type: "string", default: "2025" } }
const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { ...flags, "as-of": { type: "string", default: "2025-12-31" }, out: { type: "string" } }
})
const date = Input.localDate(values["as-of"], "--as-of")
if (date._tag === "Failure") throw new Error(date.failure.message)
const asOf = date.success
const year = Number(asOf.slice(0, 4))
const dir = values.out ?? mkdtempSync(join(tmpdir(), "xueshi-"))
mkdirSync(dir, { recursive: true })
let log = positionals[0]
if (log === undefined) {
  log = join(dir, `district-${year}-${values.members}.jsonl`)
  const records = District.generateDistrict({
    seed: Number(values.seed),
    year,
    members: Number(values.members)
  })
  await pipeline(
    Readable.from(records).map((r) => `${EventCodec.EventLogCodec.encodeLine(r)}\n`),
    createWriteStream(log)
  )
}

const policy = Presets.xiqingDistrict
try {
  const lines = createInterface({ input: createReadStream(log), crlfDelay: Number.POSITIVE_INFINITY })
  const report = DistrictReport.build(await Client.loadLedger(lines, policy), { year, asOf })
  const { figures: f, complianceRate } = report.headline
  console.log(`${log}: ${report.log.events} events, ${report.log.derived.granted} grants derived (${policy.credit.id})`)
  console.log(
    `${year} as of ${asOf}: ${f.members} members, ${f.met} met ${report.requirementId} (${complianceRate?.percent})`
  )
  console.table(Object.fromEntries(report.requirements.map((r) => [r.requirementId, r.counts])))
  for (const m of report.modules) console.log(`  ${m.module}: ${m.verdicts.map((v) => `${v.ruleId} ${v.status}`)}`)
  console.log(`classes under the mix rule: ${report.courseMix.pass} pass, ${report.courseMix.fail} fail`)
  const json = DistrictReport.toJson(report)
  if (values.out !== undefined) writeFileSync(join(dir, `district-${year}.report.json`), `${json}\n`)
  console.log(`report sha256 ${createHash("sha256").update(json).digest("hex")}`)
} catch (e) {
  console.error(`${log}: rejected, nothing replayed.\n  line ${e.line}: ${e.path} [${e.rule}] ${e.message}`)
  process.exitCode = 1
} finally {
  if (values.out === undefined) rmSync(dir, { recursive: true, force: true })
}
