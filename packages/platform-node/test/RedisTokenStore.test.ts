/**
 * The Redis token store against a real `redis-server` (started by the test, installed when
 * missing and possible; a machine without one fails this suite, never skips it).
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as RedisTokenStoreCases from "@effect-bearer/conformance/RedisTokenStoreCases"
import * as TokenStoreCases from "@effect-bearer/conformance/TokenStoreCases"
import { TokenStore } from "@effect-bearer/core"
import * as RedisTokenStore from "@effect-bearer/platform-node/RedisTokenStore"
import { ConfigProvider, Context, Duration, Effect, Layer, ManagedRuntime, Redacted } from "effect"
import { createClient } from "redis"
import { type RedisServer, startRedisServer } from "@effect-bearer/test-support/RedisServer"
import { promised } from "./support/promisedStore.js"
import { runWorkers } from "./support/StoreWorkers.js"
import { conformance } from "./support/TokenStoreConformance.js"

let server: RedisServer
let raw: ReturnType<typeof createClient>

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
  Layer.unwrapEffect(Effect.sync(() => RedisTokenStore.layer({ url: Redacted.make(server.url), keyPrefix: RedisTokenStoreCases.prefix, ...options })))

conformance({
  name: "redis",
  layer: layer(),
  reportsTakeover: false,
  plantGarbage: (key) => RedisTokenStoreCases.plantGarbage(raw, key)
})

const store = TokenStore.TokenStore
const entry = TokenStoreCases.entry
const freshKey = TokenStoreCases.freshKey

/** Opens a store on a runtime of its own, as the shared cases ask. */
const open: RedisTokenStoreCases.Open = async (options = {}) => {
  const runtime = ManagedRuntime.make(RedisTokenStore.layer(RedisTokenStoreCases.layerOptions(options, server.url, { redacted: Redacted.make, millis: Duration.millis })))
  const built = await runtime.runtime()
  return { store: promised(Context.get(built.context, TokenStore.TokenStore), built), close: () => runtime.dispose() }
}

describe("RedisTokenStore: with Redis (the shared cases)", () => {
  for (const testCase of RedisTokenStoreCases.cases) {
    it.live(testCase.name, () => Effect.promise(() => testCase.run(open, RedisTokenStoreCases.rawOf(raw, server), expect as TokenStoreCases.Expect)), testCase.timeoutMillis)
  }
})

describe("RedisTokenStore", () => {
  it.live("holds its lock and generations across OS processes: 3 processes × 15 locked increments lose none", () =>
    Effect.gen(function*() {
      const key = freshKey()
      const reports = yield* Effect.promise(() => runWorkers("redis", server.url, key, { processes: 3, rounds: 15 }))
      expect(reports.map((report) => report.stale)).toEqual([0, 0, 0])
      expect(JSON.parse((yield* Effect.promise(() => raw.get(`workers:token:${key}`)))!).generation).toBe(45)
      expect(yield* Effect.promise(() => raw.exists(`workers:lock:${key}`))).toBe(0)
    }), 120_000)

  it.live("reads its connection from Config, refusing a URL of another scheme", () =>
    Effect.gen(function*() {
      const key = freshKey()
      const fromConfig = (variables: ReadonlyArray<readonly [string, string]>) => Effect.withConfigProvider(ConfigProvider.fromMap(new Map(variables)))
      yield* Effect.flatMap(store, (tokens) => tokens.compareAndSet(key, entry(1, Date.now() + 60_000))).pipe(
        Effect.provide(RedisTokenStore.layerConfig()),
        fromConfig([["REDIS_HOST", "127.0.0.1"], ["REDIS_PORT", String(server.port)], ["REDIS_KEY_PREFIX", "from-config:"]])
      )
      expect(yield* Effect.promise(() => raw.exists(`from-config:token:${key}`))).toBe(1)
      const refused = yield* Effect.flip(Effect.provide(store, RedisTokenStore.layerConfig()).pipe(fromConfig([["REDIS_URL", "http://127.0.0.1:1"]])))
      expect(String(refused)).toMatch(/redis:\/\/ or rediss:\/\//)
      // The sealing key comes with the connection settings.
      const sealingKey = btoa("k".repeat(32))
      const sealed = yield* Effect.provide(store, RedisTokenStore.layerConfig()).pipe(
        fromConfig([["REDIS_HOST", "127.0.0.1"], ["REDIS_PORT", String(server.port)], ["EFFECT_BEARER_STORE_KEY", sealingKey]])
      )
      expect(sealed.sealingKey).toBeDefined()
      const short = yield* Effect.flip(Effect.provide(store, RedisTokenStore.layerConfig()).pipe(fromConfig([["EFFECT_BEARER_STORE_KEY", btoa("k")]])))
      expect(String(short)).toMatch(/at least 32 bytes/)
    }))
})
