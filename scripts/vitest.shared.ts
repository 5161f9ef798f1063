import { fileURLToPath } from "node:url"
import type { UserWorkspaceConfig } from "vitest/config"

/**
 * The export condition that maps a workspace package to its TypeScript sources
 * (`"@xueshi/source": "./src/index.ts"` in each package's `exports`). Tests and `tsc`
 * use it; Node and consumers of the published packages never do.
 */
export const SOURCE_CONDITION = "@xueshi/source"

// Vite's default conditions (vite 8), with the source condition in front.
const clientConditions = [SOURCE_CONDITION, "module", "browser", "development|production"]
const serverConditions = [SOURCE_CONDITION, "module", "node", "development|production"]

const setupFile = fileURLToPath(new URL("./vitest.setup.ts", import.meta.url))

/**
 * The test project config every package uses: tests in `test/**\/*.test.ts` (the
 * time-zone suite is `*.tz.test.ts`), the shared setup file (fast-check numRuns), a 30 s
 * test timeout and workspace imports resolved to sources.
 */
export const xueshiProject = (name: string, root: string): UserWorkspaceConfig => ({
  root,
  resolve: { conditions: clientConditions },
  ssr: { resolve: { conditions: serverConditions } },
  test: {
    name,
    root,
    include: ["test/**/*.test.ts"],
    environment: "node",
    setupFiles: [setupFile],
    // Property tests run XUESHI_NUM_RUNS cases (default 200) inside one test.
    testTimeout: 30_000
  }
})
