import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

const line = fileURLToPath(new URL("./packages/", import.meta.url))
const shared = fileURLToPath(new URL("../packages/", import.meta.url))
/** The version-free packages both lines share: their sources are at the top of the repository. */
const versionFree = "kernel|local-provider-server|conformance"

// Tests run against the TypeScript sources: a clean clone needs no build. `@effect-bearer/<package>` is its
// index, `@effect-bearer/<package>/<Module>` that module; this line's packages first, then the shared ones.
export default defineConfig({
  resolve: {
    alias: [
      { find: new RegExp(`^@effect-bearer/(${versionFree})$`), replacement: `${shared}$1/src/index.ts` },
      { find: new RegExp(`^@effect-bearer/(${versionFree})/([A-Za-z]+)$`), replacement: `${shared}$1/src/$2.ts` },
      { find: /^@effect-bearer\/([a-z-]+)$/, replacement: `${line}$1/src/index.ts` },
      { find: /^@effect-bearer\/([a-z-]+)\/([A-Za-z]+)$/, replacement: `${line}$1/src/$2.ts` }
    ]
  },
  test: {
    include: ["test/**/*.test.ts"],
    // vitest 5 takes the isolation of each project (the root's alone does not reach them): one module graph per
    // worker, as the root config says why.
    isolate: false,
    testTimeout: 20_000,
    hookTimeout: 20_000,
    sequence: { concurrent: false }
  }
})
