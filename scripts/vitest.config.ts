import { defineProject } from "vitest/config"
import { xueshiProject } from "./vitest.shared.ts"

// Tests of the repository tooling itself (scripts/test/**/*.test.ts).
export default defineProject(xueshiProject("tooling", import.meta.dirname))
