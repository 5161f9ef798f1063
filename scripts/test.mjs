// The test run behind `pnpm test` (which builds and type-checks first). No dependencies.
//   1. `vitest run`: every project listed in vitest.workspace.ts
//   2. the time-zone suite (packages/*/test/**/*.tz.test.ts, scripts/test/*.tz.test.ts)
//      again under each TZ below
//   3. the smoke test of the built packages (scripts/smoke/smoke.mjs and smoke.cjs)
//   4. the doc samples (scripts/docs-samples.mjs) and the tarball install check
//      (scripts/install-check.mjs), which count their checks into the summary
// Every step runs even if an earlier one fails; the exit code is non-zero if any failed.
// Environment: XUESHI_NUM_RUNS (fast-check cases per property, default 200),
// XUESHI_PG_URL / XUESHI_REQUIRE_PG (PostgreSQL adapter tests), CI=true (the install check
// fails instead of skipping when the npm registry is unreachable).
// A step that exits with SKIPPED (77) is reported as skipped, with the reason it printed.
import { spawnSync } from "node:child_process"
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"

const root = fileURLToPath(new URL("..", import.meta.url))
const TIME_ZONES = ["UTC", "Asia/Shanghai", "America/New_York"]
const vitest = join(root, "node_modules", "vitest", "vitest.mjs")

const findTzTests = () => {
  const found = []
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules") walk(path)
      } else if (entry.name.endsWith(".tz.test.ts")) found.push(relative(root, path))
    }
  }
  const packages = join(root, "packages")
  const dirs = readdirSync(packages).map((pkg) => join(packages, pkg, "test"))
  for (const dir of [...dirs, join(root, "scripts", "test")]) if (existsSync(dir)) walk(dir)
  return found.sort()
}

const SKIPPED = 77
const results = []
const step = (label, command, args, env = {}) => {
  console.log(`\n=== ${label}: ${[command, ...args].join(" ")}`)
  const started = Date.now()
  const r = spawnSync(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  const skipped = r.status === SKIPPED
  const ok = r.status === 0 || skipped
  const detail = r.error ? ` (${r.error.message})` : r.signal ? ` (signal ${r.signal})` : ""
  results.push({ label, ok, skipped, seconds })
  const outcome = skipped ? "SKIPPED (see above)" : ok ? "passed" : `FAILED with exit code ${r.status}${detail}`
  console.log(`=== ${label}: ${outcome} in ${seconds}s`)
}

// Each vitest run also writes a JSON report, so the summary can count tests across runs.
const reportDir = join(root, "node_modules", ".xueshi-test-reports")
rmSync(reportDir, { recursive: true, force: true })
mkdirSync(reportDir, { recursive: true })
let reportCount = 0
const vitestArgs = (...args) => [
  vitest,
  "run",
  ...args,
  "--reporter=default",
  "--reporter=json",
  `--outputFile.json=${join(reportDir, `run-${++reportCount}.json`)}`
]
const counts = { passed: 0, failed: 0, skipped: 0 }
const countReports = () => {
  for (const file of readdirSync(reportDir)) {
    try {
      const r = JSON.parse(readFileSync(join(reportDir, file), "utf8"))
      counts.passed += r.numPassedTests ?? 0
      counts.failed += r.numFailedTests ?? 0
      counts.skipped += (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0)
    } catch {
      counts.failed += 1
    }
  }
}

step("vitest (all projects)", process.execPath, vitestArgs())

const tzTests = findTzTests()
if (tzTests.length === 0) {
  console.log("\n=== time-zone suite: no *.tz.test.ts files found; nothing to re-run")
} else {
  for (const tz of TIME_ZONES) {
    step(`time-zone suite TZ=${tz}`, process.execPath, vitestArgs(...tzTests), { TZ: tz })
  }
}

step("smoke (ESM, built packages)", process.execPath, ["scripts/smoke/smoke.mjs"])
step("smoke (CJS, built packages)", process.execPath, ["scripts/smoke/smoke.cjs"])
step("smoke (types of built packages, ESM and CJS consumers)", process.execPath, [
  join(root, "node_modules", "typescript", "bin", "tsc"),
  "-p",
  "scripts/smoke/types/tsconfig.json"
])

// These two write their counts in the vitest JSON report's shape (XUESHI_TEST_REPORT).
const counted = (label, script) =>
  step(label, process.execPath, [script], { XUESHI_TEST_REPORT: join(reportDir, `run-${++reportCount}.json`) })
counted("doc samples (docs/**/*.md, README.md: type-check and run)", "scripts/docs-samples.mjs")
counted("install check (pnpm pack tarballs in a fresh npm project, ESM/CJS/types)", "scripts/install-check.mjs")

countReports()
console.log("\n=== summary")
for (const r of results) console.log(`${r.skipped ? "SKIP" : r.ok ? "ok  " : "FAIL"}  ${r.label} (${r.seconds}s)`)
const failed = results.filter((r) => !r.ok)
if (failed.length > 0) {
  console.log(
    `xueshi tests: FAILED (${failed.length} of ${results.length} steps failed: ${failed.map((r) => r.label).join("; ")})`
  )
  console.log(`tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`)
  process.exit(1)
}
console.log(
  `xueshi tests: PASSED (${results.length} steps${tzTests.length ? `, time-zone suite x${TIME_ZONES.length}` : ""})`
)
console.log(`tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`)
