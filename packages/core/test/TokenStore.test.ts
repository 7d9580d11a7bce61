import { describe, expect, it } from "@effect/vitest"
import { TokenStore } from "@effect-bearer/core"
import * as MemoryTokenStoreCases from "@effect-bearer/conformance/MemoryTokenStoreCases"
import { Duration, Effect, Either, Option, Redacted, Runtime, TestClock } from "effect"

// The memory store runs on the program's Clock: the conformance MemoryTokenStoreCases run here on
// the TestClock, without waiting. The behaviour shared with the file and Redis stores is in
// platform-node's conformance suite.
describe("TokenStore.layerMemory", () => {
  for (const row of MemoryTokenStoreCases.cases) {
    it.effect(row.name, () =>
      Effect.gen(function*() {
        const tokens = yield* TokenStore.TokenStore
        const run = Runtime.runPromise(yield* Effect.runtime<never>())
        const read = (found: TokenStore.Read) => ({ entry: Option.getOrUndefined(found.entry), now: found.now })
        yield* Effect.promise(() =>
          row.run({
            backend: tokens.backend,
            get: (key) => run(Effect.map(tokens.get(key), read)),
            compareAndSet: (key, entry) => run(tokens.compareAndSet(key, entry)),
            acquireLock: (key, millis) => run(Effect.map(tokens.acquireLock(key, Duration.millis(millis)), Option.getOrUndefined)),
            releaseLock: (lock) => run(tokens.releaseLock(lock)),
            awaitChange: (key, after, millis) => run(Effect.map(tokens.awaitChange(key, after, Duration.millis(millis)), read)),
            now: () => run(tokens.now),
            isStoreError: (error) => error instanceof TokenStore.TokenStoreError,
            advance: (millis) => run(TestClock.adjust(Duration.millis(millis)))
          }, expect)
        )
      }).pipe(Effect.provide(TokenStore.layerMemory)))
  }

  it("types its error as one tagged TokenStoreError whose message names no value", () => {
    const error = new TokenStore.TokenStoreError(MemoryTokenStoreCases.errorMessage.fields)
    expect(TokenStore.isTokenStoreError(error)).toBe(true)
    expect(error.message).toBe(MemoryTokenStoreCases.errorMessage.message)
  })

  it("a sealing key shorter than 32 bytes or not base64 is refused, without the key in the reason", () => {
    MemoryTokenStoreCases.checkSealingKeys((encoded) => {
      const decoded = TokenStore.decodeSealingKey(Redacted.make(encoded))
      return Either.isRight(decoded) ? { _tag: "Accepted" } : { _tag: "Refused", reason: decoded.left }
    }, expect)
  })
})
