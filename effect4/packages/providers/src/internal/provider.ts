/**
 * The one `make` every provider module is an alias of: it reads the provider's record
 * (token URL, client authentication, grant, scope, lifetime, response shape, hints) and
 * builds core's token provider from it and the user's options.
 *
 * @internal
 */
import { Provider as ProviderData } from "@effect-bearer/kernel"
import * as ProviderEnvironment from "@effect-bearer/kernel/ProviderEnvironment"
import { Duration, Effect, Redacted } from "effect"
import type { Scope } from "effect"
import { ClientAuthentication, Grant, TokenError, TokenProvider, TokenSource } from "@effect-bearer/core"
import type { Make, Options, StaticOptions } from "../Provider.js"
import { optionalVariable, prefixed, requireNonBlank } from "./environment.js"

/** A credential of the options, by the option name the record gives it. */
type Credential = string | Redacted.Redacted<string>

const valueOf = (options: object, option: string): unknown => (options as Readonly<Record<string, unknown>>)[option]

/** The keys of core's `TokenProvider.Options` a provider passes on. */
const coreOptionKeys = ["expiryMargin", "retry", "acquisitionTimeout", "backgroundRefresh", "revokeOnClose"] as const

/**
 * Core's cache and refresh options from a provider's options, without keys whose value is
 * `undefined` (so they cannot override a default by being spread).
 * @internal
 */
export const coreOptions = (options: TokenProvider.Options): TokenProvider.Options =>
  Object.fromEntries(coreOptionKeys.flatMap((key) => options[key] === undefined ? [] : [[key, options[key]]]))

/**
 * The credential the record names for a role, checked non-blank under its option name
 * (UP42's `projectId`, not `clientId`): such credentials can never work.
 */
const credential = (options: Options, option: string): Effect.Effect<Credential, TokenError.InvalidConfiguration> => {
  const value = valueOf(options, option)
  return typeof value === "string" || Redacted.isRedacted(value)
    ? Effect.as(requireNonBlank(option, value as Credential), value as Credential)
    : Effect.fail(new TokenError.InvalidConfiguration({ setting: option, problem: "is not set" }))
}

const plain = (value: Credential): string => Redacted.isRedacted(value) ? Redacted.value(value) : value
const secret = (value: Credential): Redacted.Redacted<string> => Redacted.isRedacted(value) ? value : Redacted.make(value)

/** The client as the record says it authenticates; its id from the options, or the one the provider fixes. */
const clientOf = Effect.fnUntraced(function*(provider: ProviderData.Provider, options: Options) {
  const names = provider.credentials
  const optionalId = valueOf(options, "clientId")
  const clientId = names.clientId !== undefined
    ? plain(yield* credential(options, names.clientId))
    : typeof optionalId === "string"
    ? optionalId
    : provider.clientId ?? ""
  if (provider.clientAuthentication === "none") {
    return { clientId, authentication: ClientAuthentication.publicClient(clientId) }
  }
  const clientSecret = secret(yield* credential(options, names.clientSecret ?? "clientSecret"))
  return {
    clientId,
    authentication: provider.clientAuthentication === "client_secret_basic"
      ? ClientAuthentication.clientSecretBasic({ clientId, clientSecret, encoding: provider.basicEncoding })
      : ClientAuthentication.clientSecretPost({ clientId, clientSecret })
  }
})

const grantOf = (provider: ProviderData.Provider, options: Options) =>
  provider.grantType === "password"
    ? Effect.map(
      Effect.all([
        credential(options, provider.credentials.username ?? "username"),
        credential(options, provider.credentials.password ?? "password")
      ]),
      ([username, password]) => Grant.password({ username: plain(username), password: secret(password) })
    )
    : Effect.succeed(Grant.clientCredentials)

/**
 * The region the options name, or the default one; an id the record does not know fails
 * naming the ones it does.
 */
const regionOf = (
  provider: ProviderData.Provider,
  options: Options
): Effect.Effect<ProviderData.Region | undefined, TokenError.InvalidConfiguration> => {
  const id = valueOf(options, "region")
  if (id === undefined) return Effect.succeed(ProviderData.defaultRegion(provider))
  const region = typeof id === "string" ? ProviderData.regionOf(provider, id) : undefined
  return region !== undefined ? Effect.succeed(region) : Effect.fail(
    new TokenError.InvalidConfiguration({
      setting: "region",
      problem: `is not one of ${provider.regions.map((known) => known.id).join(", ")}`
    })
  )
}

/**
 * The curl habit: a token URL with credentials in it fails saying which variables take
 * them instead, never repeating the URL. `setting` names where the URL came from.
 * @internal
 */
export const refuseCredentialsInUrl = (
  provider: ProviderData.Provider,
  url: string | undefined,
  setting: string
): Effect.Effect<void, TokenError.InvalidConfiguration> => {
  const problem = ProviderEnvironment.credentialsInUrlProblem(provider, url)
  return problem === undefined ? Effect.void : Effect.fail(new TokenError.InvalidConfiguration({ setting, problem }))
}

/**
 * {@link refuseCredentialsInUrl} on the record's token URL variable (under the prefix),
 * before anything else is read: whoever pasted the curl URL has not set the credentials.
 * @internal
 */
export const refuseCredentialsInUrlVariable = (
  provider: ProviderData.Provider,
  prefix: string | undefined
): Effect.Effect<void, TokenError.InvalidConfiguration> => {
  const name = ProviderEnvironment.tokenUrlVariable(provider)
  return name === undefined
    ? Effect.void
    : Effect.flatMap(optionalVariable(name, prefix), (url) => refuseCredentialsInUrl(provider, url, prefixed(name, prefix)))
}

/**
 * The record's default lifetime as a `Duration`.
 * @internal
 */
export const defaultLifetime = (provider: ProviderData.Provider): Duration.Duration =>
  Duration.seconds(provider.defaultLifetimeSeconds)

/**
 * A token provider for the provider the record describes: a token URL with credentials in
 * it is refused first, then the credentials are checked (in the order the grant reads
 * them), then core checks the rest.
 * @internal
 */
export const make = (provider: ProviderData.Provider) => (options: Options): Make =>
  Effect.gen(function*() {
    yield* refuseCredentialsInUrl(provider, options.tokenUrl, "tokenUrl")
    const region = yield* regionOf(provider, options)
    const grant = yield* grantOf(provider, options)
    const client = yield* clientOf(provider, options)
    const url = options.tokenUrl ?? region?.tokenUrl
    if (url === undefined) {
      return yield* new TokenError.InvalidConfiguration({ setting: "tokenUrl", problem: "is not set" })
    }
    const scope = valueOf(options, "scope")
    return yield* TokenProvider.fromEndpoint({
      ...coreOptions(options),
      name: options.name ?? (provider.namedByClient === true ? `${provider.id}:${client.clientId}` : provider.id),
      url,
      clientAuthentication: client.authentication,
      grant,
      scope: typeof scope === "string" ? scope : provider.scope,
      timeout: options.timeout,
      defaultLifetime: defaultLifetime(provider),
      toStandardResponse: ProviderData.toStandardResponse(provider),
      hints: ProviderData.hintsOf(provider, region)
    })
  })

/**
 * A token provider that hands out a token the user pasted, as it is, until its expiry;
 * the record's hints (its static token's first) say where to get a new one.
 * @internal
 */
export const makeStatic = (provider: ProviderData.Provider) =>
(
  accessToken: Redacted.Redacted<string>,
  options: StaticOptions = {}
): Effect.Effect<TokenProvider.Service, TokenError.InvalidConfiguration, Scope.Scope> =>
  Effect.andThen(
    requireNonBlank("accessToken", accessToken),
    TokenProvider.make(
      TokenSource.fromToken(accessToken, {
        name: options.name ?? provider.id,
        expiresAt: options.expiresAt,
        hints: { ...ProviderData.hintsOf(provider), ...provider.staticToken?.hints }
      }),
      // Handed out until it expires, not renewed early: there is nothing to renew it with.
      { backgroundRefresh: false, expiryMargin: () => Duration.zero }
    )
  )
