import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    projects: ["packages/*/vitest.config.ts"],
    // Workers are reused from file to file (only the root setting reaches the pool, as on the Effect 3 line):
    // each file re-importing Effect 4 and the platform cost more than most of their tests (243 s -> 146 s under load).
    isolate: false,
    maxWorkers: 2,
    minWorkers: 1
  }
})
