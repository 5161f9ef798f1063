/**
 * THE list of test projects. Vitest 4 no longer reads this file by itself: the root
 * vitest.config.ts imports it as `test.projects`. Add a new package's vitest.config.ts here.
 */
export const projects: Array<string> = [
  "packages/core/vitest.config.ts",
  "packages/testing/vitest.config.ts",
  "scripts/vitest.config.ts",
  "packages/adapter-memory/vitest.config.ts",
  "packages/adapter-file/vitest.config.ts",
  "packages/cli/vitest.config.ts",
  "packages/adapter-postgres/vitest.config.ts",
  "packages/import/vitest.config.ts"
]

export default projects
