/**
 * Any OAuth2 authorization server: a token URL (or an issuer whose OpenID discovery
 * document names it), either client-authentication method, and any grant
 * (`client_credentials`, `password`, `refresh_token`).
 *
 * With `issuer`, the discovery document is fetched on the first token request, once:
 * its `token_endpoint` (and `revocation_endpoint`, when present) are kept for the life
 * of the provider. A failed discovery is not kept; the next request tries again.
 *
 * @example
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Layer, Redacted } from "effect"
 * import { OAuth2 } from "@effect-bearer/providers"
 *
 * const Tokens = OAuth2.layer({
 *   issuer: "https://login.example.com/realms/main",
 *   clientId: "reporting",
 *   clientSecret: Redacted.make("…"),
 *   scope: "reports:read"
 * }).pipe(Layer.provide(NodeHttpClient.layerUndici))
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749
 * @since 0.1.0
 */
import { Providers } from "@effect-bearer/kernel"
import { Effect } from "effect"
import type { Duration, Redacted } from "effect"
import type { Configurable } from "@effect-bearer/core"
import { Grant, OpenIdDiscovery, TokenEndpoint, TokenError, TokenProvider } from "@effect-bearer/core"
import { readOptions } from "./internal/environment.js"
import { clientAuthenticationOf, discoveringSource, endpointOptions, hostOf, validateGrant } from "./internal/oauth2Client.js"
import { optionsFromEnvironment } from "./internal/oauth2Environment.js"
import { defaultLifetime as defaultLifetimeOf } from "./internal/provider.js"
import { providerOptions } from "./internal/settings.js"
import * as Provider from "./Provider.js"

/**
 * The record of "any OAuth2 server": its environment, credentials file and defaults.
 *
 * @since 0.1.0
 * @category data
 */
export const provider: Provider.Provider = Providers.oauth2

/**
 * The provider's id, in logs, spans and metrics when the server's host is unknown, and
 * on the command line.
 *
 * @since 0.1.0
 * @category data
 */
export const name: string = provider.id

/**
 * The lifetime assumed when neither `expires_in` nor a JWT `exp` says: 5 minutes, the
 * shortest common one, so that an unknown token is renewed too early rather than late.
 *
 * @since 0.1.0
 * @category data
 */
export const defaultLifetime: Duration.Duration = defaultLifetimeOf(provider)

/**
 * A client of any OAuth2 server, and the common provider options.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Provider.Options {
  /** The token endpoint. Set it, or {@link Options.issuer}. */
  readonly tokenUrl?: string | undefined
  /** The issuer, for OpenID discovery of the token endpoint. Set it, or the token URL. */
  readonly issuer?: string | undefined
  readonly clientId: string
  /** The client secret; none for a public client. */
  readonly clientSecret?: Redacted.Redacted<string> | undefined
  /**
   * Where the secret goes. Default: `client_secret_basic` (which RFC 6749 §2.3.1 makes
   * every server support) when there is a secret, unless discovery says the server only
   * takes `client_secret_post`; `none` without a secret.
   */
  readonly clientAuthentication?: Provider.ClientAuthenticationMethod | undefined
  /** Default: `client_credentials`. */
  readonly grant?: Grant.Grant | undefined
  readonly scope?: string | ReadonlyArray<string> | undefined
  /** Extra form parameters on every token request, e.g. `audience`. */
  readonly parameters?: Readonly<Record<string, string | undefined>> | undefined
  /** Default: {@link defaultLifetime}. */
  readonly defaultLifetime?: Duration.DurationInput | undefined
  /** The RFC 7009 revocation endpoint (for `revokeOnClose`); default: from discovery. */
  readonly revocationUrl?: string | undefined
  /** Advice appended to errors' messages, by error tag. */
  readonly hints?: TokenEndpoint.Hints | undefined
  /** Maps a non-standard success body to RFC 6749 §5.1 before validation. */
  readonly toStandardResponse?: ((body: unknown) => unknown) | undefined
}

/**
 * A token provider for any OAuth2 server, with its background refresh running in the
 * scope. Fails before any request when the configuration cannot work: neither or both of
 * `tokenUrl` and `issuer`, an empty client id or secret, a secret with `none`, an
 * unusable URL.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Provider.Make =>
  Effect.gen(function*() {
    const grant = options.grant ?? Grant.clientCredentials
    yield* validateGrant(grant)
    if (options.tokenUrl !== undefined && options.issuer !== undefined) {
      return yield* new TokenError.InvalidConfiguration({
        setting: "issuer",
        problem: "and tokenUrl are both set: set the token URL, or the issuer to discover it, not both"
      })
    }
    if (options.tokenUrl !== undefined) {
      return yield* TokenProvider.fromEndpoint({
        ...providerOptions(options),
        ...endpointOptions(options),
        name: options.name ?? hostOf(options.tokenUrl),
        url: options.tokenUrl,
        revocationUrl: options.revocationUrl,
        clientAuthentication: yield* clientAuthenticationOf(options, ["client_secret_basic"]),
        grant
      })
    }
    if (options.issuer === undefined) {
      return yield* new TokenError.InvalidConfiguration({
        setting: "tokenUrl",
        problem: "is not set: set the token endpoint URL, or an issuer URL for OpenID discovery"
      })
    }
    const issuer = yield* OpenIdDiscovery.validateIssuer(options.issuer)
    // Everything but the discovered URL is checked now, so that bad settings fail here
    // rather than at the first token request.
    yield* TokenEndpoint.make({
      ...endpointOptions(options),
      url: OpenIdDiscovery.documentUrl(issuer),
      revocationUrl: options.revocationUrl,
      clientAuthentication: yield* clientAuthenticationOf(options, ["client_secret_basic"])
    })
    const source = yield* discoveringSource(issuer, grant, options)
    return yield* TokenProvider.make(source, {
      cacheTimeToLive: options.defaultLifetime ?? defaultLifetime,
      ...providerOptions(options)
    })
  })

/**
 * The `TokenProvider` layer for any OAuth2 server.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: (options: Options) => Provider.ProviderLayer = Provider.layerFrom(make)

/**
 * {@link make} with the settings read from the environment: `OAUTH2_TOKEN_URL` or
 * `OAUTH2_ISSUER`, `OAUTH2_CLIENT_ID`, `OAUTH2_CLIENT_SECRET` (read as a `Redacted`;
 * absent for a public client), and optionally `OAUTH2_CLIENT_AUTHENTICATION`,
 * `OAUTH2_GRANT_TYPE` (with `OAUTH2_USERNAME` and `OAUTH2_PASSWORD` for `password`),
 * `OAUTH2_SCOPE`, `OAUTH2_AUDIENCE` and `OAUTH2_REVOCATION_URL`. Any option may instead be
 * an Effect `Config` naming the program's own variable (`clientSecret:
 * Config.redacted("MY_SECRET")`): the record's variable for it is then not read (for
 * `tokenUrl` or `issuer`, neither endpoint variable; for `grant`, neither the grant type
 * nor the username and password), and a missing one fails naming the `Config`'s variable.
 * Precedence: an option given as a `Config` > the record's variable > an option given as a
 * plain value (a default), as in `Provider.makeConfig`.
 *
 * @example
 * import { Config } from "effect"
 * import { OAuth2 } from "@effect-bearer/providers"
 *
 * const tokens = OAuth2.makeConfig({
 *   issuer: Config.string("REPORTS_ISSUER"),
 *   clientId: Config.string("REPORTS_CLIENT_ID"),
 *   clientSecret: Config.redacted("REPORTS_CLIENT_SECRET")
 * })
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeConfig = (
  options: Configurable.Configurable<Provider.ConfigOptions & Partial<Options>> = {}
): Provider.Make =>
  Effect.gen(function*() {
    const given = yield* readOptions(options)
    const { prefix } = given.values as Provider.ConfigOptions
    return yield* make(yield* optionsFromEnvironment(given, prefix))
  })

/**
 * The `TokenProvider` layer with the settings read from the environment (each option
 * plain or as a `Config`, as in {@link makeConfig}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: (
  options?: Configurable.Configurable<Provider.ConfigOptions & Partial<Options>>
) => Provider.ProviderLayer = Provider.layerFrom(makeConfig)
