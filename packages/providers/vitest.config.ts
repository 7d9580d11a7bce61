import { defineConfig, mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

// Suites here share nothing between files but their imports: running them in one module
// graph (no per-file isolation) saves re-importing Effect for each file (46 s -> 13 s on 2 cores).
export default mergeConfig(shared, defineConfig({ test: { name: "providers", isolate: false } }))
