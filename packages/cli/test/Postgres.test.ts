// Store URLs of PostgreSQL through the BUILT bin: import, report, export, explain and follow on a
// postgres://… store, each test run in a schema of its own, dropped afterwards. Needs XUESHI_PG_URL; without it
// the tests are skipped with a printed reason, except with XUESHI_REQUIRE_PG=1, where they fail.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { xueshi } from "./helpers.js"

vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 })

const PG = process.env.XUESHI_PG_URL
const required = process.env.XUESHI_REQUIRE_PG === "1"
if (PG === undefined && !required)
  console.warn("Postgres.test.ts: skipped: XUESHI_PG_URL is not set (e.g. postgres://postgres@127.0.0.1:5432/postgres)")

const psql = (sql: string) => {
  const r = spawnSync("psql", [PG as string, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], { encoding: "utf8" })
  if (r.status !== 0) throw new Error(`psql: ${r.stderr}`)
  return r.stdout
}

describe.skipIf(PG === undefined && !required)("postgres:// store URLs", () => {
  const schema = `xueshi_cli_${process.pid}_${Date.now() % 100000}`
  let dir: string
  let log: string
  const url = () => `${PG}${(PG as string).includes("?") ? "&" : "?"}schema=${schema}`

  beforeAll(() => {
    if (PG === undefined) throw new Error("XUESHI_REQUIRE_PG=1 and no XUESHI_PG_URL")
    dir = mkdtempSync(join(tmpdir(), "xueshi-cli-pg-"))
    log = join(dir, "district.jsonl")
    expect(xueshi(["generate", "--members", "120", "--seed", "31", "--out", log]).code).toBe(0)
  })
  afterAll(() => {
    if (PG !== undefined) psql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
  })

  it("import creates the schema; report, explain and follow read it like the log; export gives every event back", () => {
    const events = readFileSync(log, "utf8").trimEnd().split("\n").length
    const imported = xueshi(["import", log, "--store", url()])
    expect(imported.code, imported.stderr).toBe(0)
    expect(imported.stdout).toContain(`imported ${events} events`)
    expect(psql(`SELECT count(*) FROM information_schema.schemata WHERE schema_name = '${schema}'`).trim()).toBe("1")
    const report = xueshi(["report", "--store", PG as string, "--schema", schema, "--format", "json"])
    expect(report.code, report.stderr).toBe(0)
    expect(report.stdout).toBe(xueshi(["report", log, "--format", "json"]).stdout)
    const exported = xueshi(["export", "--store", url()])
    expect(exported.code, exported.stderr).toBe(0)
    expect(exported.stdout.trimEnd().split("\n")).toHaveLength(events)
    const member = JSON.parse(report.stdout).shortfalls[0].memberId as string
    expect(xueshi(["explain", member, "--store", url()]).code).toBe(0)
    const follow = xueshi(["follow", "--store", url(), "--once"])
    expect(follow.code, follow.stderr).toBe(0)
    expect(follow.stdout).toContain(`events ${events}  lag 0 events`)
  })

  it("a schema with no store is unavailable (3) for readers, and is not created by them", () => {
    const missing = `${schema}_none`
    const r = xueshi(["report", "--store", PG as string, "--schema", missing])
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/^xueshi: .*\n {2}hint: /)
    expect(psql(`SELECT count(*) FROM information_schema.schemata WHERE schema_name = '${missing}'`).trim()).toBe("0")
    const twice = xueshi(["report", "--store", url(), "--schema", "other"])
    expect(twice.code).toBe(2)
  })
})
