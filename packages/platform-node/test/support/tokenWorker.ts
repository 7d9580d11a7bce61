/**
 * One of several OS processes that share tokens through a store (TokenStoreProcesses.test.ts):
 * `node <its bundle, Scripts.ts> <file|redis> <directory|url> <milliseconds> <callers>`,
 * with `TOKEN_URL`, `USERNAME` and `PASSWORD` (a password grant with refresh tokens, public
 * client `up42-api`) in the environment. Its callers read the provider's token in a loop for
 * the given time, each checking that it is not expired. It prints `fetch` when its own source
 * starts a token request (so the test knows whom to `kill -9` mid-refresh), then `report <json>`.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { ClientAuthentication, Grant, TokenEndpoint, TokenProvider, TokenSource } from "@effect-bearer/core"
import * as FileTokenStore from "@effect-bearer/platform-node/FileTokenStore"
import * as RedisTokenStore from "@effect-bearer/platform-node/RedisTokenStore"
import { Effect, Redacted } from "effect"

const [backend, target, milliseconds, callers] = process.argv.slice(2) as [string, string, string, string]
const environment = (name: string) => process.env[name] ?? ""

const program = Effect.gen(function*() {
  const endpoint = yield* TokenEndpoint.make({
    url: environment("TOKEN_URL"),
    clientAuthentication: ClientAuthentication.publicClient("up42-api"),
    // The server runs in the test's process: on a two-core machine loaded by other work it has
    // answered later than the default 10 s. How long an answer may take is not what this proves.
    timeout: "30 seconds"
  })
  const source = yield* TokenSource.fromEndpoint(
    endpoint,
    Grant.password({ username: environment("USERNAME"), password: Redacted.make(environment("PASSWORD")) }),
    { name: "worker" }
  )
  const announced: TokenSource.TokenSource = {
    ...source,
    fetch: (previous) => Effect.zipRight(Effect.sync(() => process.stdout.write("fetch\n")), source.fetch(previous))
  }
  const provider = yield* TokenProvider.make(announced)
  const report = { gets: 0, expired: 0, failures: [] as Array<string> }
  const until = Date.now() + Number(milliseconds)
  const caller = Effect.gen(function*() {
    while (Date.now() < until) {
      const token = yield* Effect.either(provider.get)
      if (token._tag === "Left") report.failures.push(token.left.message)
      else {
        report.gets++
        if (Date.now() >= token.right.expiresAt) report.expired++
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
