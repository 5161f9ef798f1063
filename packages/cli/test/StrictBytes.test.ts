/**
 * The commands read a log as strict bytes (`LogSource.bytes`): invalid UTF-8 and a lone CR are
 * refused with the line (and the byte offset), never replaced by U+FFFD or taken as a line end
 * (as `node:readline` did). Through the built bin.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest"
import { xueshi } from "./helpers.js"

// every case spawns the bin; on a loaded machine each spawn takes seconds
vi.setConfig({ testTimeout: 240_000, hookTimeout: 240_000 })

let dir: string
/** The generated log's lines, as bytes (no line end). */
let lines: Array<Buffer>

const oneErrorLine = (stderr: string) => {
  const out = stderr.trimEnd().split("\n")
  expect(out).toHaveLength(2)
  expect(out[0]).toMatch(/^xueshi: /)
  expect(out[1]).toMatch(/^ {2}hint: /)
  expect(stderr).not.toMatch(/\n\s+at /) // no stack trace
}

const write = (name: string, parts: ReadonlyArray<Buffer>): string => {
  const path = join(dir, name)
  writeFileSync(path, Buffer.concat(parts))
  return path
}
const LF = Buffer.from("\n")
const CR = Buffer.from("\r")
const withLf = (ls: ReadonlyArray<Buffer>) => ls.flatMap((l) => [l, LF])

/** Line `index` (0-based) with FF FE C3 written over the bytes after the first character of its school name. */
const badName = (index: number) => {
  const line = Buffer.from(lines[index] as Buffer)
  const name = line.indexOf('"name":"')
  expect(name).toBeGreaterThan(0)
  const at = name + '"name":"'.length + 3 // after one CJK character (3 bytes)
  line.set([0xff, 0xfe, 0xc3], at)
  return { line, at }
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "xueshi-strict-"))
  const log = join(dir, "district.jsonl")
  const r = xueshi(["generate", "--members", "40", "--seed", "5", "--year", "2025", "--out", log])
  expect(r.code, r.stderr).toBe(0)
  const bytes = readFileSync(log)
  lines = []
  for (let from = 0; from < bytes.length; ) {
    const nl = bytes.indexOf(0x0a, from)
    lines.push(bytes.subarray(from, nl))
    from = nl + 1
  }
  expect(lines.length).toBeGreaterThan(100)
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("invalid UTF-8 in a school name (FF FE C3)", () => {
  // line 2 of the log: the byte offset in the log is line 1's bytes, its LF, and the offset in line 2
  const fixture = () => {
    const { line, at } = badName(1)
    const path = write("utf8.jsonl", withLf([lines[0] as Buffer, line, ...lines.slice(2)]))
    const offset = (lines[0] as Buffer).length + 1 + at
    return { path, at, offset }
  }

  it("validate: exit 1, the error names line 2 and both byte offsets, reading stopped there", () => {
    const { path, at, offset } = fixture()
    const r = xueshi(["validate", path])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(
      `line 2: $: [line.json] invalid UTF-8 at byte ${at} of the line (byte ${offset} of the log)`
    )
    expect(r.stdout).toContain("reading stopped here")
    expect(r.stdout).toContain("1 error in 1 lines read (reading stopped at line 2):")
    expect(r.stdout).not.toContain("valid (")
    expect(r.stdout).not.toContain("\uFFFD")
    oneErrorLine(r.stderr)
  })

  it("report and import: exit 1, one error line naming line 2 and the byte offset, nothing else", () => {
    const { path, offset } = fixture()
    const report = xueshi(["report", path, "--format", "json"])
    expect(report.code).toBe(1)
    expect(report.stdout).toBe("")
    expect(report.stderr).toContain(`${path}:line 2: `)
    expect(report.stderr).toContain(`(byte ${offset} of the log)`)
    oneErrorLine(report.stderr)
    const imported = xueshi(["import", path, "--store", "memory:"])
    expect(imported.code).toBe(1)
    expect(imported.stderr).toContain(`${path}:line 2: `)
    expect(imported.stderr).toContain("nothing imported")
    oneErrorLine(imported.stderr)
  })

  it("validate --all lists the errors before the bad bytes, then the bad bytes, and says the read ended", () => {
    const { line, at } = badName(3)
    const path = write("many.jsonl", withLf([...lines.slice(0, 1), Buffer.from("not json"), lines[1] as Buffer, line]))
    const offset = (lines[0] as Buffer).length + 1 + "not json".length + 1 + (lines[1] as Buffer).length + 1 + at
    const r = xueshi(["validate", path, "--all"])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain("line 2: [line.json] not JSON")
    expect(r.stdout).toContain(
      `line 4: $: [line.json] invalid UTF-8 at byte ${at} of the line (byte ${offset} of the log)`
    )
    expect(r.stdout).toContain("2 errors in 3 lines read (reading stopped at line 4):\n  line.json: 2\n")
    oneErrorLine(r.stderr)
    // without --all: the first error only, the bad bytes not reached
    const first = xueshi(["validate", path])
    expect(first.stdout).toContain("1 error (the first; --all lists more) in 2 lines read:")
    expect(first.stdout).not.toContain("invalid UTF-8")
  })
})

describe("a lone CR", () => {
  // lines 1 and 2 joined by a lone CR: one line, refused; readline made two valid lines of it
  const fixture = () => write("cr.jsonl", [lines[0] as Buffer, CR, lines[1] as Buffer, LF, ...withLf(lines.slice(2))])

  it("validate: exit 1 naming line 1 and the carriage return (not two lines)", () => {
    const r = xueshi(["validate", fixture(), "--max-errors", "1"])
    expect(r.code).toBe(1)
    expect(r.stdout).toContain(
      `line 1: [line.json] not JSON: a carriage return (\\r) at character ${(lines[0] as Buffer).toString("utf8").length}`
    )
    expect(r.stdout).toContain("1 error in 1 lines read:")
    oneErrorLine(r.stderr)
  })

  it("report: exit 1, one error line naming line 1", () => {
    const path = fixture()
    const r = xueshi(["report", path, "--format", "json"])
    expect(r.code).toBe(1)
    expect(r.stdout).toBe("")
    expect(r.stderr).toContain(`${path}:line 1: [line.json]`)
    expect(r.stderr).toContain("carriage return")
    oneErrorLine(r.stderr)
  })

  it("CR LF line ends are still read as line ends (validate and report accept them)", () => {
    const path = write(
      "crlf.jsonl",
      lines.flatMap((l) => [l, CR, LF])
    )
    const v = xueshi(["validate", path])
    expect(v.code, v.stdout).toBe(0)
    expect(v.stdout).toContain(`valid (${lines.length} lines, ${lines.length} events)`)
    const lf = write("lf.jsonl", withLf(lines))
    const r = xueshi(["report", path, "--format", "json"])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toBe(xueshi(["report", lf, "--format", "json"]).stdout)
  })
})
