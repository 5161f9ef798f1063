import { spawnSync } from "node:child_process"
import { existsSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { DistrictReport, Ledger, Presets } from "@xueshi/core"
import { District } from "@xueshi/testing"

/** The built bin (pnpm build makes it). */
export const BIN = fileURLToPath(new URL("../dist/bin.js", import.meta.url))

/** Runs the built bin; answers its exit code, stdout and stderr. */
export const xueshi = (args: ReadonlyArray<string>, cwd?: string) => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: run pnpm build first`)
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 28,
    ...(cwd === undefined ? {} : { cwd })
  })
  return { code: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** A small generated district's report, built in-process. */
export const smallReport = (members = 200, seed = 3): DistrictReport.DistrictReport =>
  DistrictReport.build(
    Ledger.fromRecords(District.generateDistrict({ members, seed, communities: 8 }), Presets.xiqingDistrict),
    { year: 2025 }
  )
