/**
 * Any OAuth2 authorization server, for Effect 4: a token URL (or an issuer whose OpenID
 * discovery document names it, fetched once on the first token request; a failed
 * discovery is not kept), either client-authentication method, and any grant.
 *
 * @example
 * import { Layer, Redacted } from "effect"
 * import { FetchHttpClient } from "effect/http"
 * import { OAuth2 } from "@effect-bearer/providers"
 *
 * const Tokens = OAuth2.layer({
 *   issuer: "https://login.example.com/realms/main",
 *   clientId: "reporting",
 *   clientSecret: Redacted.make("…"),
 *   scope: "reports:read"
 * }).pipe(Layer.provide(FetchHttpClient.layer))
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749
 * @since 4.0.0
 */
import { Providers } from "@effect-bearer/kernel"
import * as OAuth2Environment from "@effect-bearer/kernel/OAuth2Environment"
import { Effect, Redacted } from "effect"
import type { Duration } from "effect"
import type { Configurable } from "@effect-bearer/core"
import { Grant, OpenIdDiscovery, TokenEndpoint, TokenError, TokenProvider } from "@effect-bearer/core"
import { invalid, lookupOf, readOptions } from "./internal/environment.js"
import { clientAuthenticationOf, discoveringSource, endpointOptions, hostOf, validateGrant } from "./internal/oauth2Client.js"
import { coreOptions, defaultLifetime as defaultLifetimeOf } from "./internal/provider.js"
import * as Provider from "./Provider.js"

/**
 * The record of "any OAuth2 server": its environment, credentials file and defaults.
 *
 * @since 4.0.0
 * @category data
 */
export const provider: Provider.Provider = Providers.oauth2

/**
 * The provider's id, in logs, spans and metrics when the server's host is unknown.
 *
 * @since 4.0.0
 * @category data
 */
export const name: string = provider.id

/**
 * The lifetime assumed when neither `expires_in` nor a JWT `exp` says: 5 minutes.
 *
 * @since 4.0.0
 * @category data
 */
export const defaultLifetime: Duration.Duration = defaultLifetimeOf(provider)

/**
 * A client of any OAuth2 server, and the common provider options.
 *
 * @since 4.0.0
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
  /** Where the secret goes. Default: `client_secret_basic` with a secret (unless discovery offers only `client_secret_post`), `none` without. */
  readonly clientAuthentication?: Provider.ClientAuthenticationMethod | undefined
  /** Default: `client_credentials`. */
  readonly grant?: Grant.Grant | undefined
  readonly scope?: string | ReadonlyArray<string> | undefined
  /** Extra form parameters on every token request, e.g. `audience`. */
  readonly parameters?: Readonly<Record<string, string | undefined>> | undefined
  /** Default: {@link defaultLifetime}. */
  readonly defaultLifetime?: Duration.Input | undefined
  /** The RFC 7009 revocation endpoint (for `revokeOnClose`); default: from discovery. */
  readonly revocationUrl?: string | undefined
  /** Advice appended to errors' messages, by error tag. */
  readonly hints?: TokenEndpoint.Hints | undefined
  /** Maps a non-standard success body to RFC 6749 §5.1 before validation. */
  readonly toStandardResponse?: ((body: unknown) => unknown) | undefined
}

/**
 * A token provider for any OAuth2 server, refreshing in the scope. Fails before any request
 * when the configuration cannot work: neither or both of `tokenUrl` and `issuer`, an empty
 * client id or secret, a secret with `none`, an unusable URL.
 *
 * @since 4.0.0
 * @category constructors
 */
export const make = (options: Options): Provider.Make =>
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
        ...coreOptions(options),
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
    // Everything but the discovered URL is checked now, so that bad settings fail here.
    yield* TokenEndpoint.make({
      ...endpointOptions(options),
      url: OpenIdDiscovery.documentUrl(issuer),
      revocationUrl: options.revocationUrl,
      clientAuthentication: yield* clientAuthenticationOf(options, ["client_secret_basic"])
    })
    return yield* TokenProvider.make(yield* discoveringSource(issuer, grant, options), coreOptions(options))
  })

/**
 * The `TokenProvider` layer for any OAuth2 server.
 *
 * @since 4.0.0
 * @category layers
 */
export const layer: (options: Options) => Provider.ProviderLayer = Provider.layerFrom(make)

/** Effect 4's values for the kernel's secrets and grants read from the environment. */
const environmentValues = {
  secret: Redacted.make<string>,
  grant: (grant: OAuth2Environment.Grant): Grant.Grant =>
    grant.grantType === "client_credentials"
      ? Grant.clientCredentials
      : Grant.password({ username: grant.username, password: Redacted.make(grant.password) })
}

/**
 * {@link make} with the settings read from `OAUTH2_TOKEN_URL` or `OAUTH2_ISSUER`,
 * `OAUTH2_CLIENT_ID`, `OAUTH2_CLIENT_SECRET`, `OAUTH2_CLIENT_AUTHENTICATION`,
 * `OAUTH2_GRANT_TYPE` (with `OAUTH2_USERNAME` and `OAUTH2_PASSWORD`), `OAUTH2_SCOPE`,
 * `OAUTH2_AUDIENCE` and `OAUTH2_REVOCATION_URL`, with the providers' precedence: an option
 * given as a `Config` > the variable > an option given as a plain value.
 *
 * @example
 * import { Config } from "effect"
 * import { OAuth2 } from "@effect-bearer/providers"
 *
 * const tokens = OAuth2.makeConfig({
 *   issuer: Config.String("REPORTS_ISSUER"),
 *   clientId: Config.String("REPORTS_CLIENT_ID"),
 *   clientSecret: Config.Redacted("REPORTS_CLIENT_SECRET")
 * })
 *
 * @since 4.0.0
 * @category constructors
 */
export const makeConfig = (
  options: Configurable.Configurable<Provider.ConfigOptions & Partial<Options>> = {}
): Provider.Make =>
  Effect.gen(function*() {
    const given = yield* readOptions(options)
    const { prefix } = given.values as Provider.ConfigOptions
    const record = OAuth2Environment.recordFor(provider, given)
    const lookup = yield* lookupOf(record.environment.variables.map((variable) => variable.name), prefix)
    const read = OAuth2Environment.read(record, lookup)
    if (read._tag === "Problem") return yield* invalid(read.problem, prefix)
    return yield* make(OAuth2Environment.optionsOf(given, read.settings, environmentValues) as unknown as Options)
  })

/**
 * The `TokenProvider` layer of {@link makeConfig}.
 *
 * @since 4.0.0
 * @category layers
 */
export const layerConfig: (
  options?: Configurable.Configurable<Provider.ConfigOptions & Partial<Options>>
) => Provider.ProviderLayer = Provider.layerFrom(makeConfig)
