/**
 * A process that takes the file store's lock of a key and then hangs until it is killed:
 * `node <its bundle, Scripts.ts> <directory> <key> <timeToLiveMillis>`. Prints
 * `locked <expiresAt>` once it holds the lock.
 */
import { TokenStore } from "@effect-bearer/core"
import * as FileTokenStore from "@effect-bearer/platform-node/FileTokenStore"
import { Duration, Effect, Option } from "effect"

const [directory, key, timeToLive] = process.argv.slice(2)

const program = Effect.gen(function*() {
  const store = yield* TokenStore.TokenStore
  const lock = Option.getOrThrow(yield* store.acquireLock(key!, Duration.millis(Number(timeToLive))))
  process.stdout.write(`locked ${lock.expiresAt}\n`)
  return yield* Effect.never
})

Effect.runFork(Effect.provide(program, FileTokenStore.layer({ directory: directory! })))
