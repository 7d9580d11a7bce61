/**
 * The Redis token store against a real `redis-server` (started by the test, installed when
 * missing and possible; a machine without one fails this suite, never skips it).
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as TokenStoreCases from "@effect-bearer/conformance/TokenStoreCases"
import * as TokenStore from "@effect-bearer/core/TokenStore"
import { RedisTokenStore } from "@effect-bearer/platform-node"
import { ConfigProvider, Duration, Effect, Fiber, Layer, Option, Redacted, Result } from "effect"
import { createClient } from "redis"
import { type RedisServer, startRedisServer } from "../../../../packages/test-support/src/RedisServer.js"
import { runWorkers } from "./support/StoreWorkers.js"
import { conformance } from "./support/TokenStoreConformance.js"

let server: RedisServer
let raw: ReturnType<typeof createClient>
const prefix = "test-app:"

beforeAll(async () => {
  server = await startRedisServer()
  raw = createClient({ url: server.url, socket: { reconnectStrategy: 50 } })
  raw.on("error", () => {})
  await raw.connect()
}, 11 * 60_000)

afterAll(async () => {
  raw?.destroy()
  await server?.stop()
})

const layer = (options: RedisTokenStore.Options = {}) =>
  Layer.unwrap(Effect.sync(() => RedisTokenStore.layer({ url: Redacted.make(server.url), keyPrefix: prefix, ...options })))

conformance({
  name: "redis",
  layer: layer(),
  reportsTakeover: false,
  plantGarbage: async (key) => void (await raw.set(`${prefix}token:${key}`, "\u0000not json{"))
})

const store = TokenStore.TokenStore
const withStore = <A, E>(effect: Effect.Effect<A, E, TokenStore.TokenStore>, options: RedisTokenStore.Options = {}) =>
  Effect.provide(effect, Layer.fresh(layer(options)))
const entry = TokenStoreCases.entry
const freshKey = TokenStoreCases.freshKey

const redisTime = () => Effect.map(Effect.promise(() => raw.time()), (time) => Number(time[0]) * 1000 + Math.floor(Number(time[1]) / 1000))

/** Retries `effect` every 100 ms until it succeeds, for at most 10 s. */
const untilItWorks = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    const back = Date.now()
    let result = yield* Effect.result(effect)
    while (Result.isFailure(result)) {
      expect(Date.now() - back).toBeLessThan(10_000)
      yield* Effect.sleep(Duration.millis(100))
      result = yield* Effect.result(effect)
    }
    return result.success
  })

describe("RedisTokenStore", () => {
  it.live("keeps entries as JSON under the prefix, expiring on Redis' clock (PXAT), and locks with PX", () =>
    withStore(Effect.gen(function*() {
      const tokens = yield* store
      const key = freshKey()
      const now = yield* tokens.now
      expect(Math.abs(now - (yield* redisTime()))).toBeLessThan(1_000)
      yield* tokens.compareAndSet(key, entry(1, now + 30_000))
      expect(JSON.parse((yield* Effect.promise(() => raw.get(`${prefix}token:${key}`)))!)).toEqual({ generation: 1, value: "sealed-1", expiresAt: now + 30_000 })
      const entryTimeToLive = yield* Effect.promise(() => raw.pTTL(`${prefix}token:${key}`))
      expect(entryTimeToLive).toBeGreaterThan(28_000)
      expect(entryTimeToLive).toBeLessThanOrEqual(30_000)
      const lock = Option.getOrThrow(yield* tokens.acquireLock(key, Duration.seconds(20)))
      expect(yield* Effect.promise(() => raw.get(`${prefix}lock:${key}`))).toBe(lock.owner)
      expect(yield* Effect.promise(() => raw.pTTL(`${prefix}lock:${key}`))).toBeGreaterThan(18_000)
      expect(Math.abs(lock.expiresAt - ((yield* redisTime()) + 20_000))).toBeLessThan(1_000)
    })))

  it.live("keeps two applications apart by their prefixes", () =>
    Effect.gen(function*() {
      const key = freshKey()
      const now = yield* redisTime()
      yield* withStore(Effect.flatMap(Effect.service(store), (tokens) => tokens.compareAndSet(key, entry(7, now + 60_000))), { keyPrefix: "app-a:" })
      const other = yield* withStore(Effect.flatMap(Effect.service(store), (tokens) => tokens.get(key)), { keyPrefix: "app-b:" })
      expect(Option.isNone(other.entry)).toBe(true)
    }))

  it.live("reports a key of another Redis type as Corrupt, and replaces it on the next write", () =>
    withStore(Effect.gen(function*() {
      const tokens = yield* store
      const key = freshKey()
      yield* Effect.promise(() => raw.hSet(`${prefix}token:${key}`, "field", "value"))
      expect((yield* Effect.flip(tokens.get(key))).reason).toBe("Corrupt")
      expect(yield* tokens.compareAndSet(key, entry(1, (yield* tokens.now) + 60_000))).toEqual({ _tag: "Written" })
    })))

  it.live("wakes a waiter by pub/sub, long before its poll would", () =>
    withStore(Effect.gen(function*() {
      const tokens = yield* store
      const key = freshKey()
      yield* tokens.acquireLock(key, Duration.seconds(20))
      const waiter = yield* Effect.forkChild(tokens.awaitChange(key, 0, Duration.seconds(15)))
      yield* Effect.sleep(Duration.millis(300))
      const started = Date.now()
      yield* tokens.compareAndSet(key, entry(1, (yield* tokens.now) + 60_000))
      const read = yield* Fiber.join(waiter)
      expect(Option.getOrThrow(read.entry).generation).toBe(1)
      expect(Date.now() - started).toBeLessThan(1_000)
    }), { pollInterval: Duration.seconds(10) }))

  it.live("shares one token with the Effect 3 line: the same keys, entries and scripts", () =>
    withStore(Effect.gen(function*() {
      const tokens = yield* store
      const key = freshKey()
      // What an Effect 3 process writes (its store's compare-and-set script, through the kernel's layout).
      const now = yield* redisTime()
      yield* Effect.promise(() => raw.set(`${prefix}token:${key}`, JSON.stringify({ generation: 4, value: "from-v3", expiresAt: now + 60_000 })))
      expect(Option.getOrThrow((yield* tokens.get(key)).entry)).toEqual({ generation: 4, value: "from-v3", expiresAt: now + 60_000 })
      expect(yield* tokens.compareAndSet(key, entry(4, now + 60_000))).toEqual({ _tag: "Stale", current: 4 })
      const lock = Option.getOrThrow(yield* tokens.acquireLock(key, Duration.seconds(5)))
      expect(yield* Effect.promise(() => raw.set(`${prefix}lock:${key}`, "other", { NX: true }))).toBeNull()
      expect(yield* tokens.releaseLock(lock)).toBe(true)
    })))

  it.live("fails fast with a typed error while Redis is stopped, and works again after a restart (reconnect)", () =>
    withStore(Effect.gen(function*() {
      const tokens = yield* store
      const key = freshKey()
      yield* tokens.compareAndSet(key, entry(1, (yield* tokens.now) + 60_000))
      const held = Option.getOrThrow(yield* tokens.acquireLock(freshKey(), Duration.seconds(20)))
      const waiter = yield* Effect.forkChild(Effect.result(tokens.awaitChange(held.key, 0, Duration.seconds(20))))
      yield* Effect.sleep(Duration.millis(100))
      yield* Effect.promise(() => server.stop())
      const started = Date.now()
      const failures = yield* Effect.all([
        Effect.flip(tokens.get(key)),
        Effect.flip(tokens.compareAndSet(key, entry(2, Date.now() + 60_000))),
        Effect.flip(tokens.acquireLock(key, Duration.seconds(5))),
        Effect.flip(tokens.releaseLock(held)),
        Effect.flip(tokens.now)
      ])
      for (const failure of failures) {
        expect(failure).toBeInstanceOf(TokenStore.TokenStoreError)
        expect(["Unavailable", "Timeout"]).toContain(failure.reason)
        expect(failure.backend).toBe("redis")
      }
      expect(Date.now() - started).toBeLessThan(2_500)
      // A waiter does not hang on a dead Redis either: its next read fails, typed.
      const waited = yield* Fiber.join(waiter)
      expect(Result.isFailure(waited) && waited.failure._tag === "TokenStoreError").toBe(true)

      yield* Effect.promise(() => server.start())
      const read = yield* untilItWorks(tokens.get(key))
      // No persistence: the restarted Redis is empty, and the store carries on.
      expect(Option.isNone(read.entry)).toBe(true)
      expect(yield* tokens.compareAndSet(key, entry(1, (yield* tokens.now) + 60_000))).toEqual({ _tag: "Written" })
      expect(Option.isSome(yield* tokens.acquireLock(key, Duration.seconds(5)))).toBe(true)
    })), 30_000)

  it.live("holds its lock and generations across OS processes of both Effect lines: 2 + 2 processes × 10 locked increments lose none", () =>
    Effect.gen(function*() {
      const key = freshKey()
      const reports = yield* Effect.promise(() => runWorkers(["effect3", "effect4", "effect3", "effect4"], "redis", server.url, key, 10))
      expect(reports.map((report) => report.stale)).toEqual([0, 0, 0, 0])
      expect(JSON.parse((yield* Effect.promise(() => raw.get(`workers:token:${key}`)))!).generation).toBe(40)
      expect(yield* Effect.promise(() => raw.exists(`workers:lock:${key}`))).toBe(0)
    }), 120_000)

  it.live("bounds every command: a Redis that does not answer (CLIENT PAUSE) is a Timeout, not a hang", () =>
    withStore(Effect.gen(function*() {
      const tokens = yield* store
      const key = freshKey()
      yield* tokens.get(key)
      yield* Effect.promise(() => raw.sendCommand(["CLIENT", "PAUSE", "1500", "ALL"]))
      const started = Date.now()
      const error = yield* Effect.flip(tokens.get(key))
      expect(error.reason).toBe("Timeout")
      expect(Date.now() - started).toBeLessThan(1_000)
      yield* Effect.sleep(Duration.millis(1_600))
      expect(Option.isNone((yield* tokens.get(key)).entry)).toBe(true)
    }), { commandTimeout: Duration.millis(300) }))

  it.live("starts while Redis is down, and shares once it is up (the first connection is retried too)", () =>
    Effect.gen(function*() {
      yield* Effect.promise(() => server.stop())
      yield* Effect.gen(function*() {
        const tokens = yield* store
        const key = freshKey()
        expect((yield* Effect.flip(tokens.get(key)))._tag).toBe("TokenStoreError")
        yield* Effect.promise(() => server.start())
        yield* untilItWorks(tokens.now)
        expect(yield* tokens.compareAndSet(key, entry(1, (yield* tokens.now) + 60_000))).toEqual({ _tag: "Written" })
        // A waiter is woken by pub/sub, not by the (long) poll.
        const held = Option.getOrThrow(yield* tokens.acquireLock(key, Duration.seconds(20)))
        const waiter = yield* Effect.forkChild(tokens.awaitChange(key, 1, Duration.seconds(15)))
        yield* Effect.sleep(Duration.millis(300))
        const started = Date.now()
        yield* tokens.releaseLock(held)
        yield* Fiber.join(waiter)
        expect(Date.now() - started).toBeLessThan(1_000)
      }).pipe(Effect.provide(Layer.fresh(layer({ connectTimeout: Duration.millis(300), pollInterval: Duration.seconds(10) }))))
    }).pipe(Effect.ensuring(Effect.promise(async () => {
      // Running again for the next test, whatever happened in this one.
      await server.stop()
      await server.start()
    }))), 30_000)

  it.live("builds and fails fast, typed, when no Redis listens at all", () =>
    Effect.gen(function*() {
      const started = Date.now()
      const error = yield* Effect.flip(Effect.flatMap(Effect.service(store), (tokens) => tokens.get(freshKey()))).pipe(
        Effect.provide(Layer.fresh(RedisTokenStore.layer({ host: "127.0.0.1", port: 1, connectTimeout: Duration.millis(500) })))
      )
      expect(error.reason === "Unavailable" || error.reason === "Timeout").toBe(true)
      expect(Date.now() - started).toBeLessThan(3_000)
    }))

  it.live("never shows the password of the URL in an error", () =>
    Effect.gen(function*() {
      const password = "pa55-must-not-print"
      const url = server.url.replace("redis://", `redis://someone:${password}@`)
      const error = yield* Effect.flip(Effect.flatMap(Effect.service(store), (tokens) => tokens.get(freshKey()))).pipe(
        Effect.provide(Layer.fresh(RedisTokenStore.layer({ url: Redacted.make(url), connectTimeout: Duration.millis(500) })))
      )
      for (const shown of [error.message, String(error), JSON.stringify(error), error.detail]) expect(shown).not.toContain(password)
    }))

  it.live("reads its connection from Config, refusing a URL of another scheme", () =>
    Effect.gen(function*() {
      const key = freshKey()
      const fromConfig = (variables: ReadonlyArray<readonly [string, string]>) =>
        Effect.provide(ConfigProvider.layer(ConfigProvider.fromEnv({ env: Object.fromEntries(variables) })))
      yield* Effect.flatMap(Effect.service(store), (tokens) => tokens.compareAndSet(key, entry(1, Date.now() + 60_000))).pipe(
        Effect.provide(Layer.fresh(RedisTokenStore.layerConfig())),
        fromConfig([["REDIS_HOST", "127.0.0.1"], ["REDIS_PORT", String(server.port)], ["REDIS_KEY_PREFIX", "from-config:"]])
      )
      expect(yield* Effect.promise(() => raw.exists(`from-config:token:${key}`))).toBe(1)
      const refused = yield* Effect.flip(Effect.provide(Effect.service(store), Layer.fresh(RedisTokenStore.layerConfig()))).pipe(
        fromConfig([["REDIS_URL", "http://127.0.0.1:1"]])
      )
      expect(String(refused)).toMatch(/redis:\/\/ or rediss:\/\//)
      // The sealing key comes with the connection settings.
      const sealed = yield* Effect.provide(Effect.service(store), Layer.fresh(RedisTokenStore.layerConfig())).pipe(
        fromConfig([["REDIS_HOST", "127.0.0.1"], ["REDIS_PORT", String(server.port)], ["EFFECT_BEARER_STORE_KEY", btoa("k".repeat(32))]])
      )
      expect(sealed.sealingKey).toBeDefined()
      const short = yield* Effect.flip(Effect.provide(Effect.service(store), Layer.fresh(RedisTokenStore.layerConfig()))).pipe(
        fromConfig([["EFFECT_BEARER_STORE_KEY", btoa("k")]])
      )
      expect(String(short)).toMatch(/at least 32 bytes/)
    }))
})
