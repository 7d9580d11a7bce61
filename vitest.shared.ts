import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

const packages = fileURLToPath(new URL("./packages/", import.meta.url))

// Tests run against the TypeScript sources of sibling packages: a clean clone needs no build.
// `@effect-bearer/<package>` is its index, `@effect-bearer/<package>/<Module>` that module.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@effect-bearer\/([a-z-]+)$/, replacement: `${packages}$1/src/index.ts` },
      { find: /^@effect-bearer\/([a-z-]+)\/([A-Za-z]+)$/, replacement: `${packages}$1/src/$2.ts` }
    ]
  },
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    sequence: { concurrent: false }
  }
})
