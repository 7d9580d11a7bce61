import { defineConfig, mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

// One module graph for the suites here (no per-file isolation): each file re-importing Effect and
// the platform cost more than most of their tests (core: 103 s -> 47 s on 2 cores). Tests read
// times relative to their own start, never assuming the TestClock starts at 0.
export default mergeConfig(shared, defineConfig({ test: { name: "core", isolate: false } }))
