/**
 * Hydrosat: client credentials with the client ID and secret in the form body
 * (`client_secret_post`); tokens live an hour (`expires_in: 3600`) and are for the STAC
 * API.
 *
 * @example
 * import { NodeHttpClient } from "@effect/platform-node"
 * import { Layer } from "effect"
 * import { Hydrosat } from "@effect-bearer/providers"
 *
 * // HYDROSAT_CLIENT_ID=… HYDROSAT_CLIENT_SECRET=… node main.js
 * const Tokens = Hydrosat.layerConfig().pipe(Layer.provide(NodeHttpClient.layerUndici))
 *
 * @see https://satdocs.hydrosat.com/stac-api-reference-and-specification/authentication
 * @since 0.1.0
 */
import { Config, Duration, Effect } from "effect"
import type { Redacted } from "effect"
import { ClientAuthentication, Grant, TokenEndpoint, TokenProvider } from "@effect-bearer/core"
import { load, nonBlankRedacted, nonBlankString, optionalString, providerOptions } from "./internal/settings.js"
import * as Provider from "./Provider.js"

/**
 * @since 0.1.0
 * @category data
 */
export const name = "hydrosat"

/**
 * The documented token endpoint.
 *
 * @since 0.1.0
 * @category data
 */
export const tokenUrl = "https://auth.hydrosat.com/oauth2/token"

/**
 * The API origins a Hydrosat token is for (the STAC API).
 *
 * @since 0.1.0
 * @category data
 */
export const apiOrigins: ReadonlyArray<string> = ["https://stac-beta.hydrosat.com"]

/**
 * Tokens live an hour (`expires_in: 3600`).
 *
 * @since 0.1.0
 * @category data
 */
export const defaultLifetime: Duration.Duration = Duration.hours(1)

/**
 * The provider's data as one value.
 *
 * @since 0.1.0
 * @category data
 */
export const provider: Provider.Provider = {
  name,
  title: "Hydrosat",
  tokenUrl,
  clientAuthentication: "client_secret_post",
  grantType: "client_credentials",
  defaultLifetime,
  apiOrigins,
  documentation: "https://satdocs.hydrosat.com/stac-api-reference-and-specification/authentication"
}

/**
 * What Hydrosat's documentation says about each failure, appended to the error's message.
 *
 * @since 0.1.0
 * @category data
 */
export const hints: TokenEndpoint.Hints = {
  InvalidCredentials: "Use the client_id and client_secret of the creds.json file Hydrosat gave you.",
  WrongHost: `Hydrosat tokens come from ${tokenUrl}; the STAC API (stac-beta.hydrosat.com) only accepts them.`
}

/**
 * The client credentials (the `creds.json` fields), and the common provider options.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends Provider.Options {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
}

/**
 * A token provider for Hydrosat, with its background refresh running in the scope.
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
    timeout: options.timeout,
    defaultLifetime,
    hints
  })

/**
 * The `TokenProvider` layer for Hydrosat.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: (options: Options) => Provider.ProviderLayer = Provider.layerFrom(make)

/**
 * The environment variables: `HYDROSAT_CLIENT_ID`, `HYDROSAT_CLIENT_SECRET` (read as a
 * `Redacted`), and optionally `HYDROSAT_TOKEN_URL`.
 *
 * @since 0.1.0
 * @category config
 */
export const config: Config.Config<{
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
  readonly tokenUrl: string | undefined
}> = Config.all({
  clientId: nonBlankString("HYDROSAT_CLIENT_ID"),
  clientSecret: nonBlankRedacted("HYDROSAT_CLIENT_SECRET"),
  tokenUrl: optionalString("HYDROSAT_TOKEN_URL")
})

const descriptions = {
  HYDROSAT_CLIENT_ID: "the client_id of your Hydrosat creds.json",
  HYDROSAT_CLIENT_SECRET: "the client_secret of your Hydrosat creds.json"
}

/**
 * {@link make} with the credentials read from the environment (see {@link config}).
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeConfig = (
  options: Provider.ConfigOptions = {}
): Provider.Make =>
  Effect.flatMap(load(config, descriptions, options.prefix), (settings) =>
    make({
      ...options,
      clientId: settings.clientId,
      clientSecret: settings.clientSecret,
      tokenUrl: settings.tokenUrl ?? options.tokenUrl
    }))

/**
 * The `TokenProvider` layer with the credentials read from the environment.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig: (options?: Provider.ConfigOptions) => Provider.ProviderLayer = Provider.layerFrom(makeConfig)
