/**
 * OpenID Connect Discovery 1.0 (and RFC 8414): an issuer's token and revocation endpoints
 * from `<issuer>/.well-known/openid-configuration`, fetched through the same door as token
 * requests, so it fails with the same token errors, each with a hint naming the discovery.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfig
 * @since 4.0.0
 */
import { isRecord } from "@effect-bearer/kernel/Json"
import * as Url from "@effect-bearer/kernel/Url"
import { Duration, Effect, Option } from "effect"
import type { HttpClient } from "effect/http"
import * as AuthorizationServer from "./internal/authorizationServer.js"
import * as TokenError from "./TokenError.js"

/**
 * What the library uses of a server's metadata.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 * @since 4.0.0
 * @category models
 */
export interface Metadata {
  readonly issuer: string
  readonly tokenEndpoint: string
  readonly revocationEndpoint: Option.Option<string>
  /** Default per RFC 8414 §2: `["client_secret_basic"]`. */
  readonly tokenEndpointAuthMethodsSupported: ReadonlyArray<string>
  readonly grantTypesSupported: Option.Option<ReadonlyArray<string>>
  readonly scopesSupported: Option.Option<ReadonlyArray<string>>
}

/**
 * Options of {@link discover}.
 *
 * @since 4.0.0
 * @category models
 */
export interface Options {
  /** Default: 10 seconds. */
  readonly timeout?: Duration.Input | undefined
  /** Default: 1 MiB. */
  readonly maximumResponseBytes?: number | undefined
}

const trimSlashes = (url: string) => url.replace(/\/+$/, "")

/**
 * The discovery document's URL: the issuer without trailing slash + `/.well-known/openid-configuration`.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationRequest
 * @since 4.0.0
 * @category discovery
 */
export const documentUrl = (issuer: string): string => `${trimSlashes(issuer)}/.well-known/openid-configuration`

/**
 * An issuer must be https (loopback aside), without credentials, query or fragment.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#IssuerDiscovery
 * @since 4.0.0
 * @category discovery
 */
export const validateIssuer = (issuer: string): Effect.Effect<string, TokenError.WrongHost | TokenError.InvalidConfiguration> =>
  AuthorizationServer.acceptedUrl(Url.checkIssuer(issuer), {
    placeholder: "(the configured issuer)",
    setting: "issuer",
    problem: "an issuer URL has no credentials, query or fragment"
  }).pipe(Effect.as(issuer))

const shown = (issuer: string) => URL.canParse(issuer) ? trimSlashes(Url.display(new URL(issuer))) : "(the configured issuer)"

const strings = (u: unknown): Option.Option<ReadonlyArray<string>> =>
  Array.isArray(u) && u.every((item) => typeof item === "string") ? Option.some(u) : Option.none()

const urlField = (u: unknown): Option.Option<string> => typeof u === "string" && URL.canParse(u) ? Option.some(u) : Option.none()

/**
 * Fetches and checks an issuer's discovery document; its `issuer` must be the one asked for
 * (a trailing slash aside).
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#ProviderConfigurationValidation
 * @since 4.0.0
 * @category discovery
 */
export const discover = (issuer: string, options: Options = {}): Effect.Effect<Metadata, TokenError.TokenError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const url = documentUrl(issuer)
    const hint = `OpenID discovery of ${shown(issuer)} failed: check the issuer URL, or configure the token URL instead.`
    const target: AuthorizationServer.Target = {
      url,
      endpoint: URL.canParse(url) ? Url.display(new URL(url)) : "(the discovery document URL)",
      hint: () => hint,
      grantType: "discovery",
      secrets: [],
      timeout: Duration.fromInputUnsafe(options.timeout ?? AuthorizationServer.defaultTimeout),
      maximumResponseBytes: options.maximumResponseBytes ?? AuthorizationServer.defaultMaximumResponseBytes
    }
    const answer = yield* AuthorizationServer.getJson(target)
    const document = yield* Effect.fromResult(AuthorizationServer.metadataBody(target, answer, "the OpenID configuration"))
    const invalid = (detail: string) => Effect.fail(AuthorizationServer.invalidBody(target, answer.status, "InvalidField", detail))
    if (!isRecord(document)) return yield* invalid("the OpenID configuration is not a JSON object")
    if (typeof document.issuer !== "string") return yield* invalid("the OpenID configuration has no issuer")
    if (trimSlashes(document.issuer) !== trimSlashes(issuer)) {
      return yield* invalid(
        `the OpenID configuration names issuer ${TokenError.sanitizeServerText(document.issuer)}, not ${shown(issuer)}`
      )
    }
    const tokenEndpoint = urlField(document.token_endpoint)
    if (Option.isNone(tokenEndpoint)) return yield* invalid("the OpenID configuration has no valid token_endpoint")
    return {
      issuer: document.issuer,
      tokenEndpoint: tokenEndpoint.value,
      revocationEndpoint: urlField(document.revocation_endpoint),
      tokenEndpointAuthMethodsSupported: Option.getOrElse(strings(document.token_endpoint_auth_methods_supported), () => [
        "client_secret_basic"
      ]),
      grantTypesSupported: strings(document.grant_types_supported),
      scopesSupported: strings(document.scopes_supported)
    }
  }).pipe(Effect.withSpan("OpenIdDiscovery.discover", { kind: "client", attributes: { "oauth.issuer": shown(issuer) } }))
