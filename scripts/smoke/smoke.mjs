// Smoke test of the BUILT packages, loaded by package name from ESM: Node resolves
// `@xueshi/*` through the workspace node_modules symlinks and each package's `exports`
// map ("import" -> dist/index.js). The "@xueshi/source" condition is NOT active here.
// Checks: the module loads, exports at least one name, exports every name listed in
// expected-exports.json, and its CommonJS build (dist/index.cjs) exports the same names.
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"

const require = createRequire(import.meta.url)
const expected = JSON.parse(readFileSync(new URL("./expected-exports.json", import.meta.url), "utf8"))
const packages = Object.keys(expected).filter((k) => !k.startsWith("$"))

const failures = []
for (const name of packages) {
  const esm = await import(name)
  const esmPath = import.meta.resolve(name)
  if (!esmPath.includes("/dist/")) failures.push(`${name}: ESM resolved to ${esmPath}, not to dist/`)
  const cjsPath = require.resolve(name)
  if (!cjsPath.endsWith(".cjs")) failures.push(`${name}: require resolved to ${cjsPath}, not to a .cjs file`)
  const cjs = require(name)
  const esmNames = Object.keys(esm)
    .filter((k) => k !== "default")
    .sort()
  const cjsNames = Object.keys(cjs)
    .filter((k) => k !== "default")
    .sort()
  if (esmNames.length === 0) failures.push(`${name}: the ESM build exports no names`)
  const missing = expected[name].filter((k) => !esmNames.includes(k))
  if (missing.length > 0) failures.push(`${name}: ESM build lacks expected exports ${missing.join(", ")}`)
  const onlyEsm = esmNames.filter((k) => !cjsNames.includes(k))
  const onlyCjs = cjsNames.filter((k) => !esmNames.includes(k))
  if (onlyEsm.length > 0 || onlyCjs.length > 0) {
    failures.push(`${name}: ESM/CJS export names differ (only ESM: [${onlyEsm}], only CJS: [${onlyCjs}])`)
  }
  if (expected[name].length === 0) console.warn(`smoke.mjs: note: expected-exports.json lists no names for ${name} yet`)
  console.log(`smoke.mjs: ${name}: ${esmNames.length} exports`)
}
if (failures.length > 0) {
  for (const f of failures) console.error(`smoke.mjs: FAIL ${f}`)
  process.exit(1)
}
console.log(`smoke.mjs: OK (${packages.join(", ")})`)
