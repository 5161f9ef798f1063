import { defineProject } from "vitest/config"
import { xueshiProject } from "../../scripts/vitest.shared.ts"

export default defineProject(xueshiProject("import", import.meta.dirname))
