/**
 * The Redis token store against a real `redis-server` (started by the test, installed when
 * missing and possible; a machine without one fails this suite, never skips it).
 */
import * as NodeRedis from "@effect/platform-node/NodeRedis"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as RedisTokenStoreCases from "@effect-bearer/conformance/RedisTokenStoreCases"
import * as TokenStoreCases from "@effect-bearer/conformance/TokenStoreCases"
import * as TokenStore from "@effect-bearer/core/TokenStore"
import { RedisTokenStore } from "@effect-bearer/platform-node"
import { ConfigProvider, Context, Duration, Effect, Exit, Layer, Redacted, Scope } from "effect"
import { createClient } from "redis"
import { type RedisServer, startRedisServer } from "../../../../packages/test-support/src/RedisServer.js"
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
  Layer.unwrap(Effect.sync(() => RedisTokenStore.layer({ url: Redacted.make(server.url), keyPrefix: RedisTokenStoreCases.prefix, ...options })))

conformance({
  name: "redis",
  layer: layer(),
  reportsTakeover: false,
  plantGarbage: (key) => RedisTokenStoreCases.plantGarbage(raw, key)
})

const store = TokenStore.TokenStore
const entry = TokenStoreCases.entry
const freshKey = TokenStoreCases.freshKey

/** Opens a store in a scope of its own, as the shared cases ask. */
const open: RedisTokenStoreCases.Open = async (options = {}) => {
  const scope = Effect.runSync(Scope.make())
  const context = await Effect.runPromise(Layer.buildWithScope(RedisTokenStore.layer(RedisTokenStoreCases.layerOptions(options, server.url, { redacted: Redacted.make, millis: Duration.millis })), scope))
  return { store: promised(Context.get(context, TokenStore.TokenStore)), close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
}

describe("RedisTokenStore: with Redis (the shared cases)", () => {
  for (const testCase of RedisTokenStoreCases.cases) {
    it.live(testCase.name, () => Effect.promise(() => testCase.run(open, RedisTokenStoreCases.rawOf(raw, server), expect as TokenStoreCases.Expect)), testCase.timeoutMillis)
  }
})

describe("RedisTokenStore", () => {
  it.live("holds its lock and generations across OS processes of both Effect lines: 2 + 2 processes × 10 locked increments lose none", () =>
    Effect.gen(function*() {
      const key = freshKey()
      const reports = yield* Effect.promise(() => runWorkers(["effect3", "effect4", "effect3", "effect4"], "redis", server.url, key, 10))
      expect(reports.map((report) => report.stale)).toEqual([0, 0, 0, 0])
      expect(JSON.parse((yield* Effect.promise(() => raw.get(`workers:token:${key}`)))!).generation).toBe(40)
      expect(yield* Effect.promise(() => raw.exists(`workers:lock:${key}`))).toBe(0)
    }), 120_000)

  it.live("layerRedis runs on the program's own Redis service (NodeRedis.layer), the same layout", () =>
    Effect.gen(function*() {
      const key = freshKey()
      const tokens = yield* store
      const now = yield* tokens.now
      expect(yield* tokens.compareAndSet(key, entry(1, now + 60_000))).toEqual({ _tag: "Written" })
      expect(JSON.parse((yield* Effect.promise(() => raw.get(`own:token:${key}`)))!).generation).toBe(1)
    }).pipe(Effect.provide(Layer.fresh(RedisTokenStore.layerRedis({ keyPrefix: "own:" }).pipe(Layer.provide(NodeRedis.layer({ url: server.url })))))))

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
