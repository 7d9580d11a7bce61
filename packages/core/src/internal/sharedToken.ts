/**
 * A token as a shared store holds it: JSON sealed under the credentials' key (`Seal`), its
 * instants on the store's clock. Opening never fails: anything that does not open, or opens
 * to something that is not a token, is `None` (a miss, which the caller warns about). The
 * record shapes, checks and sealing are the kernel's `SharedToken`; this module converts
 * `AccessToken` and `TemporarilyUnavailable` to and from them.
 */
import * as Seal from "@effect-bearer/kernel/Seal"
import * as SharedToken from "@effect-bearer/kernel/SharedToken"
import { Duration, Effect, Option, Redacted } from "effect"
import * as AccessToken from "../AccessToken.js"
import * as TokenError from "../TokenError.js"
import * as TokenStore from "../TokenStore.js"

const sealed = (key: Seal.SealingKey, value: unknown, backend: string): Effect.Effect<string, TokenStore.TokenStoreError> =>
  Effect.tryPromise({
    try: () => SharedToken.sealJson(key, value),
    catch: () =>
      new TokenStore.TokenStoreError({ reason: "Unavailable", backend, operation: "seal", detail: "the value could not be sealed" })
  })

const opened = <A>(key: Seal.SealingKey, value: string, is: (u: unknown) => u is A): Effect.Effect<Option.Option<A>> =>
  Effect.map(Effect.promise(() => SharedToken.openJson(key, value, is)), Option.fromNullable)

/** `token` sealed, its instants moved to the store's clock by `offset` (store minus local). */
export const seal = (
  key: Seal.SealingKey,
  token: AccessToken.AccessToken,
  offset: number,
  backend: string
): Effect.Effect<string, TokenStore.TokenStoreError> => {
  const stored: SharedToken.StoredToken = {
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
  return sealed(key, stored, backend)
}

/** The token sealed in `sealed`, its instants moved back to the local clock; `None` when it does not open. */
export const open = (
  key: Seal.SealingKey,
  sealed: string,
  offset: number
): Effect.Effect<Option.Option<AccessToken.AccessToken>> =>
  Effect.map(opened(key, sealed, SharedToken.isStoredToken), Option.map((plain) =>
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

/** The marker of `error`, which happened while the entry was at `generation`, sealed. */
export const sealFailure = (
  key: Seal.SealingKey,
  error: TokenError.TemporarilyUnavailable,
  generation: number,
  backend: string
): Effect.Effect<string, TokenStore.TokenStoreError> => {
  const failure: SharedToken.FailureMarker = { generation, endpoint: error.endpoint, reason: error.reason, status: error.status ?? null }
  return sealed(key, failure, backend)
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
  Effect.map(opened(key, sealed, SharedToken.isFailureMarker), (opened) =>
    Option.map(Option.filter(opened, (failure) => failure.generation === generation), (failure) =>
      new TokenError.TemporarilyUnavailable({
        endpoint: failure.endpoint,
        reason: failure.reason,
        ...(failure.status === null ? {} : { status: failure.status }),
        retryAfter: Duration.millis(Math.max(0, remaining))
      })))
