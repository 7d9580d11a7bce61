/**
 * UP42 with account credentials (the current API): the password grant with the console
 * email and password and the public client `up42-api`, against a Keycloak realm.
 * Tokens live 5 minutes; the refresh token (`refresh_expires_in`, 30 minutes) renews
 * them, and once it expires the password grant is sent again, without bothering you.
 *
 * @example
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Layer } from "effect"
 * import { Up42Account } from "@effect-bearer/providers"
 *
 * // UP42_USERNAME=me@example.com UP42_PASSWORD=… node main.js
 * const Tokens = Up42Account.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici))
 *
 * @see https://docs.sa.up42.com/developers/authentication
 * @since 0.1.0
 */
import { Config, Duration, Effect } from "effect"
import type { Redacted } from "effect"
import { ClientAuthentication, Grant, TokenEndpoint, TokenProvider } from "@effect-bearer/core"
import { load, nonBlankRedacted, nonBlankString, optionalString, providerOptions, requireNonBlank } from "./internal/settings.js"
import * as Provider from "./Provider.js"

/**
 * @since 0.1.0
 * @category data
 */
export const name = "up42-account"

/**
 * The Keycloak realm that issues UP42 account tokens (its OpenID discovery document is
 * at `<issuer>/.well-known/openid-configuration`).
 *
 * @since 0.1.0
 * @category data
 */
export const issuer = "https://auth.sa.up42.com/realms/public"

/**
 * The documented token endpoint: on the auth host, not the API host.
 *
 * @since 0.1.0
 * @category data
 */
export const tokenUrl = `${issuer}/protocol/openid-connect/token`

/**
 * The API origins an account token is for.
 *
 * @since 0.1.0
 * @category data
 */
export const apiOrigins: ReadonlyArray<string> = ["https://api.sa.up42.com"]

/**
 * The public client id UP42 documents ("Don't change the up42-api value").
 *
 * @since 0.1.0
 * @category data
 */
export const clientId = "up42-api"

/**
 * Access tokens live 5 minutes (`expires_in: 300`).
 *
 * @since 0.1.0
 * @category data
 */
export const defaultLifetime: Duration.Duration = Duration.minutes(5)

/**
 * Refresh tokens live 30 minutes (`refresh_expires_in: 1800`); after that the password
 * grant is needed again.
 *
 * @since 0.1.0
 * @category data
 */
export const refreshTokenLifetime: Duration.Duration = Duration.minutes(30)

/**
 * The provider's data as one value.
 *
 * @since 0.1.0
 * @category data
 */
export const provider: Provider.Provider = {
  name,
  title: "UP42 (account credentials)",
  tokenUrl,
  clientAuthentication: "none",
  grantType: "password",
  defaultLifetime,
  apiOrigins,
  documentation: "https://docs.sa.up42.com/developers/authentication"
}

/**
 * What UP42's documentation says about each failure, appended to the error's message.
 *
 * @since 0.1.0
 * @category data
 */
export const hints: TokenEndpoint.Hints = {
  WrongHost:
    `UP42 tokens come from auth.sa.up42.com, not api.sa.up42.com (which serves the rest of the API): the token URL is ${tokenUrl}.`,
  UnsupportedMediaType:
    "UP42 wants Content-Type: application/x-www-form-urlencoded, and grant_type=password and client_id=up42-api in the body.",
  InvalidCredentials:
    "Use the email and password you log in to the UP42 console with; the body must carry grant_type=password and client_id=up42-api."
}

/**
 * The console login, and the common provider options.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Provider.Options {
  /** The email address you log in to the UP42 console with. */
  readonly username: string
  readonly password: Redacted.Redacted<string>
  /** Default: `up42-api`. */
  readonly clientId?: string | undefined
}

/**
 * A token provider for a UP42 account, with its background refresh running in the
 * scope. Fails before any request when the username or password is empty or the token
 * URL unusable.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (
  options: Options
): Provider.Make =>
  Effect.gen(function*() {
    yield* requireNonBlank("username", options.username)
    yield* requireNonBlank("password", options.password)
    return yield* TokenProvider.fromEndpoint({
      ...providerOptions(options),
      name: options.name ?? name,
      url: options.tokenUrl ?? tokenUrl,
      clientAuthentication: ClientAuthentication.publicClient(options.clientId ?? clientId),
      grant: Grant.password({ username: options.username, password: options.password }),
      timeout: options.timeout,
      defaultLifetime,
      hints
    })
  })

/**
 * The `TokenProvider` layer for a UP42 account.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: (options: Options) => Provider.ProviderLayer = Provider.layerFrom(make)

/**
 * The environment variables: `UP42_USERNAME`, `UP42_PASSWORD` (read as a `Redacted`),
 * and optionally `UP42_TOKEN_URL` and `UP42_CLIENT_ID`.
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<{
  readonly username: string
  readonly password: Redacted.Redacted<string>
  readonly tokenUrl: string | undefined
  readonly clientId: string | undefined
}> = Config.all({
  username: nonBlankString("UP42_USERNAME"),
  password: nonBlankRedacted("UP42_PASSWORD"),
  tokenUrl: optionalString("UP42_TOKEN_URL"),
  clientId: optionalString("UP42_CLIENT_ID")
})

const descriptions = {
  UP42_USERNAME: "the email address you log in to the UP42 console with",
  UP42_PASSWORD: "the password you log in to the UP42 console with"
}

/**
 * {@link make} with the credentials read from the environment (see {@link config}).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeConfig = (
  options: Provider.ConfigOptions & { readonly clientId?: string | undefined } = {}
): Provider.Make =>
  Effect.flatMap(load(config, descriptions, options.prefix), (settings) =>
    make({
      ...options,
      username: settings.username,
      password: settings.password,
      tokenUrl: settings.tokenUrl ?? options.tokenUrl,
      clientId: settings.clientId ?? options.clientId
    }))

/**
 * The `TokenProvider` layer with the credentials read from the environment.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: (options?: Provider.ConfigOptions & { readonly clientId?: string | undefined }) => Provider.ProviderLayer = Provider.layerFrom(makeConfig)
