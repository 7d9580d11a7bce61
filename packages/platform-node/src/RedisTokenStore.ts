/**
 * A `TokenStore` on Redis, for many machines, over node-redis (`redis`): Redis' maintainers
 * recommend it and Effect 4's own `NodeRedis` layer uses it, so both of our lines share one client.
 *
 * Entries are JSON strings (`generation`, sealed `value`, `expiresAt`) at
 * `<prefix>token:<key>`, expiring with `PXAT` on Redis' clock. A write is a Lua
 * compare-and-set on the generation (a corrupt entry counts as generation 0) that publishes
 * on `<prefix>changed:<key>`. The lock is `SET <prefix>lock:<key> <random owner> NX PX <ttl>`
 * and its release a Lua compare-and-delete that publishes too. Reads, locks and writes report
 * Redis `TIME`, so expiry is judged on one clock for every machine. Waiting for a change
 * listens on the channel, with a poll (with jitter) behind it for a lost subscription and a
 * lock whose holder died. The layout (keys, scripts, entries) is the kernel's
 * `RedisTokenStoreLayout` and `TokenStoreEntry`, the same as the Effect 4 line's: a process on
 * either line shares one token with the other.
 *
 * Every command is bounded by a short timeout; while Redis is down commands fail at once (the
 * offline queue is disabled, the command queue bounded) with a `TokenStoreError`, and the
 * client reconnects in the background. Values are sealed before they get here (see `Seal` in
 * `@effect-bearer/kernel`): reading Redis yields nothing usable without the credentials.
 *
 * @see https://redis.io/docs/latest/develop/clients/patterns/distributed-locks/
 * @since 0.1.0
 */
import { TokenStore } from "@effect-bearer/core"
import * as Layout from "@effect-bearer/kernel/RedisTokenStoreLayout"
import type { ConfigError, Scope } from "effect"
import { Config, Duration, Effect, Layer, Option, Redacted } from "effect"
import * as internal from "./internal/redisTokenStore.js"
import * as SealingKey from "./internal/sealingKey.js"

/**
 * How to reach Redis and how the store behaves; every field has a default.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
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
  /** Put before every key and channel, so that several applications share one Redis. Default `effect-bearer:`. */
  readonly keyPrefix?: string | undefined
  /** The bound on one command. Default 1 s. */
  readonly commandTimeout?: Duration.DurationInput | undefined
  /** The bound on one connection attempt (the layer waits at most this long for Redis). Default 2 s. */
  readonly connectTimeout?: Duration.DurationInput | undefined
  /** The fallback poll while waiting for a change (plus up to as much jitter). Default 250 ms. */
  readonly pollInterval?: Duration.DurationInput | undefined
  /** How long the token provider's lock lives at most (see `TokenStore.Service.lockTimeToLive`); default 12 s. */
  readonly lockTimeToLive?: Duration.DurationInput | undefined
  /**
   * A key you provide, base64 of at least 32 random bytes (`openssl rand -base64 32`): values
   * are sealed under it and the credentials together, so the store is unusable without it.
   * A process with another key (or none) sees a miss, with a warning. Invalid: the layer dies.
   */
  readonly sealingKey?: Redacted.Redacted<string> | undefined
}

/**
 * The Redis store; its connections close with the scope. Building it never fails: when Redis
 * is not there, operations fail with `TokenStoreError` until it is.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: Options = {}): Effect.Effect<TokenStore.Service, never, Scope.Scope> =>
  internal.make({
    url: Option.fromNullable(options.url),
    host: options.host ?? "127.0.0.1",
    port: options.port ?? 6379,
    username: Option.fromNullable(options.username),
    password: Option.fromNullable(options.password),
    tls: options.tls ?? false,
    keyPrefix: options.keyPrefix ?? Layout.defaultKeyPrefix,
    commandTimeout: Duration.decode(options.commandTimeout ?? Duration.seconds(1)),
    connectTimeout: Duration.decode(options.connectTimeout ?? Duration.seconds(2)),
    pollInterval: Duration.decode(options.pollInterval ?? Duration.millis(250))
  }).pipe(
    Effect.zipWith(SealingKey.decode(options.sealingKey), (store, sealingKey) => ({
      ...store,
      lockTimeToLive: options.lockTimeToLive,
      sealingKey
    }))
  )

/**
 * `TokenStore` on Redis.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: Options = {}): Layer.Layer<TokenStore.TokenStore> =>
  Layer.scoped(TokenStore.TokenStore, make(options))

/**
 * The connection settings from `Config`: `REDIS_URL` (`redis://` or `rediss://`, redacted), or
 * `REDIS_HOST`, `REDIS_PORT`, `REDIS_USERNAME`, `REDIS_PASSWORD` (redacted) and `REDIS_TLS`;
 * `REDIS_KEY_PREFIX`; and the sealing key `EFFECT_BEARER_STORE_KEY` (redacted, see
 * `TokenStore.sealingKeyConfig`).
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<Options> = Config.all({
  url: Config.option(
    Config.redacted("REDIS_URL").pipe(
      Config.validate({
        message: "REDIS_URL must be a redis:// or rediss:// URL",
        validation: (url) => /^rediss?:\/\//i.test(Redacted.value(url))
      })
    )
  ),
  host: Config.option(Config.string("REDIS_HOST")),
  port: Config.option(Config.port("REDIS_PORT")),
  username: Config.option(Config.string("REDIS_USERNAME")),
  password: Config.option(Config.redacted("REDIS_PASSWORD")),
  tls: Config.option(Config.boolean("REDIS_TLS")),
  keyPrefix: Config.option(Config.string("REDIS_KEY_PREFIX")),
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
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (
  settings: Config.Config<Options> = config,
  options: Pick<Options, "commandTimeout" | "connectTimeout" | "pollInterval" | "lockTimeToLive"> = {}
): Layer.Layer<TokenStore.TokenStore, ConfigError.ConfigError> =>
  Layer.unwrapEffect(Effect.map(settings, (found) => layer({ ...options, ...found })))
