import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Option, Redacted, Result } from "effect"
import { TestClock } from "effect/testing"
import { TokenStore } from "@effect-bearer/core"
import * as TestTime from "./support/TestTime.js"

// The memory store runs on the program's Clock: these run on the TestClock, without waiting.
// The behaviour shared with the file and Redis stores is in platform-node's conformance suite.
const key = `v1-${"c".repeat(64)}`

describe("TokenStore.layerMemory", () => {
  it.effect("expires entries and locks on the program's Clock", () =>
    Effect.gen(function*() {
      const tokens = yield* TokenStore.TokenStore
      const start = yield* tokens.now
      expect(tokens.backend).toBe("memory")
      yield* tokens.compareAndSet(key, { value: "sealed", generation: 1, expiresAt: start + 60_000 })
      const lock = Option.getOrThrow(yield* tokens.acquireLock(key, Duration.seconds(30)))
      yield* TestClock.adjust(Duration.seconds(29))
      expect(Option.isSome((yield* tokens.get(key)).entry)).toBe(true)
      expect(Option.isNone(yield* tokens.acquireLock(key, Duration.seconds(30)))).toBe(true)
      yield* TestClock.adjust(Duration.seconds(2))
      const takeover = Option.getOrThrow(yield* tokens.acquireLock(key, Duration.seconds(30)))
      expect(takeover.tookOver).toBe(true)
      expect(yield* tokens.releaseLock(lock)).toBe(false)
      yield* TestClock.adjust(Duration.seconds(30))
      const read = yield* tokens.get(key)
      expect(Option.isNone(read.entry)).toBe(true)
      expect(read.now - start).toBe(61_000)
    }).pipe(Effect.provide(TokenStore.layerMemory)))

  it.effect("a write of a generation not above the stored one is Stale and changes nothing", () =>
    Effect.gen(function*() {
      const tokens = yield* TokenStore.TokenStore
      const start = yield* tokens.now
      expect(yield* tokens.compareAndSet(key, { value: "two", generation: 2, expiresAt: start + 60_000 })).toEqual({ _tag: "Written" })
      expect(yield* tokens.compareAndSet(key, { value: "one", generation: 2, expiresAt: start + 60_000 })).toEqual({ _tag: "Stale", current: 2 })
      expect(Option.map((yield* tokens.get(key)).entry, (entry) => entry.value)).toEqual(Option.some("two"))
    }).pipe(Effect.provide(TokenStore.layerMemory)))

  it.effect("a waiter sleeps until the holder's lock expires on the Clock, then reads", () =>
    Effect.gen(function*() {
      const tokens = yield* TokenStore.TokenStore
      const start = yield* tokens.now
      yield* tokens.acquireLock(key, Duration.seconds(10))
      const waiter = yield* Effect.forkChild(tokens.awaitChange(key, 0, Duration.minutes(1)))
      yield* TestTime.adjust(Duration.seconds(9))
      expect(waiter.pollUnsafe()).toBeUndefined()
      yield* TestClock.adjust(Duration.seconds(1))
      const read = yield* Fiber.join(waiter)
      expect(read.now - start).toBe(10_000)
    }).pipe(Effect.provide(TokenStore.layerMemory)))

  it.effect("a waiter wakes at the holder's write, before its lock expires", () =>
    Effect.gen(function*() {
      const tokens = yield* TokenStore.TokenStore
      const start = yield* tokens.now
      yield* tokens.acquireLock(key, Duration.seconds(10))
      const waiter = yield* Effect.forkChild(tokens.awaitChange(key, 0, Duration.minutes(1)))
      yield* TestTime.adjust(Duration.seconds(3))
      yield* tokens.compareAndSet(key, { value: "sealed", generation: 1, expiresAt: start + 60_000 })
      const read = yield* Fiber.join(waiter)
      expect([read.now - start, Option.map(read.entry, (entry) => entry.generation)]).toEqual([3_000, Option.some(1)])
    }).pipe(Effect.provide(TokenStore.layerMemory)))

  it("types its error as one tagged TokenStoreError whose message names no value", () => {
    const error = new TokenStore.TokenStoreError({ reason: "Timeout", backend: "redis", operation: "get", detail: "no answer within 1s" })
    expect(TokenStore.isTokenStoreError(error)).toBe(true)
    expect(error.message).toBe(
      "The redis token store did not answer in time (get: no answer within 1s); tokens are fetched per process until it answers again."
    )
  })

  it("a sealing key shorter than 32 bytes or not base64 is refused, without the key in the reason", () => {
    const short = TokenStore.decodeSealingKey(Redacted.make(btoa("x".repeat(31))))
    expect(Result.isFailure(short) && short.failure).toContain("at least 32 bytes")
    const notBase64 = TokenStore.decodeSealingKey(Redacted.make("not base64 at all!"))
    expect(Result.isFailure(notBase64) && notBase64.failure).not.toContain("not base64 at all")
    expect(Result.isSuccess(TokenStore.decodeSealingKey(Redacted.make(btoa("x".repeat(32)))))).toBe(true)
  })
})
