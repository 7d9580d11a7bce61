/**
 * One of several OS processes that share tokens through a store, on the Effect 4 line
 * (TokenStoreProcesses.test.ts; arguments, environment and output: the shared
 * `@effect-bearer/conformance/TokenWorker`), run as
 * `node --import tsx --conditions=source tokenWorker.ts <file|redis> <directory|url> <milliseconds> <callers>`.
 * Its callers read the provider's token in a loop for the given time.
 */
import * as TokenWorker from "@effect-bearer/conformance/TokenWorker"
import * as ClientAuthentication from "@effect-bearer/core/ClientAuthentication"
import * as Grant from "@effect-bearer/core/Grant"
import * as TokenEndpoint from "@effect-bearer/core/TokenEndpoint"
import * as TokenProvider from "@effect-bearer/core/TokenProvider"
import * as TokenSource from "@effect-bearer/core/TokenSource"
import * as FileTokenStore from "@effect-bearer/platform-node/FileTokenStore"
import * as RedisTokenStore from "@effect-bearer/platform-node/RedisTokenStore"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Effect, Redacted, Result } from "effect"

const worker = TokenWorker.fromProcess()

const program = Effect.gen(function*() {
  const endpoint = yield* TokenEndpoint.make({ url: worker.tokenUrl, clientAuthentication: ClientAuthentication.publicClient(worker.clientId) })
  const grant = Grant.password({ username: worker.username, password: Redacted.make(worker.password) })
  const source = yield* TokenSource.fromEndpoint(endpoint, grant, { name: "worker" })
  const provider = yield* TokenProvider.make({ ...source, fetch: (previous) => Effect.andThen(Effect.sync(worker.announceFetch), source.fetch(previous)) })
  const caller = Effect.gen(function*() {
    while (worker.running()) {
      const token = yield* Effect.result(provider.get)
      if (Result.isFailure(token)) worker.failed(token.failure.message)
      else worker.served(token.success.expiresAt)
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
