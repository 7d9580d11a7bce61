import type * as FileSystem from "@effect/platform/FileSystem"
import type * as HttpClient from "@effect/platform/HttpClient"
import { Provider as ProviderData, Providers } from "@effect-bearer/kernel"
import { Config, Effect, Layer, Option } from "effect"
import type { TokenError } from "@effect-bearer/core"
import { TokenProvider } from "@effect-bearer/core"
import { OAuth2, Provider } from "@effect-bearer/providers"
import * as CredentialsFile from "../CredentialsFile.js"

type Tokens<E, R> = Layer.Layer<TokenProvider.TokenProvider, E | TokenError.InvalidConfiguration | TokenError.WrongHost, R>

/**
 * One provider as the CLI offers it: where its credentials come from, all read from
 * the provider's record.
 * @internal
 */
export interface CliProvider {
  /** The name on the command line: the record's id, e.g. `hydrosat`. */
  readonly name: string
  /** The credential environment variables; when none is set, the CLI asks for them. */
  readonly variables: ReadonlyArray<string>
  /** The variables to set, as a phrase for messages. */
  readonly environment: string
  readonly format: CredentialsFile.Format<unknown>
  readonly fromEnvironment: Tokens<never, HttpClient.HttpClient>
  readonly fromFile: (
    path: string
  ) => Tokens<CredentialsFile.CredentialsFileError, HttpClient.HttpClient | FileSystem.FileSystem>
}

/** The CLI fetches one token and exits: no background refresh to run. */
const oneShot = { backgroundRefresh: false } as const

/** Settings such as the token URL still come from the environment when the credentials come from a file. */
const optionalVariable = (variable: string | undefined): Effect.Effect<string | undefined> =>
  variable === undefined ? Effect.succeed(undefined) : Config.string(variable).pipe(
    Config.option,
    Config.map(Option.filter((url) => url.trim() !== "")),
    Config.map(Option.getOrUndefined),
    Effect.orElseSucceed(() => undefined)
  )

/**
 * Where tokens come from when the credentials are in a file: the record's token URL
 * variable, or else its issuer variable (OAuth2); the token URL wins when both are set.
 * The region variable (UP42_REGION) comes along where the record has one.
 */
const endpointSettings = (provider: ProviderData.Provider) =>
  Effect.map(
    Effect.all([
      optionalVariable(ProviderData.variableFor(provider, "tokenUrl")?.name),
      optionalVariable(ProviderData.variableFor(provider, "issuer")?.name),
      optionalVariable(ProviderData.variableFor(provider, "region")?.name)
    ]),
    ([tokenUrl, issuer, region]) => ({
      ...(issuer !== undefined && tokenUrl === undefined ? { issuer } : { tokenUrl }),
      ...(region === undefined ? {} : { region })
    })
  )

/** How a provider's token providers are built: from options in code, and from the environment. */
interface Layers {
  readonly layer: (options: Provider.Options) => Tokens<never, HttpClient.HttpClient>
  readonly layerConfig: (options: Provider.ConfigOptions) => Tokens<never, HttpClient.HttpClient>
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
      Layer.unwrapEffect(
        Effect.map(
          Effect.zip(CredentialsFile.load(path, format), endpointSettings(provider)),
          ([credentials, endpoint]) => {
            if (credentials._tag === "StaticToken") {
              return Layer.scoped(TokenProvider.TokenProvider, Provider.makeStatic(provider)(credentials.accessToken))
            }
            // The file's fields are named after the options they fill, so they are the options.
            const { _tag, ...options } = credentials
            return layers.layer({ ...oneShot, ...options, ...endpoint })
          }
        )
      )
  }
}

/** OAuth2's own constructors: discovery, any client authentication. Its file holds client credentials. */
const oauth2: Layers = {
  layer: (options) => {
    const { clientId, clientSecret } = options as Partial<CredentialsFile.ClientCredentials>
    return OAuth2.layer({ ...options, clientId: clientId ?? "", clientSecret })
  },
  layerConfig: OAuth2.layerConfig
}

/**
 * The providers of `effect-bearer token <provider>`, in the records' order.
 * @internal
 */
export const all: ReadonlyArray<CliProvider> = Providers.all.map((provider) =>
  cliProvider(
    provider,
    provider.id === Providers.oauth2.id
      ? oauth2
      : { layer: Provider.layer(provider), layerConfig: Provider.layerConfig(provider) }
  )
)
