/**
 * The one `make` every provider module is an alias of: the kernel's `ProviderOptions` reads
 * the user's options by the provider's record (token URL, region, credentials, grant, client
 * authentication, name), and this builds core's token provider from what it resolves.
 *
 * @internal
 */
import { Provider as ProviderData } from "@effect-bearer/kernel"
import * as ProviderEnvironment from "@effect-bearer/kernel/ProviderEnvironment"
import * as ProviderOptions from "@effect-bearer/kernel/ProviderOptions"
import { Duration, Effect, Redacted } from "effect"
import type { Scope } from "effect"
import { ClientAuthentication, Grant, TokenError, TokenProvider, TokenSource } from "@effect-bearer/core"
import type { Make, Options } from "../Provider.js"
import { optionalVariable, prefixed } from "./environment.js"
import { providerOptions, requireNonBlank } from "./settings.js"

/** Effect's `Redacted` as the kernel's secret type. */
const redacted: ProviderOptions.Secrets<Redacted.Redacted<string>> = {
  is: Redacted.isRedacted as (value: unknown) => value is Redacted.Redacted<string>,
  reveal: Redacted.value,
  conceal: Redacted.make
}

/**
 * The curl habit (`https://$PROJ:$PKEY@api.up42.com/oauth/token`): a token URL with
 * credentials in it fails saying which variables take them instead, never repeating the
 * URL (it holds a secret). `setting` names where the URL came from.
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
 * A token provider for the provider the record describes, with its background refresh
 * running in the scope: the kernel reads the options by the record (a token URL with
 * credentials refused first, then the region, the credentials in the order the grant
 * reads them, the token URL), then core checks the rest.
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
      ...providerOptions(options),
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
 * The record's default lifetime as a `Duration`.
 * @internal
 */
export const defaultLifetime = (provider: ProviderData.Provider): Duration.Duration =>
  Duration.seconds(provider.defaultLifetimeSeconds)

/**
 * Options of a static token provider.
 * @internal
 */
export interface StaticOptions {
  readonly name?: string | undefined
  /** When the token stops working, where the issuer says (Bitquery: set in the console). */
  readonly expiresAt?: Date | undefined
}

/**
 * A token provider that hands out a token the user pasted (Bitquery's console token),
 * as it is, with no refresh, until its expiry; the record's hints (its static token's
 * first) say where to get a new one when it expired or an API refused it.
 * @internal
 */
export const makeStatic = (provider: ProviderData.Provider) =>
(
  accessToken: Redacted.Redacted<string>,
  options: StaticOptions = {}
): Effect.Effect<TokenProvider.Service, TokenError.InvalidConfiguration, Scope.Scope> =>
  Effect.zipRight(
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
