/**
 * One of several OS processes that share tokens through a store, on the Effect 4 line
 * (TokenStoreProcesses.test.ts; the Effect 3 line's tokenWorker.ts takes the same arguments):
 * `node --import tsx --conditions=source tokenWorker.ts <file|redis> <directory|url> <milliseconds> <callers>`,
 * with `TOKEN_URL`, `USERNAME` and `PASSWORD` (a password grant with refresh tokens, public client
 * `up42-api`) in the environment. Its callers read the provider's token in a loop for the given
 * time, each checking that it is not expired. It prints `fetch` when its own source starts a token
 * request, then `report <json>`.
 */
import * as ClientAuthentication from "@effect-bearer/core/ClientAuthentication"
import * as Grant from "@effect-bearer/core/Grant"
import * as TokenEndpoint from "@effect-bearer/core/TokenEndpoint"
import * as TokenProvider from "@effect-bearer/core/TokenProvider"
import * as TokenSource from "@effect-bearer/core/TokenSource"
import * as FileTokenStore from "@effect-bearer/platform-node/FileTokenStore"
import * as RedisTokenStore from "@effect-bearer/platform-node/RedisTokenStore"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Effect, Redacted, Result } from "effect"

const [backend, target, milliseconds, callers] = process.argv.slice(2) as [string, string, string, string]
const environment = (name: string) => process.env[name] ?? ""

const program = Effect.gen(function*() {
  const endpoint = yield* TokenEndpoint.make({ url: environment("TOKEN_URL"), clientAuthentication: ClientAuthentication.publicClient("up42-api") })
  const source = yield* TokenSource.fromEndpoint(
    endpoint,
    Grant.password({ username: environment("USERNAME"), password: Redacted.make(environment("PASSWORD")) }),
    { name: "worker" }
  )
  const announced: TokenSource.TokenSource = {
    ...source,
    fetch: (previous) => Effect.andThen(Effect.sync(() => process.stdout.write("fetch\n")), source.fetch(previous))
  }
  const provider = yield* TokenProvider.make(announced)
  const report = { gets: 0, expired: 0, failures: [] as Array<string> }
  const until = Date.now() + Number(milliseconds)
  const caller = Effect.gen(function*() {
    while (Date.now() < until) {
      const token = yield* Effect.result(provider.get)
      if (Result.isFailure(token)) report.failures.push(token.failure.message)
      else {
        report.gets++
        if (Date.now() >= token.success.expiresAt) report.expired++
      }
      yield* Effect.sleep(`${20 + Math.floor(Math.random() * 60)} millis`)
    }
  })
  yield* Effect.all(Array.from({ length: Number(callers) }, () => caller), { concurrency: "unbounded" })
  process.stdout.write(`report ${JSON.stringify(report)}\n`)
})

const store = backend === "file"
  ? FileTokenStore.layer({ directory: target, lockTimeToLive: "3 seconds" })
  : RedisTokenStore.layer({ url: Redacted.make(target), keyPrefix: "processes:", lockTimeToLive: "3 seconds" })

Effect.runPromise(Effect.scoped(program).pipe(Effect.provide(store), Effect.provide(NodeHttpClient.layerUndici))).then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${String(error)}\n`)
    process.exit(1)
  }
)
