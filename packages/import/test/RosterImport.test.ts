import { readFileSync } from "node:fs"
import { type EventStore, LogValidator } from "@xueshi/core"
import { RosterImport, RosterMapping, RosterSheet } from "@xueshi/import"
import { Effect, Result } from "effect"
import { describe, expect, it } from "vitest"
import { example, exportedAfterSeed, withClass } from "./fixtures.js"

const mappingOf = (name: string) => {
  const m = RosterMapping.parse(readFileSync(example(name), "utf8"))
  if (Result.isFailure(m)) throw m.failure
  return m.success
}
const lines = (log: ReadonlyArray<string>) =>
  log.map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> })
const fullLog = (after: ReadonlyArray<string>) =>
  `${readFileSync(example("class.jsonl"), "utf8")}${after.map((l) => `${l}\n`).join("")}`

/** The issues of a refusal (and that it is one). */
const issuesOf = (e: { readonly _tag: string }) => {
  expect(e._tag).toBe("RosterRejected")
  return (e as RosterImport.RosterRejected).issues
}

describe("the sample sheet (CSV and XLSX)", () => {
  for (const ext of ["csv", "xlsx"]) {
    it(`${ext}: every status becomes its event; the result is a valid log; a re-import appends nothing`, async () => {
      const { first, again, log } = await withClass(
        Effect.gen(function* () {
          const file = example(`sign-in-correct.${ext}`)
          const first = yield* RosterImport.importFile(file, { classId: "C1", mapping: mappingOf("mapping.json") })
          const again = yield* RosterImport.importFile(file, { classId: "C1" })
          return { first, again, log: yield* exportedAfterSeed }
        })
      )
      // 13 rows: 7 出席, 2 请假, 2 补学, 2 缺勤 (nothing to record); M4 and M5 were not enrolled
      expect(first.byType).toEqual({ AttendanceRecorded: 7, LeaveGranted: 2, MakeUpCompleted: 2, MemberEnrolled: 2 })
      expect(first.appended).toBe(13)
      expect(first.issues).toEqual([])
      expect(again.appended).toBe(0)
      expect(again.unchanged).toBe(13)
      expect(log).toHaveLength(13)
      const events = lines(log)
      // 王芳 at S1: partial minutes; 陈静 at S1: blank 时长 is the whole session; 李娜's make-up on its own day
      expect(events).toContainEqual(
        expect.objectContaining({
          type: "AttendanceRecorded",
          data: { classId: "C1", sessionId: "S1", memberId: "M2", minutes: 60 }
        })
      )
      expect(events).toContainEqual(
        expect.objectContaining({
          type: "AttendanceRecorded",
          data: { classId: "C1", sessionId: "S1", memberId: "M5", minutes: 90 }
        })
      )
      expect(events).toContainEqual(
        expect.objectContaining({
          type: "MakeUpCompleted",
          data: {
            classId: "C1",
            sessionId: "S2",
            memberId: "M3",
            minutes: 100,
            at: "2025-03-15T19:00:00+08:00",
            mode: "online"
          }
        })
      )
      expect(events).toContainEqual(
        expect.objectContaining({
          type: "LeaveGranted",
          data: { classId: "C1", sessionId: "S1", memberId: "M3", reason: "外出开会" }
        })
      )
      // names are never stored
      expect(log.join("\n")).not.toMatch(/张伟|王芳|李娜|刘洋|陈静/)
      expect(LogValidator.validateText(fullLog(log)).ok).toBe(true)
    })

    it(`${ext}: the sheet with three errors is refused whole, each error with its row, column and rule`, async () => {
      const { error, log } = await withClass(
        Effect.gen(function* () {
          const error = yield* Effect.flip(RosterImport.importFile(example(`sign-in.${ext}`), { classId: "C1" }))
          return { error, log: yield* exportedAfterSeed }
        })
      )
      expect(error._tag).toBe("RosterRejected")
      const issues = (error as RosterImport.RosterRejected).issues.map(({ row, column, rule }) => ({
        row,
        column,
        rule
      }))
      expect(issues).toEqual([
        { row: 7, column: "时长 (E)", rule: "attendance.exceedsSession" },
        { row: 8, column: "考勤状态 (F)", rule: "roster.status" },
        { row: 13, column: "党员编号 (B)", rule: "enrollment.unknownMember" }
      ])
      expect(log).toEqual([])
    })
  }

  it("the XLSX worksheet is chosen by name; a missing one is a SheetError naming those there are", async () => {
    const named = await Effect.runPromise(RosterSheet.readFile(example("sign-in.xlsx"), "签到表"))
    expect(named.rows).toHaveLength(14)
    const missing = await Effect.runPromise(Effect.flip(RosterSheet.readFile(example("sign-in.xlsx"), "第二页")))
    expect(missing.message).toBe("no worksheet 第二页 (签到表)")
    const notSheet = await Effect.runPromise(Effect.flip(RosterSheet.readFile(example("class.jsonl"))))
    expect(notSheet.message).toContain("not a .csv or .xlsx file")
  })

  it("validRows writes the valid rows and reports the three others", async () => {
    const { result, log } = await withClass(
      Effect.gen(function* () {
        const result = yield* RosterImport.importFile(example("sign-in.csv"), { classId: "C1", validRows: true })
        return { result, log: yield* exportedAfterSeed }
      })
    )
    expect(result.issues.map((i) => i.row)).toEqual([7, 8, 13])
    expect(result.appended).toBe(log.length)
    expect(lines(log).some((e) => e.data.memberId === "M9")).toBe(false)
    expect(
      lines(log).filter((e) => e.data.sessionId === "S2" && (e.data.memberId === "M1" || e.data.memberId === "M2"))
    ).toEqual([])
  })

  it("one column per session gives the same events as one row per session", async () => {
    const byType = await withClass(
      RosterImport.importFile(example("sign-in-grid.csv"), { classId: "C1", mapping: mappingOf("mapping-grid.json") })
    )
    expect(byType.byType).toEqual({ AttendanceRecorded: 7, LeaveGranted: 2, MakeUpCompleted: 2, MemberEnrolled: 2 })
  })
})

describe("changes and refusals", () => {
  const sheet = (rows: ReadonlyArray<ReadonlyArray<string>>): RosterSheet.Sheet => ({
    name: "签到表",
    header: ["姓名", "党员编号", "课程编号", "时长", "考勤状态"],
    rows: rows.map((cells, i) => ({ row: i + 2, cells }))
  })
  const run = <A, E>(e: Effect.Effect<A, E, EventStore.EventStore>) => withClass(e)

  it("a changed sheet appends only the corrections", async () => {
    const log = await run(
      Effect.gen(function* () {
        yield* RosterImport.importSheet(
          sheet([
            ["张伟", "M1", "S1", "90", "出席"],
            ["王芳", "M2", "S1", "60", "出席"],
            ["李娜", "M3", "S1", "", "缺勤"]
          ]),
          { classId: "C1" }
        )
        const before = (yield* exportedAfterSeed).length
        yield* RosterImport.importSheet(
          sheet([
            ["张伟", "M1", "S1", "90", "出席"],
            ["王芳", "M2", "S1", "75", "出席"],
            ["李娜", "M3", "S1", "", "请假"]
          ]),
          { classId: "C1" }
        )
        return (yield* exportedAfterSeed).slice(before)
      })
    )
    expect(lines(log).map((e) => [e.type, e.data.memberId, e.data.minutes])).toEqual([
      ["AttendanceCorrected", "M2", 75],
      ["LeaveGranted", "M3", undefined]
    ])
  })

  it("attendance changed to absence is a correction to 0; leave changed to absence is refused (no event withdraws leave)", async () => {
    const out = await run(
      Effect.gen(function* () {
        yield* RosterImport.importSheet(
          sheet([
            ["张伟", "M1", "S1", "", "出席"],
            ["王芳", "M2", "S1", "", "请假"]
          ]),
          {
            classId: "C1"
          }
        )
        const r = yield* RosterImport.importSheet(sheet([["张伟", "M1", "S1", "", "缺勤"]]), { classId: "C1" })
        const refused = yield* Effect.flip(
          RosterImport.importSheet(sheet([["王芳", "M2", "S1", "", "缺勤"]]), { classId: "C1" })
        )
        return { r, refused }
      })
    )
    expect(out.r.byType).toEqual({ AttendanceCorrected: 1 })
    expect(issuesOf(out.refused).map((i) => [i.row, i.rule])).toEqual([[2, "roster.unchangeable"]])
  })

  it("names only cross-check: one name per member id, and the directory when given", async () => {
    const error = await run(
      Effect.flip(
        RosterImport.importSheet(
          sheet([
            ["张伟", "M1", "S1", "", "出席"],
            ["张三", "M1", "S2", "", "出席"],
            ["王五", "M2", "S1", "", "出席"]
          ]),
          {
            classId: "C1",
            names: new Map([["M2", "王芳"]])
          }
        )
      )
    )
    expect(issuesOf(error).map((i) => [i.row, i.column, i.rule])).toEqual([
      [3, "姓名 (A)", "roster.name"],
      [4, "姓名 (A)", "roster.name"]
    ])
  })

  it("reports every bad cell of a row in one pass: a missing header, unknown session, bad minutes, a duplicate", async () => {
    const noHeader = await run(
      Effect.flip(RosterImport.importSheet({ name: "x", header: ["姓名", "课程编号"], rows: [] }, { classId: "C1" }))
    )
    expect(issuesOf(noHeader).map((i) => [i.row, i.rule, i.column])).toEqual([
      [1, "roster.header", "党员编号"],
      [1, "roster.header", "考勤状态"]
    ])
    const bad = await run(
      Effect.flip(
        RosterImport.importSheet(
          sheet([
            ["张伟", "M1", "S7", "1.5", "出席"],
            ["王芳", "M2", "S1", "", "出席"],
            ["王芳", "M2", "S1", "", "请假"]
          ]),
          { classId: "C1" }
        )
      )
    )
    expect(issuesOf(bad).map((i) => [i.row, i.column, i.rule])).toEqual([
      [2, "时长 (D)", "roster.minutes"],
      [2, "课程编号 (C)", "roster.session"],
      [4, "课程编号 (C)", "roster.duplicate"]
    ])
  })

  it("an unplanned class refuses the sheet", async () => {
    const e = await run(
      Effect.flip(RosterImport.importSheet(sheet([["张伟", "M1", "S1", "", "出席"]]), { classId: "C9" }))
    )
    expect(issuesOf(e).map((i) => i.rule)).toEqual(["class.notPlanned"])
  })

  it("minutes in hours: 1.5 → 90 minutes; a CSV with a BOM and CRLF reads the same", async () => {
    const text = "\uFEFF姓名,党员编号,课程,日期,时长,考勤状态\r\n张伟,M1,党的二十大精神,2025/3/4,1.5,出席\r\n"
    const sheetRead = await Effect.runPromise(RosterSheet.readCsv(text, "bom.csv"))
    expect(sheetRead.header).toEqual(["姓名", "党员编号", "课程", "日期", "时长", "考勤状态"])
    const log = await run(
      Effect.gen(function* () {
        yield* RosterImport.importSheet(sheetRead, { classId: "C1", mapping: { minutesUnit: "hours" } })
        return yield* exportedAfterSeed
      })
    )
    expect(lines(log).map((e) => e.data.minutes)).toEqual([90])
  })
})
