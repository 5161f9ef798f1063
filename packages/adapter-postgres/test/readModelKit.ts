/**
 * The read-model test kit: a generated district imported into a fresh store,
 * and the check that the three tables say exactly what the ledger of the
 * store's log answers (computed here from the ledger's queries, not from the
 * adapter's row functions).
 */
import { PgClient } from "@effect/sql-pg"
import { EventCodec, EventStore, Ledger, LogTransfer, Presets } from "@xueshi/core"
import { District } from "@xueshi/testing"
import { Context, Effect, Layer, Redacted, Stream } from "effect"
import { expect } from "vitest"
import type { PostgresEventStore } from "../src/index.js"
import { exec, pgUrl } from "./helpers.js"

/** The policy of the read-model tests: two requirements and a course-mix rule. */
export const policy = Presets.composePolicySet({
  id: "rm-test",
  effectiveFrom: "2019-01-01",
  requirements: [Presets.annual32, Presets.secretary56],
  courseMix: [Presets.xiqing404020]
})

/** A small generated district (≈ 1,300 events). */
export const districtLines = (seed = 5, members = 60): Array<string> =>
  Array.from(District.generateDistrict({ seed, members, subdistricts: 2, communities: 4 }), (r) =>
    EventCodec.EventLogCodec.encodeLine(r)
  )

/** Imports `lines` into `store`. */
export const importInto = (store: PostgresEventStore.PostgresStore, lines: ReadonlyArray<string>) =>
  Effect.provideService(LogTransfer.importLog(lines), EventStore.EventStore, store.eventStore)

/** The ledger of the store's whole log, as `Ledger.fromRecords` folds it. */
export const ledgerOf = (store: PostgresEventStore.PostgresStore) =>
  Effect.map(Stream.runCollect(store.eventStore.readAll()), (records) => Ledger.fromRecords(records, policy))

/** A pool of its own (like another process), its sessions named `applicationName`. */
export const ownPool = (applicationName: string, maxConnections = 4) =>
  Layer.build(PgClient.layer({ url: Redacted.make(pgUrl ?? ""), maxConnections, applicationName }))

/** Terminates every session named `applicationName`; answers how many. */
export const terminate = (applicationName: string) =>
  Effect.map(
    exec<{ n: number }>(
      `SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE application_name = $1`,
      [applicationName]
    ),
    (rows) => rows[0]?.n ?? 0
  )

export type Pool = Context.Context<PgClient.PgClient | import("effect/sql").SqlClient.SqlClient>
export { Context }

const key = (...parts: ReadonlyArray<unknown>) => parts.join("|")

/**
 * Asserts that the tables of `schema` (prefix `prefix`) hold exactly what
 * `ledger` answers: every member, year and requirement; every roll-up node
 * (own and subtree) of every year and requirement; every class's and module's
 * course mix. Answers the number of rows checked.
 */
export const expectTablesAgree = (schema: string, ledger: Ledger.Ledger, prefix = "rm_") =>
  Effect.gen(function* () {
    const years = new Set<number>()
    for (const grants of ledger.facts.credit.values()) for (const g of grants.values()) years.add(g.year)
    for (const s of ledger.facts.schools.values()) for (const y of s.quotas.keys()) years.add(y)

    // member compliance
    const members = yield* exec<{
      member_id: string
      year: number
      requirement_id: string
      school_id: string | null
      status: string
      hours_centi: number
      shortfall_centi: number
      hours: string
      shortfall: string
    }>(
      `SELECT member_id, year, requirement_id, school_id, status, hours_centi::int AS hours_centi,
              shortfall_centi::int AS shortfall_centi, hours::text AS hours, shortfall::text AS shortfall
         FROM ${schema}.${prefix}member_compliance`
    )
    const got = new Map(members.map((r) => [key(r.member_id, r.year, r.requirement_id), r]))
    let expected = 0
    for (const m of ledger.memberIds()) {
      for (const year of years) {
        for (const a of ledger.compliance(m, { year })) {
          expected++
          const row = got.get(key(m, year, a.requirementId))
          expect(row, `row of ${m} ${year} ${a.requirementId}`).toBeDefined()
          expect([row?.status, row?.hours_centi, row?.shortfall_centi, row?.school_id]).toEqual([
            a.status,
            a.earned.hours,
            a.shortfallHours,
            a.schoolId ?? null
          ])
          expect(row?.hours).toBe((a.earned.hours / 100).toFixed(2))
        }
      }
    }
    expect(members.length).toBe(expected)

    // school roll-up
    const rollup = yield* exec<{
      year: number
      requirement_id: string
      school_id: string
      scope: string
      members: number
      applicable: number
      met: number
      not_met: number
      hours_centi: number
      trainee_times: number
      classes_held: number
      compliance_percent: string | null
    }>(
      `SELECT year, requirement_id, school_id, scope, members, applicable, met, not_met, hours_centi::int AS hours_centi,
              trainee_times, classes_held, compliance_percent FROM ${schema}.${prefix}school_rollup`
    )
    const gotRollup = new Map(rollup.map((r) => [key(r.year, r.requirement_id, r.school_id, r.scope), r]))
    let expectedRollup = 0
    for (const year of years) {
      for (const req of ledger.policy.requirements) {
        const report = ledger.rollup({ year, requirementId: req.id })
        type Node = (typeof report.roots)[number]
        const figures = (f: Node["own"]) => [
          f.members,
          f.applicable,
          f.met,
          f.notMet,
          f.hoursGranted,
          f.traineeTimes,
          f.classesHeld
        ]
        const pick = (r: (typeof rollup)[number] | undefined) =>
          r === undefined
            ? undefined
            : [r.members, r.applicable, r.met, r.not_met, r.hours_centi, r.trainee_times, r.classes_held]
        const walk = (n: Node) => {
          expectedRollup += 2
          expect(pick(gotRollup.get(key(year, req.id, n.schoolId, "own")))).toEqual(figures(n.own))
          const sub = gotRollup.get(key(year, req.id, n.schoolId, "subtree"))
          expect(pick(sub)).toEqual(figures(n.total))
          expect(sub?.compliance_percent ?? undefined).toBe(n.rates.complianceRateText)
          for (const k of n.children) walk(k)
        }
        for (const r of report.roots) walk(r)
        expectedRollup++
        expect(pick(gotRollup.get(key(year, req.id, "", "unplaced")))).toEqual(figures(report.unplaced))
      }
    }
    expect(rollup.length).toBe(expectedRollup)

    // course mix: totals and categories of every class and module
    const mix = yield* exec<{
      target_kind: string
      target_id: string
      phase: string
      dimension: string
      key: string
      minutes: number
      lessons: number | null
      status: string | null
    }>(
      `SELECT target_kind, target_id, phase, dimension, key, minutes::int AS minutes, lessons, status
         FROM ${schema}.${prefix}course_mix`
    )
    const gotMix = new Map(mix.map((r) => [key(r.target_kind, r.target_id, r.phase, r.dimension, r.key), r]))
    const targets = [
      ...ledger.classIds().map((id) => ["class", id, ledger.courseMix({ kind: "class", classId: id })] as const),
      ...ledger.modules().map((m) => ["module", m, ledger.courseMix({ kind: "module", module: m })] as const)
    ]
    let categoryRows = 0
    for (const [kind, id, report] of targets) {
      for (const phase of ["scheduled", "delivered"] as const) {
        const b = report[phase]
        const total = gotMix.get(key(kind, id, phase, "total", ""))
        expect([total?.minutes, total?.lessons], `${kind} ${id} ${phase}`).toEqual([b.minutes, b.lessons])
        for (const [cat, f] of Object.entries(b.byCategory)) {
          categoryRows++
          const row = gotMix.get(key(kind, id, phase, "category", cat))
          expect([row?.minutes, row?.lessons]).toEqual([f.minutes, f.lessons])
        }
      }
      for (const v of report.verdicts)
        expect(gotMix.get(key(kind, id, "rule", "rule", v.ruleId))?.status).toBe(v.status)
    }
    expect(mix.filter((r) => r.dimension === "category").length).toBe(categoryRows)
    expect(targets.length).toBeGreaterThan(0)
    return { members: members.length, rollup: rollup.length, mix: mix.length }
  })
