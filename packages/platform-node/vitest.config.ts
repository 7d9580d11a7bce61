import { configDefaults, defineConfig, mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

// One module graph for the suites here (no per-file isolation), as in core: re-importing
// Effect, the platform and the CLI for each file cost more than most of their tests. The
// conformance suites run as a project of their own (vitest.conformance.config.ts). The
// scripts tests start as child processes are bundled once per run (test/support/bundleScripts.ts).
export default mergeConfig(
  shared,
  defineConfig({
    test: {
      name: "platform-node",
      isolate: false,
      exclude: [...configDefaults.exclude, "test/conformance/**"],
      globalSetup: ["./test/support/bundleScripts.ts"]
    }
  })
)
