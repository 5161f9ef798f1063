// The doc-sample harness (scripts/docs-samples.mjs) itself: on a Markdown file with a sample that
// does not type-check, one that throws and one mark without a reason, it fails and names each
// `file:line`; a good sample, a no-run sample and a fragment pass or skip.
import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { describe, expect, it } from "vitest"

const root = fileURLToPath(new URL("../..", import.meta.url))
const fence = "```"
const page = [
  "# a page", //                                                   1
  "", //                                                           2
  `${fence}ts`, //                                                 3
  'import { Calendar } from "@xueshi/core"', //                    4
  'const date: Calendar.LocalDate = "2025-12-31"', //              5  type error (branded)
  "console.log(date)", //                                          6
  fence, //                                                        7
  "", //                                                           8
  `${fence}ts`, //                                                 9
  'throw new Error("boom")', //                                    10 throws when run
  fence, //                                                        11
  "", //                                                           12
  "<!-- sample: fragment -->", //                                  13 no reason
  "", //                                                           14
  `${fence}ts`, //                                                 15
  "{ shape: ... }", //                                             16
  fence, //                                                        17
  "", //                                                           18
  "<!-- sample: fragment, a shape -->", //                         19
  "", //                                                           20
  `${fence}ts`, //                                                 21
  "{ shape: ... }", //                                             22
  fence, //                                                        23
  "", //                                                           24
  `${fence}ts`, //                                                 25
  'import { Calendar } from "@xueshi/core"', //                    26
  "console.log(Calendar.endOfYear(2025))", //                      27
  fence //                                                         28
].join("\n")

describe("the doc-sample harness", () => {
  it("fails naming file:line of a type error, a throwing sample and a mark without a reason", () => {
    const dir = mkdtempSync(join(tmpdir(), "xueshi-docs-samples-test-"))
    try {
      const md = join(dir, "page.md")
      writeFileSync(md, page)
      const r = spawnSync(
        process.execPath,
        ["scripts/docs-samples.mjs", md, "--out", ".xueshi-tmp/doc-samples-selftest"],
        { cwd: root, encoding: "utf8" }
      )
      const output = `${r.stdout}${r.stderr}`
      expect(r.status, output).toBe(1)
      expect(output).toContain(`${md}:5: TS2322`)
      expect(output).toContain(`${md}:9: the sample exited with 1`)
      expect(output).toContain("boom")
      expect(output).toContain(`${md}:15: the "fragment" mark needs a reason`)
      expect(output).toContain(`fragment  ${md}:21: a shape`)
      expect(output).toMatch(new RegExp(`ran  ${md.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:25 .*: 2025-12-31`))
      expect(output).toContain("1 passed, 3 failed, 1 skipped (fragments)")
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 120_000)
})
