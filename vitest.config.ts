import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    // vitest >= 3.2: `test.projects` replaces the deprecated vitest.workspace.ts file
    projects: ["packages/*/vitest.config.ts", "packages/platform-node/vitest.conformance.config.ts"],
    // Both cores: vitest's default leaves one free (259 s -> 152 s for the whole suite on 2 cores).
    maxWorkers: 2,
    minWorkers: 1,
    // Workers are reused from file to file. Only this root setting does that: with it unset, the
    // pool starts a fresh process for every file whatever the projects say, and each file spends
    // 2-4 s importing Effect, the platform and our sources again (about 180 s of the suite's
    // worker time on 2 cores). Each project still says whether its own modules are re-evaluated.
    isolate: false,
    reporters: ["default", "./scripts/summary-reporter.ts"]
  }
})
