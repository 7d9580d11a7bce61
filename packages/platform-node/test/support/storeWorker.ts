/**
 * One of several OS processes that share a token store:
 * `node <its bundle, Scripts.ts> <file|redis> <directory|url> <key> <rounds>`.
 * Each round takes the key's lock (waiting for the holder otherwise), reads the entry,
 * writes the next generation and releases. Prints `done <written> <stale>`: with working
 * exclusion every write lands (no `Stale`), so the final generation is the sum of rounds.
 */
import { TokenStore } from "@effect-bearer/core"
import * as FileTokenStore from "@effect-bearer/platform-node/FileTokenStore"
import * as RedisTokenStore from "@effect-bearer/platform-node/RedisTokenStore"
import { Duration, Effect, Option, Redacted } from "effect"

const [backend, target, key, rounds] = process.argv.slice(2) as [string, string, string, string]

const program = Effect.gen(function*() {
  const store = yield* TokenStore.TokenStore
  let written = 0
  let stale = 0
  for (let round = 0; round < Number(rounds); round++) {
    let lock = yield* store.acquireLock(key, Duration.seconds(10))
    while (Option.isNone(lock)) {
      yield* store.awaitChange(key, Number.MAX_SAFE_INTEGER, Duration.seconds(2))
      lock = yield* store.acquireLock(key, Duration.seconds(10))
    }
    const read = yield* store.get(key)
    const generation = Option.match(read.entry, { onNone: () => 0, onSome: (entry) => entry.generation })
    const result = yield* store.compareAndSet(key, { value: `${process.pid}:${round}`, generation: generation + 1, expiresAt: read.now + 60_000 })
    if (result._tag === "Written") written++
    else stale++
    if (!(yield* store.releaseLock(lock.value))) stale++
  }
  process.stdout.write(`done ${written} ${stale}\n`)
})

const layer = backend === "file"
  ? FileTokenStore.layer({ directory: target })
  : RedisTokenStore.layer({ url: Redacted.make(target), keyPrefix: "workers:" })

Effect.runPromise(Effect.provide(program, layer)).then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`${String(error)}\n`)
    process.exit(1)
  }
)
