/**
 * OpenID Connect Discovery 1.0 (and RFC 8414): finding an authorization server's token
 * and revocation endpoints from its issuer URL, through
 * `<issuer>/.well-known/openid-configuration`.
 *
 * Failures are the library's token errors, so that a discovery done on the first token
 * request fails like the token request itself: `WrongHost` (no document there, a
 * redirect, an insecure issuer), `TemporarilyUnavailable` (transport, timeout, 5xx,
 * 429: retried like any token request) and `InvalidTokenResponse` (not JSON, no
 * `token_endpoint`, another issuer). Each carries a hint naming the discovery.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 * @since 0.1.0
 */
import { isRecord } from "@effect-bearer/kernel/Json"
import * as Url from "@effect-bearer/kernel/Url"
import * as HttpClient from "@effect/platform/HttpClient"
import { Duration, Effect, Option } from "effect"
import * as AuthorizationServer from "./internal/authorizationServer.js"
import * as TokenError from "./TokenError.js"

/**
 * What this library uses of an authorization server's metadata.
 *
 * @since 0.1.0
 * @category models
 */
export interface Metadata {
  readonly issuer: string
  readonly tokenEndpoint: string
  /** RFC 7009 revocation, when the server has it. */
  readonly revocationEndpoint: Option.Option<string>
  /** Default per RFC 8414 §2: `["client_secret_basic"]`. */
  readonly tokenEndpointAuthMethodsSupported: ReadonlyArray<string>
  readonly grantTypesSupported: Option.Option<ReadonlyArray<string>>
  readonly scopesSupported: Option.Option<ReadonlyArray<string>>
}

/**
 * Options of {@link discover}.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** How long the request may take. Default: 10 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  /** Larger documents are refused. Default: 1 MiB. */
  readonly maximumResponseBytes?: number | undefined
}

const withoutTrailingSlash = (url: string) => url.replace(/\/+$/, "")

/**
 * Where the discovery document of an issuer lives: the issuer, without a trailing
 * slash, followed by `/.well-known/openid-configuration`.
 *
 * @example
 * import { OpenIdDiscovery } from "@effect-bearer/core"
 *
 * OpenIdDiscovery.documentUrl("https://auth.sa.up42.com/realms/public")
 * // "https://auth.sa.up42.com/realms/public/.well-known/openid-configuration"
 *
 * @since 0.1.0
 * @category discovery
 */
export const documentUrl = (issuer: string): string => `${withoutTrailingSlash(issuer)}/.well-known/openid-configuration`

/**
 * Checks that an issuer is an absolute https URL (plain http only for loopback
 * addresses) without credentials, query or fragment (OpenID Connect Discovery §2).
 *
 * @since 0.1.0
 * @category discovery
 */
export const validateIssuer = (
  issuer: string
): Effect.Effect<string, TokenError.WrongHost | TokenError.InvalidConfiguration> =>
  AuthorizationServer.acceptedUrl(Url.checkIssuer(issuer), {
    placeholder: "(the configured issuer)",
    setting: "issuer",
    problem: "an issuer URL has no credentials, query or fragment"
  }).pipe(Effect.as(issuer))

/** The issuer as errors and spans show it: like every URL there, without userinfo, query or fragment. */
const shownIssuer = (issuer: string) =>
  URL.canParse(issuer) ? withoutTrailingSlash(Url.display(new URL(issuer))) : "(the configured issuer)"

const stringArray = (u: unknown): Option.Option<ReadonlyArray<string>> =>
  Array.isArray(u) && u.every((item) => typeof item === "string") ? Option.some(u) : Option.none()

const optionalUrl = (u: unknown): Option.Option<string> =>
  typeof u === "string" && URL.canParse(u) ? Option.some(u) : Option.none()

/**
 * Fetches and validates an issuer's discovery document, through the same door to the
 * authorization server as token requests: never follows redirects, times out, reads at
 * most `maximumResponseBytes`. It checks that the document's `issuer` is
 * the one asked for (OpenID Connect Discovery §4.3; a trailing slash aside).
 *
 * @example
 * import { Effect } from "effect"
 * import { OpenIdDiscovery } from "@effect-bearer/core"
 *
 * const tokenEndpoint = OpenIdDiscovery.discover("https://auth.sa.up42.com/realms/public").pipe(
 *   Effect.map((metadata) => metadata.tokenEndpoint)
 * )
 *
 * @since 0.1.0
 * @category discovery
 */
export const discover = (
  issuer: string,
  options: Options = {}
): Effect.Effect<Metadata, TokenError.TokenError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const url = documentUrl(issuer)
    const hint = `OpenID discovery of ${shownIssuer(issuer)} failed: check the issuer URL, or configure the token URL instead.`
    const target: AuthorizationServer.Target = {
      url,
      endpoint: URL.canParse(url) ? Url.display(new URL(url)) : "(the discovery document URL)",
      hint: () => hint,
      grantType: "discovery",
      secrets: [],
      timeout: Duration.decode(options.timeout ?? AuthorizationServer.defaultTimeout),
      maximumResponseBytes: options.maximumResponseBytes ?? AuthorizationServer.defaultMaximumResponseBytes
    }
    const answer = yield* AuthorizationServer.getJson(yield* HttpClient.HttpClient, target)
    const document = yield* AuthorizationServer.metadataBody(target, answer, "the OpenID configuration")
    const invalid = (detail: string) => AuthorizationServer.invalidBody(target, answer.status, "InvalidField", detail)
    if (!isRecord(document)) return yield* invalid("the OpenID configuration is not a JSON object")
    if (typeof document.issuer !== "string") return yield* invalid("the OpenID configuration has no issuer")
    if (withoutTrailingSlash(document.issuer) !== withoutTrailingSlash(issuer)) {
      return yield* invalid(
        `the OpenID configuration names issuer ${TokenError.sanitizeServerText(document.issuer)}, not ${shownIssuer(issuer)}`
      )
    }
    const tokenEndpoint = optionalUrl(document.token_endpoint)
    if (Option.isNone(tokenEndpoint)) return yield* invalid("the OpenID configuration has no valid token_endpoint")
    return {
      issuer: document.issuer,
      tokenEndpoint: tokenEndpoint.value,
      revocationEndpoint: optionalUrl(document.revocation_endpoint),
      tokenEndpointAuthMethodsSupported: Option.getOrElse(
        stringArray(document.token_endpoint_auth_methods_supported),
        () => ["client_secret_basic"]
      ),
      grantTypesSupported: stringArray(document.grant_types_supported),
      scopesSupported: stringArray(document.scopes_supported)
    }
  }).pipe(
    Effect.withSpan("OpenIdDiscovery.discover", {
      kind: "client",
      captureStackTrace: false,
      attributes: { "oauth.issuer": shownIssuer(issuer) }
    })
  )
