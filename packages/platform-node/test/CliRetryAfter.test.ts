import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { LocalProviderServer } from "@effect-bearer/providers"
import { Cli } from "@effect-bearer/platform-node"
import * as CliHarness from "./support/CliHarness.js"
import * as LocalServer from "./support/LocalServer.js"

// On the real clock, as the CLI runs: a wait would show as a test that does not finish.
layer(LocalServer.layer, { excludeTestServices: true })("effect-bearer token and Retry-After", (it) => {
  it.scoped("a 429 asking to wait a day answers at once, after one request (TemporarilyUnavailable, 15)", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      yield* server.setFault("hydrosat", LocalProviderServer.rateLimited("1 day"))
      const started = Date.now()
      const result = yield* CliHarness.run(["token", "hydrosat"], server.environment)
      expect(Date.now() - started).toBeLessThan(5_000)
      expect(result.exitCode).toBe(Cli.exitCodes.TemporarilyUnavailable)
      expect(result.stderr).toContain("rate limiting")
      expect(yield* server.requestCount("hydrosat")).toBe(1)
    }), { timeout: 15_000 })
})
