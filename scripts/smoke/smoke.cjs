// Smoke test of the BUILT packages from a CommonJS script: `require("@xueshi/...")`
// resolves through the workspace node_modules symlinks and the `exports` map
// ("require" -> dist/index.cjs). Checks that each CJS build loads, exports the names
// listed in expected-exports.json and exactly the same names as the ESM build.
const expected = require("./expected-exports.json")

const packages = Object.keys(expected).filter((k) => !k.startsWith("$"))

const main = async () => {
  const failures = []
  for (const name of packages) {
    const path = require.resolve(name)
    if (!/[\\/]dist[\\/]index\.cjs$/.test(path)) failures.push(`${name}: require resolved to ${path}`)
    const cjs = require(name)
    const esm = await import(name)
    const cjsNames = Object.keys(cjs)
      .filter((k) => k !== "default")
      .sort()
    const esmNames = Object.keys(esm)
      .filter((k) => k !== "default")
      .sort()
    if (cjsNames.length === 0) failures.push(`${name}: the CJS build exports no names`)
    const missing = expected[name].filter((k) => !cjsNames.includes(k))
    if (missing.length > 0) failures.push(`${name}: CJS build lacks expected exports ${missing.join(", ")}`)
    if (cjsNames.join("\n") !== esmNames.join("\n")) {
      failures.push(`${name}: CJS exports [${cjsNames}] differ from ESM exports [${esmNames}]`)
    }
    console.log(`smoke.cjs: ${name}: ${cjsNames.length} exports`)
  }
  if (failures.length > 0) {
    for (const f of failures) console.error(`smoke.cjs: FAIL ${f}`)
    process.exit(1)
  }
  console.log(`smoke.cjs: OK (${packages.join(", ")})`)
}

main().catch((error) => {
  console.error("smoke.cjs: FAIL", error)
  process.exit(1)
})
