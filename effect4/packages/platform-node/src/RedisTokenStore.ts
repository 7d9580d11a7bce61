/**
 * A `TokenStore` on Redis, for many machines, on Effect 4's own Redis support: the store runs
 * on `effect/persistence`'s `Redis` service (its cached scripts, commands and pub/sub), and
 * {@link layer} connects it with `@effect/platform-node`'s `NodeRedis` layer over node-redis
 * (`redis`), the client the Effect 3 line uses too. The keys, scripts and entries are the
 * kernel's `RedisTokenStoreLayout` and `TokenStoreEntry`: a process on either Effect line shares
 * one token with the other through the same Redis.
 *
 * Entries are JSON strings (`generation`, sealed `value`, `expiresAt`) at `<prefix>token:<key>`,
 * expiring with `PXAT` on Redis' clock; a write is a Lua compare-and-set on the generation that
 * publishes on `<prefix>changed:<key>`; the lock is `SET <prefix>lock:<key> <owner> NX PX <ttl>`,
 * released by a Lua compare-and-delete. Every command is bounded (1 s); while Redis is down
 * commands fail at once (the offline queue is disabled) with a `TokenStoreError`, and the client
 * reconnects in the background. Building {@link layer} never fails: without Redis, operations
 * fail until it comes.
 *
 * @see https://redis.io/docs/latest/develop/clients/patterns/distributed-locks/
 * @since 4.0.0
 */
import * as Layout from "@effect-bearer/kernel/RedisTokenStoreLayout"
import * as TokenStore from "@effect-bearer/core/TokenStore"
import { Config, ConfigProvider, Context, Duration, Effect, Exit, Layer, Option, Redacted, References, Scope } from "effect"
import * as Redis from "effect/persistence/Redis"
import * as internal from "./internal/redisTokenStore.js"
import * as SealingKey from "./internal/sealingKey.js"

/**
 * How the store behaves; every field has a default.
 *
 * @since 4.0.0
 * @category models
 */
export interface StoreOptions {
  /** Put before every key and channel, so that several applications share one Redis. Default `effect-bearer:`. */
  readonly keyPrefix?: string | undefined
  /** The bound on one command. Default 1 s. */
  readonly commandTimeout?: Duration.Input | undefined
  /** The fallback poll while waiting for a change (plus up to as much jitter). Default 250 ms. */
  readonly pollInterval?: Duration.Input | undefined
  /** How long the token provider's lock lives at most (see `TokenStore.Service.lockTimeToLive`); default 12 s. */
  readonly lockTimeToLive?: Duration.Input | undefined
  /**
   * A key you provide, base64 of at least 32 random bytes (`openssl rand -base64 32`): values are
   * sealed under it and the credentials together, so the store is unusable without it. A process
   * with another key (or none) sees a miss, with a warning. Invalid: the layer dies.
   */
  readonly sealingKey?: Redacted.Redacted<string> | undefined
}

/**
 * How to reach Redis, and how the store behaves; every field has a default.
 *
 * @since 4.0.0
 * @category models
 */
export interface Options extends StoreOptions {
  /** A `redis://` or `rediss://` (TLS) URL, which may hold the user and password; wins over host and port. */
  readonly url?: Redacted.Redacted<string> | undefined
  /** Default `127.0.0.1`. */
  readonly host?: string | undefined
  /** Default 6379. */
  readonly port?: number | undefined
  /** The ACL user (Redis 6+). */
  readonly username?: string | undefined
  readonly password?: Redacted.Redacted<string> | undefined
  /** TLS to host and port (a `rediss://` URL implies it). Default `false`. */
  readonly tls?: boolean | undefined
  /** The bound on one connection attempt (the layer waits at most this long for Redis). Default 2 s. */
  readonly connectTimeout?: Duration.Input | undefined
}

const storeOptions = (options: StoreOptions, secrets: ReadonlyArray<Redacted.Redacted<string>>): internal.Options => ({
  keyPrefix: options.keyPrefix ?? Layout.defaultKeyPrefix,
  commandTimeout: Duration.fromInputUnsafe(options.commandTimeout ?? Duration.seconds(1)),
  pollInterval: Duration.fromInputUnsafe(options.pollInterval ?? Duration.millis(250)),
  secrets
})

const withSettings = (store: TokenStore.Service, options: StoreOptions) =>
  Effect.map(SealingKey.decode(options.sealingKey), (sealingKey): TokenStore.Service => ({
    ...store,
    lockTimeToLive: options.lockTimeToLive,
    sealingKey
  }))

/**
 * The store on the program's `Redis` service (e.g. your own `NodeRedis.layer`): the client and
 * its connection are yours.
 *
 * @since 4.0.0
 * @category constructors
 */
export const makeRedis = (options: StoreOptions = {}): Effect.Effect<TokenStore.Service, never, Redis.Redis> =>
  Effect.gen(function*() {
    const redis = yield* Redis.Redis
    return yield* withSettings(internal.make(Effect.succeed(redis), storeOptions(options, [])), options)
  })

/**
 * `TokenStore` on the program's `Redis` service.
 *
 * @example
 * import { NodeRedis } from "@effect/platform-node"
 * import { Layer } from "effect"
 * import { RedisTokenStore } from "@effect-bearer/platform-node"
 *
 * const Store = RedisTokenStore.layerRedis().pipe(Layer.provide(NodeRedis.layer({ url: "redis://127.0.0.1:6379" })))
 *
 * @since 4.0.0
 * @category layers
 */
export const layerRedis = (options: StoreOptions = {}): Layer.Layer<TokenStore.TokenStore, never, Redis.Redis> =>
  Layer.effect(TokenStore.TokenStore, makeRedis(options))

/**
 * The store with its own node-redis connection (`NodeRedis`), closed with the scope. Building it
 * never fails: it waits at most `connectTimeout` for Redis, and while there is none its
 * operations fail with `TokenStoreError` and the connection is tried again in the background.
 *
 * @since 4.0.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<TokenStore.Service, never, Scope.Scope> =>
  Effect.gen(function*() {
    const secrets = [options.password, options.url].filter((secret) => secret !== undefined)
    const connectTimeout = Duration.fromInputUnsafe(options.connectTimeout ?? Duration.seconds(2))
    const scope = yield* Effect.scope
    // Loaded when a Redis store is built, so that programs without one (the CLI) never load the client.
    const { layer: nodeRedis } = yield* Effect.promise(() => import("@effect/platform-node/NodeRedis"))
    const clientLayer = nodeRedis({
      ...(options.url !== undefined
        ? { url: Redacted.value(options.url), socket: { connectTimeout: Duration.toMillis(connectTimeout) } }
        : {
          socket: {
            host: options.host ?? "127.0.0.1",
            port: options.port ?? 6379,
            tls: options.tls ?? false,
            connectTimeout: Duration.toMillis(connectTimeout)
          } as { host: string; port: number; tls: false; connectTimeout: number }
        }),
      ...(options.username !== undefined ? { username: options.username } : {}),
      ...(options.password !== undefined ? { password: Redacted.value(options.password) } : {}),
      // Commands fail at once while Redis is away instead of queueing until it returns.
      disableOfflineQueue: true,
      commandsQueueMaxLength: 1_000
      // The client's connection errors surface as typed failures of the operations: its own warnings stay quiet.
    }).pipe(Layer.provide(Layer.succeed(References.MinimumLogLevel, "Error")))

    let connected: Redis.Redis["Service"] | undefined
    const attempt = Effect.gen(function*() {
      const attemptScope = yield* Scope.fork(scope)
      const exit = yield* Effect.exit(Layer.buildWithScope(clientLayer, attemptScope).pipe(
        Effect.timeoutOrElse({ duration: connectTimeout, orElse: () => Effect.fail("timeout") })
      ))
      if (Exit.isSuccess(exit)) connected = Context.get(exit.value, Redis.Redis)
      else yield* Scope.close(attemptScope, Exit.void)
      return Exit.isSuccess(exit)
    })
    const connectForever = Effect.gen(function*() {
      for (let retries = 0; !(yield* attempt); retries++) yield* Effect.sleep(Duration.millis(Layout.reconnectDelay(retries)))
    })
    yield* Effect.forkIn(connectForever, scope)
    // The first attempt is waited for, so that a store built while Redis is up works at once.
    yield* Effect.sleep(Duration.millis(5)).pipe(
      Effect.repeat({ until: () => connected !== undefined }),
      Effect.timeoutOrElse({ duration: connectTimeout, orElse: () => Effect.void })
    )
    const connection = Effect.suspend(() =>
      connected !== undefined
        ? Effect.succeed(connected)
        : Effect.fail(new TokenStore.TokenStoreError({ reason: "Unavailable", backend: "redis", operation: "connect", detail: "not connected to Redis" }))
    )
    return yield* withSettings(internal.make(connection, storeOptions(options, secrets)), options)
  })

/**
 * `TokenStore` on Redis, with its own connection.
 *
 * @since 4.0.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<TokenStore.TokenStore> => Layer.effect(TokenStore.TokenStore, make(options))

const refuse = (name: string, message: string) => Config.fail(new ConfigProvider.SourceError({ message: `${name}: ${message}` }))

/**
 * The connection settings from `Config`: `REDIS_URL` (`redis://` or `rediss://`, redacted), or
 * `REDIS_HOST`, `REDIS_PORT`, `REDIS_USERNAME`, `REDIS_PASSWORD` (redacted) and `REDIS_TLS`;
 * `REDIS_KEY_PREFIX`; and the sealing key `EFFECT_BEARER_STORE_KEY` (redacted, see
 * `TokenStore.sealingKeyConfig`).
 *
 * @since 4.0.0
 * @category config
 */
export const config: Config.Config<Options> = Config.all({
  url: Config.option(
    Config.Redacted("REDIS_URL").pipe(
      Config.flatMap((url) =>
        /^rediss?:\/\//i.test(Redacted.value(url)) ? Config.succeed(url) : refuse("REDIS_URL", "REDIS_URL must be a redis:// or rediss:// URL")
      )
    )
  ),
  host: Config.option(Config.String("REDIS_HOST")),
  port: Config.option(Config.Port("REDIS_PORT")),
  username: Config.option(Config.String("REDIS_USERNAME")),
  password: Config.option(Config.Redacted("REDIS_PASSWORD")),
  tls: Config.option(Config.Boolean("REDIS_TLS")),
  keyPrefix: Config.option(Config.String("REDIS_KEY_PREFIX")),
  sealingKey: TokenStore.sealingKeyConfig()
}).pipe(Config.map((found) => ({
  url: Option.getOrUndefined(found.url),
  host: Option.getOrUndefined(found.host),
  port: Option.getOrUndefined(found.port),
  username: Option.getOrUndefined(found.username),
  password: Option.getOrUndefined(found.password),
  tls: Option.getOrUndefined(found.tls),
  keyPrefix: Option.getOrUndefined(found.keyPrefix),
  sealingKey: Option.getOrUndefined(found.sealingKey)
})))

/**
 * `TokenStore` on Redis, connected as {@link config} (or the given `Config`) says.
 *
 * @since 4.0.0
 * @category layers
 */
export const layerConfig = (
  settings: Config.Config<Options> = config,
  options: Pick<Options, "commandTimeout" | "connectTimeout" | "pollInterval" | "lockTimeToLive"> = {}
): Layer.Layer<TokenStore.TokenStore, Config.ConfigError> =>
  Layer.unwrap(Effect.map(settings, (found) => layer({ ...options, ...found })))

