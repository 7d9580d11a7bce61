/**
 * The token endpoint (RFC 6749 §3.2): its options, the token request and RFC 7009 revocation,
 * all through the one door to the authorization server (`internal/authorizationServer.ts`).
 * The implementation is `internal/tokenEndpoint.ts`.
 *
 * @since 4.0.0
 */
import type { Duration, Effect, Option, Redacted } from "effect"
import type { HttpClient } from "effect/http"
import type * as AccessToken from "./AccessToken.js"
import type * as ClientAuthentication from "./ClientAuthentication.js"
import type * as Grant from "./Grant.js"
import * as internal from "./internal/tokenEndpoint.js"
import type * as TokenError from "./TokenError.js"

/**
 * Provider advice appended to an error's message, by error tag.
 *
 * @since 4.0.0
 * @category models
 */
export type Hints = Partial<Record<TokenError.TokenError["_tag"], string>>

/**
 * A validated token endpoint.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 * @since 4.0.0
 * @category models
 */
export interface TokenEndpoint {
  readonly url: string
  readonly clientAuthentication: ClientAuthentication.ClientAuthentication
  /** Extra form parameters on every request (`scope`, `audience`). */
  readonly parameters: Readonly<Record<string, string>>
  readonly revocationUrl: Option.Option<string>
  readonly timeout: Duration.Duration
  /** Assumed when neither `expires_in` nor a JWT `exp` says. */
  readonly defaultLifetime: Duration.Duration
  /** The longest lifetime believed. */
  readonly maximumLifetime: Duration.Duration
  readonly maximumResponseBytes: number
  /** Maps a provider's own success body to RFC 6749 §5.1. */
  readonly toStandardResponse: (body: unknown) => unknown
  readonly hints: Hints
}

/**
 * Options of {@link make} (durations as Effect 4's `Duration.Input`).
 *
 * @since 4.0.0
 * @category models
 */
export interface Options {
  readonly url: string
  /** The RFC 7009 endpoint; needed for `revokeOnClose`. */
  readonly revocationUrl?: string | undefined
  readonly clientAuthentication: ClientAuthentication.ClientAuthentication
  readonly scope?: string | ReadonlyArray<string> | undefined
  readonly parameters?: Readonly<Record<string, string | undefined>> | undefined
  /** Default: 10 seconds. */
  readonly timeout?: Duration.Input | undefined
  /** Default: 5 minutes. */
  readonly defaultLifetime?: Duration.Input | undefined
  /** Default: 365 days. */
  readonly maximumLifetime?: Duration.Input | undefined
  /** Default: 1 MiB. */
  readonly maximumResponseBytes?: number | undefined
  readonly toStandardResponse?: ((body: unknown) => unknown) | undefined
  readonly hints?: Hints | undefined
}

/**
 * Validates the options (URL rules, non-empty credentials, positive bounds) into an endpoint.
 *
 * @since 4.0.0
 * @category constructors
 */
export const make: (
  options: Options
) => Effect.Effect<TokenEndpoint, TokenError.InvalidConfiguration | TokenError.WrongHost> = internal.make

/**
 * One token request for `grant`, never retried. Lifetime: `expires_in`, else the JWT `exp`,
 * else the default.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5
 * @since 4.0.0
 * @category requests
 */
export const requestToken: (
  endpoint: TokenEndpoint,
  grant: Grant.Grant
) => Effect.Effect<AccessToken.AccessToken, TokenError.TokenError, HttpClient.HttpClient> = internal.requestToken

/**
 * Revokes a token (RFC 7009); `InvalidConfiguration` without a `revocationUrl`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 * @since 4.0.0
 * @category requests
 */
export const revokeToken: (
  endpoint: TokenEndpoint,
  token: Redacted.Redacted<string>,
  tokenTypeHint: "access_token" | "refresh_token"
) => Effect.Effect<void, TokenError.TokenError | TokenError.InvalidConfiguration, HttpClient.HttpClient> =
  internal.revokeToken
