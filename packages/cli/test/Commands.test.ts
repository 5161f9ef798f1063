// import, export, explain, what-if, transcript, verify and follow end to end through the BUILT bin (pnpm build
// first): exit codes, outputs, and the errors of bad flags and bad files (one line and a hint, no stack trace).
import { spawn } from "node:child_process"
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { BIN, xueshi } from "./helpers.js"

// every case spawns the bin several times; on a loaded machine each takes seconds
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 })

let dir: string
let log: string
let other: string
let store: string

const oneErrorLine = (stderr: string) => {
  const lines = stderr.trimEnd().split("\n")
  expect(lines).toHaveLength(2)
  expect(lines[0]).toMatch(/^xueshi: /)
  expect(lines[1]).toMatch(/^ {2}hint: /)
  expect(stderr).not.toMatch(/\n\s+at /)
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "xueshi-commands-"))
  log = join(dir, "district.jsonl")
  other = join(dir, "other.jsonl")
  store = join(dir, "store")
  expect(xueshi(["generate", "--members", "150", "--seed", "21", "--out", log]).code).toBe(0)
  expect(xueshi(["generate", "--members", "150", "--seed", "22", "--out", other]).code).toBe(0)
  const r = xueshi(["import", log, "--store", `file:${store}`])
  expect(r.code, r.stderr).toBe(0)
}, 120_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const lineCount = (path: string) => readFileSync(path, "utf8").trimEnd().split("\n").length

describe("import", () => {
  it("imports every line into a file store, which then reports like the log", () => {
    const events = lineCount(log)
    const again = xueshi(["report", "--store", `file:${store}`, "--format", "json"])
    expect(again.code, again.stderr).toBe(0)
    expect(again.stdout).toBe(xueshi(["report", log, "--format", "json"]).stdout)
    const exported = xueshi(["export", "--store", `file:${store}`])
    expect(exported.stdout.trimEnd().split("\n")).toHaveLength(events)
  })
  it("is all or nothing: a log with a bad line imports nothing, exit 1 naming the line", () => {
    const lines = readFileSync(log, "utf8").trimEnd().split("\n")
    const bad = join(dir, "bad.jsonl")
    writeFileSync(
      bad,
      `${[...lines.slice(0, 40), '{"stream":"school-X","type":"Nope","data":{}}', ...lines.slice(40)].join("\n")}\n`
    )
    const target = join(dir, "store-bad")
    const r = xueshi(["import", bad, "--store", `file:${target}`])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("line 41")
    oneErrorLine(r.stderr)
    const exported = xueshi(["export", "--store", `file:${target}`])
    expect(exported.code, exported.stderr).toBe(0)
    expect(exported.stdout.trim()).toBe("")
    const prefix = xueshi(["import", bad, "--store", `file:${join(dir, "store-prefix")}`, "--valid-prefix"])
    expect(prefix.code).toBe(1)
    expect(prefix.stdout).toContain("imported 40 events")
    expect(prefix.stderr).toContain("line 41")
  })
  it("memory: is a dry run; bad flags and files are usage (2) or invalid (1)", () => {
    const dry = xueshi(["import", log, "--store", "memory:"])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain(`imported ${lineCount(log)} events`)
    expect(dry.stdout).toContain("dry run")
    for (const args of [
      ["import", log],
      ["import", log, "--store", "ftp://x"],
      ["import", log, "--store", "memory:", "--batch-size", "0"],
      ["import", log, "--store", "memory:", "--batch-size", "many"]
    ]) {
      const r = xueshi(args)
      expect(r.code, args.join(" ")).toBe(2)
      oneErrorLine(r.stderr)
    }
    const missing = xueshi(["import", join(dir, "nope.jsonl"), "--store", "memory:"])
    expect(missing.code).toBe(1)
    oneErrorLine(missing.stderr)
  })
})

describe("export", () => {
  it("export → import into an empty store → export is byte-identical, written only where --out says", () => {
    const first = join(dir, "first.jsonl")
    const r = xueshi(["export", "--store", `file:${store}`, "--out", first])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe("")
    const copy = join(dir, "store-copy")
    expect(xueshi(["import", first, "--store", `file:${copy}`]).code).toBe(0)
    const second = xueshi(["export", "--store", `file:${copy}`])
    expect(second.stdout).toBe(readFileSync(first, "utf8"))
    const after = xueshi(["export", "--store", `file:${store}`, "--after", "100"])
    expect(after.stdout.trimEnd().split("\n")).toHaveLength(lineCount(log) - 100)
  })
  it("a store that is not there is exit 3; an unwritable --out is exit 3 and leaves nothing", () => {
    const gone = xueshi(["export", "--store", `file:${join(dir, "no-such-store")}`])
    expect(gone.code).toBe(3)
    oneErrorLine(gone.stderr)
    const out = join(dir, "no-such-dir", "x.jsonl")
    const unwritable = xueshi(["export", "--store", `file:${store}`, "--out", out])
    expect(unwritable.code).toBe(3)
    oneErrorLine(unwritable.stderr)
    expect(existsSync(out)).toBe(false)
  })
})

describe("explain", () => {
  const shortMember = () => {
    const report = JSON.parse(xueshi(["report", log, "--format", "json"]).stdout)
    return report.shortfalls.find((s: { earnedHours: number }) => s.earnedHours > 0) as {
      memberId: string
      requirementId: string
      earnedHours: number
      shortfallHours: number
    }
  }
  it("lists every grant of every requirement; the counted hours add up to the report's earned hours", () => {
    const s = shortMember()
    const text = xueshi(["explain", s.memberId, log, "--lang", "en"])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toContain(`memberId ${s.memberId}`)
    expect(text.stdout).toContain(`${s.requirementId} `)
    const json = xueshi([
      "explain",
      s.memberId,
      "--store",
      `file:${store}`,
      "--requirement",
      s.requirementId,
      "--format",
      "json"
    ])
    expect(json.code, json.stderr).toBe(0)
    const x = JSON.parse(json.stdout)
    expect(x.answers).toHaveLength(1)
    const answer = x.answers[0]
    const counted = answer.explanation.counted.reduce(
      (n: number, g: { hours: number }) => n + Math.round(g.hours * 100),
      0
    )
    expect(counted).toBe(Math.round(s.earnedHours * 100))
    expect(answer.shortfallHours).toBe(s.shortfallHours)
    const grants = (text.stdout.match(/^ {4}[+-] /gm) ?? []).length
    expect(grants).toBeGreaterThanOrEqual(answer.explanation.counted.length + answer.explanation.excluded.length)
  })
  it("an unknown member or requirement is invalid (1); no member is usage (2)", () => {
    const unknown = xueshi(["explain", "NOBODY", log])
    expect(unknown.code).toBe(1)
    oneErrorLine(unknown.stderr)
    const req = xueshi(["explain", shortMember().memberId, log, "--requirement", "nope"])
    expect(req.code).toBe(1)
    oneErrorLine(req.stderr)
    const none = xueshi(["explain"])
    expect(none.code).toBe(2)
    oneErrorLine(none.stderr)
  })
})

describe("what-if", () => {
  it("a policy against itself changes nothing; against another, the transitions count the changes", () => {
    const same = xueshi(["what-if", log, "--vs", "xiqing-district", "--format", "json"])
    expect(same.code, same.stderr).toBe(0)
    const s = JSON.parse(same.stdout)
    expect(s.changes).toHaveLength(0)
    expect(s.schools.length).toBeGreaterThan(1)
    for (const m of s.schools) expect(m.changeText ?? "0.00%").toBe("0.00%")
    const vs = xueshi([
      "what-if",
      "--store",
      `file:${store}`,
      "--policy",
      "xiqing-district",
      "--vs",
      "national-2019",
      "--format",
      "json"
    ])
    expect(vs.code, vs.stderr).toBe(0)
    const r = JSON.parse(vs.stdout)
    expect(r.requirements.compared).toContain("annual-32")
    const counted = Object.values(r.transitions as Record<string, Record<string, number>>)
      .flatMap((t) => Object.values(t))
      .reduce((n, k) => n + k, 0)
    expect(counted).toBe(r.changes.length)
    const table = xueshi(["what-if", log, "--vs", "national-2019"])
    expect(table.code).toBe(0)
    expect(table.stdout).toContain(`${r.changes.length} status change`)
  })
  it("no --vs or an unknown policy is usage (2)", () => {
    for (const args of [
      ["what-if", log],
      ["what-if", log, "--vs", "nope"]
    ]) {
      const r = xueshi(args)
      expect(r.code).toBe(2)
      oneErrorLine(r.stderr)
    }
  })
})

describe("transcript and verify", () => {
  const member = () =>
    (JSON.parse(xueshi(["report", log, "--format", "json"]).stdout).shortfalls[0] as { memberId: string }).memberId
  it("a transcript verifies against its log and the store it was imported into; altered, it does not", () => {
    const m = member()
    const text = join(dir, "t.txt")
    const r = xueshi(["transcript", m, log, "--year", "2025", "--out", text])
    expect(r.code, r.stderr).toBe(0)
    const page = readFileSync(text, "utf8")
    expect(page).toContain(m)
    expect(page).toMatch(
      new RegExp(`xueshi-transcript: v1 member=${m} year=2025 .* events=${lineCount(log)} sha256=[0-9a-f]{64}`)
    )
    expect(xueshi(["verify", text, log]).code).toBe(0)
    const fromStore = xueshi(["verify", text, "--store", `file:${store}`])
    expect(fromStore.code, fromStore.stderr).toBe(0)
    expect(fromStore.stdout).toContain("verified")
    const altered = join(dir, "t-altered.txt")
    writeFileSync(
      altered,
      page.replace(/(\d+)\.(\d\d)/, (_, a, b) => `${Number(a) + 1}.${b}`)
    )
    const bad = xueshi(["verify", altered, log])
    expect(bad.code).toBe(1)
    oneErrorLine(bad.stderr)
    const wrongLog = xueshi(["verify", text, other])
    expect(wrongLog.code).toBe(1)
    expect(wrongLog.stderr).toContain("are not the ones")
  })
  it("an HTML transcript verifies against a log that has grown since (its prefix is the same)", () => {
    const m = member()
    const html = join(dir, "t.html")
    expect(
      xueshi(["transcript", m, "--store", `file:${store}`, "--year", "2025", "--format", "html", "--out", html]).code
    ).toBe(0)
    expect(readFileSync(html, "utf8")).toMatch(/^<!doctype html>/)
    const grown = join(dir, "grown.jsonl")
    writeFileSync(grown, readFileSync(log, "utf8"))
    appendFileSync(
      grown,
      '{"stream":"school-XQ2","type":"SchoolRegistered","data":{"schoolId":"XQ2","name":"新区委党校","tier":"district"}}\n'
    )
    expect(xueshi(["validate", grown]).code).toBe(0)
    const v = xueshi(["verify", html, grown])
    expect(v.code, v.stderr).toBe(0)
    expect(v.stdout).toContain(`the first ${lineCount(log)} events of ${grown}`)
  })
  it("no year, no transcript line or a missing file are errors with a hint", () => {
    const noYear = xueshi(["transcript", member(), log])
    expect(noYear.code).toBe(2)
    oneErrorLine(noYear.stderr)
    const plain = join(dir, "plain.txt")
    writeFileSync(plain, "not a transcript\n")
    const none = xueshi(["verify", plain, log])
    expect(none.code).toBe(1)
    oneErrorLine(none.stderr)
    const missing = xueshi(["verify", join(dir, "nope.txt"), log])
    expect(missing.code).toBe(1)
    oneErrorLine(missing.stderr)
  })
})

describe("follow", () => {
  it("--once prints the headline when caught up: every event folded, no lag", () => {
    const r = xueshi(["follow", "--store", `file:${store}`, "--once"])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(new RegExp(`events ${lineCount(log)}  lag 0 events`))
    expect(r.stdout).toMatch(/met \d+ \/ applicable \d+/)
  })
  it("stops cleanly on SIGINT (exit 0, nothing on stderr)", async () => {
    const child = spawn(process.execPath, [BIN, "follow", "--store", `file:${store}`, "--interval", "200"])
    let out = ""
    let err = ""
    child.stderr.on("data", (d) => {
      err += String(d)
    })
    await new Promise<void>((resolve) =>
      child.stdout.on("data", (d) => {
        out += String(d)
        if (out.includes("\n")) resolve()
      })
    )
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)))
    child.kill("SIGINT")
    expect(await exited).toBe(0)
    expect(err).toBe("")
    expect(out).toMatch(/events \d+/)
  }, 60_000)
  it("--updates N stops after N lines; bad flags are usage (2); a missing store is 3", () => {
    const r = xueshi(["follow", "--store", `file:${store}`, "--updates", "2", "--interval", "100"])
    expect(r.code).toBe(0)
    expect(r.stdout.trimEnd().split("\n")).toHaveLength(2)
    const fast = xueshi(["follow", "--store", `file:${store}`, "--interval", "1"])
    expect(fast.code).toBe(2)
    oneErrorLine(fast.stderr)
    const gone = xueshi(["follow", "--store", `file:${join(dir, "nope")}`, "--once"])
    expect(gone.code).toBe(3)
    oneErrorLine(gone.stderr)
  })
})
