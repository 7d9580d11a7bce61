import { defineConfig, mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

// Plain functions over request records: no per-file isolation needed.
export default mergeConfig(shared, defineConfig({ test: { name: "local-provider-server", isolate: false } }))
