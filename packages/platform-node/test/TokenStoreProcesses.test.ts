/**
 * The proof with real OS processes, not fibers (issue 12; the shared
 * `@effect-bearer/conformance/TokenStoreProcesses`): three bundled `tokenWorker.ts` processes,
 * each with many concurrent callers, share 3-second tokens (with refresh-token rotation: UP42's
 * password grant against the local provider server, run here) through the file store and
 * through Redis; a `kill -9` of the lock holder mid-refresh (file) and a Redis restart mid-run
 * are survived.
 */
import * as TokenStoreProcesses from "@effect-bearer/conformance/TokenStoreProcesses"
import { LocalProviderServer } from "@effect-bearer/providers"
import { startRedisServer } from "@effect-bearer/test-support/RedisServer"
import { Context, Effect, Exit, Layer, Redacted, Scope } from "effect"
import { describe, expect, it } from "vitest"
import * as NodeLocalProviderServer from "@effect-bearer/platform-node/NodeLocalProviderServer"
import * as Scripts from "./support/Scripts.js"

const bundled: TokenStoreProcesses.WorkerCommand = { name: "effect3", args: [Scripts.path("tokenWorker")] }

const line: TokenStoreProcesses.Line = {
  workers: [bundled, bundled, bundled],
  disruptAfter: 4_000,
  // A local provider server of 3-second UP42 tokens of its own, for one run.
  startServer: async () => {
    const scope = Effect.runSync(Scope.make())
    const server = Context.get(
      await Effect.runPromise(Layer.buildWithScope(NodeLocalProviderServer.layer({ lifetimes: { "up42-account": "3 seconds" } }), scope)),
      LocalProviderServer.LocalProviderServer
    )
    return {
      tokenUrl: server.urls["up42-account"].tokenUrl,
      username: server.credentials.up42Account.username,
      password: Redacted.value(server.credentials.up42Account.password),
      requests: () => Effect.runPromise(server.requests("up42-account")),
      slowNextRequest: () => Effect.runPromise(server.setFault("up42-account", LocalProviderServer.slow("1500 millis"), { times: 1 })),
      close: () => Effect.runPromise(Scope.close(scope, Exit.void))
    }
  }
}

/** What a run measured, for the log. */
const print = (stats: TokenStoreProcesses.Stats) => console.log(stats.backend, JSON.stringify(stats))

// Side by side: each run is mostly waiting (9 s of callers that sleep between reads, each
// with a server of its own), and the bundled workers start in well under a second each, so
// six at once answer in time where eight tsx processes on two cores did not.
describe.concurrent("TokenStore across OS processes", () => {
  it("file store: 3 processes x 20 callers share 3-second tokens; kill -9 of the lock holder mid-refresh is survived", () =>
    TokenStoreProcesses.fileStore(expect, line).then(print), 100_000)

  it("Redis store: 3 processes x 20 callers share 3-second tokens; a Redis restart mid-run is survived", async () =>
    print(await TokenStoreProcesses.redisStore(expect, line, await startRedisServer())), 100_000)
})
