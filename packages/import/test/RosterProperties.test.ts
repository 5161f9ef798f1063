import { ClassDecider, CommandHandler } from "@xueshi/core"
import { RosterImport, type RosterSheet } from "@xueshi/import"
import { Effect } from "effect"
import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { exportedAfterSeed, withClass } from "./fixtures.js"

// the class of examples/rosters/class.jsonl: sessions and their minutes, registered members
const SESSIONS = { S1: 90, S2: 120, S3: 60 } as const
const MEMBERS = ["M1", "M2", "M3", "M4", "M5"] as const
type Cell =
  | { readonly status: "出席"; readonly minutes: number }
  | { readonly status: "补学"; readonly minutes: number }
  | { readonly status: "请假" }
  | { readonly status: "缺勤" }
type Grid = ReadonlyMap<string, Cell> // `${session}/${member}`

const cellOf = (session: keyof typeof SESSIONS): fc.Arbitrary<Cell> =>
  fc.oneof(
    fc.integer({ min: 1, max: SESSIONS[session] }).map((minutes) => ({ status: "出席" as const, minutes })),
    fc.integer({ min: 1, max: SESSIONS[session] }).map((minutes) => ({ status: "补学" as const, minutes })),
    fc.constant({ status: "请假" as const }),
    fc.constant({ status: "缺勤" as const })
  )

const keys = Object.keys(SESSIONS).flatMap((s) => MEMBERS.map((m) => `${s}/${m}`))
const gridArb: fc.Arbitrary<Grid> = fc
  .tuple(...keys.map((k) => fc.option(cellOf(k.split("/")[0] as keyof typeof SESSIONS), { nil: undefined })))
  .map((cells) => new Map(keys.flatMap((k, i) => (cells[i] === undefined ? [] : [[k, cells[i] as Cell] as const]))))

/** A change the contract can express: attendance and absence may become anything, leave may be made up, make-ups stay. */
const changeArb = (a: Grid): fc.Arbitrary<Grid> =>
  fc
    .tuple(
      ...keys.map((k) => {
        const session = k.split("/")[0] as keyof typeof SESSIONS
        const was = a.get(k)
        if (was === undefined || was.status === "出席" || was.status === "缺勤")
          return fc.option(cellOf(session), { nil: undefined })
        if (was.status === "请假")
          return fc.oneof(
            fc.constant(was as Cell),
            fc.integer({ min: 1, max: SESSIONS[session] }).map((minutes): Cell => ({ status: "补学", minutes }))
          )
        return fc.constant(was as Cell)
      })
    )
    .map((cells) => new Map(keys.flatMap((k, i) => (cells[i] === undefined ? [] : [[k, cells[i] as Cell] as const]))))

/** The grid as a shuffled row-per-session sheet. */
const sheetOf = (grid: Grid, order: ReadonlyArray<number>): RosterSheet.Sheet => {
  const entries = [...grid]
  const rows = order
    .filter((i) => i < entries.length)
    .concat(entries.map((_, i) => i).filter((i) => !order.includes(i)))
  return {
    name: "签到表",
    header: ["党员编号", "课程编号", "时长", "考勤状态"],
    rows: rows.map((i, r) => {
      const [k, c] = entries[i] as [string, Cell]
      const [session, member] = k.split("/") as [string, string]
      return { row: r + 2, cells: [member, session, "minutes" in c ? String(c.minutes) : "", c.status] }
    })
  }
}

const classState = Effect.map(CommandHandler.load("class-C1", ClassDecider.ClassDecider), (l) => l.state)

/** What the class says of a cell. */
const says = (state: ClassDecider.ClassState, k: string) => {
  const [session, member] = k.split("/") as [string, string]
  const key = ClassDecider.attendanceKey(session, member)
  return {
    attended: state.attended.get(key),
    leave: state.leave.has(key),
    madeUp: state.madeUp.get(key)
  }
}

const agrees = (state: ClassDecider.ClassState, grid: Grid) => {
  for (const [k, c] of grid) {
    const s = says(state, k)
    if (c.status === "出席") expect(s).toMatchObject({ attended: c.minutes, leave: false, madeUp: undefined })
    if (c.status === "缺勤") expect(s).toMatchObject({ attended: undefined, leave: false, madeUp: undefined })
    if (c.status === "请假") expect(s).toMatchObject({ attended: undefined, leave: true })
    if (c.status === "补学") expect(s).toMatchObject({ attended: undefined, madeUp: c.minutes })
  }
}

const orderArb = fc.shuffledSubarray(
  keys.map((_, i) => i),
  { minLength: keys.length, maxLength: keys.length }
)

describe("roster import laws", () => {
  it("a re-import of the same sheet (rows in any order) is a no-op", async () => {
    await fc.assert(
      fc.asyncProperty(gridArb, orderArb, orderArb, async (grid, o1, o2) => {
        const { second, before, after, state } = await withClass(
          Effect.gen(function* () {
            yield* RosterImport.importSheet(sheetOf(grid, o1), { classId: "C1" })
            const before = yield* exportedAfterSeed
            const second = yield* RosterImport.importSheet(sheetOf(grid, o2), { classId: "C1" })
            return { second, before, after: yield* exportedAfterSeed, state: yield* classState }
          })
        )
        expect(second.appended).toBe(0)
        expect(after).toEqual(before)
        agrees(state, grid)
      }),
      { numRuns: Math.min(100, fc.readConfigureGlobal().numRuns ?? 100) }
    )
  })

  it("a changed sheet appends events only for the cells that changed, and the class then says what the sheet says", async () => {
    await fc.assert(
      fc.asyncProperty(
        gridArb.chain((a) => changeArb(a).map((b) => [a, b] as const)),
        orderArb,
        async ([a, b], order) => {
          const { added, state } = await withClass(
            Effect.gen(function* () {
              yield* RosterImport.importSheet(sheetOf(a, order), { classId: "C1" })
              const before = (yield* exportedAfterSeed).length
              yield* RosterImport.importSheet(sheetOf(b, order), { classId: "C1" })
              return { added: (yield* exportedAfterSeed).slice(before), state: yield* classState }
            })
          )
          agrees(state, b)
          for (const line of added) {
            const e = JSON.parse(line) as { type: string; data: { sessionId?: string; memberId: string } }
            if (e.type === "MemberEnrolled") {
              expect([...a.keys()].some((k) => k.endsWith(`/${e.data.memberId}`))).toBe(false)
              continue
            }
            const k = `${e.data.sessionId}/${e.data.memberId}`
            expect(JSON.stringify(a.get(k))).not.toBe(JSON.stringify(b.get(k)))
          }
        }
      ),
      { numRuns: Math.min(100, fc.readConfigureGlobal().numRuns ?? 100) }
    )
  })

  it("a sheet with one bad row leaves the store unchanged (all or nothing)", async () => {
    await fc.assert(
      fc.asyncProperty(
        gridArb,
        fc.constantFrom(
          ["M1", "S1", "91", "出席"],
          ["M9", "S2", "", "出席"],
          ["M2", "S4", "", "出席"],
          ["M3", "S3", "", "迟到"]
        ),
        async (grid, badCells) => {
          const { error, after } = await withClass(
            Effect.gen(function* () {
              const sheet = sheetOf(grid, [])
              const bad: RosterSheet.Sheet = {
                ...sheet,
                rows: [...sheet.rows, { row: sheet.rows.length + 2, cells: badCells }].filter(
                  (r, i, all) => i === all.length - 1 || r.cells[0] !== badCells[0] || r.cells[1] !== badCells[1]
                )
              }
              const error = yield* Effect.flip(RosterImport.importSheet(bad, { classId: "C1" }))
              return { error, after: yield* exportedAfterSeed }
            })
          )
          expect(error._tag).toBe("RosterRejected")
          expect(after).toEqual([])
        }
      ),
      { numRuns: Math.min(100, fc.readConfigureGlobal().numRuns ?? 100) }
    )
  })
})
