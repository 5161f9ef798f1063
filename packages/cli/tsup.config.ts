import { defineConfig, type Options } from "tsup"
import shared from "../../scripts/tsup.shared.ts"

// The shared build (scripts/tsup.shared.ts) with a second entry, the `xueshi` bin: src/bin.ts -> dist/bin.js
// (its shebang kept; package.json "bin" points at the ESM file).
export default defineConfig({ ...(shared as Options), entry: { index: "src/index.ts", bin: "src/bin.ts" } })
