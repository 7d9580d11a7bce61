/**
 * Where processes share their tokens: sealed entries with a generation, a lock per entry, a
 * wait for another process's write, and the store's own clock: the operations of the
 * cross-process protocol (`internal/sharedFetch.ts`) and nothing more. Values are already
 * sealed (the kernel's `Seal`), keys the kernel's `TokenStoreKey`: a store never sees a token
 * or a secret. A failing store is never the caller's failure: the provider falls back to its
 * per-process single flight. Layers: {@link layerMemory} here; file and Redis stores are in
 * `@effect-bearer/platform-node`.
 *
 * @since 4.0.0
 */
import type { Duration, Effect, Option } from "effect"
import { Config, ConfigProvider, Context, Layer, Redacted, Result, Schema } from "effect"
import { Base64, Base64Url } from "effect/encoding"
import * as internal from "./internal/tokenStoreMemory.js"
import * as owner from "./internal/tokenStoreOwner.js"

/**
 * An entry as read from the store.
 *
 * @since 4.0.0
 * @category models
 */
export interface Entry {
  /** The sealed value. */
  readonly value: string
  /** Incremented by each writer; a write never replaces a higher one. */
  readonly generation: number
  /** When the store drops it, epoch milliseconds on the store's clock. */
  readonly expiresAt: number
}

/**
 * A read: the live entry, and the store's clock at that moment.
 *
 * @since 4.0.0
 * @category models
 */
export interface Read {
  readonly entry: Option.Option<Entry>
  readonly now: number
}

/**
 * `Written`, or `Stale` when the store holds `current`, a generation at least as high.
 *
 * @since 4.0.0
 * @category models
 */
export type WriteResult =
  | { readonly _tag: "Written" }
  | { readonly _tag: "Stale"; readonly current: number }

/**
 * A held lock: its random owner and its expiry on the store's clock.
 *
 * @since 4.0.0
 * @category models
 */
export interface Lock {
  readonly key: string
  readonly owner: string
  readonly expiresAt: number
  /** Whether an expired lock of another owner was replaced (Redis cannot tell: `false`). */
  readonly tookOver: boolean
}

/**
 * What a token store offers (the same operations as the Effect 3 line's).
 *
 * @since 4.0.0
 * @category models
 */
export interface Service {
  /** `memory`, `file`, `redis`. */
  readonly backend: string
  readonly get: (key: string) => Effect.Effect<Read, TokenStoreError>
  /** Writes when the stored generation is lower (absent, expired or corrupt count as 0), atomically, and wakes the waiters. */
  readonly compareAndSet: (key: string, entry: Entry) => Effect.Effect<WriteResult, TokenStoreError>
  /** Takes the lock for `timeToLive` under a fresh owner, replacing an expired one; `None` when held. Never waits. */
  readonly acquireLock: (key: string, timeToLive: Duration.Input) => Effect.Effect<Option.Option<Lock>, TokenStoreError>
  /** Compare-and-delete; `false` when the lock was no longer `lock.owner`'s. */
  readonly releaseLock: (lock: Lock) => Effect.Effect<boolean, TokenStoreError>
  /** Until a generation above `after`, no live lock, or `timeout`; then reads. */
  readonly awaitChange: (key: string, after: number, timeout: Duration.Input) => Effect.Effect<Read, TokenStoreError>
  /** The store's clock, epoch milliseconds. */
  readonly now: Effect.Effect<number, TokenStoreError>
  /** The provider's lock lives at most this long (default 12 s). */
  readonly lockTimeToLive?: Duration.Input | undefined
  /** A user-provided key sealed in with the credentials' secrets (see {@link decodeSealingKey}). */
  readonly sealingKey?: Redacted.Redacted<Uint8Array> | undefined
}

/**
 * The token store of the program (Effect 4's `Context.Service`).
 *
 * @since 4.0.0
 * @category tags
 */
export class TokenStore extends Context.Service<TokenStore, Service>()("@effect-bearer/core/TokenStore") {}

/**
 * The store failed: `Unavailable`, `Timeout` or `Corrupt`. Holds no value, token or secret.
 *
 * @since 4.0.0
 * @category errors
 */
export class TokenStoreError extends Schema.TaggedError<TokenStoreError>("effect-bearer/TokenStoreError")("TokenStoreError", {
  reason: Schema.Literals(["Unavailable", "Timeout", "Corrupt"]),
  backend: Schema.String,
  /** The operation, e.g. `get`, `compareAndSet`. */
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
 * @since 4.0.0
 * @category errors
 */
export const isTokenStoreError = (u: unknown): u is TokenStoreError => u instanceof TokenStoreError

/**
 * An in-process store on the program's `Clock`.
 *
 * @since 4.0.0
 * @category constructors
 */
export const makeMemory: Effect.Effect<Service> = internal.make

/**
 * {@link TokenStore} in memory: one process, nothing shared, no I/O.
 *
 * @since 4.0.0
 * @category layers
 */
export const layerMemory: Layer.Layer<TokenStore> = Layer.effect(TokenStore, makeMemory)

/**
 * A fresh random lock owner (128 bits from `crypto.getRandomValues`, hex).
 *
 * @since 4.0.0
 * @category constructors
 */
export const makeOwner: Effect.Effect<string> = owner.makeOwner

/**
 * The fewest bytes of a sealing key (256 bits).
 *
 * @since 4.0.0
 * @category constants
 */
export const minimumSealingKeyBytes = 32

/**
 * A sealing key from its base64 or base64url text (`openssl rand -base64 32`), or why it is
 * refused; the reason never holds the key. (Effect 4: `Result`, not `Either`.)
 *
 * @since 4.0.0
 * @category constructors
 */
export const decodeSealingKey = (encoded: Redacted.Redacted<string>): Result.Result<Redacted.Redacted<Uint8Array>, string> => {
  const text = Redacted.value(encoded).trim()
  const bytes = Result.orElse(Base64.decode(text), () => Base64Url.decode(text))
  if (Result.isFailure(bytes)) return Result.fail("the token store's sealing key must be base64 (e.g. `openssl rand -base64 32`)")
  if (bytes.success.length < minimumSealingKeyBytes) {
    return Result.fail(
      `the token store's sealing key must hold at least ${minimumSealingKeyBytes} bytes (e.g. \`openssl rand -base64 32\`), not ${bytes.success.length}`
    )
  }
  return Result.succeed(Redacted.make(bytes.success))
}

/**
 * The sealing key from `Config` (default `EFFECT_BEARER_STORE_KEY`), checked by
 * {@link decodeSealingKey}; `None` when unset.
 *
 * @since 4.0.0
 * @category config
 */
export const sealingKeyConfig = (
  name = "EFFECT_BEARER_STORE_KEY"
): Config.Config<Option.Option<Redacted.Redacted<string>>> =>
  Config.option(
    Config.Redacted(name).pipe(
      Config.flatMap((encoded) =>
        Result.match(decodeSealingKey(encoded), {
          onFailure: (reason) => Config.fail(new ConfigProvider.SourceError({ message: `${name}: ${reason}` })),
          onSuccess: () => Config.succeed(encoded)
        })
      )
    )
  )
