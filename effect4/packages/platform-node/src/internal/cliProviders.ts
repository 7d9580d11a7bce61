/**
 * The providers of `effect-bearer token <provider>`, each read from its kernel record: where its
 * credentials come from (the environment, or a credentials file) and how its token provider is built.
 *
 * @internal
 */
import * as ProviderData from "@effect-bearer/kernel/Provider"
import { Providers } from "@effect-bearer/kernel"
import type * as TokenError from "@effect-bearer/core/TokenError"
import * as TokenProvider from "@effect-bearer/core/TokenProvider"
import * as OAuth2 from "@effect-bearer/providers/OAuth2"
import * as Provider from "@effect-bearer/providers/Provider"
import { Config, Effect, Layer, Option } from "effect"
import type { HttpClient } from "effect/http"
import * as CredentialsFile from "../CredentialsFile.js"

type Tokens<E> = Layer.Layer<TokenProvider.TokenProvider, E | TokenError.InvalidConfiguration | TokenError.WrongHost, HttpClient.HttpClient>

/** One provider as the CLI offers it. */
export interface CliProvider {
  /** The name on the command line: the record's id, e.g. `hydrosat`. */
  readonly name: string
  /** The credential environment variables; when none is set, the CLI asks for them. */
  readonly variables: ReadonlyArray<string>
  /** The variables to set, as a phrase for messages. */
  readonly environment: string
  readonly format: CredentialsFile.Format<CredentialsFile.Credentials>
  readonly fromEnvironment: Tokens<never>
  readonly fromFile: (path: string) => Tokens<CredentialsFile.CredentialsFileError>
}

/** The CLI fetches one token and exits: no background refresh to run. */
const oneShot = { backgroundRefresh: false } as const

/** A setting such as the token URL, from the environment even when the credentials come from a file; blank is unset. */
const optionalVariable = (variable: string | undefined): Effect.Effect<string | undefined> =>
  variable === undefined ? Effect.succeed(undefined) : Config.option(Config.String(variable)).pipe(
    Effect.map((found) => Option.getOrUndefined(Option.filter(found, (value) => value.trim() !== ""))),
    Effect.orElseSucceed(() => undefined)
  )

/**
 * Where tokens come from when the credentials are in a file: the record's token URL variable, or
 * else its issuer variable (OAuth2); the token URL wins when both are set. The region variable
 * (UP42_REGION) comes along where the record has one.
 */
const endpointSettings = (provider: ProviderData.Provider) =>
  Effect.map(
    Effect.all(["tokenUrl", "issuer", "region"].map((option) => optionalVariable(ProviderData.variableFor(provider, option)?.name))),
    ([tokenUrl, issuer, region]) => ({
      ...(issuer !== undefined && tokenUrl === undefined ? { issuer } : { tokenUrl }),
      ...(region === undefined ? {} : { region })
    })
  )

/** How a provider's token providers are built: from options in code, and from the environment. */
interface Layers {
  readonly layer: (options: Provider.Options) => Tokens<never>
  readonly layerConfig: (options: Provider.ConfigOptions) => Tokens<never>
}

const cliProvider = (provider: ProviderData.Provider, layers: Layers): CliProvider => {
  const format = CredentialsFile.formatOf(provider)
  return {
    name: provider.id,
    variables: ProviderData.credentialVariables(provider),
    environment: provider.environment.summary,
    format,
    // A credentials-file variable (HYDROSAT_CREDENTIALS_FILE) is read with CredentialsFile's checks.
    fromEnvironment: layers.layerConfig(oneShot).pipe(Layer.provide(CredentialsFile.layerReader)),
    fromFile: (path) =>
      Layer.unwrap(Effect.map(
        Effect.all([CredentialsFile.load(path, format), endpointSettings(provider)]),
        ([credentials, endpoint]): Tokens<never> => {
          if (credentials._tag === "StaticToken") {
            return Layer.effect(TokenProvider.TokenProvider, Provider.makeStatic(provider)(credentials.accessToken))
          }
          // The file's fields are named after the options they fill, so they are the options.
          const { _tag, ...options } = credentials
          return layers.layer({ ...oneShot, ...options, ...endpoint } as Provider.Options)
        }
      ))
  }
}

/** OAuth2's own constructors: discovery, any client authentication. Its file holds client credentials. */
const oauth2: Layers = {
  layer: (options) => {
    const { clientId, clientSecret } = options as Partial<CredentialsFile.ClientCredentials>
    return OAuth2.layer({ ...options, clientId: clientId ?? "", clientSecret })
  },
  layerConfig: (options) => OAuth2.layerConfig(options)
}

/** The providers of `effect-bearer token <provider>`, in the records' order. */
export const all: ReadonlyArray<CliProvider> = Providers.all.map((provider) =>
  cliProvider(
    provider,
    provider.id === Providers.oauth2.id
      ? oauth2
      : { layer: Provider.layer(provider), layerConfig: (options) => Provider.layerConfig(provider)(options) }
  )
)
