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
import type * as HttpClient from "@effect/platform/HttpClient"
import { Provider as ProviderData, Providers } from "@effect-bearer/kernel"
import { Config, ConfigError, Effect, Either, Option, Redacted, Ref } from "effect"
import type { Duration } from "effect"
import {
  ClientAuthentication,
  Grant,
  OpenIdDiscovery,
  TokenEndpoint,
  TokenError,
  TokenProvider,
  TokenSource
} from "@effect-bearer/core"
import { descriptions } from "./internal/environment.js"
import {
  emptyVariable,
  load,
  nonBlankRedacted,
  nonBlankString,
  optionalOneOf,
  optionalString,
  providerOptions,
  requireNonBlank
} from "./internal/settings.js"
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
export const defaultLifetime: Duration.Duration = Provider.defaultLifetime(provider)

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

const methods = ProviderData.clientAuthenticationMethods

const clientAuthenticationOf = (
  options: Options,
  supported: ReadonlyArray<string>
): Effect.Effect<ClientAuthentication.ClientAuthentication, TokenError.InvalidConfiguration> => {
  const secret = options.clientSecret
  if (options.clientAuthentication !== undefined && !methods.includes(options.clientAuthentication)) {
    // Not echoed: a value that is no method may well be a secret passed in the wrong place.
    return Effect.fail(
      new TokenError.InvalidConfiguration({
        setting: "clientAuthentication",
        problem: "is not a client authentication method: use client_secret_basic, client_secret_post or none"
      })
    )
  }
  const method = options.clientAuthentication ??
    (secret === undefined
      ? "none"
      : !supported.includes("client_secret_basic") && supported.includes("client_secret_post")
      ? "client_secret_post"
      : "client_secret_basic")
  if (method === "none") {
    return secret === undefined
      ? Effect.succeed(ClientAuthentication.publicClient(options.clientId))
      : Effect.fail(
        new TokenError.InvalidConfiguration({
          setting: "clientSecret",
          problem: "is set but clientAuthentication is none: choose client_secret_basic or client_secret_post"
        })
      )
  }
  if (secret === undefined) {
    return Effect.fail(new TokenError.InvalidConfiguration({ setting: "clientSecret", problem: `is needed for ${method}` }))
  }
  const credentials = { clientId: options.clientId, clientSecret: secret }
  return Effect.succeed(
    method === "client_secret_post"
      ? ClientAuthentication.clientSecretPost(credentials)
      : ClientAuthentication.clientSecretBasic(credentials)
  )
}

const validateGrant = (grant: Grant.Grant): Effect.Effect<void, TokenError.InvalidConfiguration> =>
  grant._tag === "Password"
    ? Effect.zipRight(requireNonBlank("username", grant.username), requireNonBlank("password", grant.password))
    : grant._tag === "RefreshToken"
    ? requireNonBlank("refreshToken", grant.refreshToken)
    : Effect.void

const endpointOptions = (options: Options) => ({
  scope: options.scope,
  parameters: options.parameters,
  timeout: options.timeout,
  defaultLifetime: options.defaultLifetime ?? defaultLifetime,
  toStandardResponse: options.toStandardResponse,
  hints: options.hints
})

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

const hostOf = (url: string) => URL.canParse(url) ? new URL(url).host : name

/**
 * A token source that discovers its endpoint on first use and keeps it. Discovery runs
 * under a lock, so concurrent first requests discover once; a failure is not kept.
 */
const discoveringSource = (
  issuer: string,
  grant: Grant.Grant,
  options: Options
): Effect.Effect<TokenSource.TokenSource, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const context = yield* Effect.context<HttpClient.HttpClient>()
    const resolved = yield* Ref.make(Option.none<TokenSource.TokenSource>())
    const lock = yield* Effect.makeSemaphore(1)
    const sourceName = options.name ?? hostOf(issuer)
    const discover = Effect.gen(function*() {
      const metadata = yield* OpenIdDiscovery.discover(issuer, { timeout: options.timeout })
      const clientAuthentication = yield* clientAuthenticationOf(options, metadata.tokenEndpointAuthMethodsSupported).pipe(
        Effect.orDie // validated when the provider was made, with the same options
      )
      const endpoint = yield* TokenEndpoint.make({
        ...endpointOptions(options),
        url: metadata.tokenEndpoint,
        revocationUrl: options.revocationUrl ?? Option.getOrUndefined(metadata.revocationEndpoint),
        clientAuthentication
      }).pipe(
        Effect.catchTag("InvalidConfiguration", (error) =>
          Effect.fail(
            new TokenError.InvalidTokenResponse({
              endpoint: OpenIdDiscovery.documentUrl(issuer),
              reason: "InvalidField",
              detail: `the discovered token_endpoint cannot be used: ${error.problem}`
            })
          ))
      )
      return yield* TokenSource.fromEndpoint(endpoint, grant, { name: sourceName })
    }).pipe(Effect.provide(context))
    const resolve = Effect.flatMap(
      Ref.get(resolved),
      Option.match({
        onSome: Effect.succeed,
        onNone: () =>
          lock.withPermits(1)(
            Effect.flatMap(
              Ref.get(resolved),
              Option.match({
                onSome: Effect.succeed,
                onNone: () => Effect.tap(discover, (source) => Ref.set(resolved, Option.some(source)))
              })
            )
          )
      })
    )
    return {
      name: sourceName,
      grantType: Grant.grantType(grant),
      fetch: (previous) => Effect.flatMap(resolve, (source) => source.fetch(previous)),
      revoke: (token) =>
        Effect.flatMap(resolve, (source) =>
          source.revoke === undefined
            ? Effect.fail(
              new TokenError.InvalidConfiguration({
                setting: "revocationUrl",
                problem: "is needed to revoke tokens: the OpenID configuration names no revocation_endpoint"
              })
            )
            : source.revoke(token))
    } satisfies TokenSource.TokenSource
  })

/**
 * The `TokenProvider` layer for any OAuth2 server.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: (options: Options) => Provider.ProviderLayer = Provider.layerFrom(make)

const grantTypes = ProviderData.grantTypes

/** The record's variable for an option, e.g. `tokenUrl` → `OAUTH2_TOKEN_URL`. */
const variable = (option: string): string => ProviderData.variableFor(provider, option)?.name ?? option

/** What {@link config} reads from the environment; unset settings are `undefined`. */
interface Settings {
  readonly tokenUrl: string | undefined
  readonly issuer: string | undefined
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string> | undefined
  readonly clientAuthentication: Provider.ClientAuthenticationMethod | undefined
  readonly grant: Grant.Grant | undefined
  readonly scope: string | undefined
  readonly parameters: Readonly<Record<string, string>> | undefined
  readonly revocationUrl: string | undefined
}

/**
 * The environment variables: `OAUTH2_TOKEN_URL` or `OAUTH2_ISSUER`, `OAUTH2_CLIENT_ID`,
 * `OAUTH2_CLIENT_SECRET` (read as a `Redacted`; absent for a public client), and
 * optionally `OAUTH2_CLIENT_AUTHENTICATION` (`client_secret_basic`, `client_secret_post`
 * or `none`), `OAUTH2_GRANT_TYPE` (`client_credentials` or `password`, with
 * `OAUTH2_USERNAME` and `OAUTH2_PASSWORD`), `OAUTH2_SCOPE`, `OAUTH2_AUDIENCE` and
 * `OAUTH2_REVOCATION_URL`.
 */
const config: Config.Config<Settings> = Config.all({
  tokenUrl: optionalString(variable("tokenUrl")),
  issuer: optionalString(variable("issuer")),
  clientId: nonBlankString(variable("clientId")),
  clientSecret: Config.option(nonBlankRedacted(variable("clientSecret"))),
  clientAuthentication: optionalOneOf(variable("clientAuthentication"), methods),
  grantType: optionalOneOf(variable("grantType"), grantTypes),
  username: optionalString(variable("username")),
  password: Config.option(Config.redacted(variable("password"))),
  scope: optionalString(variable("scope")),
  audience: optionalString(variable("audience")),
  revocationUrl: optionalString(variable("revocationUrl"))
}).pipe(
  Config.mapOrFail((settings) => {
    const grant = grantOf(settings.grantType, settings.username, settings.password)
    if (Either.isLeft(grant)) return Either.left(grant.left)
    return Either.right({
      tokenUrl: settings.tokenUrl,
      issuer: settings.issuer,
      clientId: settings.clientId,
      clientSecret: Option.getOrUndefined(settings.clientSecret),
      clientAuthentication: settings.clientAuthentication,
      grant: grant.right,
      scope: settings.scope,
      parameters: settings.audience === undefined ? undefined : { audience: settings.audience },
      revocationUrl: settings.revocationUrl
    })
  })
)

/** The grant `OAUTH2_GRANT_TYPE` names; the password grant needs a username and a password. */
function grantOf(
  grantType: (typeof grantTypes)[number] | undefined,
  username: string | undefined,
  password: Option.Option<Redacted.Redacted<string>>
): Either.Either<Grant.Grant | undefined, ConfigError.ConfigError> {
  if (grantType === undefined) return Either.right(undefined)
  if (grantType === "client_credentials") return Either.right(Grant.clientCredentials)
  if (username === undefined) return Either.left(ConfigError.MissingData([variable("username")], "is not set"))
  if (Option.isNone(password)) return Either.left(ConfigError.MissingData([variable("password")], "is not set"))
  if (Redacted.value(password.value).trim() === "") return Either.left(emptyVariable(variable("password")))
  return Either.right(Grant.password({ username, password: password.value }))
}


/**
 * {@link make} with the settings read from the environment (see {@link config}).
 * Environment values win over the options given here.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeConfig = (
  options: Provider.ConfigOptions & Partial<Options> = {}
): Provider.Make =>
  Effect.flatMap(load(config, descriptions(provider), options.prefix), (settings) =>
    make({
      ...options,
      clientId: settings.clientId,
      tokenUrl: settings.tokenUrl ?? (settings.issuer === undefined ? options.tokenUrl : undefined),
      issuer: settings.issuer ?? (settings.tokenUrl === undefined ? options.issuer : undefined),
      clientSecret: settings.clientSecret ?? options.clientSecret,
      clientAuthentication: settings.clientAuthentication ?? options.clientAuthentication,
      grant: settings.grant ?? options.grant,
      scope: settings.scope ?? options.scope,
      parameters: { ...options.parameters, ...settings.parameters },
      revocationUrl: settings.revocationUrl ?? options.revocationUrl
    }))

/**
 * The `TokenProvider` layer with the settings read from the environment.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: (options?: Provider.ConfigOptions & Partial<Options>) => Provider.ProviderLayer = Provider.layerFrom(makeConfig)
