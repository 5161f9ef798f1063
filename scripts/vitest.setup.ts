import fc from "fast-check"

// Shared by every test project (see scripts/vitest.shared.ts).
// XUESHI_NUM_RUNS sets the number of cases of every fast-check property (default 200).
const raw = process.env.XUESHI_NUM_RUNS
const numRuns = raw === undefined || raw === "" ? 200 : Number(raw)
if (!Number.isSafeInteger(numRuns) || numRuns < 1) {
  throw new Error(`XUESHI_NUM_RUNS must be a positive integer, got ${JSON.stringify(raw)}`)
}
fc.configureGlobal({ ...fc.readConfigureGlobal(), numRuns })
