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
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Clock, Duration, Effect, Option } from "effect"
import { displayUrl, isLoopback, parseRetryAfter, readBody, withoutRedirects } from "./internal/http.js"
import * as UntracedRequest from "./internal/untracedRequest.js"
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
): Effect.Effect<string, TokenError.WrongHost | TokenError.InvalidConfiguration> => {
  const url = URL.canParse(issuer) ? new URL(issuer) : undefined
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
    // The value is not repeated: a mistyped URL may hold a pasted secret.
    return Effect.fail(new TokenError.WrongHost({ endpoint: "(the configured issuer)", reason: "InvalidUrl" }))
  }
  if (url.username !== "" || url.password !== "" || url.search !== "" || url.hash !== "") {
    return Effect.fail(
      new TokenError.InvalidConfiguration({
        setting: "issuer",
        problem: "an issuer URL has no credentials, query or fragment"
      })
    )
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) {
    return Effect.fail(new TokenError.WrongHost({ endpoint: displayUrl(url), reason: "InsecureEndpoint" }))
  }
  return Effect.succeed(issuer)
}

/** The issuer as errors and spans show it: like every URL there, without userinfo, query or fragment. */
const shownIssuer = (issuer: string) =>
  URL.canParse(issuer) ? withoutTrailingSlash(displayUrl(new URL(issuer))) : "(the configured issuer)"

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

const stringArray = (u: unknown): Option.Option<ReadonlyArray<string>> =>
  Array.isArray(u) && u.every((item) => typeof item === "string") ? Option.some(u) : Option.none()

const optionalUrl = (u: unknown): Option.Option<string> =>
  typeof u === "string" && URL.canParse(u) ? Option.some(u) : Option.none()

/**
 * Fetches and validates an issuer's discovery document. Never follows redirects, times
 * out, reads at most `maximumResponseBytes`, and checks that the document's `issuer` is
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
    const endpoint = URL.canParse(url) ? displayUrl(new URL(url)) : "(the discovery document URL)"
    const hint = `OpenID discovery of ${shownIssuer(issuer)} failed: check the issuer URL, or configure the token URL instead.`
    const fields = (status?: number) => ({ endpoint, hint, ...(status !== undefined ? { status } : {}) })
    const invalid = (reason: "NotJson" | "InvalidField" | "TooLarge", detail: string, status: number) =>
      new TokenError.InvalidTokenResponse({ ...fields(status), reason, detail })

    const timeout = Duration.decode(options.timeout ?? "10 seconds")
    const limit = options.maximumResponseBytes ?? 1024 * 1024
    // Without the platform's span, whose url.full would show a query: the discover span has the URL without it.
    const { body, response } = yield* UntracedRequest.execute(HttpClientRequest.get(url).pipe(HttpClientRequest.acceptJson)).pipe(
      Effect.flatMap((response) => Effect.map(readBody(response, limit), (body) => ({ body, response }))),
      withoutRedirects,
      Effect.timeoutFail({
        duration: timeout,
        onTimeout: () => new TokenError.TemporarilyUnavailable({ ...fields(), reason: "Timeout" })
      }),
      Effect.catchTags({
        RequestError: () => Effect.fail(new TokenError.TemporarilyUnavailable({ ...fields(), reason: "Transport" })),
        ResponseError: (error) =>
          Effect.fail(
            new TokenError.TemporarilyUnavailable({ ...fields(error.response.status), reason: "Transport" })
          )
      })
    )
    const status = response.status
    const now = yield* Clock.currentTimeMillis
    if (status === 429 || status === 408 || status >= 500) {
      const retryAfter = parseRetryAfter(response.headers["retry-after"], now)
      return yield* new TokenError.TemporarilyUnavailable({
        ...fields(status),
        reason: status === 429 ? "RateLimited" : "ServerError",
        ...(Option.isSome(retryAfter) ? { retryAfter: retryAfter.value } : {})
      })
    }
    if (status >= 300 && status < 400) {
      const location = response.headers["location"]
      return yield* new TokenError.WrongHost({
        ...fields(status),
        reason: "Redirect",
        ...(location !== undefined && URL.canParse(location, url) ? { location: new URL(location, url).origin } : {})
      })
    }
    if (status < 200 || status >= 300) {
      return yield* new TokenError.WrongHost({ ...fields(status), reason: "NotFound" })
    }
    if (Option.isNone(body)) {
      return yield* invalid("TooLarge", `the OpenID configuration is larger than ${limit} bytes`, status)
    }
    let document: unknown
    try {
      document = JSON.parse(body.value)
    } catch {
      return yield* invalid(
        "NotJson",
        body.value.trimStart().startsWith("<")
          ? "the OpenID configuration is an HTML page, not JSON"
          : "the OpenID configuration is not valid JSON",
        status
      )
    }
    if (!isRecord(document)) return yield* invalid("InvalidField", "the OpenID configuration is not a JSON object", status)
    if (typeof document.issuer !== "string") {
      return yield* invalid("InvalidField", "the OpenID configuration has no issuer", status)
    }
    if (withoutTrailingSlash(document.issuer) !== withoutTrailingSlash(issuer)) {
      return yield* invalid(
        "InvalidField",
        `the OpenID configuration names issuer ${TokenError.sanitizeServerText(document.issuer)}, not ${shownIssuer(issuer)}`,
        status
      )
    }
    const tokenEndpoint = optionalUrl(document.token_endpoint)
    if (Option.isNone(tokenEndpoint)) {
      return yield* invalid("InvalidField", "the OpenID configuration has no valid token_endpoint", status)
    }
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
  }).pipe(Effect.withSpan("OpenIdDiscovery.discover", { kind: "client", captureStackTrace: false, attributes: { "oauth.issuer": shownIssuer(issuer) } }))
