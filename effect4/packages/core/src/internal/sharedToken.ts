/**
 * A token and a failure marker as a shared store holds them, on Effect 4: the shapes, checks
 * and sealing are the kernel's `SharedToken`; this module converts `AccessToken` and
 * `TemporarilyUnavailable` to and from them, moving instants between the local clock and the
 * store's by `offset` (store minus local). Opening never fails: anything else is `None`.
 */
import * as Seal from "@effect-bearer/kernel/Seal"
import * as SharedToken from "@effect-bearer/kernel/SharedToken"
import { Duration, Effect, Option, Redacted } from "effect"
import * as AccessToken from "../AccessToken.js"
import * as TokenError from "../TokenError.js"
import * as TokenStore from "../TokenStore.js"

/** The store key of a credential and the key its values are sealed under (the kernel's). */
export type Keys = SharedToken.Keys

const sealed = (key: Seal.SealingKey, value: unknown, backend: string) =>
  Effect.tryPromise({
    try: () => SharedToken.sealJson(key, value),
    catch: () => new TokenStore.TokenStoreError({ reason: "Unavailable", backend, operation: "seal", detail: "the value could not be sealed" })
  })

const opened = <A>(key: Seal.SealingKey, value: string, is: (u: unknown) => u is A) =>
  Effect.map(Effect.promise(() => SharedToken.openJson(key, value, is)), Option.fromUndefinedOr)

/** `token` sealed, its instants moved to the store's clock. */
export const seal = (key: Seal.SealingKey, token: AccessToken.AccessToken, offset: number, backend: string) =>
  sealed(key, {
    value: Redacted.value(token.value),
    issuedAt: token.issuedAt + offset,
    expiresAt: token.expiresAt + offset,
    lifetimeSource: token.lifetimeSource,
    scope: Option.getOrNull(token.scope),
    refreshToken: Option.getOrNull(Option.map(token.refreshToken, (refresh) => Redacted.value(refresh.value))),
    refreshExpiresAt: Option.getOrNull(Option.flatMap(token.refreshToken, (refresh) => Option.map(refresh.expiresAt, (at) => at + offset)))
  } satisfies SharedToken.StoredToken, backend)

/** The token sealed in `value`, its instants moved back to the local clock. */
export const open = (key: Seal.SealingKey, value: string, offset: number): Effect.Effect<Option.Option<AccessToken.AccessToken>> =>
  Effect.map(opened(key, value, SharedToken.isStoredToken), Option.map((stored) =>
    new AccessToken.AccessToken({
      value: Redacted.make(stored.value),
      tokenType: "Bearer",
      issuedAt: stored.issuedAt - offset,
      expiresAt: stored.expiresAt - offset,
      lifetimeSource: stored.lifetimeSource,
      scope: Option.fromNullOr(stored.scope),
      refreshToken: stored.refreshToken === null ? Option.none() : Option.some(
        new AccessToken.RefreshToken({
          value: Redacted.make(stored.refreshToken),
          expiresAt: Option.map(Option.fromNullOr(stored.refreshExpiresAt), (at) => at - offset)
        })
      )
    })))

/** The marker of `error`, which happened while the entry was at `generation`, sealed. */
export const sealFailure = (key: Seal.SealingKey, error: TokenError.TemporarilyUnavailable, generation: number, backend: string) =>
  sealed(key, { generation, endpoint: error.endpoint, reason: error.reason, status: error.status ?? null } satisfies SharedToken.FailureMarker, backend)

/** The error a marker written at `generation` stands for, its `retryAfter` the marker's remaining life. */
export const openFailure = (
  key: Seal.SealingKey,
  value: string,
  generation: number,
  remaining: number
): Effect.Effect<Option.Option<TokenError.TemporarilyUnavailable>> =>
  Effect.map(opened(key, value, SharedToken.isFailureMarker), (marker) =>
    Option.map(Option.filter(marker, (found) => found.generation === generation), (found) =>
      new TokenError.TemporarilyUnavailable({
        endpoint: found.endpoint,
        reason: found.reason,
        ...(found.status === null ? {} : { status: found.status }),
        retryAfter: Duration.millis(Math.max(0, remaining))
      })))
