import { readFileSync } from "node:fs"
import { Ledger, LogValidator, Presets } from "@xueshi/core"
import { XapiImport, XapiMapping, XapiStatement } from "@xueshi/import"
import { Effect, Result } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { example, exportedAfterSeed, withClass } from "./fixtures.js"

const mapping = (() => {
  const m = XapiMapping.parse(readFileSync(example("xapi-mapping.json"), "utf8"))
  if (Result.isFailure(m)) throw m.failure
  return m.success
})()
const text = readFileSync(example("statements.json"), "utf8")
const sample = JSON.parse(text) as Array<Record<string, unknown>>
const parsed = (log: ReadonlyArray<string>) =>
  log.map(
    (l) => JSON.parse(l) as { type: string; id: string; data: Record<string, unknown>; meta: Record<string, unknown> }
  )
const fullLog = (after: ReadonlyArray<string>) =>
  `${readFileSync(example("class.jsonl"), "utf8")}${after.map((l) => `${l}\n`).join("")}`

/** The issues of a refusal (and that it is one). */
const issuesOf = (e: { readonly _tag: string }) => {
  expect(e._tag).toBe("XapiRejected")
  return (e as XapiImport.XapiRejected).issues
}

describe("the sample batch", () => {
  it("attendance, external credit, a cmi5 waiver and a voiding; another verb ignored; a re-import skips every statement", async () => {
    const { first, again, log } = await withClass(
      Effect.gen(function* () {
        const first = yield* XapiImport.importText(text, { mapping })
        const again = yield* XapiImport.importText(text, { mapping })
        return { first, again, log: yield* exportedAfterSeed }
      })
    )
    expect(first.byType).toEqual({ MemberEnrolled: 2, AttendanceRecorded: 2, CreditGranted: 3, CreditRevoked: 1 })
    expect(first.ignored.map((i) => i.statement)).toEqual([6])
    expect(again.appended).toBe(0)
    expect(again.skipped).toBe(6)
    const events = parsed(log)
    const of = (type: string) => events.filter((e) => e.type === type).map((e) => e.data)
    // PT45M and PT30M12S (seconds rounded down)
    expect(of("AttendanceRecorded").map((d) => [d.memberId, d.minutes])).toEqual([
      ["M1", 45],
      ["M2", 30]
    ])
    // 90 minutes at 45 minutes an hour = 2 h; the quiz 0.5 h; the waiver 1 h
    expect(
      of("CreditGranted").map((d) => [d.memberId, d.hours, (d.source as { reference: string }).reference])
    ).toEqual([
      ["M3", 2, "dangshi-101"],
      ["M4", 0.5, "quiz-dangzhang"],
      ["M5", 1, "jiceng-zhili"]
    ])
    expect(of("CreditRevoked")).toEqual([
      expect.objectContaining({ memberId: "M4", grantId: "xapi:3e6f0d5b-9a4c-4b3e-8b24-4a5b6c7d8e94" })
    ])
    // every event names its statement; no actor name is stored
    for (const e of events) expect(e.meta.source).toBe("xapi")
    expect(log.join("\n")).not.toMatch(/张伟|王芳|李娜|刘洋|陈静/)
    expect(LogValidator.validateText(fullLog(log)).ok).toBe(true)
  })

  it("the ledger counts the external credit (the voided grant no more) and derives the attendance's", async () => {
    const log = await withClass(
      Effect.gen(function* () {
        yield* XapiImport.importText(text, { mapping })
        return yield* exportedAfterSeed
      })
    )
    const ledger = await Effect.runPromise(Ledger.fromLog(fullLog(log), Presets.xiqingDistrict))
    const total = (m: string) => ledger.hours(m, { year: 2025 }).total
    expect([total("M3"), total("M4"), total("M5")]).toEqual([200, 0, 100])
    expect(total("M1")).toBeGreaterThan(0) // 45 minutes at W1, credited by the policy
  })

  it("NDJSON and an LRS StatementResult read the same as a JSON array", async () => {
    const ids = (t: string) =>
      withClass(
        Effect.gen(function* () {
          yield* XapiImport.importText(t, { mapping })
          return parsed(yield* exportedAfterSeed).map((e) => e.id)
        })
      )
    const array = await ids(text)
    expect(await ids(sample.map((s) => JSON.stringify(s)).join("\n"))).toEqual(array)
    expect(await ids(JSON.stringify({ statements: sample, more: "" }))).toEqual(array)
  })

  it("law: any sub-batch first, then the whole batch, stores exactly what the whole batch alone stores", async () => {
    const whole = await withClass(
      Effect.gen(function* () {
        yield* XapiImport.importText(text, { mapping })
        return parsed(yield* exportedAfterSeed)
          .map((e) => e.id)
          .sort()
      })
    )
    await fc.assert(
      fc.asyncProperty(fc.subarray(sample), async (part) => {
        const ids = await withClass(
          Effect.gen(function* () {
            yield* XapiImport.importText(JSON.stringify(part), { mapping })
            yield* XapiImport.importText(text, { mapping })
            return parsed(yield* exportedAfterSeed)
              .map((e) => e.id)
              .sort()
          })
        )
        expect(ids).toEqual(whole)
      }),
      { numRuns: Math.min(60, fc.readConfigureGlobal().numRuns ?? 60) }
    )
  })
})

describe("refusals, in one pass, nothing written", () => {
  const first = sample[0] as Record<string, unknown>
  const refuse = (batch: string) =>
    withClass(
      Effect.gen(function* () {
        const error = yield* Effect.flip(XapiImport.importText(batch, { mapping }))
        return { error, log: yield* exportedAfterSeed }
      })
    )

  it("a repeated id with other content is a conflict (an LRS's 409); with only stored/authority/timestamp changed it is the same statement", async () => {
    const changed = { ...first, result: { duration: "PT40M" } }
    const { error, log } = await refuse(JSON.stringify([first, changed]))
    expect(issuesOf(error).map((i) => [i.statement, i.rule, i.path])).toEqual([[2, "xapi.conflict", "id"]])
    expect(log).toEqual([])
    const same = { ...first, stored: "2025-04-02T00:00:00Z", timestamp: "2025-04-01T09:46:13+08:00", version: "1.0.3" }
    const r = await withClass(XapiImport.importText(JSON.stringify([first, same]), { mapping }))
    expect(r.skipped).toBe(1)
  })

  it("structure, actor, activity, duration and JSON errors are all reported with their place", async () => {
    const noHomePage = { ...first, id: "a0000000-0000-4000-8000-000000000001", actor: { account: { name: "u10001" } } }
    const unknownActor = {
      ...first,
      id: "a0000000-0000-4000-8000-000000000002",
      actor: { objectType: "Agent", account: { homePage: "https://other.example.cn", name: "u1" } }
    }
    const unknownActivity = {
      ...first,
      id: "a0000000-0000-4000-8000-000000000003",
      object: { objectType: "Activity", id: "https://study.example.cn/nope" }
    }
    const months = { ...first, id: "a0000000-0000-4000-8000-000000000004", result: { duration: "P1M" } }
    const batch = [noHomePage, unknownActor, unknownActivity, months].map((s) => JSON.stringify(s))
    batch.splice(2, 0, "{not json")
    const { error, log } = await refuse(batch.join("\n"))
    expect(issuesOf(error).map((i) => [i.statement, i.line, i.rule, i.path])).toEqual([
      [1, 1, "xapi.structure", "actor.account.homePage"],
      [2, 2, "xapi.actor", "actor.account"],
      [3, 3, "xapi.json", ""],
      [4, 4, "xapi.activity", "object.id"],
      [5, 5, "xapi.duration", "result.duration"]
    ])
    expect(log).toEqual([])
  })

  it("voiding a voiding statement is refused; voiding attendance corrects it to 0", async () => {
    const voiding = sample[6] as Record<string, unknown>
    const voidVoid = {
      ...voiding,
      id: "b0000000-0000-4000-8000-000000000001",
      object: { objectType: "StatementRef", id: voiding.id }
    }
    const { error } = await refuse(JSON.stringify([...sample, voidVoid]))
    expect(issuesOf(error).map((i) => [i.statement, i.rule])).toEqual([[8, "xapi.voidVoiding"]])
    const voidAttendance = {
      ...voiding,
      id: "b0000000-0000-4000-8000-000000000002",
      object: { objectType: "StatementRef", id: first.id }
    }
    const log = await withClass(
      Effect.gen(function* () {
        yield* XapiImport.importText(text, { mapping })
        const r = yield* XapiImport.importText(JSON.stringify([voidAttendance]), { mapping })
        expect(r.byType).toEqual({ AttendanceCorrected: 1 })
        return parsed(yield* exportedAfterSeed)
      })
    )
    expect(log.at(-1)).toMatchObject({
      type: "AttendanceCorrected",
      data: { memberId: "M1", sessionId: "W1", minutes: 0 }
    })
  })

  it("validStatements writes the valid ones and reports the rest", async () => {
    const months = { ...first, id: "a0000000-0000-4000-8000-000000000004", result: { duration: "P1Y" } }
    const r = await withClass(
      XapiImport.importText(JSON.stringify([...sample, months]), { mapping, validStatements: true })
    )
    expect(r.issues.map((i) => [i.statement, i.rule])).toEqual([[8, "xapi.duration"]])
    expect(r.appended).toBe(8)
  })
})

describe("ISO 8601 durations", () => {
  it("minutes, rounded down; years and months refused", () => {
    const ok = (t: string) => Result.getOrThrow(XapiImport.durationMinutes(t))
    expect([
      ok("PT1H30M"),
      ok("PT5400S"),
      ok("PT1.5H"),
      ok("P1DT1H"),
      ok("P1W"),
      ok("PT59.9S"),
      ok("PT30M12S")
    ]).toEqual([90, 90, 90, 1500, 10080, 0, 30])
    for (const bad of ["P1M", "P1Y", "P1Y2M", "PT", "P", "1h", "PT-5M"])
      expect(Result.isFailure(XapiImport.durationMinutes(bad))).toBe(true)
  })

  it("law: a duration written as seconds gives the minutes it holds", () => {
    fc.assert(
      fc.property(fc.nat({ max: 10 }), fc.nat({ max: 23 }), fc.nat({ max: 59 }), fc.nat({ max: 59 }), (d, h, m, s) => {
        const total = ((d * 24 + h) * 60 + m) * 60 + s
        expect(Result.getOrThrow(XapiImport.durationMinutes(`P${d}DT${h}H${m}M${s}S`))).toBe(Math.floor(total / 60))
        expect(Result.getOrThrow(XapiImport.durationMinutes(`PT${total}S`))).toBe(Math.floor(total / 60))
      })
    )
  })
})

describe("timestamps", () => {
  it("+0800 becomes +08:00, a time without an offset is UTC, an offset is kept", () => {
    expect(
      ["2025-04-01T09:46:13+0800", "2025-04-01T01:46:13.204", "2025-04-01T09:46:13+08:00", "2025-04-01"].map(
        XapiImport.normalizeTimestamp
      )
    ).toEqual(["2025-04-01T09:46:13+08:00", "2025-04-01T01:46:13.204Z", "2025-04-01T09:46:13+08:00", "2025-04-01"])
  })
})

describe("statement validation", () => {
  it("the validator's every problem, with its path", () => {
    const r = XapiStatement.validate(
      { ...sample[0], verb: { id: "attended" }, result: { duration: "1h" } },
      { statement: 1 }
    )
    expect(Result.isFailure(r) && r.failure.map((i) => i.path)).toEqual(["verb.id", "result.duration"])
  })
  it("the digest ignores authority, stored, timestamp, version and key order", () => {
    const a = sample[0] as Record<string, unknown>
    const reordered = Object.fromEntries(Object.entries(a).reverse())
    expect(XapiStatement.digest({ ...reordered, stored: "x", authority: {} })).toBe(XapiStatement.digest(a))
    expect(XapiStatement.digest({ ...a, result: { duration: "PT46M" } })).not.toBe(XapiStatement.digest(a))
  })
})
