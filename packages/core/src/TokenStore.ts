/**
 * Where processes share their tokens: a store of sealed entries with a generation, a lock
 * per entry, a way to wait for another process's write, and the store's own clock.
 *
 * These are the operations of the cross-process protocol and nothing more: a process reads
 * the entry; on a miss or a due refresh it takes the entry's lock, reads again, fetches,
 * writes the next generation with {@link Service.compareAndSet} and releases; the others
 * {@link Service.awaitChange} instead of fetching. A lock always has a time to live, so a
 * holder that died is replaced when its lock expires, and a write never overwrites a newer
 * generation, so a holder whose lock expired cannot undo its successor's work. Times are
 * on the store's clock ({@link Service.now}), never compared with another machine's.
 *
 * Values are opaque, already sealed text (see `Seal` in `@effect-bearer/kernel`): a store
 * never sees a token or a secret. Every failure is one {@link TokenStoreError}, which the
 * token provider turns into a fallback to per-process single flight, never into its
 * caller's failure.
 *
 * Layers: {@link layerMemory} here (the default: one process, no I/O); the file and Redis
 * stores are in `@effect-bearer/platform-node` (`FileTokenStore`, `RedisTokenStore`).
 *
 * @since 0.1.0
 */
import type { Duration, Effect, Option } from "effect"
import { Config, ConfigError, Context, Either, Encoding, Layer, Redacted, Schema } from "effect"
import * as internal from "./internal/tokenStoreMemory.js"
import * as owner from "./internal/tokenStoreOwner.js"

/**
 * An entry as read from the store.
 *
 * @since 0.1.0
 * @category models
 */
export interface Entry {
  /** The sealed value (see `Seal.seal`). */
  readonly value: string
  /** Incremented by each writer; a write never replaces a higher one. */
  readonly generation: number
  /** When the store drops the entry, in milliseconds since the epoch on the store's clock. */
  readonly expiresAt: number
}

/**
 * The result of {@link Service.get}: the entry (absent when there is none or it expired) and
 * the store's clock at the moment of the read, so that the caller judges the token's expiry
 * on the same clock as every other process.
 *
 * @since 0.1.0
 * @category models
 */
export interface Read {
  readonly entry: Option.Option<Entry>
  /** The store's clock when the entry was read, in milliseconds since the epoch. */
  readonly now: number
}

/**
 * The result of {@link Service.compareAndSet}: `Written`, or `Stale` when the store already
 * holds `current`, a generation at least as high as the one offered (nothing was written).
 *
 * @since 0.1.0
 * @category models
 */
export type WriteResult =
  | { readonly _tag: "Written" }
  | { readonly _tag: "Stale"; readonly current: number }

/**
 * A held lock: the random owner that proves it, and when it expires on the store's clock.
 *
 * @since 0.1.0
 * @category models
 */
export interface Lock {
  readonly key: string
  /** A random, unguessable owner id; only a release naming it removes the lock. */
  readonly owner: string
  /** When the lock expires on the store's clock, in milliseconds since the epoch. */
  readonly expiresAt: number
  /**
   * Whether an expired lock of another owner was replaced (its holder died or stalled).
   * Stores that expire locks themselves (Redis) cannot see this and say `false`.
   */
  readonly tookOver: boolean
}

/**
 * What a token store offers. Keys are `TokenStoreKey.make` keys.
 *
 * @since 0.1.0
 * @category models
 */
export interface Service {
  /** The backend, for logs, spans and metrics: `memory`, `file`, `redis`. */
  readonly backend: string
  /** The entry at `key` unless absent or expired (judged on the store's clock), and that clock. */
  readonly get: (key: string) => Effect.Effect<Read, TokenStoreError>
  /**
   * Writes `entry` when the stored generation is lower than `entry.generation` (an absent,
   * expired or corrupt entry counts as generation 0, so the first write is generation 1),
   * atomically, and wakes the waiters.
   */
  readonly compareAndSet: (key: string, entry: Entry) => Effect.Effect<WriteResult, TokenStoreError>
  /**
   * Takes the lock of `key` for `timeToLive` under a fresh random owner, replacing an expired
   * lock; `None` when another owner holds a live lock. Never waits.
   */
  readonly acquireLock: (key: string, timeToLive: Duration.DurationInput) => Effect.Effect<Option.Option<Lock>, TokenStoreError>
  /**
   * Removes the lock when it is still `lock.owner`'s (compare-and-delete) and wakes the waiters;
   * `false` when it had expired and maybe been taken by another owner, which keeps it.
   */
  readonly releaseLock: (lock: Lock) => Effect.Effect<boolean, TokenStoreError>
  /**
   * Waits until the entry at `key` has a generation above `after`, or no live lock is held on
   * `key` (its holder released it or died), or `timeout` passes, whichever comes first; then
   * reads it. Redis is woken by pub/sub, the file store polls with jitter.
   */
  readonly awaitChange: (key: string, after: number, timeout: Duration.DurationInput) => Effect.Effect<Read, TokenStoreError>
  /** The store's clock, in milliseconds since the epoch (Redis `TIME`; the local clock otherwise). */
  readonly now: Effect.Effect<number, TokenStoreError>
  /**
   * How long the token provider's lock lives at most (default 12 s: longer than one token
   * request's default 10 s timeout). A holder that died blocks the others no longer than this;
   * a live holder slower than this may see a second request made, never a refresh token sent
   * twice (it is spent in the store before it is sent).
   */
  readonly lockTimeToLive?: Duration.DurationInput | undefined
  /**
   * A key the user provides (see {@link decodeSealingKey}): every value is sealed under it
   * together with the credentials' own secrets, so that reading the store with the
   * credentials but without this key (or with another key) yields nothing usable.
   */
  readonly sealingKey?: Redacted.Redacted<Uint8Array> | undefined
}

/**
 * The token store of the program.
 *
 * @since 0.1.0
 * @category tags
 */
export class TokenStore extends Context.Tag("@effect-bearer/core/TokenStore")<TokenStore, Service>() {}

/**
 * The store failed: `Unavailable` (cannot be reached or refused the operation), `Timeout`
 * (did not answer within its bound) or `Corrupt` (answered with something that is not an
 * entry). Holds no value, token or secret. The token provider falls back to per-process
 * single flight on it, with a warning, and never fails a caller because of it.
 *
 * @since 0.1.0
 * @category errors
 */
export class TokenStoreError extends Schema.TaggedError<TokenStoreError>("effect-bearer/TokenStoreError")("TokenStoreError", {
  reason: Schema.Literal("Unavailable", "Timeout", "Corrupt"),
  /** The backend: `memory`, `file`, `redis`. */
  backend: Schema.String,
  /** The operation, e.g. `get`, `compareAndSet`, `acquireLock`. */
  operation: Schema.String,
  /** What went wrong, without any value from the store. */
  detail: Schema.String
}) {
  override get message(): string {
    const what = this.reason === "Timeout"
      ? "did not answer in time"
      : this.reason === "Corrupt"
      ? "holds something that is not a token entry"
      : "is unavailable"
    return `The ${this.backend} token store ${what} (${this.operation}: ${this.detail}); tokens are fetched per process until it answers again.`
  }
}

/**
 * Whether `u` is a {@link TokenStoreError}.
 *
 * @since 0.1.0
 * @category errors
 */
export const isTokenStoreError = Schema.is(TokenStoreError)

/**
 * An in-process store (no I/O), on the program's `Clock`: today's behaviour, and the default.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeMemory: Effect.Effect<Service> = internal.make

/**
 * {@link TokenStore} in memory: one process, no I/O, no extra cost.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerMemory: Layer.Layer<TokenStore> = Layer.effect(TokenStore, makeMemory)

/**
 * A fresh random lock owner id (128 bits, hex), as every backend uses.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeOwner: Effect.Effect<string> = owner.makeOwner

/**
 * The fewest bytes a user-provided sealing key may have (256 bits, as the AES key it derives).
 *
 * @since 0.1.0
 * @category constants
 */
export const minimumSealingKeyBytes = 32

/**
 * A user-provided sealing key from its base64 (or base64url) text, e.g. the output of
 * `openssl rand -base64 32`: its bytes, or why it is refused (not base64, or fewer than
 * {@link minimumSealingKeyBytes} bytes). The reason never holds the key.
 *
 * @since 0.1.0
 * @category constructors
 */
export const decodeSealingKey = (encoded: Redacted.Redacted<string>): Either.Either<Redacted.Redacted<Uint8Array>, string> => {
  const text = Redacted.value(encoded).trim()
  const bytes = Either.orElse(Encoding.decodeBase64(text), () => Encoding.decodeBase64Url(text))
  if (Either.isLeft(bytes)) return Either.left("the token store's sealing key must be base64 (e.g. `openssl rand -base64 32`)")
  if (bytes.right.length < minimumSealingKeyBytes) {
    return Either.left(
      `the token store's sealing key must hold at least ${minimumSealingKeyBytes} bytes (e.g. \`openssl rand -base64 32\`), not ${bytes.right.length}`
    )
  }
  return Either.right(Redacted.make(bytes.right))
}

/**
 * The user-provided sealing key from `Config` (default name `EFFECT_BEARER_STORE_KEY`),
 * redacted, checked by {@link decodeSealingKey}; `None` when it is not set.
 *
 * @since 0.1.0
 * @category config
 */
export const sealingKeyConfig = (
  name = "EFFECT_BEARER_STORE_KEY"
): Config.Config<Option.Option<Redacted.Redacted<string>>> =>
  Config.option(
    Config.redacted(name).pipe(
      Config.mapOrFail((encoded) =>
        Either.mapBoth(decodeSealingKey(encoded), { onLeft: (reason) => ConfigError.InvalidData([name], reason), onRight: () => encoded })
      )
    )
  )
