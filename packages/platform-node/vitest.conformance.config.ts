import { defineConfig, mergeConfig } from "vitest/config"
import shared from "../../vitest.shared.js"

// The conformance suites (oidc-provider, oauth2-mock-server) as a project of their own: vitest
// runs each project in worker processes of its own, and after some of this package's other
// files in the same process, their TestClock cases found no TestClock ("testClock.adjust is
// not a function"): state left in modules loaded once per process, which a fresh module
// graph per file (isolate: true) did not clear.
const config = mergeConfig(shared, defineConfig({ test: { name: "platform-node-conformance" } }))

// `include` replaced, not appended to (mergeConfig concatenates arrays).
export default { ...config, test: { ...config.test, include: ["test/conformance/**/*.test.ts"] } }
