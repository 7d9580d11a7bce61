/**
 * How an OAuth2 client is built from `OAuth2.Options`: the client authentication (from the
 * options, or from what discovery says the server supports, chosen by the kernel), the
 * grant checks, the endpoint options, and the token source that discovers its endpoint on
 * first use.
 *
 * @internal
 */
import { Providers } from "@effect-bearer/kernel"
import * as OAuth2Environment from "@effect-bearer/kernel/OAuth2Environment"
import { Duration, Effect, Exit, Option } from "effect"
import type { HttpClient } from "effect/http"
import { ClientAuthentication, Grant, OpenIdDiscovery, TokenEndpoint, TokenError, TokenSource } from "@effect-bearer/core"
import type { Options } from "../OAuth2.js"
import { requireNonBlank } from "./environment.js"
import { defaultLifetime } from "./provider.js"

/**
 * The client authentication the options (and, after discovery, the server) call for; the
 * kernel chooses and words the problems.
 * @internal
 */
export const clientAuthenticationOf = (
  options: Options,
  supported: ReadonlyArray<string>
): Effect.Effect<ClientAuthentication.ClientAuthentication, TokenError.InvalidConfiguration> => {
  const secret = options.clientSecret
  const choice = OAuth2Environment.clientAuthenticationChoice(options.clientAuthentication, secret !== undefined, supported)
  if ("problem" in choice) {
    return Effect.fail(new TokenError.InvalidConfiguration({ setting: choice.problem.variable, problem: choice.problem.problem }))
  }
  if (choice.method === "none" || secret === undefined) return Effect.succeed(ClientAuthentication.publicClient(options.clientId))
  const credentials = { clientId: options.clientId, clientSecret: secret }
  return Effect.succeed(
    choice.method === "client_secret_post"
      ? ClientAuthentication.clientSecretPost(credentials)
      : ClientAuthentication.clientSecretBasic(credentials)
  )
}

/** @internal */
export const validateGrant = (grant: Grant.Grant): Effect.Effect<void, TokenError.InvalidConfiguration> =>
  grant._tag === "Password"
    ? Effect.andThen(requireNonBlank("username", grant.username), requireNonBlank("password", grant.password))
    : grant._tag === "RefreshToken"
    ? requireNonBlank("refreshToken", grant.refreshToken)
    : Effect.void

/** @internal */
export const endpointOptions = (options: Options) => ({
  scope: options.scope,
  parameters: options.parameters,
  timeout: options.timeout,
  defaultLifetime: options.defaultLifetime ?? defaultLifetime(Providers.oauth2),
  toStandardResponse: options.toStandardResponse,
  hints: options.hints
})

/** @internal */
export const hostOf = (url: string) => URL.canParse(url) ? new URL(url).host : Providers.oauth2.id

/**
 * A token source that discovers its endpoint on first use and keeps it: Effect's
 * `cachedWithTTL` shares one discovery among concurrent first requests, keeps a success for
 * the life of the provider and a failure for no time, so the next request discovers again.
 * @internal
 */
export const discoveringSource = (
  issuer: string,
  grant: Grant.Grant,
  options: Options
): Effect.Effect<TokenSource.TokenSource, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const context = yield* Effect.context<HttpClient.HttpClient>()
    const sourceName = options.name ?? hostOf(issuer)
    const discover = Effect.gen(function*() {
      const metadata = yield* OpenIdDiscovery.discover(issuer, { timeout: options.timeout })
      const clientAuthentication = yield* clientAuthenticationOf(options, metadata.tokenEndpointAuthMethodsSupported).pipe(
        Effect.orDie // validated when the provider was made, with the same options
      )
      const endpoint = yield* TokenEndpoint.make({
        ...endpointOptions(options),
        url: metadata.tokenEndpoint,
        revocationUrl: options.revocationUrl ?? Option.getOrUndefined(metadata.revocationEndpoint),
        clientAuthentication
      }).pipe(
        Effect.catchTag("InvalidConfiguration", (error) =>
          Effect.fail(
            new TokenError.InvalidTokenResponse({
              endpoint: OpenIdDiscovery.documentUrl(issuer),
              reason: "InvalidField",
              detail: `the discovered token_endpoint cannot be used: ${error.problem}`
            })
          ))
      )
      return yield* TokenSource.fromEndpoint(endpoint, grant, { name: sourceName })
    }).pipe(Effect.provide(context))
    const resolve = yield* Effect.cachedWithTTL(
      discover,
      (exit) => Exit.isSuccess(exit) ? Duration.infinity : Duration.zero
    )
    return {
      name: sourceName,
      grantType: Grant.grantType(grant),
      fetch: (previous) => Effect.flatMap(resolve, (source) => source.fetch(previous)),
      revoke: (token) =>
        Effect.flatMap(resolve, (source) =>
          source.revoke === undefined
            ? Effect.fail(
              new TokenError.InvalidConfiguration({
                setting: "revocationUrl",
                problem: "is needed to revoke tokens: the OpenID configuration names no revocation_endpoint"
              })
            )
            : source.revoke(token))
    } satisfies TokenSource.TokenSource
  })
