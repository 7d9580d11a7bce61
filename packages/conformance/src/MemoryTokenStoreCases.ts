/**
 * What the memory `TokenStore` does on the program's Clock, written once for both lines: entries
 * and locks expire on that clock, a stale write changes nothing, a waiter sleeps until the
 * holder's lock expires or wakes at the holder's write. Each line runs the cases over
 * `TokenStore.layerMemory` through {@link ClockedStore} (the shared store view and a move of its
 * TestClock); the store's error message and the sealing-key check are rows every line asserts.
 * (The behaviour every backend shares is {@link TokenStoreCases}, on real time.)
 */
import type { Expect } from "./Expect.js"
import type { Store } from "./TokenStoreCases.js"

export type { Expect } from "./Expect.js"

/** The store, and a move of the TestClock it runs on (after the fibers started before have had their turns). */
export interface ClockedStore extends Store {
  readonly advance: (millis: number) => Promise<void>
}

/** One case over a memory store on a TestClock. */
export interface Case {
  readonly name: string
  readonly run: (store: ClockedStore, expect: Expect) => Promise<void>
}

/** A key of `TokenStoreKey.make`'s shape. */
export const key = `v1-${"c".repeat(64)}`

/** Whether `promise` has settled by now (after the turns `advance` gave). */
const tracked = <A>(promise: Promise<A>) => {
  let settled = false
  void promise.then(() => (settled = true), () => (settled = true))
  return { promise, settled: () => settled }
}

/** The memory store's cases. */
export const cases: ReadonlyArray<Case> = [
  {
    name: "expires entries and locks on the program's Clock",
    run: async (tokens, expect) => {
      const start = await tokens.now()
      expect(tokens.backend).toBe("memory")
      await tokens.compareAndSet(key, { value: "sealed", generation: 1, expiresAt: start + 60_000 })
      const lock = await tokens.acquireLock(key, 30_000)
      expect(lock).toBeDefined()
      await tokens.advance(29_000)
      expect((await tokens.get(key)).entry).toBeDefined()
      expect(await tokens.acquireLock(key, 30_000)).toBeUndefined()
      await tokens.advance(2_000)
      const takeover = await tokens.acquireLock(key, 30_000)
      expect(takeover?.tookOver).toBe(true)
      expect(await tokens.releaseLock(lock!)).toBe(false)
      await tokens.advance(30_000)
      const read = await tokens.get(key)
      expect(read.entry).toBeUndefined()
      expect(read.now - start).toBe(61_000)
    }
  },
  {
    name: "a write of a generation not above the stored one is Stale and changes nothing",
    run: async (tokens, expect) => {
      const start = await tokens.now()
      expect(await tokens.compareAndSet(key, { value: "two", generation: 2, expiresAt: start + 60_000 })).toEqual({ _tag: "Written" })
      expect(await tokens.compareAndSet(key, { value: "one", generation: 2, expiresAt: start + 60_000 })).toEqual({ _tag: "Stale", current: 2 })
      expect((await tokens.get(key)).entry?.value).toBe("two")
    }
  },
  {
    name: "a waiter sleeps until the holder's lock expires on the Clock, then reads",
    run: async (tokens, expect) => {
      const start = await tokens.now()
      await tokens.acquireLock(key, 10_000)
      const waiter = tracked(tokens.awaitChange(key, 0, 60_000))
      await tokens.advance(9_000)
      expect(waiter.settled()).toBe(false)
      await tokens.advance(1_000)
      const read = await waiter.promise
      expect(read.now - start).toBe(10_000)
    }
  },
  {
    name: "a waiter wakes at the holder's write, before its lock expires",
    run: async (tokens, expect) => {
      const start = await tokens.now()
      await tokens.acquireLock(key, 10_000)
      const waiter = tracked(tokens.awaitChange(key, 0, 60_000))
      await tokens.advance(3_000)
      await tokens.compareAndSet(key, { value: "sealed", generation: 1, expiresAt: start + 60_000 })
      const read = await waiter.promise
      expect([read.now - start, read.entry?.generation]).toEqual([3_000, 1])
    }
  }
]

/** A `TokenStoreError`'s fields and the message it must have (naming no value). */
export const errorMessage = {
  fields: { reason: "Timeout", backend: "redis", operation: "get", detail: "no answer within 1s" },
  message: "The redis token store did not answer in time (get: no answer within 1s); tokens are fetched per process until it answers again."
} as const

/** `TokenStore.decodeSealingKey` of `encoded`: accepted, or refused with its reason. */
export type SealingKeyCheck = (encoded: string) => { readonly _tag: "Accepted" } | { readonly _tag: "Refused"; readonly reason: string }

/** A sealing key shorter than 32 bytes or not base64 is refused, without the key in the reason; 32 bytes are accepted. */
export const checkSealingKeys = (decode: SealingKeyCheck, expect: Expect): void => {
  const short = decode(btoa("x".repeat(31)))
  expect(short._tag).toBe("Refused")
  if (short._tag === "Refused") expect(short.reason).toContain("at least 32 bytes")
  const notBase64 = decode("not base64 at all!")
  expect(notBase64._tag).toBe("Refused")
  if (notBase64._tag === "Refused") expect(notBase64.reason).not.toContain("not base64 at all")
  expect(decode(btoa("x".repeat(32)))._tag).toBe("Accepted")
}
