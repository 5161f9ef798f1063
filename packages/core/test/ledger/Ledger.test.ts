// The ledger against the low-level path it replaces (the same figures, query by query), the
// traps it closes, and the laws of its district report.
import { Effect, Schema, Stream } from "effect"
import { describe, expect, it } from "vitest"
import { generateDistrict } from "../../../testing/src/District.js"
import {
  Accrual,
  type Calendar,
  ClassCompletion,
  CourseMixProjection,
  DistrictReport,
  EventCodec,
  type Events,
  Ledger,
  LogValidator,
  MemberCompliance,
  Presets,
  SchoolRollup
} from "../../src/index.js"

const policy = Presets.composePolicySet({
  id: "ledger-test",
  title: "national rules and the 40/40/20 course mix",
  effectiveFrom: "2019-05-06",
  credit: Presets.standard45,
  requirements: [Presets.annual32, Presets.secretary56, Presets.cadreAnnual, Presets.candidate24hOr3d],
  courseMix: [Presets.xiqing404020]
})
const records = [...generateDistrict({ seed: 11, members: 700, subdistricts: 3, communities: 14 })]
const lines = records.map((r) => EventCodec.EventLogCodec.encodeLine(r))
const text = `${lines.join("\n")}\n`
const asOf = "2025-12-31" as Calendar.LocalDate
const year = 2025

const ledger = Ledger.fromRecords(records, policy)

/** The low-level path: validate, fold one projection's state, accrue, apply (what the old demo wired by hand). */
const lowLevel = () => {
  const rollup = SchoolRollup.make(policy)
  let facts = rollup.initial
  const v = LogValidator.makeLogValidator()
  for (const line of lines) {
    const o = v.push(line)
    if (o._tag === "Record") facts = rollup.apply(facts, o.record)
  }
  for (const e of Accrual.toEvents(Accrual.accrueAll(facts, policy))) facts = rollup.apply(facts, e)
  return facts
}

describe("the ledger", () => {
  it("answers every query like the low-level path (roll-up, compliance, course mix, completion)", () => {
    const facts = lowLevel()
    expect(ledger.rollup({ year, asOf })).toEqual(SchoolRollup.make(policy).query(facts, { asOf, year }))
    const compliance = MemberCompliance.make(policy)
    const members = ledger.memberIds()
    expect(members.length).toBeGreaterThan(600)
    for (const id of members) {
      expect(ledger.compliance(id, { year, asOf })).toEqual(compliance.query(facts, { asOf, memberId: id, year }))
    }
    const mix = CourseMixProjection.make(policy)
    for (const module of ledger.modules()) {
      const target = { kind: "module", module, year } as const
      expect(ledger.courseMix(target, { asOf })).toEqual(mix.query(facts, { asOf, target }))
    }
    const completion = ClassCompletion.make(policy)
    for (const classId of ledger.classIds()) {
      expect(ledger.completion(classId, { asOf })).toEqual(completion.query(facts, { asOf, classId }))
    }
    // and the credit it derived is the accrual's
    expect(ledger.stats.derived.granted).toBe(Accrual.accrue(records, policy).length)
    expect(ledger.stats.derived.granted).toBeGreaterThan(1000)
  })

  it("lists the members of a school and of its subtree as the roll-up counts them", () => {
    const [root] = ledger.rollup({ year, asOf }).roots
    if (root === undefined) throw new Error("no root school")
    const all = ledger.members(root.schoolId, { year, asOf, subtree: true })
    expect(all.length).toBe(root.total.members)
    expect(all.filter((m) => m.answer.status === "met").length).toBe(root.total.met)
    const child = root.children[0]
    if (child === undefined) throw new Error("no child school")
    expect(ledger.members(child.schoolId, { year, asOf }).length).toBe(child.own.members)
  })

  it("trap closed: a state folded by any projection feeds accrual (there are no partial fact slices)", () => {
    const grantsFrom = (p: { initial: unknown; apply: (s: never, r: Events.DomainEvent) => unknown }) => {
      let s = p.initial
      for (const r of records) s = p.apply(s as never, r)
      return Accrual.accrueAll(s as never, policy).length
    }
    const expected = grantsFrom(SchoolRollup.make(policy) as never)
    expect(expected).toBeGreaterThan(1000)
    expect(grantsFrom(MemberCompliance.make(policy) as never)).toBe(expected)
    expect(grantsFrom(CourseMixProjection.make(policy) as never)).toBe(expected)
    expect(grantsFrom(ClassCompletion.make(policy) as never)).toBe(expected)
  })

  it("sets aside session grants recorded under another policy, counts external credit", () => {
    const other = Presets.composePolicySet({
      id: "other",
      effectiveFrom: "2019-01-01",
      requirements: [Presets.annual32]
    })
    const foreign = Accrual.toEvents(Accrual.accrue(records, other))
    expect(foreign.length).toBeGreaterThan(1000)
    const mixed = Ledger.fromRecords([...records, ...foreign], policy)
    expect(mixed.stats.setAside).toBe(foreign.length)
    for (const id of ledger.memberIds().slice(0, 200)) {
      expect(mixed.compliance(id, { year, asOf })).toEqual(ledger.compliance(id, { year, asOf }))
    }
    // external grants (the generator's online platform) count: some member's hours include them
    const external = records.filter(
      (r) => r.type === "CreditGranted" && r.data.source.kind === "external"
    ) as ReadonlyArray<Events.EventOf<"CreditGranted">>
    expect(external.length).toBeGreaterThan(0)
    const m = external[0]?.data.memberId as string
    const withExternal = ledger.hours(m, { year: external[0]?.data.year as number })
    const withoutExternal = Ledger.fromRecords(
      records.filter((r) => !(r.type === "CreditGranted" && r.data.source.kind === "external")),
      policy
    ).hours(m, { year: external[0]?.data.year as number })
    expect(withExternal.total).toBeGreaterThan(withoutExternal.total)
  })

  it("is built alike from text, lines, async lines and a Stream; a bad line fails with its line and rule", async () => {
    const reportOf = (l: Ledger.Ledger) => DistrictReport.toJson(DistrictReport.build(l, { year }))
    const expected = reportOf(ledger)
    async function* asyncLines() {
      for (const l of lines) yield l
    }
    for (const source of [text, lines, asyncLines(), Stream.fromIterable(lines)] as const) {
      expect(reportOf(await Effect.runPromise(Ledger.fromLog(source, policy)))).toBe(expected)
    }
    const broken = [...lines]
    const at = broken.findIndex((l, i) => i > 100 && l.includes('"type":"AttendanceRecorded"'))
    broken[at] = broken[at]?.replace(/"minutes":\d+/, '"minutes":100000') as string
    const error = await Effect.runPromise(Effect.flip(Ledger.fromLog(broken, policy)))
    expect(error._tag === "LogError" && [error.line, error.path, error.rule]).toEqual([
      at + 1,
      "data.minutes",
      "event.schema"
    ])
  })
})

describe("the district report", () => {
  const report = DistrictReport.build(ledger, { year, asOf })

  it("is a value of its schema, and its JSON decodes back to the same value", () => {
    const decoded = Schema.decodeUnknownSync(DistrictReport.DistrictReport)(JSON.parse(DistrictReport.toJson(report)))
    expect(decoded).toEqual(report)
  })

  it("adds up: headline = Σ roots, compliance counts = members × requirements, schools in tree order", () => {
    const rollup = ledger.rollup({ year, asOf })
    expect(report.headline.figures.members).toBe(rollup.roots.reduce((n, r) => n + r.total.members, 0))
    for (const r of report.requirements) {
      const total = Object.values(r.counts).reduce((a, b) => a + b, 0)
      expect(total).toBe(ledger.memberIds().length)
      const applicable = total - r.counts.notApplicable
      expect(r.distribution.reduce((n, b) => n + b.members, 0)).toBe(applicable)
    }
    const seen = new Set<string>()
    for (const s of report.schools) {
      if (s.parentId !== null) expect(seen.has(s.parentId)).toBe(true)
      seen.add(s.schoolId)
    }
    const primary = report.requirementId as string
    for (const s of report.schools) {
      const c = s.byRequirement[primary]
      expect(c?.met).toBe(s.total.met)
      expect(c?.notMet).toBe(s.total.notMet)
    }
    expect(report.shortfalls.length).toBe(
      report.requirements.reduce((n, r) => n + r.counts.notMet + r.counts.behind, 0)
    )
  })

  it("does not depend on how streams interleave: schools, members, classes, credit one after another", () => {
    // a stable sort by category keeps each stream's order and every reference after what it names
    const rank = { school: 0, member: 1, class: 2, credit: 3 } as const
    const category = (r: EventCodec.LogRecord) => r.stream.slice(0, r.stream.indexOf("-")) as keyof typeof rank
    const regrouped = [...records].sort((a, b) => rank[category(a)] - rank[category(b)])
    expect(regrouped.map((r) => r.stream)).not.toEqual(records.map((r) => r.stream))
    const again = Ledger.fromRecords(regrouped, policy)
    expect(DistrictReport.toJson(DistrictReport.build(again, { year, asOf }))).toBe(DistrictReport.toJson(report))
  })
})
