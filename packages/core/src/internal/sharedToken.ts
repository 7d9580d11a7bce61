/**
 * A token as a shared store holds it: JSON sealed under the credentials' key (`Seal`), its
 * instants on the store's clock. Opening never fails: anything that does not open, or opens
 * to something that is not a token, is `None` (a miss, which the caller warns about).
 */
import * as Seal from "@effect-bearer/kernel/Seal"
import { Effect, Option, Redacted } from "effect"
import * as AccessToken from "../AccessToken.js"
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
  return Effect.tryPromise({
    try: () => Seal.seal(key, JSON.stringify(plain)),
    catch: () =>
      new TokenStore.TokenStoreError({ reason: "Unavailable", backend, operation: "seal", detail: "the value could not be sealed" })
  })
}

/** The token sealed in `sealed`, its instants moved back to the local clock; `None` when it does not open. */
export const open = (
  key: Seal.SealingKey,
  sealed: string,
  offset: number
): Effect.Effect<Option.Option<AccessToken.AccessToken>> =>
  Effect.map(Effect.promise(() => Seal.open(key, sealed)), (opened) => {
    if (opened._tag !== "Opened") return Option.none()
    let plain: unknown
    try {
      plain = JSON.parse(opened.plaintext)
    } catch {
      return Option.none()
    }
    if (!isPlain(plain)) return Option.none()
    return Option.some(
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
    )
  })
