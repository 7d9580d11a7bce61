/**
 * A provider is one value, its record in `@effect-bearer/kernel`'s `Providers`: where tokens
 * come from, how the client authenticates, which grant it uses, how long tokens live, which
 * environment variables configure it and what to tell the user when a request fails. The
 * generic {@link make}, {@link layer}, {@link makeConfig} and {@link layerConfig} read it;
 * each provider module (`Hydrosat`, `Up42Project`…) is these applied to its record.
 *
 * @since 4.0.0
 */
import { Provider as ProviderData } from "@effect-bearer/kernel"
import * as ProviderEnvironment from "@effect-bearer/kernel/ProviderEnvironment"
import type { Duration, Scope } from "effect"
import { Effect, Layer, Option, Redacted } from "effect"
import type { HttpClient } from "effect/http"
import type { Configurable } from "@effect-bearer/core"
import { TokenError, TokenProvider } from "@effect-bearer/core"
import { credentialsFromFile } from "./internal/credentialsFile.js"
import { invalid, readEnvironment, readOptions } from "./internal/environment.js"
import * as internal from "./internal/provider.js"

/**
 * How the client authenticates at the token endpoint, named as in the IANA "OAuth Token
 * Endpoint Authentication Methods" registry.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @since 4.0.0
 * @category models
 */
export type ClientAuthenticationMethod = ProviderData.ClientAuthenticationMethod

/**
 * Everything the library knows about one provider: the kernel's record.
 *
 * @since 4.0.0
 * @category models
 */
export type Provider = ProviderData.Provider

/**
 * Options every provider accepts besides its credentials: the token endpoint (regions,
 * staging, the local provider server), how long a request may take, and core's cache and
 * refresh options.
 *
 * @since 4.0.0
 * @category models
 */
export interface Options extends TokenProvider.Options {
  /** The token endpoint; default: the provider's documented one. */
  readonly tokenUrl?: string | undefined
  /** How long one token request may take. Default: 10 seconds. */
  readonly timeout?: Duration.Input | undefined
  /** The name of the token provider in logs, spans and metrics. */
  readonly name?: string | undefined
}

/**
 * Options of `makeConfig` and `layerConfig`: the same options, each plain or a `Config`, and
 * a `prefix` to read several configurations side by side (`FIELDS_UP42_PROJECT_ID`).
 *
 * @since 4.0.0
 * @category models
 */
export interface ConfigOptions extends Options {
  readonly prefix?: string | undefined
}

/**
 * What building a provider can fail with, before any request.
 *
 * @since 4.0.0
 * @category models
 */
export type BuildError = TokenError.InvalidConfiguration | TokenError.WrongHost

/**
 * What every provider's `make` returns: its token provider, refreshing in the scope.
 *
 * @since 4.0.0
 * @category models
 */
export type Make = Effect.Effect<TokenProvider.Service, BuildError, HttpClient.HttpClient | Scope.Scope>

/**
 * What every provider's `layer` returns.
 *
 * @since 4.0.0
 * @category models
 */
export type ProviderLayer = Layer.Layer<TokenProvider.TokenProvider, BuildError, HttpClient.HttpClient>

/**
 * The `TokenProvider` layer of a provider's `make` (or `makeConfig`).
 *
 * @since 4.0.0
 * @category layers
 */
export const layerFrom = <Arguments extends ReadonlyArray<unknown>>(make: (...args: Arguments) => Make) =>
(...args: Arguments): ProviderLayer => Layer.effect(TokenProvider.TokenProvider, make(...args))

/**
 * The record's credential variables: any of them set means the credentials are in the environment.
 *
 * @since 4.0.0
 * @category data
 */
export const credentialVariables: (provider: Provider) => ReadonlyArray<string> = ProviderData.credentialVariables

/**
 * The record's variable that fills an option, e.g. `tokenUrl` → `HYDROSAT_TOKEN_URL`.
 *
 * @since 4.0.0
 * @category data
 */
export const variableFor: (provider: Provider, option: string) => ProviderData.Variable | undefined =
  ProviderData.variableFor

/**
 * A token provider for the provider the record describes, refreshing in the scope. The
 * credentials are read from the options under the record's names for them (UP42 projects:
 * `projectId`, `projectApiKey`); an empty one fails with `InvalidConfiguration` naming it.
 *
 * @since 4.0.0
 * @category constructors
 */
export const make: (provider: Provider) => (options: Options) => Make = internal.make

/**
 * The `TokenProvider` layer of {@link make}.
 *
 * @since 4.0.0
 * @category layers
 */
export const layer = (provider: Provider): (options: Options) => ProviderLayer => layerFrom(make(provider))

/**
 * {@link make} with the settings read from the record's environment variables (secrets
 * straight into `Redacted`; a missing or unusable one fails naming it, never its value).
 * Precedence: an option given as a `Config` (`clientSecret: Config.Redacted("MY_SECRET")`,
 * its record variable then not read) > the record's variable > an option given as a plain
 * value. A token URL variable with credentials in it fails first. A set credentials-file
 * variable (`HYDROSAT_CREDENTIALS_FILE`) reads the credentials with the
 * `CredentialsFileReader` in context; a set static token (Bitquery's console token) alone
 * is used as it is, until `BITQUERY_ACCESS_TOKEN_EXPIRES_AT`.
 *
 * @example
 * import { Config } from "effect"
 * import { Providers } from "@effect-bearer/kernel"
 * import { Provider } from "@effect-bearer/providers"
 *
 * const tokens = Provider.makeConfig(Providers.hydrosat)({
 *   clientId: Config.String("MY_ID"),
 *   clientSecret: Config.Redacted("MY_SECRET")
 * })
 *
 * @since 4.0.0
 * @category constructors
 */
export const makeConfig = (provider: Provider) =>
<A extends ConfigOptions = ConfigOptions>(
  options: Configurable.Configurable<A> = {} as Configurable.Configurable<A>
): Make =>
  Effect.gen(function*() {
    const given = yield* readOptions(options)
    const record = ProviderEnvironment.givenRecord(provider, given)
    const { name, prefix } = given.values as ConfigOptions
    const explicit = Object.fromEntries([...given.configured].map((option) => [option, given.values[option]]))
    if (!given.configured.has("tokenUrl")) yield* internal.refuseCredentialsInUrlVariable(provider, prefix)
    const credentialConfigured = provider.environment.variables.some((variable) =>
      variable.kind === "credential" && given.configured.has(variable.fills)
    )
    const fromFile = credentialConfigured ? Option.none() : yield* credentialsFromFile(provider, prefix)
    // The file holds the credentials; the settings (token URL, region…) still come from the environment.
    const { _tag: fileTag, ...fileCredentials } = Option.getOrElse(fromFile, () => ({ _tag: undefined })) as {
      readonly _tag: string | undefined
    } & Readonly<Record<string, unknown>>
    const environment = yield* readEnvironment(Option.isSome(fromFile) ? ProviderEnvironment.settingsOnly(record) : record, prefix)
    const settings: Readonly<Record<string, unknown>> = { ...given.values, ...environment, ...explicit, ...fileCredentials }
    const staticOption = ProviderEnvironment.staticTokenOption(provider)
    const accessToken = staticOption === undefined ? undefined : settings[staticOption]
    const isStatic = Option.isSome(fromFile) ? fileTag === "StaticToken" : staticOption !== undefined
    if (!isStatic || !Redacted.isRedacted(accessToken)) return yield* make(provider)(settings as Options)
    const expiry = ProviderEnvironment.staticExpiry(provider, settings)
    if ("problem" in expiry) return yield* invalid(expiry.problem, prefix)
    return yield* internal.makeStatic(provider)(accessToken as Redacted.Redacted<string>, { name, expiresAt: expiry.expiresAt })
  })

/**
 * The `TokenProvider` layer of {@link makeConfig}.
 *
 * @since 4.0.0
 * @category layers
 */
export const layerConfig = (provider: Provider) =>
<A extends ConfigOptions = ConfigOptions>(
  options: Configurable.Configurable<A> = {} as Configurable.Configurable<A>
): ProviderLayer => Layer.effect(TokenProvider.TokenProvider, makeConfig(provider)(options))

/**
 * Options of {@link makeStatic}: the name in logs, spans and metrics, and when the token stops working.
 *
 * @since 4.0.0
 * @category models
 */
export interface StaticOptions {
  readonly name?: string | undefined
  /** When the token stops working; after it, `get` fails with `Expired` and the record's hint. */
  readonly expiresAt?: Date | undefined
}

/**
 * A token provider that hands out a token the user pasted (where the record offers a
 * static token), as it is: no refresh, no token endpoint.
 *
 * @since 4.0.0
 * @category constructors
 */
export const makeStatic: (
  provider: Provider
) => (
  accessToken: Redacted.Redacted<string>,
  options?: StaticOptions
) => Effect.Effect<TokenProvider.Service, TokenError.InvalidConfiguration, Scope.Scope> = internal.makeStatic
