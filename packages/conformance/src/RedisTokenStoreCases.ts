/**
 * What the Redis token store does with Redis, for both lines, against a real `redis-server`: its
 * keys, expiry and locks as the kernel's `RedisTokenStoreLayout` says (so that the lines share one
 * token), prefixes, a key of another type, pub/sub wake-ups, Redis stopped and restarted, a Redis
 * that does not answer, a store started while Redis is down, no Redis at all, and a password that
 * is never shown. Each line opens its store through {@link Open}; the store's operations are the
 * promise view of `TokenStoreCases`; {@link Raw} is a plain client beside it.
 */
import { entry, type Expect, type Failure, freshKey, type Store } from "./TokenStoreCases.js"

/** The store's options, in milliseconds. */
export interface Options {
  readonly url?: string
  readonly host?: string
  readonly port?: number
  readonly keyPrefix?: string
  readonly pollIntervalMillis?: number
  readonly commandTimeoutMillis?: number
  readonly connectTimeoutMillis?: number
}

/**
 * Opens a Redis store (each line's `RedisTokenStore.layer`): at the server's URL unless `options`
 * give a URL or a host, with the prefix {@link prefix} unless they give one.
 */
export type Open = (options?: Options) => Promise<{ readonly store: Store; readonly close: () => Promise<void> }>

/**
 * The {@link Options} as a line's `RedisTokenStore.layer` takes them (what {@link Open} opens),
 * with the line's `Redacted.make` and `Duration.millis`.
 */
export const layerOptions = <Secret, Duration>(
  options: Options,
  serverUrl: string,
  line: { readonly redacted: (value: string) => Secret; readonly millis: (millis: number) => Duration }
) => {
  const millis = (value: number | undefined) => value === undefined ? undefined : line.millis(value)
  return {
    ...(options.host === undefined ? { url: line.redacted(options.url ?? serverUrl) } : { host: options.host, port: options.port }),
    keyPrefix: options.keyPrefix ?? prefix,
    ...Object.fromEntries(
      Object.entries({
        pollInterval: millis(options.pollIntervalMillis),
        commandTimeout: millis(options.commandTimeoutMillis),
        connectTimeout: millis(options.connectTimeoutMillis)
      }).filter(([, value]) => value !== undefined)
    ) as { readonly pollInterval?: Duration; readonly commandTimeout?: Duration; readonly connectTimeout?: Duration }
  }
}

/** A plain client of the same Redis, and the server itself. */
export interface Raw {
  readonly url: string
  readonly get: (key: string) => Promise<string | null>
  readonly set: (key: string, value: string) => Promise<void>
  /** `SET key value NX`: whether it was set. */
  readonly setIfAbsent: (key: string, value: string) => Promise<boolean>
  readonly hSet: (key: string, field: string, value: string) => Promise<void>
  readonly pTTL: (key: string) => Promise<number>
  readonly exists: (key: string) => Promise<number>
  /** Redis `TIME`, epoch milliseconds. */
  readonly time: () => Promise<number>
  /** `CLIENT PAUSE <millis> ALL`. */
  readonly pause: (millis: number) => Promise<void>
  readonly stop: () => Promise<void>
  readonly start: () => Promise<void>
}

/** The few commands of a node-redis client (`createClient`) that {@link rawOf} uses. */
export interface RedisClient {
  get(key: string): Promise<string | null>
  set(key: string, value: string, options?: { readonly NX: true }): Promise<string | null>
  hSet(key: string, field: string, value: string): Promise<number>
  pTTL(key: string): Promise<number>
  exists(key: string): Promise<number>
  time(): Promise<unknown>
  sendCommand(args: Array<string>): Promise<unknown>
}

/** The {@link Raw} view of a node-redis `client` of `server` (test-support's `RedisServer`). */
export const rawOf = (
  client: RedisClient,
  server: { readonly url: string; readonly stop: () => Promise<void>; readonly start: () => Promise<void> }
): Raw => ({
  url: server.url,
  get: (key) => client.get(key),
  set: async (key, value) => void (await client.set(key, value)),
  setIfAbsent: async (key, value) => (await client.set(key, value, { NX: true })) !== null,
  hSet: async (key, field, value) => void (await client.hSet(key, field, value)),
  pTTL: (key) => client.pTTL(key),
  exists: (key) => client.exists(key),
  time: async () => {
    const [seconds, micros] = (await client.time()) as [string, string]
    return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000)
  },
  pause: async (millis) => void (await client.sendCommand(["CLIENT", "PAUSE", String(millis), "ALL"])),
  stop: () => server.stop(),
  start: () => server.start()
})

/** Puts a string that is not an entry at `key` under {@link prefix} (the Redis backend's `TokenStoreCases.Backend.plantGarbage`). */
export const plantGarbage = async (client: RedisClient, key: string): Promise<void> => void (await client.set(`${prefix}token:${key}`, "\u0000not json{"))

/** One case. */
export interface Case {
  readonly name: string
  /** A case that stops Redis leaves it running again whatever happens. */
  readonly run: (open: Open, raw: Raw, expect: Expect) => Promise<void>
  readonly timeoutMillis?: number
}

/** The prefix {@link Open} uses by default. */
export const prefix = "test-app:"

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis))
const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (error: Failure & { readonly detail?: string; readonly message?: string }) => error)

const using = async <A>(open: Open, options: Options | undefined, use: (store: Store) => Promise<A>): Promise<A> => {
  const opened = await open(options)
  try {
    return await use(opened.store)
  } finally {
    await opened.close()
  }
}

/** Retries `attempt` every 100 ms until it resolves, for at most 10 s. */
const untilItWorks = async <A>(attempt: () => Promise<A>, expect: Expect): Promise<A> => {
  const back = Date.now()
  while (true) {
    try {
      return await attempt()
    } catch {
      expect(Date.now() - back).toBeLessThan(10_000)
      await sleep(100)
    }
  }
}

/** The cases. */
export const cases: ReadonlyArray<Case> = [
  {
    name: "keeps entries as JSON under the prefix, expiring on Redis' clock (PXAT), and locks with PX",
    run: (open, raw, expect) =>
      using(open, undefined, async (store) => {
        const key = freshKey()
        const now = await store.now()
        expect(Math.abs(now - (await raw.time()))).toBeLessThan(1_000)
        await store.compareAndSet(key, entry(1, now + 30_000))
        expect(JSON.parse((await raw.get(`${prefix}token:${key}`))!)).toEqual({ generation: 1, value: "sealed-1", expiresAt: now + 30_000 })
        const entryTimeToLive = await raw.pTTL(`${prefix}token:${key}`)
        expect(entryTimeToLive).toBeGreaterThan(28_000)
        expect(entryTimeToLive).toBeLessThan(30_001)
        const lock = (await store.acquireLock(key, 20_000))!
        expect(await raw.get(`${prefix}lock:${key}`)).toBe(lock.owner)
        expect(await raw.pTTL(`${prefix}lock:${key}`)).toBeGreaterThan(18_000)
        expect(Math.abs(lock.expiresAt - ((await raw.time()) + 20_000))).toBeLessThan(1_000)
      })
  },
  {
    name: "reads what another process wrote in the shared layout, and honours its lock",
    run: (open, raw, expect) =>
      using(open, undefined, async (store) => {
        const key = freshKey()
        const now = await raw.time()
        await raw.set(`${prefix}token:${key}`, JSON.stringify({ generation: 4, value: "from-another-line", expiresAt: now + 60_000 }))
        expect((await store.get(key)).entry).toEqual({ generation: 4, value: "from-another-line", expiresAt: now + 60_000 })
        expect(await store.compareAndSet(key, entry(4, now + 60_000))).toEqual({ _tag: "Stale", current: 4 })
        expect(await raw.setIfAbsent(`${prefix}lock:${key}`, "another-owner")).toBe(true)
        expect(await store.acquireLock(key, 5_000)).toBeUndefined()
      })
  },
  {
    name: "keeps two applications apart by their prefixes",
    run: async (open, raw, expect) => {
      const key = freshKey()
      const now = await raw.time()
      await using(open, { keyPrefix: "app-a:" }, (store) => store.compareAndSet(key, entry(7, now + 60_000)))
      const other = await using(open, { keyPrefix: "app-b:" }, (store) => store.get(key))
      expect(other.entry).toBeUndefined()
    }
  },
  {
    name: "reports a key of another Redis type as Corrupt, and replaces it on the next write",
    run: (open, raw, expect) =>
      using(open, undefined, async (store) => {
        const key = freshKey()
        await raw.hSet(`${prefix}token:${key}`, "field", "value")
        expect((await failureOf(store.get(key)))?.reason).toBe("Corrupt")
        expect(await store.compareAndSet(key, entry(1, (await store.now()) + 60_000))).toEqual({ _tag: "Written" })
      })
  },
  {
    name: "wakes a waiter by pub/sub, long before its poll would",
    run: (open, _raw, expect) =>
      using(open, { pollIntervalMillis: 10_000 }, async (store) => {
        const key = freshKey()
        await store.acquireLock(key, 20_000)
        const waiter = store.awaitChange(key, 0, 15_000)
        await sleep(300)
        const started = Date.now()
        await store.compareAndSet(key, entry(1, (await store.now()) + 60_000))
        expect((await waiter).entry?.generation).toBe(1)
        expect(Date.now() - started).toBeLessThan(1_000)
      })
  },
  {
    name: "fails fast with a typed error while Redis is stopped, and works again after a restart (reconnect)",
    timeoutMillis: 30_000,
    run: (open, raw, expect) =>
      using(open, undefined, async (store) => {
        const key = freshKey()
        await store.compareAndSet(key, entry(1, (await store.now()) + 60_000))
        const held = (await store.acquireLock(freshKey(), 20_000))!
        const waiter = failureOf(store.awaitChange(held.key, 0, 20_000))
        await sleep(100)
        await raw.stop()
        try {
          const started = Date.now()
          const failures = await Promise.all([
            failureOf(store.get(key)),
            failureOf(store.compareAndSet(key, entry(2, Date.now() + 60_000))),
            failureOf(store.acquireLock(key, 5_000)),
            failureOf(store.releaseLock(held)),
            failureOf(store.now())
          ])
          for (const failure of failures) {
            expect(store.isStoreError(failure)).toBe(true)
            expect(failure?._tag).toBe("TokenStoreError")
            expect(["Unavailable", "Timeout"]).toContain(failure?.reason)
            expect(failure?.backend).toBe("redis")
          }
          expect(Date.now() - started).toBeLessThan(2_500)
          // A waiter does not hang on a dead Redis either: its next read fails, typed.
          expect((await waiter)?._tag).toBe("TokenStoreError")
        } finally {
          await raw.start()
        }
        const read = await untilItWorks(() => store.get(key), expect)
        // No persistence: the restarted Redis is empty, and the store carries on.
        expect(read.entry).toBeUndefined()
        expect(await store.compareAndSet(key, entry(1, (await store.now()) + 60_000))).toEqual({ _tag: "Written" })
        expect(await store.acquireLock(key, 5_000)).toBeDefined()
      })
  },
  {
    name: "bounds every command: a Redis that does not answer (CLIENT PAUSE) is a Timeout, not a hang",
    run: (open, raw, expect) =>
      using(open, { commandTimeoutMillis: 300 }, async (store) => {
        const key = freshKey()
        await store.get(key)
        await raw.pause(1_500)
        const started = Date.now()
        expect((await failureOf(store.get(key)))?.reason).toBe("Timeout")
        expect(Date.now() - started).toBeLessThan(1_000)
        await sleep(1_600)
        expect((await store.get(key)).entry).toBeUndefined()
      })
  },
  {
    name: "starts while Redis is down, and shares once it is up (the first connection is retried too)",
    timeoutMillis: 30_000,
    run: async (open, raw, expect) => {
      await raw.stop()
      try {
        await using(open, { connectTimeoutMillis: 300, pollIntervalMillis: 10_000 }, async (store) => {
          const key = freshKey()
          expect((await failureOf(store.get(key)))?._tag).toBe("TokenStoreError")
          await raw.start()
          await untilItWorks(() => store.now(), expect)
          expect(await store.compareAndSet(key, entry(1, (await store.now()) + 60_000))).toEqual({ _tag: "Written" })
          // A waiter is woken by pub/sub, not by the (long) poll.
          const held = (await store.acquireLock(key, 20_000))!
          const waiter = store.awaitChange(key, 1, 15_000)
          await sleep(300)
          const started = Date.now()
          await store.releaseLock(held)
          await waiter
          expect(Date.now() - started).toBeLessThan(1_000)
        })
      } finally {
        // Running again for the next case, whatever happened in this one.
        await raw.stop()
        await raw.start()
      }
    }
  },
  {
    name: "builds and fails fast, typed, when no Redis listens at all",
    run: async (open, _raw, expect) => {
      const started = Date.now()
      const error = await using(open, { host: "127.0.0.1", port: 1, connectTimeoutMillis: 500 }, (store) => failureOf(store.get(freshKey())))
      expect(error?.reason === "Unavailable" || error?.reason === "Timeout").toBe(true)
      expect(Date.now() - started).toBeLessThan(3_000)
    }
  },
  {
    name: "never shows the password of the URL in an error",
    run: async (open, raw, expect) => {
      const password = "pa55-must-not-print"
      const url = raw.url.replace("redis://", `redis://someone:${password}@`)
      const error = await using(open, { url, connectTimeoutMillis: 500 }, (store) => failureOf(store.get(freshKey())))
      expect(error).toBeDefined()
      for (const shown of [error?.message, String(error), JSON.stringify(error), error?.detail]) expect(shown).not.toContain(password)
    }
  }
]
