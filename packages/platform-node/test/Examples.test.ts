import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { vi } from "vitest"
import { LocalProviderServer } from "@effect-bearer/providers"
import { NodeLocalProviderServer } from "@effect-bearer/platform-node"
import * as Programs from "./support/Programs.js"
import * as Spawn from "./support/Spawn.js"

// The programs of examples/: each one in this process with its console captured (see
// support/Programs.ts), and one as a user runs it, `tsx --conditions=source
// examples/src/<name>.ts`, reading its credentials from the process environment.
vi.mock("@effect/platform-node/NodeRuntime", async (importOriginal) => ({
  ...await importOriginal<typeof import("@effect/platform-node/NodeRuntime")>(),
  runMain: (await import("./support/Programs.js")).runMain
}))

const timeout = 90_000

const examples = [
  { script: "examples/src/up42-project.ts", prints: /1 project\(s\) at http:\/\/127\.0\.0\.1:\d+\/up42\/api:\n  \S+: Local project/ },
  { script: "examples/src/up42-account.ts", prints: /Signed in to http:\/\/127\.0\.0\.1:\d+\/up42-account\/api as user@example\.com/ },
  { script: "examples/src/bitquery.ts", prints: /"Number": "1"/ },
  { script: "examples/src/hydrosat.ts", prints: /1 collection\(s\) at http:\/\/127\.0\.0\.1:\d+\/hydrosat\/stac:\n  local-collection/ }
]

describe.concurrent("examples", () => {
  it.live("each runs against a local provider server when its credentials are not set", () =>
    Effect.gen(function*() {
      const results = yield* Effect.all(examples.map((example) => Programs.run(example.script)), {
        concurrency: "unbounded"
      })
      results.forEach((result, index) => {
        expect(result.exitCode).toBe(0)
        expect(result.stdout).toMatch(examples[index]!.prints)
        expect(result.stderr).toMatch(/not set: running against a local provider server at http:\/\/127\.0\.0\.1:\d+/)
      })
    }), timeout)

  it.scopedLive("run as a user runs it, with the credentials and API URL in the environment, an example uses them", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      const result = yield* Spawn.run("examples/src/hydrosat.ts", [], {
        env: {
          HYDROSAT_CLIENT_ID: server.credentials.hydrosat.clientId,
          HYDROSAT_CLIENT_SECRET: Redacted.value(server.credentials.hydrosat.clientSecret),
          HYDROSAT_TOKEN_URL: server.urls.hydrosat.tokenUrl,
          HYDROSAT_STAC_URL: server.urls.hydrosat.apiUrl.replace(/\/collections$/, "")
        }
      })
      expect(result.stderr).toBe("")
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain("local-collection")
      expect(yield* server.requestCount("hydrosat")).toBe(1)
      expect(yield* server.requestCount("hydrosat", "api")).toBe(1)
    }).pipe(Effect.provide(NodeLocalProviderServer.layer())), timeout)
})
