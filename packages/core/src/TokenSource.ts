/**
 * A token source is anything that can fetch a new access token (after
 * golang.org/x/oauth2's TokenSource). `TokenProvider` adds the cache, single flight
 * and background refresh on top of any source, so a static token, a scripted test
 * sequence and a real token endpoint all get the same lifecycle.
 *
 * (Over 300 lines: the three public sources, each with its documentation and example; the
 * refresh-token bookkeeping stays here because it is the source's own contract.)
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as TokenStoreKey from "@effect-bearer/kernel/TokenStoreKey"
import { Clock, Duration, Effect, Option, Redacted, Ref } from "effect"
import * as AccessToken from "./AccessToken.js"
import * as Grant from "./Grant.js"
import { displayUrl } from "./internal/http.js"
import * as AcquisitionDeadline from "./internal/acquisitionDeadline.js"
import * as TokenEndpointInternal from "./internal/tokenEndpoint.js"
import * as Jwt from "./Jwt.js"
import * as TokenEndpoint from "./TokenEndpoint.js"
import * as TokenError from "./TokenError.js"
import * as TokenResponse from "./TokenResponse.js"

/**
 * Something that fetches access tokens.
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenSource {
  /** What the tokens are for, in logs, spans and metrics, e.g. `"hydrosat"`. */
  readonly name: string
  /** The grant type used first, for spans and logs. */
  readonly grantType: string
  /**
   * Fetches a new token. `previous` is the token being replaced, whose refresh token
   * (when it has one that has not expired) may be used instead of the original grant.
   */
  readonly fetch: (previous: Option.Option<AccessToken.AccessToken>) => Effect.Effect<AccessToken.AccessToken, TokenError.TokenError>
  /** Revokes a token and its refresh token (RFC 7009), when the source can. */
  readonly revoke?: ((token: AccessToken.AccessToken) => Effect.Effect<void, TokenError.TokenError | TokenError.InvalidConfiguration>) | undefined
  /** How its tokens are shared in a `TokenStore`; absent (static and scripted sources): never shared. */
  readonly sharing?: Sharing | undefined
}

/**
 * What identifies a source's credential in a shared `TokenStore` (never a secret: the key is a
 * hash of it, see `TokenStoreKey`) and the secrets its stored values are sealed under (`Seal`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Sharing {
  readonly identity: TokenStoreKey.CredentialIdentity
  /** The client secret, the password or the refresh token of the grant; none for a public client (see `TokenStore.Service.sealingKey`). */
  readonly secrets: ReadonlyArray<Redacted.Redacted<string>>
}

/** The sharing of an endpoint's tokens for `grant`; a public client has no secret and shares only under a store's own key. */
const sharingOf = (endpoint: TokenEndpoint.TokenEndpoint, grant: Grant.Grant): Sharing | undefined => {
  const authentication = endpoint.clientAuthentication
  const secrets = [
    ...(authentication._tag === "none" ? [] : [authentication.clientSecret]),
    ...(grant._tag === "Password" ? [grant.password] : grant._tag === "RefreshToken" ? [grant.refreshToken] : [])
  ]
  return {
    identity: {
      tokenUrl: endpoint.url,
      clientId: authentication.clientId ?? "",
      grantType: Grant.grantType(grant),
      username: grant._tag === "Password" ? grant.username : undefined,
      scope: endpoint.parameters["scope"],
      audience: endpoint.parameters["audience"] ?? endpoint.parameters["resource"]
    },
    secrets
  }
}

/**
 * How many spent refresh tokens a source remembers: only the current token's refresh
 * token and the original grant can ever be offered again, so a few suffice.
 */
const rememberedSpent = 16

/**
 * Tokens from a token endpoint with a grant. A previous token's refresh token is used
 * first (RFC 6749 §6); when it is refused or expired, the original grant is sent again
 * without bothering the caller.
 *
 * A refresh token is sent at most once: once sent (whatever the answer, even none) it
 * is spent, and neither a retry nor a fallback sends it again, because servers with
 * reuse detection (OAuth 2.1, Auth0, Okta, Keycloak) revoke the whole token family on a
 * replay. The one exception is RFC 6749 §6's: a successful refresh response without a
 * new refresh token says the old one stays valid, and it is kept for the next refresh.
 * When the grant itself is `Grant.refreshToken`, it is spent after its first use too:
 * when the newest refresh token is refused, expired or spent and there is no other
 * grant, the error is `Expired` (`RefreshToken`).
 *
 * @example
 * import { Effect, Redacted } from "effect"
 * import { ClientAuthentication, Grant, TokenEndpoint, TokenSource } from "@effect-bearer/core"
 *
 * const source = Effect.gen(function*() {
 *   const endpoint = yield* TokenEndpoint.make({
 *     url: "https://auth.hydrosat.com/oauth2/token",
 *     clientAuthentication: ClientAuthentication.clientSecretPost({ clientId: "id", clientSecret: Redacted.make("secret") })
 *   })
 *   return yield* TokenSource.fromEndpoint(endpoint, Grant.clientCredentials, { name: "hydrosat" })
 * })
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
 * @since 0.1.0
 * @category constructors
 */
export const fromEndpoint = (
  endpoint: TokenEndpoint.TokenEndpoint,
  grant: Grant.Grant,
  options?: { readonly name?: string | undefined }
): Effect.Effect<TokenSource, never, HttpClient.HttpClient> =>
  Effect.map(HttpClient.HttpClient, (client) => {
    const request = (g: Grant.Grant) => TokenEndpointInternal.requestTokenWith(client, endpoint, g)
    // The refresh tokens already sent (their values, in memory only), newest last.
    const spent: Array<string> = []
    const isSpent = (value: Redacted.Redacted<string>) => spent.includes(Redacted.value(value))
    const spend = (value: Redacted.Redacted<string>) =>
      Effect.sync(() => {
        spent.push(Redacted.value(value))
        if (spent.length > rememberedSpent) spent.shift()
      })
    const unspend = (value: Redacted.Redacted<string>) =>
      Effect.sync(() => {
        const index = spent.lastIndexOf(Redacted.value(value))
        if (index >= 0) spent.splice(index, 1)
      })
    const expired = (fields: Partial<ReturnType<typeof fieldsOf>> = {}) =>
      new TokenError.Expired({ endpoint: displayUrl(new URL(endpoint.url)), ...fields, reason: "RefreshToken" })

    /** Sends a refresh token once; the new token keeps it only when the server returned none (RFC 6749 §6). */
    const sendRefreshToken = (refreshToken: AccessToken.RefreshToken) =>
      Effect.zipRight(
        spend(refreshToken.value),
        request(Grant.refreshToken(refreshToken.value)).pipe(
          Effect.flatMap((next) =>
            Option.isSome(next.refreshToken)
              ? Effect.succeed(next)
              : Effect.as(
                unspend(refreshToken.value),
                new AccessToken.AccessToken({ ...next, refreshToken: Option.some(refreshToken) })
              )
          )
        )
      )

    const original: Effect.Effect<AccessToken.AccessToken, TokenError.TokenError> = grant._tag === "RefreshToken"
      // A caller that only holds a refresh token cannot fall back to anything: say so.
      ? Effect.suspend(() =>
        isSpent(grant.refreshToken)
          ? Effect.fail(expired())
          : Effect.catchIf(
            sendRefreshToken(new AccessToken.RefreshToken({ value: grant.refreshToken, expiresAt: Option.none() })),
            (error) => error._tag === "InvalidCredentials" || error._tag === "InvalidRequest",
            (error) => Effect.fail(expired(fieldsOf(error)))
          )
      )
      : request(grant)
    const revoke = (token: AccessToken.AccessToken) =>
      Effect.zipRight(
        Option.match(token.refreshToken, {
          onNone: () => Effect.void,
          onSome: (refresh) => TokenEndpointInternal.revokeTokenWith(client, endpoint, refresh.value, "refresh_token")
        }),
        TokenEndpointInternal.revokeTokenWith(client, endpoint, token.value, "access_token")
      )
    // Its only waits are exchanges with the endpoint, each bounded by the acquisition's deadline.
    return AcquisitionDeadline.honoured({
      name: options?.name ?? new URL(endpoint.url).host,
      grantType: Grant.grantType(grant),
      revoke: Option.isSome(endpoint.revocationUrl) ? revoke : undefined,
      sharing: sharingOf(endpoint, grant),
      fetch: (previous) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Option.match(
            Option.flatMap(previous, (token) => AccessToken.refreshTokenAt(token, now)).pipe(
              Option.filter((refresh) => !isSpent(refresh.value))
            ),
            {
              onNone: () => original,
              onSome: (refreshToken) =>
                sendRefreshToken(refreshToken).pipe(
                  Effect.catchIf(
                    (error) => error._tag === "InvalidCredentials" || error._tag === "InvalidRequest",
                    (error) =>
                      Effect.logInfo("The refresh token was refused; sending the original grant again").pipe(
                        Effect.annotateLogs({ error: error._tag }),
                        Effect.zipRight(original)
                      )
                  )
                )
            }
          ))
    })
  })

const fieldsOf = (error: TokenError.InvalidCredentials | TokenError.InvalidRequest) => ({
  endpoint: error.endpoint,
  ...(error.status !== undefined ? { status: error.status } : {}),
  ...(error.error !== undefined ? { error: error.error } : {}),
  ...(error.errorDescription !== undefined ? { errorDescription: error.errorDescription } : {})
})

/**
 * Options of {@link fromToken}.
 *
 * @since 0.1.0
 * @category models
 */
export interface StaticOptions {
  /** What the token is for, in logs, spans, metrics and errors (`static:<name>`). Default: `static`. */
  readonly name?: string | undefined
  /**
   * When the token stops working, where the issuer says (Bitquery: the expiration set in
   * the console); wins over a JWT `exp` claim.
   */
  readonly expiresAt?: Date | undefined
  /**
   * What the provider's documentation says, by error tag (as a token endpoint's hints):
   * `Expired` says where to get a new token. With an `Expired` hint, a source asked for
   * another token before its expiry (after an API refused it, or by `refresh`) fails with
   * `Expired` and the hint instead of handing out the refused token again; use it with no
   * expiry margin (`expiryMargin: () => Duration.zero`), as the providers' static layers do.
   */
  readonly hints?: TokenEndpoint.Hints | undefined
}

/**
 * A token that never changes, e.g. a Bitquery console token. When `expiresAt` is given,
 * or the value is a JWT with an `exp` claim, the token expires then, and fetching it
 * afterwards fails with `Expired` (with the `Expired` hint); otherwise it never expires.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromToken = (value: Redacted.Redacted<string>, options?: StaticOptions): TokenSource => {
  const claims = Jwt.decodeClaims(Redacted.value(value))
  const expiresAt = options?.expiresAt !== undefined
    ? Option.some(options.expiresAt.getTime())
    : Option.flatMap(claims, (c) => Option.fromNullable(c.exp)).pipe(Option.map((exp) => exp * 1000))
  const claimedIssuedAt = Option.flatMap(claims, (c) => Option.fromNullable(c.iat)).pipe(Option.map((iat) => iat * 1000))
  const lifetimeSource = options?.expiresAt !== undefined ? "default" : "jwt"
  const name = options?.name ?? "static"
  const hint = options?.hints?.Expired
  const expired = (expiredAt: number | undefined) =>
    new TokenError.Expired({
      endpoint: `static:${name}`,
      reason: "AccessToken",
      ...(expiredAt !== undefined ? { expiredAt } : {}),
      ...(hint !== undefined ? { hint } : {})
    })
  // A token no Authorization header can carry fails here, typed, rather than in the HTTP client.
  const invalid = TokenResponse.staticTokenError(value, name)
  // Nothing to wait for.
  return AcquisitionDeadline.honoured({
    name,
    grantType: "static",
    fetch: (previous) =>
      Option.isSome(invalid) ? Effect.fail(invalid.value) : Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Option.match(expiresAt, {
          onNone: () =>
            Option.isSome(previous) && hint !== undefined
              ? Effect.fail(expired(undefined))
              : Effect.succeed(AccessToken.make({ value, issuedAt: now, lifetime: Duration.infinity, lifetimeSource: "default" })),
          onSome: (expiresAt) => {
            if (now >= expiresAt) return Effect.fail(expired(expiresAt))
            if (Option.isSome(previous) && hint !== undefined) return Effect.fail(expired(undefined))
            const issuedAt = Option.getOrElse(claimedIssuedAt, () => now)
            return Effect.succeed(AccessToken.make({
              value,
              issuedAt,
              lifetime: Duration.millis(expiresAt - issuedAt),
              lifetimeSource
            }))
          }
        }))
  })
}

/**
 * One step of a scripted source: a token value valid for a lifetime, or an error.
 *
 * @since 0.1.0
 * @category models
 */
export type Step =
  | { readonly token: string; readonly lifetime: Duration.DurationInput; readonly refreshToken?: string | undefined }
  | TokenError.TokenError

/**
 * A source that answers each fetch with the next step of a script, for tests; after
 * the last step it repeats the last one. `fetches` counts the fetches so far.
 *
 * @example
 * import { Effect } from "effect"
 * import { TemporarilyUnavailable } from "@effect-bearer/core/TokenError"
 * import { TokenSource } from "@effect-bearer/core"
 *
 * const source = TokenSource.scripted([
 *   new TemporarilyUnavailable({ endpoint: "test", reason: "ServerError", status: 503 }),
 *   { token: "tok-1", lifetime: "5 minutes" }
 * ])
 *
 * @since 0.1.0
 * @category constructors
 */
export const scripted = (
  steps: ReadonlyArray<Step>,
  options?: { readonly name?: string | undefined }
): Effect.Effect<TokenSource & { readonly fetches: Effect.Effect<number> }> =>
  Effect.map(Ref.make(0), (count) => ({
    name: options?.name ?? "scripted",
    grantType: "scripted",
    fetches: Ref.get(count),
    fetch: () =>
      Effect.flatMap(Ref.getAndUpdate(count, (n) => n + 1), (n) => {
        const step = steps[Math.min(n, steps.length - 1)]
        if (step === undefined) return Effect.die(new Error("TokenSource.scripted needs at least one step"))
        if (TokenError.isTokenError(step)) return Effect.fail(step)
        return Effect.map(Clock.currentTimeMillis, (now) =>
          AccessToken.make({
            value: Redacted.make(step.token),
            issuedAt: now,
            lifetime: step.lifetime,
            lifetimeSource: "expires_in",
            refreshToken: step.refreshToken === undefined
              ? undefined
              : new AccessToken.RefreshToken({ value: Redacted.make(step.refreshToken), expiresAt: Option.none() })
          }))
      })
  }))
