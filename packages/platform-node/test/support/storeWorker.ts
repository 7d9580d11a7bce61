/**
 * One of several OS processes that share a token store, on the Effect 3 line:
 * `node <its bundle, Scripts.ts> <file|redis> <directory|url> <key> <rounds>` (the Effect 4
 * line's suites run it with tsx). Runs the shared locked increments
 * (`@effect-bearer/conformance/StoreWorker`) and prints `done <written> <stale>`.
 */
import * as StoreWorker from "@effect-bearer/conformance/StoreWorker"
import { TokenStore } from "@effect-bearer/core"
import * as FileTokenStore from "@effect-bearer/platform-node/FileTokenStore"
import * as RedisTokenStore from "@effect-bearer/platform-node/RedisTokenStore"
import { Effect, Redacted } from "effect"
import { promised } from "./promisedStore.js"

const [backend, target, key, rounds] = process.argv.slice(2) as [string, string, string, string]

const layer = backend === "file"
  ? FileTokenStore.layer({ directory: target })
  : RedisTokenStore.layer({ url: Redacted.make(target), keyPrefix: "workers:" })

const program = Effect.gen(function*() {
  const store = promised(yield* TokenStore.TokenStore)
  const report = yield* Effect.promise(() => StoreWorker.lockedIncrements(store, key, Number(rounds), `effect3:${process.pid}`))
  process.stdout.write(StoreWorker.formatReport(report))
})

Effect.runPromise(Effect.provide(program, layer)).then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${String(error)}\n`)
    process.exit(1)
  }
)
