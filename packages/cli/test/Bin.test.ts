import { createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { createInterface } from "node:readline"
import { FileStore } from "@xueshi/adapter-file"
import { DistrictReport, Ledger, LogTransfer, Presets } from "@xueshi/core"
import { Effect } from "effect"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { xueshi } from "./helpers.js"

// every case spawns the bin; on a loaded machine each spawn takes seconds
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 })

let dir: string
let log: string

const oneErrorLine = (stderr: string) => {
  const lines = stderr.trimEnd().split("\n")
  expect(lines).toHaveLength(2)
  expect(lines[0]).toMatch(/^xueshi: /)
  expect(lines[1]).toMatch(/^ {2}hint: /)
  expect(stderr).not.toMatch(/\n\s+at /) // no stack trace
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "xueshi-cli-"))
  log = join(dir, "district.jsonl")
  const r = xueshi(["generate", "--members", "250", "--seed", "11", "--year", "2025", "--out", log])
  expect(r.code, r.stderr).toBe(0)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("generate", () => {
  it("writes an event-log-v1 file the validator accepts", () => {
    const lines = readFileSync(log, "utf8").trimEnd().split("\n")
    expect(lines.length).toBeGreaterThan(1000)
    expect(JSON.parse(lines[0] as string).type).toBe("SchoolRegistered")
    const r = xueshi(["validate", log])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`valid (${lines.length} lines, ${lines.length} events)`)
  })
  it("refuses --members abc and --out missing with exit 2, one line and a hint", () => {
    const bad = xueshi(["generate", "--members", "abc", "--out", join(dir, "x.jsonl")])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain("--members")
    oneErrorLine(bad.stderr)
    expect(existsSync(join(dir, "x.jsonl"))).toBe(false)
    const missing = xueshi(["generate"])
    expect(missing.code).toBe(2)
    oneErrorLine(missing.stderr)
  })
})

describe("validate", () => {
  const broken = () => {
    const path = join(dir, "broken.jsonl")
    const head = readFileSync(log, "utf8").split("\n").slice(0, 3)
    writeFileSync(
      path,
      `${[
        ...head,
        '{"stream":"member-M9","type":"MemberRegistered","data":{"memberId":"M9","schoolId":"NOPE","categories":["ordinaryMember"]}}',
        "not json",
        "also not json"
      ].join("\n")}\n`
    )
    return path
  }
  it("stops at the first error: line, field path, rule, hint; exit 1", () => {
    const r = xueshi(["validate", broken()])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain("line 4: data.schoolId: [member.unknownSchool]")
    expect(r.stdout).toContain("hint: A member is registered with")
    expect(r.stdout).not.toContain("line 5")
    expect(r.stdout).toContain("member.unknownSchool: 1")
  })
  it("--all lists every error and counts them by rule; --max-errors N stops at N", () => {
    const all = xueshi(["validate", broken(), "--all"])
    expect(all.code).toBe(1)
    expect(all.stdout).toContain("line 5: [line.json]")
    expect(all.stdout).toContain("line 6: [line.json]")
    expect(all.stdout).toContain("3 errors in 6 lines read:\n  line.json: 2\n  member.unknownSchool: 1\n")
    const two = xueshi(["validate", broken(), "--max-errors", "2"])
    expect(two.stdout).toContain("2 errors in 5 lines read:")
    expect(xueshi(["validate", broken(), "--max-errors", "0"]).code).toBe(2)
  })
  it("a missing file is invalid input (1), a missing argument is usage (2)", () => {
    const gone = xueshi(["validate", join(dir, "nope.jsonl")])
    expect(gone.code).toBe(1)
    expect(gone.stderr).toContain("no such file")
    oneErrorLine(gone.stderr)
    const none = xueshi(["validate"])
    expect(none.code).toBe(2)
    oneErrorLine(none.stderr)
  })
})

describe("report", () => {
  it("--format json equals DistrictReport.toJson of the same log", async () => {
    const r = xueshi(["report", log, "--format", "json"])
    expect(r.code, r.stderr).toBe(0)
    const lines = createInterface({ input: createReadStream(log), crlfDelay: Number.POSITIVE_INFINITY })
    const ledger = await Effect.runPromise(Ledger.fromLog(lines, Presets.xiqingDistrict))
    expect(r.stdout).toBe(`${DistrictReport.toJson(DistrictReport.build(ledger, { year: 2025 }))}\n`)
  })
  it("--as-of and --year narrow the report", () => {
    const r = xueshi(["report", log, "--format", "json", "--as-of", "2025-06-30"])
    expect(r.code).toBe(0)
    const json = JSON.parse(r.stdout)
    expect([json.year, json.asOf]).toEqual([2025, "2025-06-30"])
  })
  it("prints the table by default, Chinese labels, nothing written to the folder", () => {
    const cwd = mkdtempSync(join(tmpdir(), "xueshi-cwd-"))
    const r = xueshi(["report", log], cwd)
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("== 各级党校 ==")
    expect(r.stdout).not.toContain('"')
    expect(r.stderr).toBe("") // not a TTY: no step times
    expect(readdirSync(cwd)).toEqual([])
    rmSync(cwd, { recursive: true })
  })
  it("--format csv --out DIR writes six files with a BOM and a row per school", () => {
    const out = join(dir, "csv")
    const r = xueshi(["report", log, "--format", "csv", "--out", out])
    expect(r.code, r.stderr).toBe(0)
    expect(readdirSync(out).sort()).toEqual(
      ["classes", "modules", "quotas", "requirements", "schools", "shortfalls"].map((n) => `${n}.csv`)
    )
    const json = JSON.parse(xueshi(["report", log, "--format", "json"]).stdout) as DistrictReport.DistrictReport
    const schools = readFileSync(join(out, "schools.csv"), "utf8")
    expect(schools.charCodeAt(0)).toBe(0xfeff)
    const rows = schools.trimEnd().split("\r\n")
    expect(rows).toHaveLength(json.schools.length + 1)
    expect(rows[1]?.startsWith(`${json.schools[0]?.schoolId},${json.schools[0]?.name},`)).toBe(true)
    const shortfalls = readFileSync(join(out, "shortfalls.csv"), "utf8").trimEnd().split("\r\n")
    expect(shortfalls).toHaveLength(json.shortfalls.length + 1)
  })
  it("--format csv without --out is a usage error", () => {
    const r = xueshi(["report", log, "--format", "csv"])
    expect(r.code).toBe(2)
    oneErrorLine(r.stderr)
  })
  it("--format html --out FILE writes one self-contained page", () => {
    const out = join(dir, "report.html")
    expect(xueshi(["report", log, "--format", "html", "--out", out]).code).toBe(0)
    const html = readFileSync(out, "utf8")
    expect(html.startsWith("<!doctype html>")).toBe(true)
    expect(html).not.toMatch(/https?:\/\//)
  })
  it.each([
    [["--as-of", "2025-13-45"], 2, "--as-of 2025-13-45"],
    [["--format", "xml"], 2, "--format"],
    [["--lang", "fr"], 2, "--lang"],
    [["--bogus"], 2, "--bogus"],
    [["--year", "twenty"], 2, "--year"],
    [["--policy", "no-such-preset"], 2, "unknown policy"],
    [["--policy", "annual-32"], 2, "requirement preset"]
  ])("bad flags %j exit %i with one line naming %s", (flags, code, named) => {
    const r = xueshi(["report", log, ...flags])
    expect(r.code).toBe(code)
    expect(r.stderr).toContain(named)
    oneErrorLine(r.stderr)
    expect(r.stdout).toBe("")
  })
  it("a bad policy file or a bad log is invalid input (1)", () => {
    const policy = join(dir, "policy.json")
    writeFileSync(policy, JSON.stringify({ id: "p" }))
    const p = xueshi(["report", log, "--policy", policy])
    expect(p.code).toBe(1)
    oneErrorLine(p.stderr)
    const bad = join(dir, "bad.jsonl")
    writeFileSync(bad, `${readFileSync(log, "utf8").split("\n").slice(0, 2).join("\n")}\n{"stream":"nope"}\n`)
    const l = xueshi(["report", bad])
    expect(l.code).toBe(1)
    expect(l.stderr).toContain("line 3:")
    oneErrorLine(l.stderr)
    expect(l.stdout).toBe("")
  })
  it("an output that cannot be written is exit 3", () => {
    const r = xueshi(["report", log, "--format", "json", "--out", join(dir, "no", "such", "dir", "r.json")])
    expect(r.code).toBe(3)
    oneErrorLine(r.stderr)
  })
})

describe("help", () => {
  it.each([
    [[]],
    [["generate"]],
    [["validate"]],
    [["import"]],
    [["export"]],
    [["report"]],
    [["what-if"]],
    [["explain"]],
    [["transcript"]],
    [["verify"]],
    [["follow"]]
  ])("%j --help shows examples, exit 0", (path) => {
    const r = xueshi([...path, "--help"])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain("EXAMPLES")
    expect(r.stdout).toContain("xueshi")
  })
  it("an unknown subcommand is a usage error", () => {
    const r = xueshi(["frobnicate"])
    expect(r.code).toBe(2)
    oneErrorLine(r.stderr)
  })
})

describe("report --store", () => {
  it("file:<dir> reports the store's events like the log they came from", async () => {
    const store = join(dir, "store")
    const text = readFileSync(log, "utf8")
    await Effect.runPromise(
      Effect.scoped(LogTransfer.importLog(text).pipe(Effect.provide(FileStore.layer({ directory: store }))))
    )
    const fromStore = xueshi(["report", "--store", `file:${store}`, "--format", "json"])
    expect(fromStore.code, fromStore.stderr).toBe(0)
    expect(fromStore.stdout).toBe(xueshi(["report", log, "--format", "json"]).stdout)
  })
  it("a store that is not there is unavailable (3); a bad URL or no source is usage (2)", () => {
    const gone = xueshi(["report", "--store", `file:${join(dir, "no-store")}`])
    expect(gone.code).toBe(3)
    oneErrorLine(gone.stderr)
    const url = xueshi(["report", "--store", "redis://localhost/x"])
    expect(url.code).toBe(2)
    oneErrorLine(url.stderr)
    const refused = xueshi(["report", "--store", "postgres://postgres@127.0.0.1:1/postgres?schema=nope"])
    expect(refused.code).toBe(3)
    oneErrorLine(refused.stderr)
    const none = xueshi(["report"])
    expect(none.code).toBe(2)
    oneErrorLine(none.stderr)
    const both = xueshi(["report", log, "--store", "memory:"])
    expect(both.code).toBe(2)
  })
})
