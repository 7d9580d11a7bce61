/**
 * Bitquery: an application's client ID and secret in the form body
 * (`client_secret_post`) with `scope=api`, against an Ory Hydra server; tokens are
 * opaque (`ory_at_…`) and their lifetime comes from `expires_in`. Or a token generated
 * in the Bitquery console, used as it is ({@link layerStatic}).
 *
 * @example
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Layer } from "effect"
 * import { Bitquery } from "@effect-bearer/providers"
 *
 * // BITQUERY_CLIENT_ID=… BITQUERY_CLIENT_SECRET=…   (or BITQUERY_ACCESS_TOKEN=ory_at_…)
 * const Tokens = Bitquery.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici))
 *
 * @see https://docs.bitquery.io/docs/authorisation/how-to-generate/
 * @since 0.1.0
 */
import { Config, ConfigError, Duration, Effect, Either, Layer, Option, Redacted } from "effect"
import type { Scope } from "effect"
import { ClientAuthentication, Grant, TokenEndpoint, TokenError, TokenProvider, TokenSource } from "@effect-bearer/core"
import { emptyVariable, load, optionalString, providerOptions, requireNonBlank } from "./internal/settings.js"
import * as Provider from "./Provider.js"

/**
 * @since 0.1.0
 * @category data
 */
export const name = "bitquery"

/**
 * The documented token endpoint.
 *
 * @since 0.1.0
 * @category data
 */
export const tokenUrl = "https://oauth2.bitquery.io/oauth2/token"

/**
 * The API origins a Bitquery token is for (the streaming GraphQL API).
 *
 * @since 0.1.0
 * @category data
 */
export const apiOrigins: ReadonlyArray<string> = ["https://streaming.bitquery.io"]

/**
 * The scope Bitquery requires on every token request.
 *
 * @since 0.1.0
 * @category data
 */
export const scope = "api"

/**
 * The lifetime assumed when a response has no `expires_in` (Bitquery sends it; the
 * application chooses it). 12 hours is how long a console token lives without an
 * application, the shortest Bitquery documents.
 *
 * @since 0.1.0
 * @category data
 */
export const defaultLifetime: Duration.Duration = Duration.hours(12)

/**
 * The provider's data as one value.
 *
 * @since 0.1.0
 * @category data
 */
export const provider: Provider.Provider = {
  name,
  title: "Bitquery",
  tokenUrl,
  clientAuthentication: "client_secret_post",
  grantType: "client_credentials",
  defaultLifetime,
  apiOrigins,
  documentation: "https://docs.bitquery.io/docs/authorisation/how-to-generate/"
}

/**
 * What Bitquery's documentation says about each failure, appended to the error's message.
 *
 * @since 0.1.0
 * @category data
 */
export const hints: TokenEndpoint.Hints = {
  InvalidCredentials:
    "Use the client ID and secret of an application from https://account.bitquery.io/user/api_v2/applications; deleting the application invalidates its credentials and all its tokens.",
  InvalidRequest: "Bitquery requires scope=api on token requests.",
  WrongHost: `Bitquery tokens come from ${tokenUrl}.`
}

/**
 * An application's credentials, and the common provider options.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Provider.Options {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
  /** Default: `api`, which Bitquery requires. */
  readonly scope?: string | undefined
}

/**
 * A token provider for a Bitquery application (client credentials), with its background
 * refresh running in the scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Provider.Make =>
  TokenProvider.fromEndpoint({
    ...providerOptions(options),
    name: options.name ?? name,
    url: options.tokenUrl ?? tokenUrl,
    clientAuthentication: ClientAuthentication.clientSecretPost({
      clientId: options.clientId,
      clientSecret: options.clientSecret
    }),
    grant: Grant.clientCredentials,
    scope: options.scope ?? scope,
    timeout: options.timeout,
    defaultLifetime,
    hints
  })

/**
 * The `TokenProvider` layer for a Bitquery application.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: (options: Options) => Provider.ProviderLayer = Provider.layerFrom(make)

/**
 * A token provider that hands out a token generated in the Bitquery console. It is sent
 * as it is: when the API starts refusing it (console tokens without an application
 * rotate every 12 hours), generate a new one or use an application's credentials.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeStatic = (
  accessToken: Redacted.Redacted<string>,
  options: { readonly name?: string | undefined } = {}
): Effect.Effect<TokenProvider.Service, TokenError.InvalidConfiguration, Scope.Scope> =>
  Effect.zipRight(
    requireNonBlank("accessToken", accessToken),
    TokenProvider.make(TokenSource.fromToken(accessToken, { name: options.name ?? name }), { backgroundRefresh: false })
  )

/**
 * The `TokenProvider` layer for a console token.
 *
 * @example
 * import { Redacted } from "effect"
 * import { Bitquery } from "@effect-bearer/providers"
 *
 * const Tokens = Bitquery.layerStatic(Redacted.make("ory_at_…"))
 *
 * @since 0.1.0
 * @category layers
 */
export const layerStatic = (
  accessToken: Redacted.Redacted<string>,
  options: { readonly name?: string | undefined } = {}
): Layer.Layer<TokenProvider.TokenProvider, TokenError.InvalidConfiguration> =>
  Layer.scoped(TokenProvider.TokenProvider, makeStatic(accessToken, options))

/**
 * What the environment says: an application's credentials, or a console token.
 *
 * @since 0.1.0
 * @category models
 */
export type Credentials =
  | {
    readonly _tag: "ClientCredentials"
    readonly clientId: string
    readonly clientSecret: Redacted.Redacted<string>
    readonly tokenUrl: string | undefined
    readonly scope: string | undefined
  }
  | { readonly _tag: "AccessToken"; readonly accessToken: Redacted.Redacted<string> }

/**
 * The environment variables: `BITQUERY_CLIENT_ID` and `BITQUERY_CLIENT_SECRET` (with
 * optional `BITQUERY_TOKEN_URL` and `BITQUERY_SCOPE`), or `BITQUERY_ACCESS_TOKEN` for a
 * console token. When both are set, the application's credentials win: their tokens are
 * renewed, a console token is not. An empty (or whitespace-only) variable counts as unset
 * when choosing, so `BITQUERY_CLIENT_ID=""` beside a console token uses the token; when
 * nothing usable is left, the error names the empty variable.
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<Credentials> = Config.all({
  clientId: Config.option(Config.string("BITQUERY_CLIENT_ID")),
  clientSecret: Config.option(Config.redacted("BITQUERY_CLIENT_SECRET")),
  accessToken: Config.option(Config.redacted("BITQUERY_ACCESS_TOKEN")),
  tokenUrl: optionalString("BITQUERY_TOKEN_URL"),
  scope: optionalString("BITQUERY_SCOPE")
}).pipe(
  Config.mapOrFail((settings): Either.Either<Credentials, ConfigError.ConfigError> => {
    const isBlank = (value: string | Redacted.Redacted<string>) =>
      (Redacted.isRedacted(value) ? Redacted.value(value) : value).trim() === ""
    const clientId = Option.filter(settings.clientId, (value) => !isBlank(value))
    const clientSecret = Option.filter(settings.clientSecret, (value) => !isBlank(value))
    const accessToken = Option.filter(settings.accessToken, (value) => !isBlank(value))
    // Set but empty, or not set at all: the two ways a variable can be missing.
    const missing = (name: string, value: Option.Option<unknown>) =>
      Either.left(Option.isSome(value) ? emptyVariable(name) : ConfigError.MissingData([name], "is not set"))
    if (Option.isSome(clientId) || Option.isSome(clientSecret)) {
      if (Option.isNone(clientId)) return missing("BITQUERY_CLIENT_ID", settings.clientId)
      if (Option.isNone(clientSecret)) return missing("BITQUERY_CLIENT_SECRET", settings.clientSecret)
      return Either.right({
        _tag: "ClientCredentials",
        clientId: clientId.value,
        clientSecret: clientSecret.value,
        tokenUrl: settings.tokenUrl,
        scope: settings.scope
      })
    }
    if (Option.isSome(accessToken)) return Either.right({ _tag: "AccessToken", accessToken: accessToken.value })
    // Nothing usable: name the first variable that is set but empty, or ask for the client id.
    const setButEmpty = Option.isSome(settings.clientId)
      ? "BITQUERY_CLIENT_ID"
      : Option.isSome(settings.clientSecret)
      ? "BITQUERY_CLIENT_SECRET"
      : Option.isSome(settings.accessToken)
      ? "BITQUERY_ACCESS_TOKEN"
      : undefined
    return Either.left(
      setButEmpty === undefined ? ConfigError.MissingData(["BITQUERY_CLIENT_ID"], "is not set") : emptyVariable(setButEmpty)
    )
  })
)

const descriptions = {
  BITQUERY_CLIENT_ID:
    "the client ID of a Bitquery application (with BITQUERY_CLIENT_SECRET), or set BITQUERY_ACCESS_TOKEN to a console token instead",
  BITQUERY_CLIENT_SECRET: "the client secret of the same Bitquery application",
  BITQUERY_ACCESS_TOKEN: "a token generated in the Bitquery console"
}

/**
 * A token provider from the environment (see {@link config}): an application's
 * credentials, or a console token.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeConfig = (
  options: Provider.ConfigOptions & { readonly scope?: string | undefined } = {}
): Provider.Make =>
  Effect.flatMap(load(config, descriptions, options.prefix), (credentials) =>
    credentials._tag === "AccessToken"
      ? makeStatic(credentials.accessToken, options)
      : make({
        ...options,
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        tokenUrl: credentials.tokenUrl ?? options.tokenUrl,
        scope: credentials.scope ?? options.scope
      }))

/**
 * The `TokenProvider` layer from the environment: an application's credentials, or a
 * console token.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: (options?: Provider.ConfigOptions & { readonly scope?: string | undefined }) => Provider.ProviderLayer = Provider.layerFrom(makeConfig)
