/**
 * The one `make` every provider module is an alias of: it reads the provider's record
 * (token URL, client authentication, grant, scope, lifetime, response shape, hints) and
 * builds core's token provider from it and the user's options.
 *
 * @internal
 */
import { Provider as ProviderData } from "@effect-bearer/kernel"
import { Duration, Effect, Redacted } from "effect"
import type { Scope } from "effect"
import { ClientAuthentication, Grant, TokenError, TokenProvider, TokenSource } from "@effect-bearer/core"
import type { Make, Options } from "../Provider.js"
import { providerOptions, requireNonBlank } from "./settings.js"

/** A credential of the options, by the option name the record gives it. */
type Credential = string | Redacted.Redacted<string>

const valueOf = (options: Options, option: string): unknown => (options as Readonly<Record<string, unknown>>)[option]

/**
 * The credential the record names for `role`, checked non-blank under its option name
 * (UP42's `projectId`, not `clientId`): such credentials can never work.
 */
const credential = (
  options: Options,
  option: string
): Effect.Effect<Credential, TokenError.InvalidConfiguration> => {
  const value = valueOf(options, option)
  return typeof value === "string" || Redacted.isRedacted(value)
    ? Effect.as(requireNonBlank(option, value as Credential), value as Credential)
    : Effect.fail(new TokenError.InvalidConfiguration({ setting: option, problem: "is not set" }))
}

const plain = (value: Credential): string => Redacted.isRedacted(value) ? Redacted.value(value) : value
const secret = (value: Credential): Redacted.Redacted<string> => Redacted.isRedacted(value) ? value : Redacted.make(value)

/**
 * The client as the record says it authenticates: its id from the options (under the
 * record's name for it), or the id the provider fixes, overridable by `clientId`.
 */
const clientAuthenticationOf = (provider: ProviderData.Provider, options: Options) =>
  Effect.gen(function*() {
    const names = provider.credentials
    const optionalId = valueOf(options, "clientId")
    const clientId = names.clientId !== undefined
      ? plain(yield* credential(options, names.clientId))
      : typeof optionalId === "string"
      ? optionalId
      : provider.clientId ?? ""
    if (provider.clientAuthentication === "none") return { clientId, authentication: ClientAuthentication.publicClient(clientId) }
    const clientSecret = secret(yield* credential(options, names.clientSecret ?? "clientSecret"))
    return {
      clientId,
      authentication: provider.clientAuthentication === "client_secret_basic"
        ? ClientAuthentication.clientSecretBasic({ clientId, clientSecret })
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
 * A token provider for the provider the record describes, with its background refresh
 * running in the scope. The credentials are checked (in the order the grant reads them)
 * before anything else, then core checks the rest.
 * @internal
 */
export const make = (provider: ProviderData.Provider) => (options: Options): Make =>
  Effect.gen(function*() {
    const grant = yield* grantOf(provider, options)
    const client = yield* clientAuthenticationOf(provider, options)
    const url = options.tokenUrl ?? ProviderData.tokenUrl(provider)
    if (url === undefined) {
      return yield* new TokenError.InvalidConfiguration({ setting: "tokenUrl", problem: "is not set" })
    }
    const scope = valueOf(options, "scope")
    return yield* TokenProvider.fromEndpoint({
      ...providerOptions(options),
      name: options.name ?? (provider.namedByClient === true ? `${provider.id}:${client.clientId}` : provider.id),
      url,
      clientAuthentication: client.authentication,
      grant,
      scope: typeof scope === "string" ? scope : provider.scope,
      timeout: options.timeout,
      defaultLifetime: defaultLifetime(provider),
      toStandardResponse: ProviderData.toStandardResponse(provider),
      hints: provider.hints
    })
  })

/**
 * The record's default lifetime as a `Duration`.
 * @internal
 */
export const defaultLifetime = (provider: ProviderData.Provider): Duration.Duration =>
  Duration.seconds(provider.defaultLifetimeSeconds)

/**
 * A token provider that hands out a token the user pasted (Bitquery's console token),
 * as it is, with no refresh.
 * @internal
 */
export const makeStatic = (provider: ProviderData.Provider) =>
(
  accessToken: Redacted.Redacted<string>,
  options: { readonly name?: string | undefined } = {}
): Effect.Effect<TokenProvider.Service, TokenError.InvalidConfiguration, Scope.Scope> =>
  Effect.zipRight(
    requireNonBlank("accessToken", accessToken),
    TokenProvider.make(TokenSource.fromToken(accessToken, { name: options.name ?? provider.id }), { backgroundRefresh: false })
  )
