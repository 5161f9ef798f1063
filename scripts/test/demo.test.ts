// The main job end to end (examples/replay-district.mjs on the BUILT packages, which
// `pnpm test` builds first): a small district replays into the same report digest twice,
// under two process time zones, and a log with a broken line is rejected naming that line.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, describe, expect, it } from "vitest"

const script = join(import.meta.dirname, "..", "..", "examples", "replay-district.mjs")
const dir = mkdtempSync(join(tmpdir(), "xueshi-demo-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const run = (args: ReadonlyArray<string>, tz: string) =>
  spawnSync(process.execPath, [script, ...args], { encoding: "utf8", env: { ...process.env, TZ: tz } })
const digestOf = (stdout: string) => /report sha256 ([0-9a-f]{64})/.exec(stdout)?.[1]

describe("examples/replay-district.mjs", () => {
  it("replays a generated district into the same report digest under TZ=UTC and TZ=America/New_York", () => {
    const a = run(["--members", "1200", "--out", join(dir, "a")], "UTC")
    expect(a.stderr).toBe("")
    expect(a.status).toBe(0)
    const b = run(["--members", "1200", "--out", join(dir, "b")], "America/New_York")
    expect(b.status).toBe(0)
    expect(a.stdout).toMatch(/met annual-32/)
    const report = JSON.parse(readFileSync(join(dir, "a", "district-2025.report.json"), "utf8"))
    expect(report.format).toBe("xueshi/district-report@1")
    const annual = report.requirements.find((r: { requirementId: string }) => r.requirementId === "annual-32")
    expect(annual.counts.met).toBeGreaterThan(0)
    expect(a.stdout).toContain(`${annual.counts.met} met annual-32`)
    expect(digestOf(a.stdout)).toBeDefined()
    expect(digestOf(b.stdout)).toBe(digestOf(a.stdout))
  }, 120_000)

  it("rejects a log with an impossible line, naming the line and the rule", () => {
    const lines = readFileSync(join(dir, "a", "district-2025-1200.jsonl"), "utf8").split("\n")
    const attendance = lines.findIndex((l) => l.includes('"AttendanceRecorded"'))
    expect(attendance).toBeGreaterThan(0)
    lines.splice(attendance + 1, 0, lines[attendance] as string)
    const bad = join(dir, "bad.jsonl")
    writeFileSync(bad, `${lines.join("\n")}\n`)
    const r = run([bad, "--out", join(dir, "bad")], "UTC")
    expect(r.status).toBe(1)
    expect(r.stderr).toContain(`line ${attendance + 2}:`)
    expect(r.stderr).toContain("[attendance.duplicate]")
  }, 60_000)
})
