import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    // vitest >= 3.2: `test.projects` replaces the deprecated vitest.workspace.ts file
    projects: ["packages/*/vitest.config.ts"],
    // Both cores: vitest's default leaves one free (259 s -> 152 s for the whole suite on 2 cores).
    maxWorkers: 2,
    minWorkers: 1,
    reporters: ["default", "./scripts/summary-reporter.ts"]
  }
})
