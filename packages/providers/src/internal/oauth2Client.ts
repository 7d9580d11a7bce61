/**
 * How an OAuth2 client is built from `OAuth2.Options`: the client authentication (from the
 * options, or from what discovery says the server supports, chosen by the kernel), the
 * grant checks, the endpoint options, and the token source that discovers its endpoint on
 * first use (under a lock: Effect 3's `cachedWithTTL` cannot forget a failure at once).
 *
 * @internal
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import { Providers } from "@effect-bearer/kernel"
import * as OAuth2Environment from "@effect-bearer/kernel/OAuth2Environment"
import { Effect, Option, Ref } from "effect"
import { ClientAuthentication, Grant, OpenIdDiscovery, TokenEndpoint, TokenError, TokenSource } from "@effect-bearer/core"
import type { Options } from "../OAuth2.js"
import { defaultLifetime } from "./provider.js"
import { requireNonBlank } from "./settings.js"

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
    ? Effect.zipRight(requireNonBlank("username", grant.username), requireNonBlank("password", grant.password))
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
 * A token source that discovers its endpoint on first use and keeps it. Discovery runs
 * under a lock, so concurrent first requests discover once; a failure is not kept.
 */
/** @internal */
export const discoveringSource = (
  issuer: string,
  grant: Grant.Grant,
  options: Options
): Effect.Effect<TokenSource.TokenSource, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const context = yield* Effect.context<HttpClient.HttpClient>()
    const resolved = yield* Ref.make(Option.none<TokenSource.TokenSource>())
    const lock = yield* Effect.makeSemaphore(1)
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
    const resolve = Effect.flatMap(
      Ref.get(resolved),
      Option.match({
        onSome: Effect.succeed,
        onNone: () =>
          lock.withPermits(1)(
            Effect.flatMap(
              Ref.get(resolved),
              Option.match({
                onSome: Effect.succeed,
                onNone: () => Effect.tap(discover, (source) => Ref.set(resolved, Option.some(source)))
              })
            )
          )
      })
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
