// The laws of issue 3, checked with fast-check on generated district histories (gen.ts).
// Runs use the global numRuns (XUESHI_NUM_RUNS, default 200; scripts/vitest.setup.ts).
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import type { LocalDate } from "../../src/Calendar.js"
import * as Calendar from "../../src/Calendar.js"
import type { DomainEvent } from "../../src/Events.js"
import * as Accrual from "../../src/policy/Accrual.js"
import * as ClassCompletion from "../../src/policy/ClassCompletion.js"
import * as CourseMix from "../../src/policy/CourseMix.js"
import * as CourseMixProjection from "../../src/policy/CourseMixProjection.js"
import { type CreditPolicy, sessionCredit } from "../../src/policy/CreditPolicy.js"
import * as Facts from "../../src/policy/Facts.js"
import * as MemberCompliance from "../../src/policy/MemberCompliance.js"
import * as Presets from "../../src/policy/Presets.js"
import { foldProjection, type Projection } from "../../src/policy/Projection.js"
import * as SchoolRollup from "../../src/policy/SchoolRollup.js"
import * as Rational from "../../src/Rational.js"
import { foldFacts, toWire, validate } from "./fixtures.js"
import { lawPolicy, type Plan, planArb, planLog } from "./gen.js"

const policy = lawPolicy
const compliance = MemberCompliance.make(policy)
const mix = CourseMixProjection.make(policy)
const completion = ClassCompletion.make(policy)
const rollup = SchoolRollup.make(policy)

const dateArb = fc.integer({ min: 0, max: 364 }).map((n) => Calendar.addDays("2025-01-01" as LocalDate, n))

const projections = [compliance, mix, completion, rollup] as ReadonlyArray<
  Projection<Facts.FactsState, unknown, unknown>
>

/** Every answer the four projections give about a history as of a date, from their states. */
const answersOf = (plan: Plan, [c, m, k, r]: ReadonlyArray<Facts.FactsState>, asOf: LocalDate) => {
  const classes = plan.classes.map((_, i) => `C${i}`)
  return {
    compliance: plan.members.map((_, i) => compliance.query(c as Facts.FactsState, { asOf, memberId: `M${i}` })),
    mix: [
      ...classes.map((classId) => mix.query(m as Facts.FactsState, { asOf, target: { kind: "class", classId } })),
      mix.query(m as Facts.FactsState, { asOf, target: { kind: "module", module: "partyAffairs", year: 2025 } }),
      mix.query(m as Facts.FactsState, { asOf, target: { kind: "schoolYear", schoolId: "S0", year: 2025 } })
    ],
    completion: classes.map((classId) => completion.query(k as Facts.FactsState, { asOf, classId })),
    rollup: policy.requirements.map((req) =>
      rollup.query(r as Facts.FactsState, { asOf, year: 2025, requirementId: req.id })
    )
  }
}

/** Every answer the four projections give about a history as of a date. */
const answers = (plan: Plan, records: ReadonlyArray<DomainEvent>, asOf: LocalDate) =>
  answersOf(
    plan,
    projections.map((p) => foldProjection(p, records)),
    asOf
  )

describe("credit", () => {
  const linear = fc.record({
    kind: fc.constant("linear" as const),
    minutesPerHour: fc.integer({ min: 1, max: 120 }),
    step: fc.integer({ min: 1, max: 100 }),
    rounding: fc.constantFrom("floor" as const, "nearest" as const)
  })
  const ruleArb = fc.oneof(
    linear,
    fc.uniqueArray(fc.integer({ min: 1, max: 600 }), { minLength: 1, maxLength: 4 }).chain((mins) =>
      fc.array(fc.integer({ min: 1, max: 400 }), { minLength: mins.length, maxLength: mins.length }).map((hs) => {
        const sortedH = [...hs].sort((a, b) => a - b)
        return {
          kind: "tiered" as const,
          tiers: [...mins].sort((a, b) => a - b).map((minMinutes, i) => ({ minMinutes, hours: sortedH[i] as number }))
        } as never
      })
    ),
    fc
      .record({
        kind: fc.constant("blocks" as const),
        fullDay: fc.record({ minutes: fc.integer({ min: 200, max: 600 }), hours: fc.integer({ min: 400, max: 900 }) }),
        halfDay: fc.record({ minutes: fc.integer({ min: 60, max: 199 }), hours: fc.integer({ min: 100, max: 399 }) }),
        otherwise: fc.option(linear, { nil: undefined })
      })
      .map(({ otherwise, ...b }) => (otherwise === undefined ? b : { ...b, otherwise }) as never)
  )
  const policyArb = fc
    .record({ rule: ruleArb, share: fc.option(fc.integer({ min: 0, max: 4 }), { nil: undefined }) })
    .map(({ rule, share }) => ({
      ...Presets.standard45,
      rule,
      ...(share === undefined ? {} : { minAttendedShare: Rational.make(share, 4) })
    })) as fc.Arbitrary<CreditPolicy>

  it("is monotone in attended minutes and never exceeds what the session allows", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          policyArb,
          fc.constantFrom(Presets.standard45, Presets.yunnanTiers, Presets.fullDay8, Presets.nanjing6)
        ),
        fc.integer({ min: 1, max: 1440 }),
        fc.integer({ min: 0, max: 1440 }),
        fc.integer({ min: 0, max: 1440 }),
        (p, session, x, y) => {
          const a = Math.min(x, y, session)
          const b = Math.min(Math.max(x, y), session)
          const ha = sessionCredit(p, a, session)
          const hb = sessionCredit(p, b, session)
          expect(ha).toBeLessThanOrEqual(hb)
          expect(hb).toBeLessThanOrEqual(sessionCredit(p, session, session))
          expect(sessionCredit(p, 0, session)).toBe(0)
        }
      )
    )
  })

  it("no credit without attendance (or a make-up) or an external grant; per session at most the session's credit", () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        const { records } = planLog(plan)
        const facts = foldFacts(records)
        for (const grants of facts.credit.values()) {
          const perSession = new Map<string, number>()
          for (const g of grants.values()) {
            if (g.revoked) continue
            if (g.source.kind === "external") {
              expect(g.grantId.startsWith("x:")).toBe(true)
              continue
            }
            const c = facts.classes.get(g.source.classId)
            const s = c?.sessions.get(g.source.sessionId)
            const r = c?.records.get(g.memberId)?.get(g.source.sessionId)
            expect(s?.cancelled).toBe(false)
            const minutes = r?.attended?.minutes ?? (policy.credit.makeUpCredit ? (r?.makeUp?.minutes ?? 0) : 0)
            expect(minutes).toBeGreaterThan(0)
            const k = `${g.source.classId}:${g.source.sessionId}`
            perSession.set(k, (perSession.get(k) ?? 0) + g.hours)
            expect(perSession.get(k)).toBeLessThanOrEqual(sessionCredit(policy.credit, minutes, s?.minutes ?? 0))
          }
        }
      })
    )
  })

  it("accrual is idempotent: over a log that holds its grants it emits nothing", () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        const { records } = planLog(plan)
        expect(Accrual.accrueAll(foldFacts(records), policy)).toEqual([])
      })
    )
  })
})

describe("the incremental accrual (for the credit reactor)", () => {
  it("leaves nothing missing and holds the same active credit as batch accrual", () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        const { records } = planLog(plan)
        const r = Accrual.reactor(policy)
        let state = r.initial
        const emitted: Array<Accrual.CreditCommand> = []
        for (const rec of records) {
          if (rec.type === "CreditGranted" || rec.type === "CreditRevoked") continue
          const [next, commands] = r.react(state, rec)
          state = next
          emitted.push(...commands)
        }
        // its output is a valid credit history, and nothing is missing afterwards
        expect(Accrual.accrueAll(state, policy)).toEqual([])
        const nonCredit = records.filter((x) => x.type !== "CreditGranted" && x.type !== "CreditRevoked")
        validate(toWire([...nonCredit, ...Accrual.toEvents(emitted)]))
        const active = (facts: Facts.FactsState) =>
          Array.from(facts.credit.values())
            .flatMap((gs) => Array.from(gs.values()))
            .filter((g) => !g.revoked && g.source.kind === "session")
            .map((g) => `${g.memberId} ${Accrual.parseGrantId(g.grantId)?.base} ${g.year} ${g.hours}`)
            .sort()
        expect(active(state)).toEqual(active(foldFacts(records)))
      })
    )
  })
})

describe("projections", () => {
  it("a projection resumed from its state encoded mid-history (JSON text) ends in the state of one whole fold", () => {
    // catches an encodeState/decodeState that drops or changes a part of the state, and a fold whose
    // result depends on anything but the records (a record applied twice or skipped at the cut)
    fc.assert(
      fc.property(planArb, fc.nat(), (plan, at) => {
        const { records } = planLog(plan)
        const cut = at % (records.length + 1)
        for (const p of projections) {
          const whole = JSON.stringify(p.encodeState(foldProjection(p, records)))
          const saved = JSON.stringify(p.encodeState(foldProjection(p, records.slice(0, cut))))
          const resumed = foldProjection(p, records.slice(cut), p.decodeState(JSON.parse(saved)))
          expect(JSON.stringify(p.encodeState(resumed))).toBe(whole)
        }
      }),
      { numRuns: Math.max(20, Math.floor(fc.readConfigureGlobal().numRuns ?? 200) / 4) } // four folds per case: a quarter of the runs
    )
  })

  it("two folds kept side by side, record for record, answer each like its own fold alone", () => {
    // catches a state shared between folds (an `initial` that is one object, a module-level cache)
    fc.assert(
      fc.property(planArb, planArb, dateArb, (planA, planB, asOf) => {
        const a = planLog(planA).records
        const b = planLog(planB).records
        const statesA = projections.map((p) => p.initial)
        const statesB = projections.map((p) => p.initial)
        for (let i = 0; i < Math.max(a.length, b.length); i++) {
          projections.forEach((p, k) => {
            const ra = a[i]
            const rb = b[i]
            if (ra !== undefined) statesA[k] = p.apply(statesA[k] as Facts.FactsState, ra)
            if (rb !== undefined) statesB[k] = p.apply(statesB[k] as Facts.FactsState, rb)
          })
        }
        const encoded = (states: ReadonlyArray<Facts.FactsState>) =>
          projections.map((p, k) => JSON.stringify(p.encodeState(states[k] as Facts.FactsState)))
        expect(encoded(statesA)).toEqual(projections.map((p) => JSON.stringify(p.encodeState(foldProjection(p, a)))))
        expect(encoded(statesB)).toEqual(projections.map((p) => JSON.stringify(p.encodeState(foldProjection(p, b)))))
        expect(answersOf(planA, statesA, asOf)).toEqual(answers(planA, a, asOf))
      }),
      { numRuns: Math.max(20, Math.floor(fc.readConfigureGlobal().numRuns ?? 200) / 4) }
    )
  })

  it("answers do not depend on how the streams of different classes and members interleave", () => {
    fc.assert(
      fc.property(planArb, fc.array(fc.nat(), { minLength: 1, maxLength: 40 }), (plan, picks) => {
        const inOrder = Array.from({ length: 400 }, () => 0)
        const a = planLog(plan, policy, inOrder)
        const b = planLog(plan, policy, picks)
        expect(b.commands).toEqual(a.commands)
        expect(answers(plan, b.records, "2025-12-31" as LocalDate)).toEqual(
          answers(plan, a.records, "2025-12-31" as LocalDate)
        )
      })
    )
  })

  it("as-of queries equal replaying only the events up to that date", () => {
    fc.assert(
      fc.property(planArb, dateArb, (plan, asOf) => {
        const { records } = planLog(plan)
        const upTo = Facts.eventsUpTo(records, asOf, policy.timeZone)
        expect(answers(plan, upTo, asOf)).toEqual(answers(plan, records, asOf))
      })
    )
  })

  it("exempt members never fail a soft requirement; met stays met with more credit", () => {
    fc.assert(
      fc.property(planArb, dateArb, fc.integer({ min: 1, max: 4000 }), (plan, asOf, extra) => {
        const { lines, records } = planLog(plan)
        const before = foldProjection(compliance, records)
        const more = Accrual.toEvents(
          plan.members.map((_, i) =>
            Accrual.grantExternal(policy, {
              memberId: `M${i}`,
              system: "extra",
              reference: "1",
              hours: extra as never,
              at: `${asOf}T08:00:00+08:00` as never,
              mode: "inPerson",
              category: "theory"
            })
          )
        )
        const after = foldProjection(compliance, validate([...lines, ...toWire(more)]))
        plan.members.forEach((m, i) => {
          const a = compliance.query(before, { asOf, memberId: `M${i}` })
          const b = compliance.query(after, { asOf, memberId: `M${i}` })
          a.forEach((x, j) => {
            const req = policy.requirements[j]
            if (m.exempt && req?.strength === "soft") expect(["exempt", "notApplicable"]).toContain(x.status)
            if (x.status === "met") expect(b[j]?.status).toBe("met")
            expect(b[j]?.earned.hours ?? 0).toBeGreaterThanOrEqual(x.earned.hours)
          })
        })
      })
    )
  })

  it("roll-up totals equal the sum of their children; a member is counted in exactly one school per date", () => {
    fc.assert(
      fc.property(planArb, dateArb, (plan, asOf) => {
        const { records } = planLog(plan)
        const state = foldProjection(rollup, records)
        const report = rollup.query(state, { asOf, year: 2025 })
        let members = report.unplaced.members
        let hours = report.unplaced.hoursGranted as number
        const check = (n: SchoolRollup.SchoolNode) => {
          const sum = n.children.reduce((t, c) => SchoolRollup.addFigures(t, c.total), n.own)
          expect(n.total).toEqual(sum)
          members += n.own.members
          hours += n.own.hoursGranted
          n.children.forEach(check)
        }
        report.roots.forEach(check)
        const facts = state
        const registered = Array.from(facts.members.values()).filter((m) => Facts.isRegisteredOn(m, asOf)).length
        expect(members).toBe(registered)
        let granted = 0
        for (const grants of facts.credit.values()) {
          for (const g of grants.values()) if (!g.revoked && g.year === 2025 && g.date <= asOf) granted += g.hours
        }
        expect(hours).toBe(granted)
        expect(report.roots).toHaveLength(1)
      })
    )
  })
})

describe("course mix", () => {
  const itemArb = fc.record({
    minutes: fc.integer({ min: 1, max: 240 }),
    category: fc.constantFrom("theory" as const, "practice" as const, "exemplar" as const, "other" as const),
    tags: fc.constant([] as ReadonlyArray<string>),
    delivered: fc.boolean()
  })
  // minutes in multiples that make exact 40/40/20 reachable often
  const exactish = fc
    .tuple(
      fc.integer({ min: 0, max: 6 }),
      fc.integer({ min: 0, max: 6 }),
      fc.integer({ min: 0, max: 6 }),
      fc.integer({ min: 0, max: 1 })
    )
    .map(([t, p, e, o]) => [
      ...Array.from({ length: t }, () => ({ minutes: 48, category: "theory" as const, tags: [], delivered: true })),
      ...Array.from({ length: p }, () => ({ minutes: 48, category: "practice" as const, tags: [], delivered: true })),
      ...Array.from({ length: e }, () => ({ minutes: 24, category: "exemplar" as const, tags: [], delivered: true })),
      ...Array.from({ length: o }, () => ({ minutes: 30, category: "other" as const, tags: [], delivered: true }))
    ])

  it("the 40/40/20 verdict agrees with a brute-force integer check, and shares sum to 1", () => {
    fc.assert(
      fc.property(fc.oneof(fc.array(itemArb, { maxLength: 12 }), exactish), (items) => {
        const v = CourseMix.evaluateRule(Presets.xiqing404020, items)
        let total = 0
        const by = { theory: 0, practice: 0, exemplar: 0, other: 0 }
        for (const i of items) {
          total += i.minutes
          by[i.category] += i.minutes
        }
        const brute =
          total === 0
            ? "noData"
            : 5 * by.theory === 2 * total && 5 * by.practice === 2 * total && 5 * by.exemplar === total
              ? "pass"
              : "fail"
        expect(v.status).toBe(brute)
        const b = CourseMixProjection.breakdown(items)
        if (total > 0) {
          const shares = Object.values(b.byCategory).map((f) => f.minutesShare ?? Rational.zero)
          expect(Rational.sumAll(shares)).toEqual(Rational.one)
          const lessonShares = Object.values(b.byCategory).map((f) => f.lessonsShare ?? Rational.zero)
          expect(Rational.sumAll(lessonShares)).toEqual(Rational.one)
        }
      })
    )
  })
})
