/**
 * A token source is anything that can fetch a new access token (after golang.org/x/oauth2's
 * TokenSource); `TokenProvider` adds the cache, single flight and refresh on top of any source.
 *
 * (Over 300 lines: the three public sources with their documentation; the refresh-token
 * bookkeeping is the endpoint source's own contract.)
 *
 * @since 4.0.0
 */
import type * as TokenStoreKey from "@effect-bearer/kernel/TokenStoreKey"
import * as Url from "@effect-bearer/kernel/Url"
import { Clock, Duration, Effect, Option, Redacted, Ref } from "effect"
import type { HttpClient } from "effect/http"
import * as AccessToken from "./AccessToken.js"
import * as AcquisitionDeadline from "./internal/acquisitionDeadline.js"
import * as Grant from "./Grant.js"
import * as Jwt from "./Jwt.js"
import * as TokenEndpoint from "./TokenEndpoint.js"
import * as TokenError from "./TokenError.js"
import * as TokenResponse from "./TokenResponse.js"

/**
 * Something that fetches access tokens.
 *
 * @since 4.0.0
 * @category models
 */
export interface TokenSource {
  /** What the tokens are for, in logs, spans and metrics. */
  readonly name: string
  /** The grant type used first. */
  readonly grantType: string
  /** A new token; `previous`'s live refresh token may be used instead of the grant. */
  readonly fetch: (previous: Option.Option<AccessToken.AccessToken>) => Effect.Effect<AccessToken.AccessToken, TokenError.TokenError>
  /** Revokes a token and its refresh token (RFC 7009), when the source can. */
  readonly revoke?: ((token: AccessToken.AccessToken) => Effect.Effect<void, TokenError.TokenError | TokenError.InvalidConfiguration>) | undefined
  /** How its tokens are shared in a `TokenStore`; absent: never shared. */
  readonly sharing?: Sharing | undefined
}

/**
 * The credential's identity in a shared store (hashed into the key, never a secret) and the
 * secrets its values are sealed under.
 *
 * @since 4.0.0
 * @category models
 */
export interface Sharing {
  readonly identity: TokenStoreKey.CredentialIdentity
  /** The client secret, password or refresh token of the grant; none for a public client. */
  readonly secrets: ReadonlyArray<Redacted.Redacted<string>>
}

const grantCredentials = (grant: Grant.Grant): ReadonlyArray<Redacted.Redacted<string>> =>
  grant._tag === "Password" ? [grant.password] : grant._tag === "RefreshToken" ? [grant.refreshToken] : []

const sharingOf = (endpoint: TokenEndpoint.TokenEndpoint, grant: Grant.Grant): Sharing => {
  const authentication = endpoint.clientAuthentication
  return {
    identity: {
      tokenUrl: endpoint.url,
      clientId: authentication.clientId ?? "",
      grantType: Grant.grantType(grant),
      username: grant._tag === "Password" ? grant.username : undefined,
      scope: endpoint.parameters["scope"],
      audience: endpoint.parameters["audience"] ?? endpoint.parameters["resource"]
    },
    secrets: [...(authentication._tag === "none" ? [] : [authentication.clientSecret]), ...grantCredentials(grant)]
  }
}

/** Only the current token's refresh token and the grant's can be offered again: a few suffice. */
const rememberedSpent = 16

const isRefused = (error: TokenError.TokenError): error is TokenError.InvalidCredentials | TokenError.InvalidRequest =>
  error._tag === "InvalidCredentials" || error._tag === "InvalidRequest"

/**
 * Tokens from an endpoint with a grant; a previous token's refresh token first (RFC 6749 §6),
 * the grant again when it is refused or expired. A refresh token is sent at most once (reuse
 * detection revokes the family, RFC 9700 §4.14.2), kept only when a refresh answer carries no
 * new one; with `Grant.refreshToken` alone, a spent or refused one ends in `Expired`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @see https://www.rfc-editor.org/rfc/rfc9700#section-4.14.2
 * @since 4.0.0
 * @category constructors
 */
export const fromEndpoint = (
  endpoint: TokenEndpoint.TokenEndpoint,
  grant: Grant.Grant,
  options?: { readonly name?: string | undefined }
): Effect.Effect<TokenSource, never, HttpClient.HttpClient> =>
  Effect.map(Effect.context<HttpClient.HttpClient>(), (context) => {
    const request = (g: Grant.Grant) => Effect.provideContext(TokenEndpoint.requestToken(endpoint, g), context)
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
    const expired = (cause?: TokenError.InvalidCredentials | TokenError.InvalidRequest) =>
      new TokenError.Expired({
        endpoint: cause?.endpoint ?? Url.display(new URL(endpoint.url)),
        ...(cause?.status !== undefined ? { status: cause.status } : {}),
        ...(cause?.error !== undefined ? { error: cause.error } : {}),
        ...(cause?.errorDescription !== undefined ? { errorDescription: cause.errorDescription } : {}),
        reason: "RefreshToken"
      })

    const sendRefreshToken = (refreshToken: AccessToken.RefreshToken) =>
      Effect.andThen(
        spend(refreshToken.value),
        Effect.flatMap(request(Grant.refreshToken(refreshToken.value)), (next) =>
          Option.isSome(next.refreshToken)
            ? Effect.succeed(next)
            : Effect.as(unspend(refreshToken.value), new AccessToken.AccessToken({ ...next, refreshToken: Option.some(refreshToken) })))
      )

    const original: Effect.Effect<AccessToken.AccessToken, TokenError.TokenError> = grant._tag === "RefreshToken"
      ? Effect.suspend(() =>
        isSpent(grant.refreshToken)
          ? Effect.fail(expired())
          : sendRefreshToken(new AccessToken.RefreshToken({ value: grant.refreshToken, expiresAt: Option.none() })).pipe(
            Effect.catchIf(isRefused, (error) => Effect.fail(expired(error)))
          )
      )
      : request(grant)

    const revoke = (token: AccessToken.AccessToken) =>
      Effect.provideContext(
        Effect.andThen(
          Option.match(token.refreshToken, {
            onNone: () => Effect.void,
            onSome: (refresh) => TokenEndpoint.revokeToken(endpoint, refresh.value, "refresh_token")
          }),
          TokenEndpoint.revokeToken(endpoint, token.value, "access_token")
        ),
        context
      )

    const fetch = (previous: Option.Option<AccessToken.AccessToken>) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) => {
        const refresh = Option.flatMap(previous, (token) => AccessToken.refreshTokenAt(token, now)).pipe(
          Option.filter((candidate) => !isSpent(candidate.value))
        )
        if (Option.isNone(refresh)) return original
        return sendRefreshToken(refresh.value).pipe(
          Effect.catchIf(isRefused, (error) =>
            Effect.logInfo("The refresh token was refused; sending the original grant again").pipe(
              Effect.annotateLogs({ error: error._tag }),
              Effect.andThen(original)
            ))
        )
      })

    const source: TokenSource = {
      name: options?.name ?? new URL(endpoint.url).host,
      grantType: Grant.grantType(grant),
      revoke: Option.isSome(endpoint.revocationUrl) ? revoke : undefined,
      sharing: sharingOf(endpoint, grant),
      fetch
    }
    // Its only waits are exchanges with the endpoint, each bounded by an acquisition's deadline.
    AcquisitionDeadline.honouredBy.add(source)
    return source
  })

/**
 * Options of {@link fromToken}.
 *
 * @since 4.0.0
 * @category models
 */
export interface StaticOptions {
  /** Default: `static` (errors say `static:<name>`). */
  readonly name?: string | undefined
  /** When the token stops working; wins over a JWT `exp`. */
  readonly expiresAt?: Date | undefined
  /**
   * Provider advice by error tag; with an `Expired` hint, a second fetch before expiry (after
   * a 401 or `refresh`) fails with `Expired` instead of handing out the refused token again.
   */
  readonly hints?: TokenEndpoint.Hints | undefined
}

/**
 * A token that never changes (a console token); it expires at `expiresAt` or its JWT `exp`,
 * after which fetching fails with `Expired`.
 *
 * @since 4.0.0
 * @category constructors
 */
export const fromToken = (value: Redacted.Redacted<string>, options?: StaticOptions): TokenSource => {
  const claims = Jwt.decodeClaims(Redacted.value(value))
  const expiresAt = options?.expiresAt !== undefined
    ? Option.some(options.expiresAt.getTime())
    : Option.flatMap(claims, (c) => Option.fromNullishOr(c.exp)).pipe(Option.map((exp) => exp * 1000))
  const claimedIssuedAt = Option.flatMap(claims, (c) => Option.fromNullishOr(c.iat)).pipe(Option.map((iat) => iat * 1000))
  const name = options?.name ?? "static"
  const hint = options?.hints?.Expired
  const expired = (expiredAt?: number) =>
    new TokenError.Expired({
      endpoint: `static:${name}`,
      reason: "AccessToken",
      ...(expiredAt !== undefined ? { expiredAt } : {}),
      ...(hint !== undefined ? { hint } : {})
    })
  const invalid = TokenResponse.staticTokenError(value, name)
  const fetch = (previous: Option.Option<AccessToken.AccessToken>) =>
    Effect.flatMap(Clock.currentTimeMillis, (now): Effect.Effect<AccessToken.AccessToken, TokenError.TokenError> => {
      if (Option.isSome(invalid)) return Effect.fail(invalid.value)
      if (Option.isSome(expiresAt) && now >= expiresAt.value) return Effect.fail(expired(expiresAt.value))
      if (Option.isSome(previous) && hint !== undefined) return Effect.fail(expired())
      if (Option.isNone(expiresAt)) {
        return Effect.succeed(AccessToken.make({ value, issuedAt: now, lifetime: Duration.infinity }))
      }
      const issuedAt = Option.getOrElse(claimedIssuedAt, () => now)
      return Effect.succeed(AccessToken.make({
        value,
        issuedAt,
        lifetime: Duration.millis(expiresAt.value - issuedAt),
        lifetimeSource: options?.expiresAt !== undefined ? "default" : "jwt"
      }))
    })
  return { name, grantType: "static", fetch }
}

/**
 * One step of a scripted source: a token valid for a lifetime, or an error.
 *
 * @since 4.0.0
 * @category models
 */
export type Step =
  | { readonly token: string; readonly lifetime: Duration.Input; readonly refreshToken?: string | undefined }
  | TokenError.TokenError

/**
 * A source answering each fetch with the next step (the last one repeats), for tests;
 * `fetches` counts the fetches.
 *
 * @since 4.0.0
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
