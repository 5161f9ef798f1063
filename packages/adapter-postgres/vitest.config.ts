import { defineProject } from "vitest/config"
import { xueshiProject } from "../../scripts/vitest.shared.ts"

const base = xueshiProject("adapter-postgres", import.meta.dirname)

// The files share one PostgreSQL cluster, whose visibility bound is cluster-wide: a test that
// holds a writing transaction open on purpose would hold the other files' readers back. Run the
// files one after the other.
export default defineProject({ ...base, test: { ...base.test, fileParallelism: false } })
