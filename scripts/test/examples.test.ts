// The two smaller examples run end to end on the BUILT packages (`pnpm test` builds first):
// embedding (command handling + a live ledger on the file store) and a local policy's what-if.
import { spawnSync } from "node:child_process"
import { join } from "node:path"
import { describe, expect, it } from "vitest"

const examples = join(import.meta.dirname, "..", "..", "examples")
const run = (script: string, args: ReadonlyArray<string> = []) =>
  spawnSync(process.execPath, [join(examples, script), ...args], { encoding: "utf8" })

describe("examples", () => {
  it("embed.mjs: refuses a duplicate enrolment by its rule and answers from the live ledger", () => {
    const r = run("embed.mjs")
    expect(r.stderr).toBe("")
    expect(r.status).toBe(0)
    expect(r.stdout).toContain("refused: [enrollment.duplicate]")
    // two sessions of 180 minutes under standard-45: 2 × 4 hours
    expect(r.stdout).toContain("M1 in 2025: 8 hours, annual-32 notMet")
  }, 60_000)

  it("custom-policy.mjs: a raised threshold moves members from met to not met, never back", () => {
    const r = run("custom-policy.mjs", ["--members", "800"])
    expect(r.stderr).toBe("")
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/annual-32: \{ 'met→notMet': \d+ \}/)
    expect(r.stdout).not.toContain("notMet→met")
  }, 120_000)

  it("custom-policy.mjs: a bad policy file is refused with the path of the field", () => {
    const r = run("custom-policy.mjs", [join(import.meta.dirname, "..", "..", "package.json")])
    expect(r.status).toBe(1)
    expect(r.stderr).toMatch(/package\.json: name: Expected no excess property/)
  }, 60_000)
})
