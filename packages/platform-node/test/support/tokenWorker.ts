/**
 * One of several OS processes that share tokens through a store (TokenStoreProcesses.test.ts;
 * arguments, environment and output: the shared `@effect-bearer/conformance/TokenWorker`), run as
 * `node <its bundle, Scripts.ts> <file|redis> <directory|url> <milliseconds> <callers>`.
 * Its callers read the provider's token in a loop for the given time.
 */
import * as TokenWorker from "@effect-bearer/conformance/TokenWorker"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { ClientAuthentication, Grant, TokenEndpoint, TokenProvider, TokenSource } from "@effect-bearer/core"
import * as FileTokenStore from "@effect-bearer/platform-node/FileTokenStore"
import * as RedisTokenStore from "@effect-bearer/platform-node/RedisTokenStore"
import { Effect, Either, Redacted } from "effect"

const worker = TokenWorker.fromProcess()

const program = Effect.gen(function*() {
  const endpoint = yield* TokenEndpoint.make({
    url: worker.tokenUrl,
    clientAuthentication: ClientAuthentication.publicClient(worker.clientId),
    // The server runs in the test's process: on a two-core machine loaded by other work it has
    // answered later than the default 10 s. How long an answer may take is not what this proves.
    timeout: "30 seconds"
  })
  const grant = Grant.password({ username: worker.username, password: Redacted.make(worker.password) })
  const source = yield* TokenSource.fromEndpoint(endpoint, grant, { name: "worker" })
  const provider = yield* TokenProvider.make({ ...source, fetch: (previous) => Effect.zipRight(Effect.sync(worker.announceFetch), source.fetch(previous)) })
  const caller = Effect.gen(function*() {
    while (worker.running()) {
      const token = yield* Effect.either(provider.get)
      if (Either.isLeft(token)) worker.failed(token.left.message)
      else worker.served(token.right.expiresAt)
      yield* Effect.sleep(worker.pause())
    }
  })
  yield* Effect.all(Array.from({ length: worker.callers }, () => caller), { concurrency: "unbounded" })
  worker.printReport()
})

const store = worker.backend === "file"
  ? FileTokenStore.layer({ directory: worker.target, lockTimeToLive: "3 seconds" })
  : RedisTokenStore.layer({ url: Redacted.make(worker.target), keyPrefix: "processes:", lockTimeToLive: "3 seconds" })

worker.finish(Effect.runPromise(Effect.scoped(program).pipe(Effect.provide(store), Effect.provide(NodeHttpClient.layerUndici))))
