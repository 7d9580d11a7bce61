/**
 * The one `make` every provider module is an alias of: it reads the provider's record
 * (token URL, client authentication, grant, scope, lifetime, response shape, hints) and
 * builds core's token provider from it and the user's options.
 *
 * @internal
 */
import { Provider as ProviderData } from "@effect-bearer/kernel"
import * as ProviderEnvironment from "@effect-bearer/kernel/ProviderEnvironment"
import * as ProviderOptions from "@effect-bearer/kernel/ProviderOptions"
import { Duration, Effect, Redacted } from "effect"
import type { Scope } from "effect"
import { ClientAuthentication, Grant, TokenError, TokenProvider, TokenSource } from "@effect-bearer/core"
import type { Make, Options, StaticOptions } from "../Provider.js"
import { optionalVariable, prefixed, requireNonBlank } from "./environment.js"

/** The keys of core's `TokenProvider.Options` a provider passes on. */
const coreOptionKeys = ["expiryMargin", "retry", "acquisitionTimeout", "backgroundRefresh", "revokeOnClose"] as const

/**
 * Core's cache and refresh options from a provider's options, without keys whose value is
 * `undefined` (so they cannot override a default by being spread).
 * @internal
 */
export const coreOptions = (options: TokenProvider.Options): TokenProvider.Options =>
  Object.fromEntries(coreOptionKeys.flatMap((key) => options[key] === undefined ? [] : [[key, options[key]]]))

/** Effect's `Redacted` as the kernel's secret type. */
const redacted: ProviderOptions.Secrets<Redacted.Redacted<string>> = {
  is: Redacted.isRedacted as (value: unknown) => value is Redacted.Redacted<string>,
  reveal: Redacted.value,
  conceal: Redacted.make
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
 * A token provider for the provider the record describes: the kernel reads the options by
 * the record (a token URL with credentials refused first, then the region, the credentials
 * in the order the grant reads them, the token URL), then core checks the rest.
 * @internal
 */
export const make = (provider: ProviderData.Provider) => (options: Options): Make =>
  Effect.gen(function*() {
    const read = ProviderOptions.resolve(provider, options as Readonly<Record<string, unknown>>, redacted)
    if ("problem" in read) {
      return yield* new TokenError.InvalidConfiguration({ setting: read.problem.variable, problem: read.problem.problem })
    }
    const { clientId, clientSecret, grant, ...resolved } = read.resolved
    return yield* TokenProvider.fromEndpoint({
      ...coreOptions(options),
      name: resolved.name,
      url: resolved.tokenUrl,
      clientAuthentication: clientSecret === undefined
        ? ClientAuthentication.publicClient(clientId)
        : resolved.clientAuthentication === "client_secret_basic"
        ? ClientAuthentication.clientSecretBasic({ clientId, clientSecret, encoding: provider.basicEncoding })
        : ClientAuthentication.clientSecretPost({ clientId, clientSecret }),
      grant: grant.grantType === "password"
        ? Grant.password({ username: grant.username, password: grant.password })
        : Grant.clientCredentials,
      scope: resolved.scope,
      timeout: options.timeout,
      defaultLifetime: defaultLifetime(provider),
      toStandardResponse: ProviderData.toStandardResponse(provider),
      hints: resolved.hints
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
