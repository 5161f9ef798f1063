import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { FileStore } from "@xueshi/adapter-file"
import { LogTransfer } from "@xueshi/core"
import { Effect } from "effect"
import { afterEach, beforeEach, describe, expect, it } from "vitest"
import { xueshi } from "./helpers.js"

const example = (name: string) => fileURLToPath(new URL(`../../../examples/rosters/${name}`, import.meta.url))
let dir: string
let store: string

const onStore = <A, E>(effect: Effect.Effect<A, E, import("@xueshi/core").EventStore.EventStore>) =>
  Effect.runPromise(effect.pipe(Effect.provide(FileStore.layer({ directory: join(dir, "store") }))))
const exported = () => onStore(LogTransfer.exportText())

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), "xueshi-import-"))
  store = `file:${join(dir, "store")}`
  await onStore(LogTransfer.importLog(readFileSync(example("class.jsonl"), "utf8")))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const errorLines = (stderr: string) => {
  const lines = stderr.trimEnd().split("\n")
  expect(lines).toHaveLength(2)
  expect(lines[0]).toMatch(/^xueshi: /)
  expect(lines[1]).toMatch(/^ {2}hint: /)
  return lines
}

describe("xueshi import-roster", { timeout: 180_000 }, () => {
  it("imports the sample sheet (exit 0), and again as a no-op", async () => {
    const r = xueshi([
      "import-roster",
      example("sign-in-correct.xlsx"),
      "--class",
      "C1",
      "--mapping",
      example("mapping.json"),
      "--store",
      store
    ])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/13 rows, 13 events appended \(AttendanceRecorded 7, .*\), 1 unchanged/)
    const again = xueshi(["import-roster", example("sign-in-correct.csv"), "--class", "C1", "--store", store])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain("13 rows, 0 events appended, 13 unchanged")
    expect((await exported()).trimEnd().split("\n")).toHaveLength(16 + 13)
  })

  it("refuses the sheet with three errors (exit 1): one line per bad row, nothing written", async () => {
    const before = await exported()
    const r = xueshi(["import-roster", example("sign-in.csv"), "--class", "C1", "--store", store])
    expect(r.code).toBe(1)
    expect(r.stdout.trimEnd().split("\n")).toEqual([
      "sign-in.csv!7 时长 (E): attendance.exceedsSession: 150 minutes exceed the 120 of session S2",
      expect.stringMatching(/^sign-in\.csv!8 考勤状态 \(F\): roster\.status: "迟到" is not a status/),
      "sign-in.csv!13 党员编号 (B): enrollment.unknownMember: member M9 is not a registered member"
    ])
    expect(errorLines(r.stderr)[0]).toContain("3 bad rows, nothing written")
    expect(await exported()).toBe(before)
  })

  it("--valid-rows imports the others (exit 0) and lists what it left out", () => {
    const r = xueshi(["import-roster", example("sign-in.csv"), "--class", "C1", "--store", store, "--valid-rows"])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout.split("\n").filter((l) => l.startsWith("left out: "))).toHaveLength(3)
    expect(r.stdout).toContain("3 left out")
  })

  it("usage errors are exit 2: no --class, a file that is not a sheet", () => {
    const noClass = xueshi(["import-roster", example("sign-in.csv"), "--store", store])
    expect(noClass.code).toBe(2)
    errorLines(noClass.stderr)
    const notSheet = xueshi(["import-roster", example("class.jsonl"), "--class", "C1", "--store", store])
    expect(notSheet.code).toBe(2)
    errorLines(notSheet.stderr)
  })

  it("a bad mapping or a missing file is exit 1, a missing store folder exit 3", () => {
    const badMapping = xueshi([
      "import-roster",
      example("sign-in.csv"),
      "--class",
      "C1",
      "--mapping",
      example("xapi-mapping.json"),
      "--store",
      store
    ])
    expect(badMapping.code).toBe(1)
    expect(errorLines(badMapping.stderr)[0]).toContain("xapi-mapping.json")
    const missing = xueshi(["import-roster", join(dir, "nope.csv"), "--class", "C1", "--store", store])
    expect(missing.code).toBe(1)
    expect(errorLines(missing.stderr)[0]).toContain("no such file")
    const noStore = xueshi([
      "import-roster",
      example("sign-in.csv"),
      "--class",
      "C1",
      "--store",
      `file:${join(dir, "nope")}`
    ])
    expect(noStore.code).toBe(3)
    errorLines(noStore.stderr)
  })
})

describe("xueshi import-xapi", { timeout: 180_000 }, () => {
  it("imports the sample batch with its voiding (exit 0); a re-import skips everything", () => {
    const args = [
      "import-xapi",
      example("statements.json"),
      "--mapping",
      example("xapi-mapping.json"),
      "--store",
      store
    ]
    const r = xueshi(args)
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toContain("7 statements, 8 events appended")
    expect(r.stdout).toContain("CreditRevoked 1")
    const again = xueshi(args)
    expect(again.code).toBe(0)
    expect(again.stdout).toContain("7 statements, 0 events appended, 6 already imported, 1 ignored")
  })

  it("a conflicting statement id is exit 1 with the statement named; nothing written", async () => {
    const batch = JSON.parse(readFileSync(example("statements.json"), "utf8")) as Array<Record<string, unknown>>
    const path = join(dir, "conflict.ndjson")
    const changed = { ...batch[0], result: { duration: "PT5M" } }
    await import("node:fs/promises").then((fs) =>
      fs.writeFile(path, [batch[0], changed].map((s) => JSON.stringify(s)).join("\n"))
    )
    const before = await exported()
    const r = xueshi(["import-xapi", path, "--mapping", example("xapi-mapping.json"), "--store", store])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^#2 \(line 2\) 0b9c3a4e-6f1d-4c2a-9e57-1d2f3a4b5c61 id: xapi\.conflict: /)
    expect(errorLines(r.stderr)[0]).toContain("1 bad statement, nothing written")
    expect(await exported()).toBe(before)
  })

  it("--mapping is required (exit 2)", () => {
    const r = xueshi(["import-xapi", example("statements.json"), "--store", store])
    expect(r.code).toBe(2)
    errorLines(r.stderr)
  })
})
