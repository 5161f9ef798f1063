import { readFileSync } from "node:fs"
import fc from "fast-check"
import { describe, expect, it } from "vitest"

describe("test tooling", () => {
  it("configures fast-check's numRuns from XUESHI_NUM_RUNS (default 200)", () => {
    const raw = process.env.XUESHI_NUM_RUNS
    const expected = raw === undefined || raw === "" ? 200 : Number(raw)
    expect(fc.readConfigureGlobal().numRuns).toBe(expected)
  })

  it("resolves workspace packages to their sources (the @xueshi/source condition)", () => {
    for (const pkg of ["core", "testing"]) {
      const url = new URL(`../../packages/${pkg}/package.json`, import.meta.url)
      const manifest = JSON.parse(readFileSync(url, "utf8"))
      expect(manifest.exports["."]["@xueshi/source"]).toBe("./src/index.ts")
      expect(import.meta.resolve(`@xueshi/${pkg}`)).toMatch(new RegExp(`/packages/${pkg}/src/index\\.ts$`))
    }
  })
})
