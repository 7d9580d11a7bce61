import { defineConfig } from "vitest/config"

// vitest >= 3.2: `test.projects` replaces the deprecated vitest.workspace.ts file
export default defineConfig({ test: { projects: ["packages/*/vitest.config.ts"] } })
