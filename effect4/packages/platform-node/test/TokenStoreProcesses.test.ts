/**
 * The proof with real OS processes, not fibers, and of both Effect lines at once (the shared
 * `@effect-bearer/conformance/TokenStoreProcesses`): `tokenWorker.ts` processes (two of this
 * line, one of the Effect 3 line), each with many concurrent callers, share 3-second tokens
 * through the file store and through Redis; a `kill -9` of the lock holder mid-refresh (file)
 * and a Redis restart mid-run are survived.
 */
import * as TokenStoreProcesses from "@effect-bearer/conformance/TokenStoreProcesses"
import { NodeLocalProviderServer } from "@effect-bearer/platform-node"
import * as LocalProviderServer from "@effect-bearer/providers/LocalProviderServer"
import { describe, expect, it } from "@effect/vitest"
import { Context, Effect, Exit, Layer, Redacted, Scope } from "effect"
import { fileURLToPath } from "node:url"
import { startRedisServer } from "../../../../packages/test-support/src/RedisServer.js"

/** A line's worker, run with tsx in the package where its imports resolve. */
const worker = (name: string, packageUrl: string): TokenStoreProcesses.WorkerCommand => ({
  name,
  args: ["--import", "tsx", "--conditions=source", "test/support/tokenWorker.ts"],
  cwd: fileURLToPath(new URL(packageUrl, import.meta.url))
})
const effect4 = worker("effect4", "../")

const line: TokenStoreProcesses.Line = {
  workers: [effect4, worker("effect3", "../../../../packages/platform-node/"), effect4],
  disruptAfter: 6_000,
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

describe("TokenStore across OS processes of both Effect lines", () => {
  it("file store: 2 + 1 processes x 20 callers share 3-second tokens; kill -9 of the lock holder mid-refresh is survived", () =>
    TokenStoreProcesses.fileStore(expect, line), 100_000)

  it("Redis store: 2 + 1 processes x 20 callers share 3-second tokens; a Redis restart mid-run is survived", async () =>
    TokenStoreProcesses.redisStore(expect, line, await startRedisServer()), 100_000)
})
