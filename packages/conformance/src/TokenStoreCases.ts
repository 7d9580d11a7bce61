/**
 * The behaviour every `TokenStore` backend shares, written once for both lines and every
 * backend (memory, file, Redis): reads, compare-and-set by generation, lock exclusion,
 * compare-and-delete, takeover after expiry, waiting for a change, the store's clock and corrupt
 * entries. Each line runs the cases over its store through {@link Store}, a promise-based view
 * of the store's operations, and asserts with its test runner's `expect`; {@link sharingCases}
 * run the line's token provider over the store through {@link Sharing}. Real time throughout
 * (the file and Redis stores have real clocks), with short lifetimes.
 */
import * as Seal from "@effect-bearer/kernel/Seal"
import type { Expect } from "./Expect.js"

export type { Expect } from "./Expect.js"

/** A stored entry. */
export interface Entry {
  readonly value: string
  readonly generation: number
  readonly expiresAt: number
}

/** A held lock. */
export interface Lock {
  readonly key: string
  readonly owner: string
  readonly expiresAt: number
  readonly tookOver: boolean
}

/** A read: the live entry (`undefined` when none) and the store's clock. */
export interface Read {
  readonly entry: Entry | undefined
  readonly now: number
}

/** A failure of the store, as its `TokenStoreError`. */
export interface Failure {
  readonly _tag: string
  readonly reason: string
  readonly backend: string
}

/** The store's operations, each run to a promise (a failure rejects with the store's error). */
export interface Store {
  readonly backend: string
  readonly get: (key: string) => Promise<Read>
  readonly compareAndSet: (key: string, entry: Entry) => Promise<{ readonly _tag: "Written" } | { readonly _tag: "Stale"; readonly current: number }>
  readonly acquireLock: (key: string, timeToLiveMillis: number) => Promise<Lock | undefined>
  readonly releaseLock: (lock: Lock) => Promise<boolean>
  readonly awaitChange: (key: string, after: number, timeoutMillis: number) => Promise<Read>
  readonly now: () => Promise<number>
  /** Whether `error` is an instance of the line's `TokenStoreError` class (what a failure rejects with). */
  readonly isStoreError: (error: unknown) => boolean
}

/** A backend under test. */
export interface Backend {
  readonly name: string
  /** Whether the store reports the takeover of an expired lock (Redis expires locks itself). */
  readonly reportsTakeover: boolean
  /** Puts something that is not an entry at `key`, when the backend can hold such a thing. */
  readonly plantGarbage?: ((key: string) => Promise<void>) | undefined
}

/** One shared case: its name, and what it does with a store. */
export interface Case {
  readonly name: string
  /** Runs only on backends with `plantGarbage`. */
  readonly needsGarbage?: boolean
  readonly run: (store: Store, expect: Expect, backend: Backend) => Promise<void>
}

let counter = 0
/** A key of `TokenStoreKey.make`'s shape, fresh for each use. */
export const freshKey = (): string =>
  `v1-${(Date.now().toString(16) + (counter++).toString(16).padStart(6, "0")).padStart(64, "0")}`

/** An entry of `generation`, its value `sealed-<generation>` unless given. */
export const entry = (generation: number, expiresAt: number, value = `sealed-${generation}`): Entry => ({ value, generation, expiresAt })

const sleep = (millis: number) => new Promise<void>((resolve) => setTimeout(resolve, millis))

const timed = async <A>(promise: Promise<A>): Promise<readonly [A, number]> => {
  const started = Date.now()
  const result = await promise
  return [result, Date.now() - started] as const
}

const must = <A>(value: A | undefined): A => {
  if (value === undefined) throw new Error("expected a value")
  return value
}

/** The cases every backend passes. */
export const cases: ReadonlyArray<Case> = [
  {
    name: "reads nothing at a new key, with the store's clock",
    run: async (store, expect, backend) => {
      const read = await store.get(freshKey())
      expect(read.entry).toBeUndefined()
      expect(Math.abs(read.now - Date.now())).toBeLessThan(5_000)
      expect(Math.abs((await store.now()) - Date.now())).toBeLessThan(5_000)
      expect(store.backend).toBe(backend.name)
    }
  },
  {
    name: "writes the next generation and reads it back",
    run: async (store, expect) => {
      const key = freshKey()
      const now = await store.now()
      expect(await store.compareAndSet(key, entry(1, now + 60_000))).toEqual({ _tag: "Written" })
      expect((await store.get(key)).entry).toEqual(entry(1, now + 60_000))
      expect(await store.compareAndSet(key, entry(2, now + 60_000))).toEqual({ _tag: "Written" })
      expect((await store.get(key)).entry?.generation).toBe(2)
    }
  },
  {
    name: "never overwrites a newer or equal generation (a writer whose lock expired)",
    run: async (store, expect) => {
      const key = freshKey()
      const now = await store.now()
      await store.compareAndSet(key, entry(5, now + 60_000, "newest"))
      expect(await store.compareAndSet(key, entry(4, now + 60_000, "late"))).toEqual({ _tag: "Stale", current: 5 })
      expect(await store.compareAndSet(key, entry(5, now + 60_000, "same"))).toEqual({ _tag: "Stale", current: 5 })
      expect((await store.get(key)).entry?.value).toBe("newest")
    }
  },
  {
    name: "keeps the highest generation when many write at once",
    run: async (store, expect) => {
      const key = freshKey()
      const now = await store.now()
      const generations = [7, 3, 12, 1, 9, 12, 4, 11, 2, 10, 6, 8, 5]
      const results = await Promise.all(generations.map((generation) => store.compareAndSet(key, entry(generation, now + 60_000))))
      expect((await store.get(key)).entry?.generation).toBe(12)
      // At most one writer of generation 12 won; the order decides the rest.
      expect(results.filter((result, index) => result._tag === "Written" && generations[index] === 12).length).toBe(1)
    }
  },
  {
    name: "drops an entry at its expiry on the store's clock; a write after it starts again",
    run: async (store, expect) => {
      const key = freshKey()
      await store.compareAndSet(key, entry(3, (await store.now()) + 200))
      expect((await store.get(key)).entry).toBeDefined()
      await sleep(350)
      expect((await store.get(key)).entry).toBeUndefined()
      expect(await store.compareAndSet(key, entry(1, (await store.now()) + 60_000))).toEqual({ _tag: "Written" })
    }
  },
  {
    name: "lets one owner hold a lock; a release frees it",
    run: async (store, expect) => {
      const key = freshKey()
      const first = must(await store.acquireLock(key, 10_000))
      expect(first.owner).toMatch(/^[0-9a-f]{32}$/)
      expect(first.tookOver).toBe(false)
      expect(first.expiresAt - (await store.now())).toBeGreaterThan(8_000)
      expect(await store.acquireLock(key, 10_000)).toBeUndefined()
      expect(await store.acquireLock(freshKey(), 10_000)).toBeDefined()
      expect(await store.releaseLock(first)).toBe(true)
      const second = must(await store.acquireLock(key, 10_000))
      expect(second.owner).not.toBe(first.owner)
      expect(await store.releaseLock(second)).toBe(true)
    }
  },
  {
    name: "gives a lock to exactly one of many who ask at once",
    run: async (store, expect) => {
      const key = freshKey()
      const results = await Promise.all(Array.from({ length: 12 }, () => store.acquireLock(key, 10_000)))
      expect(results.filter((lock) => lock !== undefined).length).toBe(1)
    }
  },
  {
    name: "releases only for the owner (compare-and-delete)",
    run: async (store, expect) => {
      const key = freshKey()
      const held = must(await store.acquireLock(key, 10_000))
      expect(await store.releaseLock({ ...held, owner: "0".repeat(32) })).toBe(false)
      expect(await store.acquireLock(key, 10_000)).toBeUndefined()
      expect(await store.releaseLock(held)).toBe(true)
      expect(await store.releaseLock(held)).toBe(false)
    }
  },
  {
    name: "hands an expired lock to the next owner; the old holder cannot release the new lock",
    run: async (store, expect, backend) => {
      const key = freshKey()
      const dead = must(await store.acquireLock(key, 200))
      expect(await store.acquireLock(key, 10_000)).toBeUndefined()
      await sleep(350)
      const next = must(await store.acquireLock(key, 10_000))
      expect(next.tookOver).toBe(backend.reportsTakeover)
      expect(await store.releaseLock(dead)).toBe(false)
      expect(await store.acquireLock(key, 10_000)).toBeUndefined()
      expect(await store.releaseLock(next)).toBe(true)
    }
  },
  {
    name: "wakes a waiter when the lock holder writes",
    run: async (store, expect) => {
      const key = freshKey()
      const now = await store.now()
      await store.compareAndSet(key, entry(1, now + 60_000))
      await store.acquireLock(key, 10_000)
      const waiter = timed(store.awaitChange(key, 1, 8_000))
      await sleep(150)
      await store.compareAndSet(key, entry(2, now + 60_000, "fresh"))
      const [read, elapsed] = await waiter
      expect(read.entry?.value).toBe("fresh")
      expect(elapsed).toBeLessThan(2_000)
    }
  },
  {
    name: "wakes a waiter when the lock is released without a write (the holder's fetch failed)",
    run: async (store, expect) => {
      const key = freshKey()
      const held = must(await store.acquireLock(key, 10_000))
      const waiter = timed(store.awaitChange(key, 0, 8_000))
      await sleep(150)
      await store.releaseLock(held)
      const [read, elapsed] = await waiter
      expect(read.entry).toBeUndefined()
      expect(elapsed).toBeLessThan(2_000)
    }
  },
  {
    name: "wakes a waiter when the holder's lock expires (the holder died)",
    run: async (store, expect) => {
      const key = freshKey()
      const lock = must(await store.acquireLock(key, 300))
      const [read, elapsed] = await timed(store.awaitChange(key, 0, 8_000))
      // Not before the lock expired (on the store's clock), and not long after.
      expect(read.now).toBeGreaterThanOrEqual(lock.expiresAt)
      expect(elapsed).toBeLessThan(3_000)
    }
  },
  {
    name: "returns at once when nobody holds the lock, and after the timeout when nothing changes",
    run: async (store, expect) => {
      const key = freshKey()
      const [, unlocked] = await timed(store.awaitChange(key, 0, 8_000))
      expect(unlocked).toBeLessThan(1_000)
      await store.acquireLock(key, 10_000)
      const [read, waited] = await timed(store.awaitChange(key, 0, 400))
      expect(read.entry).toBeUndefined()
      expect(waited).toBeGreaterThanOrEqual(350)
      expect(waited).toBeLessThan(2_500)
    }
  },
  {
    name: "reports garbage at a key as Corrupt, and lets the next write replace it",
    needsGarbage: true,
    run: async (store, expect, backend) => {
      if (backend.plantGarbage === undefined) return
      const key = freshKey()
      await backend.plantGarbage(key)
      const error = await store.get(key).then(() => undefined, (failure: Failure) => failure)
      expect(store.isStoreError(error)).toBe(true)
      expect(error?._tag).toBe("TokenStoreError")
      expect(error?.reason).toBe("Corrupt")
      expect(error?.backend).toBe(backend.name)
      expect(await store.compareAndSet(key, entry(1, (await store.now()) + 60_000))).toEqual({ _tag: "Written" })
      expect((await store.get(key)).entry?.generation).toBe(1)
    }
  }
]

/**
 * The line's token provider over the store under test, as {@link sharingCases} see it: one
 * credential, whose source issues `tok-1`, `tok-2`, … (300 s each); each `get` is a new
 * provider (another process) that gets a token through the store and ends.
 */
export interface Sharing {
  /** The credential's store key (`TokenStoreKey.make` of its identity). */
  readonly storeKey: string
  /** A new provider's token, and the warnings it logged. */
  readonly get: () => Promise<{ readonly token: string; readonly warnings: ReadonlyArray<string> }>
  /** The tokens the source issued so far. */
  readonly fetches: () => number
  /** The credential's `unusable` store events counted so far (the store events metric). */
  readonly unusable: () => Promise<number>
}

/** A case of the token provider over the store. */
export interface SharingCase {
  readonly name: string
  readonly run: (store: Store, sharing: Sharing, expect: Expect) => Promise<void>
}

/** `sealed` with one character of its ciphertext changed. */
const tampered = (sealed: string): string => {
  const at = Math.floor(sealed.length / 2)
  return `${sealed.slice(0, at)}${sealed[at] === "A" ? "B" : "A"}${sealed.slice(at + 1)}`
}

/**
 * A stored value replaced by `spoil`'s, newer: the next provider takes it for a miss (one
 * `unusable` event and one warning, though it reads the value twice), fetches a fresh token
 * and writes it, which the one after takes without a fetch or a warning.
 */
const unusableIsReplaced = (name: string, spoil: (storeKey: string, sealed: string) => Promise<string>): SharingCase => ({
  name,
  run: async (store, sharing, expect) => {
    expect((await sharing.get()).token).toBe("tok-1")
    const stored = must((await store.get(sharing.storeKey)).entry)
    const spoiled = await spoil(sharing.storeKey, stored.value)
    const generation = stored.generation + 1
    expect(await store.compareAndSet(sharing.storeKey, { ...stored, value: spoiled, generation })).toEqual({ _tag: "Written" })
    const unusable = await sharing.unusable()
    const replacing = await sharing.get()
    expect(replacing.token).toBe("tok-2")
    expect(sharing.fetches()).toBe(2)
    // Read before the lock and again under it, the value is counted and warned of once.
    expect(replacing.warnings.length).toBe(1)
    expect(replacing.warnings[0]).toContain("does not open")
    expect(await sharing.unusable()).toBe(unusable + 1)
    const written = must((await store.get(sharing.storeKey)).entry)
    expect(written.generation).toBe(generation + 1)
    expect(written.value).not.toBe(spoiled)
    expect(await sharing.get()).toEqual({ token: "tok-2", warnings: [] })
    expect(sharing.fetches()).toBe(2)
  }
})

/** The cases of the token provider over every shared backend (file, Redis). */
export const sharingCases: ReadonlyArray<SharingCase> = [
  unusableIsReplaced(
    "a token provider takes a value tampered with for a miss, with an unusable event and a warning, and writes a fresh token",
    async (_, sealed) => tampered(sealed)
  ),
  unusableIsReplaced(
    "a token provider takes a value sealed under another credential's key for a miss, with an unusable event and a warning, and writes a fresh token",
    async (storeKey) => Seal.seal(await Seal.deriveKey({ storeKey, secrets: ["another client's secret"] }), "{}")
  )
]
