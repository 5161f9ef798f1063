// Cost of strict line parsing (issue 13): JSON.parse alone against StrictJson.parse (repeated keys,
// nesting and length checked) on the lines of a generated district log, and, for the record, the
// maintained JSON tokenizers that could find repeated keys (when installed; they are not dependencies).
// Uses the BUILT packages: `pnpm build`, then `node bench/strict-json.mjs [--lines N]`.
import { createRequire } from "node:module"
import { StrictJson } from "@xueshi/core"
import { District } from "@xueshi/testing"

const i = process.argv.indexOf("--lines")
const LINES = i >= 0 ? Number(process.argv[i + 1]) : 100_000
const lines = [...District.bigLog({ lines: LINES, seed: 2025 })]
const time = (name, f) => {
  for (let k = 0; k < 2000; k++) f(lines[k % lines.length])
  const c0 = process.cpuUsage()
  for (const line of lines) f(line)
  const c = process.cpuUsage(c0)
  const us = (c.user + c.system) / lines.length
  console.log(`${name.padEnd(40)} ${us.toFixed(2)} µs of CPU per line`)
  return us
}
const base = time("JSON.parse", (l) => JSON.parse(l))
const strict = time("StrictJson.parse", (l) => StrictJson.parse(l))
console.log(
  `strict parsing adds ${(strict - base).toFixed(2)} µs per line (${((strict / base - 1) * 100).toFixed(0)} %)`
)
for (const [pkg, run] of [
  ["jsonc-parser", (m) => (l) => m.visit(l, { onObjectProperty: () => undefined })],
  ["@humanwhocodes/momoa", (m) => (l) => m.parse(l)]
]) {
  try {
    // BENCH_MODULES: a folder whose node_modules holds them (e.g. a scratch `npm install`)
    const m = createRequire(`${process.env.BENCH_MODULES ?? process.cwd()}/`)(pkg)
    time(`${pkg} (a JS tokenizer pass)`, run(m))
  } catch {
    console.log(`${pkg}: not installed`)
  }
}
