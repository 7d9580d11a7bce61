/**
 * A token as a shared store holds it: JSON sealed under the credentials' key (`Seal`), its
 * instants on the store's clock. Opening never fails: anything that does not open, or opens
 * to something that is not a token, is `None` (a miss, which the caller warns about).
 */
import * as Seal from "@effect-bearer/kernel/Seal"
import { Duration, Effect, Option, Redacted } from "effect"
import * as AccessToken from "../AccessToken.js"
import * as TokenError from "../TokenError.js"
import * as TokenStore from "../TokenStore.js"

/** The store key of a credential and the key its values are sealed under. */
export interface Keys {
  readonly storeKey: string
  readonly sealingKey: Seal.SealingKey
}

/** The sealed plaintext: short names, instants on the store's clock. */
interface Plain {
  readonly value: string
  readonly issuedAt: number
  readonly expiresAt: number
  readonly lifetimeSource: AccessToken.LifetimeSource
  readonly scope: string | null
  readonly refreshToken: string | null
  readonly refreshExpiresAt: number | null
}

const lifetimeSources: ReadonlyArray<string> = ["expires_in", "jwt", "default"]

const isPlain = (u: unknown): u is Plain => {
  if (typeof u !== "object" || u === null) return false
  const p = u as Record<string, unknown>
  return typeof p["value"] === "string" && p["value"] !== "" && typeof p["issuedAt"] === "number" &&
    typeof p["expiresAt"] === "number" && p["expiresAt"] > p["issuedAt"] &&
    typeof p["lifetimeSource"] === "string" && lifetimeSources.includes(p["lifetimeSource"]) &&
    (p["scope"] === null || typeof p["scope"] === "string") &&
    (p["refreshToken"] === null || typeof p["refreshToken"] === "string") &&
    (p["refreshExpiresAt"] === null || typeof p["refreshExpiresAt"] === "number")
}

/** `value` as JSON, sealed. */
const sealJson = (key: Seal.SealingKey, value: unknown, backend: string): Effect.Effect<string, TokenStore.TokenStoreError> =>
  Effect.tryPromise({
    try: () => Seal.seal(key, JSON.stringify(value)),
    catch: () =>
      new TokenStore.TokenStoreError({ reason: "Unavailable", backend, operation: "seal", detail: "the value could not be sealed" })
  })

/** The JSON sealed in `sealed` when it opens and passes `is`; `None` otherwise. */
const openJson = <A>(key: Seal.SealingKey, sealed: string, is: (u: unknown) => u is A): Effect.Effect<Option.Option<A>> =>
  Effect.map(Effect.promise(() => Seal.open(key, sealed)), (opened) => {
    if (opened._tag !== "Opened") return Option.none()
    try {
      return Option.liftPredicate(JSON.parse(opened.plaintext) as unknown, is)
    } catch {
      return Option.none()
    }
  })

/** `token` sealed, its instants moved to the store's clock by `offset` (store minus local). */
export const seal = (
  key: Seal.SealingKey,
  token: AccessToken.AccessToken,
  offset: number,
  backend: string
): Effect.Effect<string, TokenStore.TokenStoreError> => {
  const plain: Plain = {
    value: Redacted.value(token.value),
    issuedAt: token.issuedAt + offset,
    expiresAt: token.expiresAt + offset,
    lifetimeSource: token.lifetimeSource,
    scope: Option.getOrNull(token.scope),
    refreshToken: Option.getOrNull(Option.map(token.refreshToken, (refresh) => Redacted.value(refresh.value))),
    refreshExpiresAt: Option.getOrNull(
      Option.flatMap(token.refreshToken, (refresh) => Option.map(refresh.expiresAt, (at) => at + offset))
    )
  }
  return sealJson(key, plain, backend)
}

/** The token sealed in `sealed`, its instants moved back to the local clock; `None` when it does not open. */
export const open = (
  key: Seal.SealingKey,
  sealed: string,
  offset: number
): Effect.Effect<Option.Option<AccessToken.AccessToken>> =>
  Effect.map(openJson(key, sealed, isPlain), Option.map((plain) =>
      new AccessToken.AccessToken({
        value: Redacted.make(plain.value),
        tokenType: "Bearer",
        issuedAt: plain.issuedAt - offset,
        expiresAt: plain.expiresAt - offset,
        lifetimeSource: plain.lifetimeSource,
        scope: Option.fromNullable(plain.scope),
        refreshToken: plain.refreshToken === null ? Option.none() : Option.some(
          new AccessToken.RefreshToken({
            value: Redacted.make(plain.refreshToken),
            expiresAt: Option.map(Option.fromNullable(plain.refreshExpiresAt), (at) => at - offset)
          })
        )
      })
  ))

/** The store key of the failure marker of `storeKey`: the same credential, a failed fetch. */
export const failureKey = (storeKey: string): string => `${storeKey}-failed`

/**
 * The failure marker: the lock holder's fetch failed transiently while the entry was at
 * `generation`; the others fail alike until the marker expires instead of each asking the
 * endpoint again. Sealed like a token (it holds no secret, but a forged one must not open).
 */
interface Failure {
  readonly generation: number
  readonly endpoint: string
  readonly reason: TokenError.TemporarilyUnavailable["reason"]
  readonly status: number | null
}

const failureReasons: ReadonlyArray<string> = ["Transport", "Timeout", "ServerError", "RateLimited"]

const isFailure = (u: unknown): u is Failure => {
  if (typeof u !== "object" || u === null) return false
  const p = u as Record<string, unknown>
  return typeof p["generation"] === "number" && typeof p["endpoint"] === "string" &&
    typeof p["reason"] === "string" && failureReasons.includes(p["reason"]) &&
    (p["status"] === null || typeof p["status"] === "number")
}

/** The marker of `error`, which happened while the entry was at `generation`, sealed. */
export const sealFailure = (
  key: Seal.SealingKey,
  error: TokenError.TemporarilyUnavailable,
  generation: number,
  backend: string
): Effect.Effect<string, TokenStore.TokenStoreError> => {
  const failure: Failure = { generation, endpoint: error.endpoint, reason: error.reason, status: error.status ?? null }
  return sealJson(key, failure, backend)
}

/**
 * The error the marker in `sealed` stands for when it was written at `generation`, its
 * `retryAfter` the marker's remaining lifetime; `None` when it does not open or is of
 * another generation (a token was written since).
 */
export const openFailure = (
  key: Seal.SealingKey,
  sealed: string,
  generation: number,
  remaining: number
): Effect.Effect<Option.Option<TokenError.TemporarilyUnavailable>> =>
  Effect.map(openJson(key, sealed, isFailure), (opened) =>
    Option.map(Option.filter(opened, (failure) => failure.generation === generation), (failure) =>
      new TokenError.TemporarilyUnavailable({
        endpoint: failure.endpoint,
        reason: failure.reason,
        ...(failure.status === null ? {} : { status: failure.status }),
        retryAfter: Duration.millis(Math.max(0, remaining))
      })))
