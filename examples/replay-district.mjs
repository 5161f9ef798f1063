// The main job: replay a district's year into reports.
//
//   node examples/replay-district.mjs [log.jsonl] [--members N] [--seed S] [--as-of YYYY-MM-DD] [--out DIR]
//
// Without a log it first writes a realistic one: a Tianjin-Xiqing-like district (one district
// school, 11 subdistrict/township schools, 271 community/village schools, 38,000 members) for
// 2025, generated deterministically by @xueshi/testing's DistrictGenerator.
//
// Then, in one streaming pass over the log, it validates every line (line number, field path and
// rule on the first error) and folds it into the projections' facts; runs credit accrual under
// the policy (standard-45: 45 attended minutes = 1 hour, rounded down to 0.25 per grant) and
// writes the CreditGranted lines it adds to <out>/<log>.credit.jsonl (the log followed by that
// file is itself a valid log); and prints the year-end reports: the school roll-up, compliance
// by requirement, the 40/40/20 course mix by module, class completion and one member's
// explanation. The report is also written as JSON with its SHA-256: the same log gives the same
// digest on every machine, in every time zone.
//
// Uses the built packages: run `pnpm build` first (`pnpm demo` does).
import { createHash } from "node:crypto"
import { once } from "node:events"
import { createReadStream, createWriteStream, mkdirSync, writeFileSync } from "node:fs"
import { basename, join, resolve } from "node:path"
import { createInterface } from "node:readline"
import {
  Accrual,
  ClassCompletion,
  CourseMixProjection,
  EventCodec,
  Explanation,
  Hours,
  LogValidator,
  MemberCompliance,
  Presets,
  SchoolRollup
} from "@xueshi/core"
import { DistrictGenerator } from "@xueshi/testing"

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  if (i < 0) return fallback
  const value = args[i + 1]
  args.splice(i, 2)
  return value
}
const members = Number(option("members", "38000"))
const seed = Number(option("seed", "2025"))
const asOf = option("as-of", "2025-12-31")
const out = resolve(option("out", join(import.meta.dirname, "out")))
const year = Number(asOf.slice(0, 4))
mkdirSync(out, { recursive: true })

const codec = EventCodec.EventLogCodec
const seconds = (t) => `${((performance.now() - t) / 1000).toFixed(1)} s`
const hours = (h) => Hours.format(h)

// -- 1. the log ------------------------------------------------------------------------------
let logPath = args[0]
if (logPath === undefined) {
  logPath = join(out, `district-${year}-${members}.jsonl`)
  const t = performance.now()
  const file = createWriteStream(logPath)
  let n = 0
  let chunk = ""
  for (const record of DistrictGenerator.generateDistrict({ seed, year, members })) {
    chunk += `${codec.encodeLine(record)}\n`
    n++
    if (chunk.length > 1 << 20) {
      if (!file.write(chunk)) await once(file, "drain")
      chunk = ""
    }
  }
  file.end(chunk)
  await once(file, "finish")
  console.log(`generated ${logPath}: ${n.toLocaleString("en")} events (seed ${seed}) in ${seconds(t)}`)
}

// -- 2. one pass: validate and fold -----------------------------------------------------------
const policy = Presets.composePolicySet({
  id: "xiqing-district",
  title: "Xiqing district: national rules and the 40/40/20 course mix",
  effectiveFrom: "2019-05-06",
  credit: Presets.standard45,
  requirements: [Presets.annual32, Presets.secretary56, Presets.cadreAnnual, Presets.candidate24hOr3d],
  courseMix: [Presets.xiqing404020]
})
const projections = {
  rollup: SchoolRollup.make(policy),
  compliance: MemberCompliance.make(policy),
  mix: CourseMixProjection.make(policy),
  completion: ClassCompletion.make(policy)
}
// The roll-up keeps every slice of the facts, and the other projections read the same fact
// store, so one state serves all four queries.
let facts = projections.rollup.initial
const validator = LogValidator.makeLogValidator()
const byType = new Map()
const t1 = performance.now()
const lines = createInterface({ input: createReadStream(logPath, { encoding: "utf8" }), crlfDelay: Infinity })
for await (const line of lines) {
  const outcome = validator.push(line)
  if (outcome._tag === "Error") {
    console.error(`${logPath}: rejected, nothing replayed.\n  ${LogValidator.describeLogError(outcome.error)}`)
    process.exit(1)
  }
  if (outcome._tag === "Record") {
    facts = projections.rollup.apply(facts, outcome.record)
    byType.set(outcome.record.type, (byType.get(outcome.record.type) ?? 0) + 1)
  }
}
console.log(
  `validated and folded ${validator.accepted().toLocaleString("en")} events (${validator.lines().toLocaleString("en")} lines, ${validator.streams.size.toLocaleString("en")} streams) in ${seconds(t1)}`
)

// -- 3. credit determination -----------------------------------------------------------------
const t2 = performance.now()
const commands = Accrual.accrueAll(facts, policy)
const creditPath = join(out, `${basename(logPath, ".jsonl")}.credit.jsonl`)
const creditFile = createWriteStream(creditPath)
let granted = 0
let revoked = 0
let grantedHours = 0
for (const event of Accrual.toEvents(commands)) {
  const record = { stream: `credit-${event.data.memberId}`, ...event, schemaVersion: 1 }
  const outcome = validator.push(codec.encodeLine(record))
  if (outcome._tag === "Error")
    throw new Error(`accrual produced an invalid event: ${LogValidator.describeLogError(outcome.error)}`)
  facts = projections.rollup.apply(facts, event)
  if (!creditFile.write(`${codec.encodeLine(outcome.record)}\n`)) await once(creditFile, "drain")
  if (event.type === "CreditGranted") {
    granted++
    grantedHours += event.data.hours
  } else revoked++
}
creditFile.end()
await once(creditFile, "finish")
console.log(
  `accrual under ${policy.credit.id}: ${granted.toLocaleString("en")} grants (${hours(grantedHours)} hours), ${revoked} revocations in ${seconds(t2)} -> ${creditPath}`
)

// -- 4. reports --------------------------------------------------------------------------------
const t3 = performance.now()
const report = {
  log: basename(logPath),
  policy: `${policy.id}@${policy.version}`,
  asOf,
  year,
  events: Object.fromEntries([...byType].sort())
}

const rollup = projections.rollup.query(facts, { asOf, year, requirementId: "annual-32" })
const row = (n, depth) => ({
  school: `${"  ".repeat(depth)}${n.name} (${n.schoolId})`,
  tier: n.tier,
  members: n.total.members,
  applicable: n.total.applicable,
  met: n.total.met,
  exempt: n.total.exempt,
  compliance: n.rates.complianceRateText ?? "-",
  hours: hours(n.total.hoursGranted),
  traineeTimes: n.total.traineeTimes,
  claimed: n.total.claimedTraineeTimes,
  delivery: n.rates.deliveryRateText ?? "-",
  classes: n.total.classesHeld,
  sessions: n.total.sessionsHeld
})
const rollupRows = []
for (const root of rollup.roots) {
  rollupRows.push(row(root, 0))
  for (const child of root.children) if (child.tier !== "teachingPoint") rollupRows.push(row(child, 1))
}
report.rollup = rollupRows
console.log(
  `\nSchool roll-up ${year} as of ${asOf} (requirement annual-32; members counted at their school on ${asOf})`
)
console.table(rollupRows)

const memberIds = [...facts.members.keys()].sort()
const statuses = {}
let example
for (const id of memberIds) {
  for (const answer of projections.compliance.query(facts, { asOf, memberId: id })) {
    if (statuses[answer.requirementId] === undefined) {
      statuses[answer.requirementId] = { met: 0, onTrack: 0, behind: 0, notMet: 0, exempt: 0, notApplicable: 0 }
    }
    const s = statuses[answer.requirementId]
    s[answer.status]++
    if (
      example === undefined &&
      answer.requirementId === "annual-32" &&
      answer.status === "notMet" &&
      answer.explanation.excluded.length + answer.explanation.counted.length > 2
    ) {
      example = answer
    }
  }
}
report.compliance = statuses
console.log(`\nCompliance by requirement as of ${asOf} (${memberIds.length.toLocaleString("en")} members)`)
console.table(statuses)

const modules = [...new Set([...facts.classes.values()].map((c) => c.module).filter((m) => m !== undefined))].sort()
const mixRows = {}
for (const module of modules) {
  const r = projections.mix.query(facts, { asOf, target: { kind: "module", module, year } })
  const c = r.delivered.byCategory
  const v = r.verdicts[0]
  mixRows[module] = {
    classes: r.classes.length,
    minutes: r.delivered.minutes,
    theory: c.theory.minutesPercent ?? "-",
    practice: c.practice.minutesPercent ?? "-",
    exemplar: c.exemplar.minutesPercent ?? "-",
    verdict: v === undefined ? "-" : `${v.ruleId}: ${v.status}`
  }
}
let classPass = 0
let classFail = 0
const completion = { pass: 0, fail: 0, withdrawn: 0, inProgress: 0 }
for (const classId of [...facts.classes.keys()].sort()) {
  for (const v of projections.mix.query(facts, { asOf, target: { kind: "class", classId } }).verdicts) {
    if (v.status === "pass") classPass++
    else if (v.status === "fail") classFail++
  }
  const r = projections.completion.query(facts, { asOf, classId })
  for (const k of Object.keys(completion)) completion[k] += r.counts[k]
}
report.courseMix = { modules: mixRows, classes: { pass: classPass, fail: classFail } }
report.completion = completion
console.log(`\nCourse mix by module, delivered minutes (${policy.courseMix.map((r) => r.id).join(", ")})`)
console.table(mixRows)
console.log(`classes under the mix rule: ${classPass} pass, ${classFail} fail`)
console.log(`class completion (members): ${JSON.stringify(completion)}`)

if (example !== undefined) {
  report.example = {
    memberId: example.memberId,
    status: example.status,
    earned: hours(example.earned.hours),
    shortfall: hours(example.shortfallHours)
  }
  console.log(
    `\nWhy ${example.memberId} has not met annual-32 (earned ${hours(example.earned.hours)}, short ${hours(example.shortfallHours)}):`
  )
  for (const line of Explanation.render(example.explanation).slice(0, 12)) console.log(`  ${line}`)
}

const text = JSON.stringify(report)
const digest = createHash("sha256").update(text).digest("hex")
const reportPath = join(out, `${basename(logPath, ".jsonl")}.report.json`)
writeFileSync(reportPath, `${JSON.stringify({ ...report, sha256: digest }, null, 2)}\n`)
console.log(`\nreports in ${seconds(t3)}; written to ${reportPath}`)
console.log(`report sha256 ${digest}`)
