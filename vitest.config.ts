import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    // vitest >= 3.2: `test.projects` replaces the deprecated vitest.workspace.ts file
    projects: ["packages/*/vitest.config.ts"],
    reporters: ["default", "./scripts/summary-reporter.ts"]
  }
})
