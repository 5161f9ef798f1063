import { defineConfig } from "tsup"

// The build of every package: src/index.ts -> dist/index.{js,cjs}. Declarations come from
// scripts/build-types.mjs (tsc, unbundled) -> dist/types/**/*.{d.ts,d.cts}.
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: false,
  tsconfig: "tsconfig.build.json",
  target: "es2022",
  platform: "node",
  sourcemap: true,
  clean: true,
  splitting: false,
  treeshake: false
})
