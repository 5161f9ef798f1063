import { defineConfig } from "tsup"

// Same file in every package: src/index.ts -> dist/index.{js,cjs,d.ts,d.cts}.
export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  tsconfig: "tsconfig.build.json",
  target: "es2022",
  platform: "node",
  sourcemap: true,
  clean: true,
  splitting: false,
  treeshake: false
})
