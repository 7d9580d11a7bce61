import { defineConfig, mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

// Pure functions: no per-file isolation needed.
export default mergeConfig(shared, defineConfig({ test: { name: "kernel", isolate: false } }))
