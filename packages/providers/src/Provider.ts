/**
 * A provider is one value: its record (from `@effect-bearer/kernel`'s `Providers`) says
 * where tokens come from, how the client authenticates, which grant it uses, how long
 * tokens live, which environment variables configure it and what to tell the user when a
 * request fails. The one generic {@link make}, {@link layer}, {@link makeConfig} and
 * {@link layerConfig} here read it; each provider module (`Hydrosat`, `Up42Project`…) is
 * these applied to its record, with typed options.
 *
 * (After golang.org/x/oauth2's `endpoints`: a provider is data plus thin layers.)
 *
 * @since 0.1.0
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import { Provider as ProviderData } from "@effect-bearer/kernel"
import * as ProviderEnvironment from "@effect-bearer/kernel/ProviderEnvironment"
import type { Duration, Scope } from "effect"
import { Effect, Layer, Option, Redacted } from "effect"
import type { Configurable } from "@effect-bearer/core"
import { TokenError, TokenProvider } from "@effect-bearer/core"
import type * as CredentialsFileReader from "./CredentialsFileReader.js"
import { credentialsFromFile } from "./internal/credentialsFile.js"
import { invalid, readEnvironment, readOptions } from "./internal/environment.js"
import * as internal from "./internal/provider.js"

/**
 * How the client authenticates at the token endpoint, named as in the IANA "OAuth Token
 * Endpoint Authentication Methods" registry.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @since 0.1.0
 * @category models
 */
export type ClientAuthenticationMethod = ProviderData.ClientAuthenticationMethod

/**
 * Everything the library knows about one provider: the kernel's record.
 *
 * @since 0.1.0
 * @category models
 */
export type Provider = ProviderData.Provider

/**
 * Options every provider accepts besides its credentials: where the token endpoint is
 * (regions, staging, the local provider server), how long a request may take, and
 * core's cache and refresh options (`retry`, `backgroundRefresh`, `expiryMargin`…).
 *
 * @since 0.1.0
 * @category models
 */
export interface Options extends TokenProvider.Options {
  /** The token endpoint; default: the provider's documented one. */
  readonly tokenUrl?: string | undefined
  /** How long one token request may take. Default: 10 seconds. */
  readonly timeout?: Duration.DurationInput | undefined
  /** The name of the token provider in logs, spans and metrics. */
  readonly name?: string | undefined
}

/**
 * Options of a provider's `layerConfig` and `makeConfig`: the same options as in code,
 * and a `prefix` to read several configurations side by side, e.g. `prefix: "FIELDS"`
 * reads `FIELDS_UP42_PROJECT_ID`. Each may be a `Config` (see {@link makeConfig} for which wins).
 *
 * @since 0.1.0
 * @category models
 */
export interface ConfigOptions extends Options {
  readonly prefix?: string | undefined
}

/**
 * What building a provider can fail with, before any request: settings that cannot work.
 *
 * @since 0.1.0
 * @category models
 */
export type BuildError = TokenError.InvalidConfiguration | TokenError.WrongHost

/**
 * What every provider's `make` returns: its token provider, refreshing in the scope.
 *
 * @since 0.1.0
 * @category models
 */
export type Make = Effect.Effect<TokenProvider.Service, BuildError, HttpClient.HttpClient | Scope.Scope>

/**
 * What every provider's `layer` returns.
 *
 * @since 0.1.0
 * @category models
 */
export type ProviderLayer = Layer.Layer<TokenProvider.TokenProvider, BuildError, HttpClient.HttpClient>

/**
 * The `TokenProvider` layer of a provider's `make` (or `makeConfig`).
 *
 * @example
 * import { Hydrosat, Provider } from "@effect-bearer/providers"
 *
 * const layer = Provider.layerFrom(Hydrosat.make)
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFrom = <Arguments extends ReadonlyArray<unknown>>(
  make: (...args: Arguments) => Make
) =>
(...args: Arguments): ProviderLayer => Layer.scoped(TokenProvider.TokenProvider, make(...args))

/**
 * The record's credential variables: any of them set means the credentials are in the
 * environment (the CLI and the examples ask for them otherwise).
 *
 * @since 0.1.0
 * @category data
 */
export const credentialVariables: (provider: Provider) => ReadonlyArray<string> = ProviderData.credentialVariables

/**
 * The record's variable that fills an option, e.g. `tokenUrl` → `HYDROSAT_TOKEN_URL`.
 *
 * @since 0.1.0
 * @category data
 */
export const variableFor: (provider: Provider, option: string) => ProviderData.Variable | undefined =
  ProviderData.variableFor

/**
 * A token provider for the provider the record describes, with its background refresh
 * running in the scope. The credentials are read from the options under the names the
 * record gives them (UP42 projects: `projectId`, `projectApiKey`); an empty one fails
 * with `InvalidConfiguration` naming it, before any request.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make: (provider: Provider) => (options: Options) => Make = internal.make

/**
 * The `TokenProvider` layer of {@link make}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (provider: Provider): (options: Options) => ProviderLayer => layerFrom(make(provider))

/**
 * {@link make} with the settings read from the environment variables the record lists
 * (secrets straight into `Redacted`); a missing or empty variable fails with
 * `InvalidConfiguration` naming it and saying what it should hold, never what it holds.
 * Any option may instead be an Effect `Config` naming the program's own variable
 * (`clientSecret: Config.redacted("MY_SECRET")`): the record's variable for that field is
 * then not read, and a missing one fails naming the `Config`'s variable (a `prefix` applies
 * to the record's variables only).
 * Precedence: an option given as a `Config` > the record's variable > an option given as a plain value.
 * A token URL variable with credentials in it (`https://$PROJ:$PKEY@api.up42.com/…`, the
 * curl habit) fails first, naming the variables that take them instead. Where the record
 * names a credentials-file variable (`HYDROSAT_CREDENTIALS_FILE`) and it is set (and no
 * credential is given as a `Config`), the credentials come from that file, read by the
 * `CredentialsFileReader` in context (platform-node's `CredentialsFile.layerReader`), and
 * the other settings from the environment. Where the record offers a static token
 * (Bitquery's console token) and only that is set, the token is used as it is.
 *
 * @example
 * import { Config } from "effect"
 * import { Providers } from "@effect-bearer/kernel"
 * import { Provider } from "@effect-bearer/providers"
 *
 * const tokens = Provider.makeConfig(Providers.hydrosat)({
 *   clientId: Config.string("MY_ID"),
 *   clientSecret: Config.redacted("MY_SECRET")
 * })
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeConfig = (provider: Provider) =>
<A extends ConfigOptions = ConfigOptions>(
  options: Configurable.Configurable<A> = {} as Configurable.Configurable<A>
): Make =>
  Effect.gen(function*() {
    const given = yield* readOptions(options)
    const record = ProviderEnvironment.givenRecord(provider, given)
    const { prefix, name } = given.values as ConfigOptions
    const explicit = Object.fromEntries([...given.configured].map((option) => [option, given.values[option]]))
    if (!given.configured.has("tokenUrl")) yield* internal.refuseCredentialsInUrlVariable(provider, prefix)
    const credentialConfigured = provider.environment.variables.some((variable) =>
      variable.kind === "credential" && given.configured.has(variable.fills)
    )
    const fromFile = credentialConfigured ? Option.none() : yield* credentialsFromFile(provider, prefix)
    if (Option.isSome(fromFile)) {
      // The file holds the credentials; the settings (token URL, region…) still come from the environment.
      const { _tag, ...credentials } = fromFile.value as CredentialsFileReader.Credentials & Readonly<Record<string, unknown>>
      const settings = { ...(yield* readEnvironment(ProviderEnvironment.settingsOnly(record), prefix)), ...explicit }
      const accessToken = credentials["accessToken"]
      return yield* _tag === "StaticToken" && Redacted.isRedacted(accessToken)
        ? internal.makeStatic(provider)(accessToken as Redacted.Redacted<string>, {
          name,
          expiresAt: yield* staticExpiry(provider, settings, prefix)
        })
        : make(provider)({ ...given.values, ...settings, ...credentials } as Options)
    }
    const settings = { ...(yield* readEnvironment(record, prefix)), ...explicit }
    const option = ProviderEnvironment.staticTokenOption(provider)
    const accessToken = option === undefined ? undefined : settings[option] ?? given.values[option]
    if (accessToken === undefined || !Redacted.isRedacted(accessToken)) {
      return yield* make(provider)({ ...given.values, ...settings } as Options)
    }
    const expiresAt = yield* staticExpiry(provider, { ...given.values, ...settings }, prefix)
    return yield* internal.makeStatic(provider)(accessToken as Redacted.Redacted<string>, { name, expiresAt })
  })

/** The static token's expiry variable (`BITQUERY_ACCESS_TOKEN_EXPIRES_AT`), read as an instant by the kernel. */
const staticExpiry = (
  provider: Provider,
  settings: Readonly<Record<string, unknown>>,
  prefix: string | undefined
): Effect.Effect<Date | undefined, TokenError.InvalidConfiguration> => {
  const expiry = ProviderEnvironment.staticExpiry(provider, settings)
  return "problem" in expiry ? Effect.fail(invalid(expiry.problem, prefix)) : Effect.succeed(expiry.expiresAt)
}

/**
 * The `TokenProvider` layer of {@link makeConfig}.
 *
 * @example
 * import { Providers } from "@effect-bearer/kernel"
 * import { Provider } from "@effect-bearer/providers"
 *
 * // What Hydrosat.layerConfig() is
 * const Tokens = Provider.layerConfig(Providers.hydrosat)()
 *
 * @since 0.1.0
 * @category layers
 */
export const layerConfig = (provider: Provider) =>
<A extends ConfigOptions = ConfigOptions>(
  options: Configurable.Configurable<A> = {} as Configurable.Configurable<A>
): ProviderLayer => Layer.scoped(TokenProvider.TokenProvider, makeConfig(provider)(options))

/**
 * Options of {@link makeStatic}: the name in logs, spans and metrics, and when the token
 * stops working (Bitquery: the expiration set in the console).
 *
 * @since 0.1.0
 * @category models
 */
export interface StaticOptions {
  readonly name?: string | undefined
  /** When the token stops working; after it, `get` fails with `Expired` and the record's hint. */
  readonly expiresAt?: Date | undefined
}

/**
 * A token provider that hands out a token the user pasted (where the record offers a
 * static token), as it is: no refresh, no token endpoint. When it expired, or an API
 * refused it, `Expired` carries the record's hint on where to get a new one.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeStatic: (
  provider: Provider
) => (
  accessToken: Redacted.Redacted<string>,
  options?: StaticOptions
) => Effect.Effect<TokenProvider.Service, TokenError.InvalidConfiguration, Scope.Scope> = internal.makeStatic
