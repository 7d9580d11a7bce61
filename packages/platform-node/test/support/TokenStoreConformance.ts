/**
 * The behaviour every `TokenStore` backend shares, written once and run for memory, file
 * and Redis: reads, compare-and-set by generation, lock exclusion, compare-and-delete,
 * takeover after expiry, waiting for a change, the store's clock, and corrupt entries.
 * Real time throughout (the file and Redis stores have real clocks), with short lifetimes.
 */
import { describe, expect, it } from "@effect/vitest"
import { TokenStore } from "@effect-bearer/core"
import { Duration, Effect, Fiber, Layer, Option } from "effect"

/** A backend under test. */
export interface Backend {
  readonly name: string
  /** A store; built for each test, so that tests do not share clients or state. */
  readonly layer: Layer.Layer<TokenStore.TokenStore, unknown>
  /** Whether the store reports the takeover of an expired lock (Redis expires locks itself). */
  readonly reportsTakeover: boolean
  /** Puts something that is not an entry at `key`, when the backend can hold such a thing. */
  readonly plantGarbage?: (key: string) => Effect.Effect<void, unknown>
}

let counter = 0
/** A key of `TokenStoreKey.make`'s shape, fresh for each use. */
export const freshKey = (): string =>
  `v1-${(Date.now().toString(16) + (counter++).toString(16).padStart(6, "0")).padStart(64, "0")}`

const store = TokenStore.TokenStore

const entry = (generation: number, expiresAt: number, value = `sealed-${generation}`): TokenStore.Entry => ({
  value,
  generation,
  expiresAt
})

const elapsedMillis = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const started = Date.now()
    const result = yield* effect
    return [result, Date.now() - started] as const
  })

/** Registers the shared cases for `backend`. */
export const conformance = (backend: Backend): void => {
  const run = <A, E>(effect: Effect.Effect<A, E, TokenStore.TokenStore>) =>
    Effect.provide(effect, backend.layer)

  describe(`TokenStore conformance: ${backend.name}`, () => {
    it.live("reads nothing at a new key, with the store's clock", () =>
      run(Effect.gen(function*() {
        const tokens = yield* store
        const read = yield* tokens.get(freshKey())
        expect(Option.isNone(read.entry)).toBe(true)
        expect(Math.abs(read.now - Date.now())).toBeLessThan(5_000)
        expect(Math.abs((yield* tokens.now) - Date.now())).toBeLessThan(5_000)
        expect(tokens.backend).toBe(backend.name)
      })))

    it.live("writes the next generation and reads it back", () =>
      run(Effect.gen(function*() {
        const tokens = yield* store
        const key = freshKey()
        const now = yield* tokens.now
        expect(yield* tokens.compareAndSet(key, entry(1, now + 60_000))).toEqual({ _tag: "Written" })
        expect(Option.getOrThrow((yield* tokens.get(key)).entry)).toEqual(entry(1, now + 60_000))
        expect(yield* tokens.compareAndSet(key, entry(2, now + 60_000))).toEqual({ _tag: "Written" })
        expect(Option.getOrThrow((yield* tokens.get(key)).entry).generation).toBe(2)
      })))

    it.live("never overwrites a newer or equal generation (a writer whose lock expired)", () =>
      run(Effect.gen(function*() {
        const tokens = yield* store
        const key = freshKey()
        const now = yield* tokens.now
        yield* tokens.compareAndSet(key, entry(5, now + 60_000, "newest"))
        expect(yield* tokens.compareAndSet(key, entry(4, now + 60_000, "late"))).toEqual({ _tag: "Stale", current: 5 })
        expect(yield* tokens.compareAndSet(key, entry(5, now + 60_000, "same"))).toEqual({ _tag: "Stale", current: 5 })
        expect(Option.getOrThrow((yield* tokens.get(key)).entry).value).toBe("newest")
      })))

    it.live("keeps the highest generation when many write at once", () =>
      run(Effect.gen(function*() {
        const tokens = yield* store
        const key = freshKey()
        const now = yield* tokens.now
        const generations = [7, 3, 12, 1, 9, 12, 4, 11, 2, 10, 6, 8, 5]
        const results = yield* Effect.forEach(generations, (generation) => tokens.compareAndSet(key, entry(generation, now + 60_000)), {
          concurrency: "unbounded"
        })
        expect(Option.getOrThrow((yield* tokens.get(key)).entry).generation).toBe(12)
        // At most one writer of generation 12 won; the order decides the rest.
        expect(results.filter((result, index) => result._tag === "Written" && generations[index] === 12).length).toBe(1)
      })))

    it.live("drops an entry at its expiry on the store's clock; a write after it starts again", () =>
      run(Effect.gen(function*() {
        const tokens = yield* store
        const key = freshKey()
        yield* tokens.compareAndSet(key, entry(3, (yield* tokens.now) + 200))
        expect(Option.isSome((yield* tokens.get(key)).entry)).toBe(true)
        yield* Effect.sleep(Duration.millis(350))
        expect(Option.isNone((yield* tokens.get(key)).entry)).toBe(true)
        expect(yield* tokens.compareAndSet(key, entry(1, (yield* tokens.now) + 60_000))).toEqual({ _tag: "Written" })
      })))

    it.live("lets one owner hold a lock; a release frees it", () =>
      run(Effect.gen(function*() {
        const tokens = yield* store
        const key = freshKey()
        const first = Option.getOrThrow(yield* tokens.acquireLock(key, Duration.seconds(10)))
        expect(first.owner).toMatch(/^[0-9a-f]{32}$/)
        expect(first.tookOver).toBe(false)
        expect(first.expiresAt - (yield* tokens.now)).toBeGreaterThan(8_000)
        expect(Option.isNone(yield* tokens.acquireLock(key, Duration.seconds(10)))).toBe(true)
        expect(Option.isSome(yield* tokens.acquireLock(freshKey(), Duration.seconds(10)))).toBe(true)
        expect(yield* tokens.releaseLock(first)).toBe(true)
        const second = Option.getOrThrow(yield* tokens.acquireLock(key, Duration.seconds(10)))
        expect(second.owner).not.toBe(first.owner)
        expect(yield* tokens.releaseLock(second)).toBe(true)
      })))

    it.live("gives a lock to exactly one of many who ask at once", () =>
      run(Effect.gen(function*() {
        const tokens = yield* store
        const key = freshKey()
        const results = yield* Effect.forEach(Array.from({ length: 12 }), () => tokens.acquireLock(key, Duration.seconds(10)), {
          concurrency: "unbounded"
        })
        expect(results.filter(Option.isSome).length).toBe(1)
      })))

    it.live("releases only for the owner (compare-and-delete)", () =>
      run(Effect.gen(function*() {
        const tokens = yield* store
        const key = freshKey()
        const held = Option.getOrThrow(yield* tokens.acquireLock(key, Duration.seconds(10)))
        expect(yield* tokens.releaseLock({ ...held, owner: "0".repeat(32) })).toBe(false)
        expect(Option.isNone(yield* tokens.acquireLock(key, Duration.seconds(10)))).toBe(true)
        expect(yield* tokens.releaseLock(held)).toBe(true)
        expect(yield* tokens.releaseLock(held)).toBe(false)
      })))

    it.live("hands an expired lock to the next owner; the old holder cannot release the new lock", () =>
      run(Effect.gen(function*() {
        const tokens = yield* store
        const key = freshKey()
        const dead = Option.getOrThrow(yield* tokens.acquireLock(key, Duration.millis(200)))
        expect(Option.isNone(yield* tokens.acquireLock(key, Duration.seconds(10)))).toBe(true)
        yield* Effect.sleep(Duration.millis(350))
        const next = Option.getOrThrow(yield* tokens.acquireLock(key, Duration.seconds(10)))
        expect(next.tookOver).toBe(backend.reportsTakeover)
        expect(yield* tokens.releaseLock(dead)).toBe(false)
        expect(Option.isNone(yield* tokens.acquireLock(key, Duration.seconds(10)))).toBe(true)
        expect(yield* tokens.releaseLock(next)).toBe(true)
      })))

    it.live("wakes a waiter when the lock holder writes", () =>
      run(Effect.gen(function*() {
        const tokens = yield* store
        const key = freshKey()
        const now = yield* tokens.now
        yield* tokens.compareAndSet(key, entry(1, now + 60_000))
        yield* tokens.acquireLock(key, Duration.seconds(10))
        const waiter = yield* Effect.fork(elapsedMillis(tokens.awaitChange(key, 1, Duration.seconds(8))))
        yield* Effect.sleep(Duration.millis(150))
        yield* tokens.compareAndSet(key, entry(2, now + 60_000, "fresh"))
        const [read, elapsed] = yield* Fiber.join(waiter)
        expect(Option.getOrThrow(read.entry).value).toBe("fresh")
        expect(elapsed).toBeLessThan(2_000)
      })))

    it.live("wakes a waiter when the lock is released without a write (the holder's fetch failed)", () =>
      run(Effect.gen(function*() {
        const tokens = yield* store
        const key = freshKey()
        const held = Option.getOrThrow(yield* tokens.acquireLock(key, Duration.seconds(10)))
        const waiter = yield* Effect.fork(elapsedMillis(tokens.awaitChange(key, 0, Duration.seconds(8))))
        yield* Effect.sleep(Duration.millis(150))
        yield* tokens.releaseLock(held)
        const [read, elapsed] = yield* Fiber.join(waiter)
        expect(Option.isNone(read.entry)).toBe(true)
        expect(elapsed).toBeLessThan(2_000)
      })))

    it.live("wakes a waiter when the holder's lock expires (the holder died)", () =>
      run(Effect.gen(function*() {
        const tokens = yield* store
        const key = freshKey()
        const lock = Option.getOrThrow(yield* tokens.acquireLock(key, Duration.millis(300)))
        const [read, elapsed] = yield* elapsedMillis(tokens.awaitChange(key, 0, Duration.seconds(8)))
        // Not before the lock expired (on the store's clock), and not long after.
        expect(read.now).toBeGreaterThanOrEqual(lock.expiresAt)
        expect(elapsed).toBeLessThan(3_000)
      })))

    it.live("returns at once when nobody holds the lock, and after the timeout when nothing changes", () =>
      run(Effect.gen(function*() {
        const tokens = yield* store
        const key = freshKey()
        const [, unlocked] = yield* elapsedMillis(tokens.awaitChange(key, 0, Duration.seconds(8)))
        expect(unlocked).toBeLessThan(1_000)
        yield* tokens.acquireLock(key, Duration.seconds(10))
        const [read, waited] = yield* elapsedMillis(tokens.awaitChange(key, 0, Duration.millis(400)))
        expect(Option.isNone(read.entry)).toBe(true)
        expect(waited).toBeGreaterThanOrEqual(350)
        expect(waited).toBeLessThan(2_500)
      })))

    if (backend.plantGarbage !== undefined) {
      const plantGarbage = backend.plantGarbage
      it.live("reports garbage at a key as Corrupt, and lets the next write replace it", () =>
        run(Effect.gen(function*() {
          const tokens = yield* store
          const key = freshKey()
          yield* plantGarbage(key)
          const error = yield* Effect.flip(tokens.get(key))
          expect(error._tag).toBe("TokenStoreError")
          expect(error.reason).toBe("Corrupt")
          expect(error.backend).toBe(backend.name)
          expect(yield* tokens.compareAndSet(key, entry(1, (yield* tokens.now) + 60_000))).toEqual({ _tag: "Written" })
          expect(Option.getOrThrow((yield* tokens.get(key)).entry).generation).toBe(1)
        })))
    }
  })
}
