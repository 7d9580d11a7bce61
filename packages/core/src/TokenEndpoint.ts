/**
 * The token endpoint (RFC 6749 §3.2): its options, the token request and RFC 7009
 * revocation. Requests go through the library's one door to the authorization server,
 * which builds the form request, never follows redirects, times out, reads at most a
 * bounded body, and maps every failure to the `TokenError` union; the response is
 * validated by `TokenResponse`'s rules. The implementation is `internal/tokenEndpoint.ts`.
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type { Duration, Effect, Option, Redacted } from "effect"
import type * as AccessToken from "./AccessToken.js"
import type * as ClientAuthentication from "./ClientAuthentication.js"
import type * as Grant from "./Grant.js"
import * as internal from "./internal/tokenEndpoint.js"
import type * as TokenError from "./TokenError.js"

/**
 * Provider-specific advice appended to an error's message, by error tag; e.g. UP42's
 * "tokens come from auth.sa.up42.com, not api.sa.up42.com" on a 404.
 *
 * @since 0.1.0
 * @category models
 */
export type Hints = Partial<Record<TokenError.TokenError["_tag"], string>>

/**
 * A validated token endpoint: where to send token requests and how.
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenEndpoint {
  /** The URL requests go to (never with userinfo; errors show it without query). */
  readonly url: string
  readonly clientAuthentication: ClientAuthentication.ClientAuthentication
  /** Extra form parameters on every token request, e.g. `scope`, `audience`. */
  readonly parameters: Readonly<Record<string, string>>
  /** The RFC 7009 revocation endpoint, when the server has one. */
  readonly revocationUrl: Option.Option<string>
  /** How long one request (connection, headers and body) may take. */
  readonly timeout: Duration.Duration
  /** The lifetime assumed when neither `expires_in` nor a JWT `exp` says. */
  readonly defaultLifetime: Duration.Duration
  /** The longest lifetime believed, whatever the server says. */
  readonly maximumLifetime: Duration.Duration
  /** Responses larger than this are refused as `InvalidTokenResponse` (`TooLarge`). */
  readonly maximumResponseBytes: number
  /** Maps a provider's own success body to RFC 6749 §5.1 before validation. */
  readonly toStandardResponse: (body: unknown) => unknown
  readonly hints: Hints
}

/**
 * Options of {@link make}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly url: string
  /** The RFC 7009 revocation endpoint; needed for `TokenProvider`'s `revokeOnClose`. */
  readonly revocationUrl?: string | undefined
  readonly clientAuthentication: ClientAuthentication.ClientAuthentication
  readonly scope?: string | ReadonlyArray<string> | undefined
  readonly parameters?: Readonly<Record<string, string | undefined>> | undefined
  /** Default: 10 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  /** Default: 5 minutes, the shortest lifetime among the documented providers. */
  readonly defaultLifetime?: Duration.DurationInput | undefined
  /** Default: 365 days. */
  readonly maximumLifetime?: Duration.DurationInput | undefined
  /** Default: 1 MiB. */
  readonly maximumResponseBytes?: number | undefined
  readonly toStandardResponse?: ((body: unknown) => unknown) | undefined
  readonly hints?: Hints | undefined
}

/**
 * Validates the options and builds a token endpoint. Fails when the configuration
 * cannot work: a URL that is not absolute, not https (loopback aside) or carries
 * credentials; an empty client id or secret; a non-positive timeout.
 *
 * @example
 * import { Effect, Redacted } from "effect"
 * import { ClientAuthentication, TokenEndpoint } from "@effect-bearer/core"
 *
 * const endpoint = TokenEndpoint.make({
 *   url: "https://auth.hydrosat.com/oauth2/token",
 *   clientAuthentication: ClientAuthentication.clientSecretPost({
 *     clientId: "my-client",
 *     clientSecret: Redacted.make("my-secret")
 *   })
 * })
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (
  options: Options
) => Effect.Effect<TokenEndpoint, TokenError.InvalidConfiguration | TokenError.WrongHost> = internal.make

/**
 * Sends one token request for `grant` and returns the token, or the typed reason it
 * could not. Never retries: retrying is the caller's decision (see `TokenProvider`).
 *
 * The request is `POST` with an `application/x-www-form-urlencoded` body (RFC 6749
 * §4.3.2, §4.4.2, §6), client authentication per RFC 6749 §2.3.1, and
 * `Accept: application/json`. The lifetime comes from `expires_in`, else the JWT `exp`
 * claim, else the endpoint's default lifetime; all times come from `Clock`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5
 * @since 0.1.0
 * @category requests
 */
export const requestToken: (
  endpoint: TokenEndpoint,
  grant: Grant.Grant
) => Effect.Effect<AccessToken.AccessToken, TokenError.TokenError, HttpClient.HttpClient> = internal.requestToken

/**
 * Revokes a token at the endpoint's revocation endpoint (RFC 7009), authenticating the
 * client as for token requests. A 200 means revoked (or already invalid, which RFC 7009
 * §2.2 treats the same). Fails with `InvalidConfiguration` when the endpoint has no
 * `revocationUrl`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7009#section-2
 * @since 0.1.0
 * @category requests
 */
export const revokeToken: (
  endpoint: TokenEndpoint,
  token: Redacted.Redacted<string>,
  tokenTypeHint: "access_token" | "refresh_token"
) => Effect.Effect<void, TokenError.TokenError | TokenError.InvalidConfiguration, HttpClient.HttpClient> =
  internal.revokeToken
