// Emits a package's type declarations with tsc, file by file (no bundling), for both module
// systems: dist/types/**/*.d.ts for `import` and dist/types/**/*.d.cts for `require` (relative
// specifiers rewritten from .js to .cjs). Run from the package folder after tsup.
//
// Why not tsup's `dts: true`: its declaration bundler drops the value half of a name that is
// both a const and a type inside an `export * as X` namespace (e.g. `Ids.SchoolId`, a schema
// and its type), so consumers of the built package would lose the schemas.
import { spawnSync } from "node:child_process"
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { join } from "node:path"

const require = createRequire(import.meta.url)
const tsc = require.resolve("typescript/bin/tsc")
const out = join(process.cwd(), "dist", "types")
rmSync(out, { recursive: true, force: true })
const r = spawnSync(
  process.execPath,
  [tsc, "-p", "tsconfig.build.json", "--declaration", "--emitDeclarationOnly", "--noEmit", "false", "--outDir", out],
  { stdio: "inherit" }
)
if (r.status !== 0) process.exit(r.status ?? 1)

const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) walk(path)
    else if (entry.name.endsWith(".d.ts")) {
      const text = readFileSync(path, "utf8").replace(
        /(from\s+|import\()(["'])(\.{1,2}\/[^"']+)\.js\2/g,
        "$1$2$3.cjs$2"
      )
      writeFileSync(path.replace(/\.d\.ts$/, ".d.cts"), text)
    }
  }
}
walk(out)
