import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

const source = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url))

// Tests run against the TypeScript sources of sibling packages: a clean clone needs no build.
export default defineConfig({
  resolve: {
    alias: {
      "@effect-bearer/core": source("core"),
      "@effect-bearer/providers": source("providers"),
      "@effect-bearer/platform-node": source("platform-node")
    }
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    sequence: { concurrent: false }
  }
})
