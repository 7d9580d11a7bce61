/**
 * The Effect 4 line's library as the shared conformance cases use it (`OidcProviderCases.Library`,
 * `MockOAuth2ServerCases.Library`):
 * each operation runs with the test's own context (its TestClock, its HTTP client) and resolves with
 * plain values, or rejects with the library's typed error.
 */
import * as MockOAuth2ServerCases from "@effect-bearer/conformance/MockOAuth2ServerCases"
import type * as OidcProviderCases from "@effect-bearer/conformance/OidcProviderCases"
import type * as AccessToken from "@effect-bearer/core/AccessToken"
import * as ClientAuthentication from "@effect-bearer/core/ClientAuthentication"
import * as Grant from "@effect-bearer/core/Grant"
import * as OpenIdDiscovery from "@effect-bearer/core/OpenIdDiscovery"
import * as TokenEndpoint from "@effect-bearer/core/TokenEndpoint"
import * as TokenProvider from "@effect-bearer/core/TokenProvider"
import * as TokenSource from "@effect-bearer/core/TokenSource"
import * as OAuth2 from "@effect-bearer/providers/OAuth2"
import { Cause, Duration, Effect, Exit, Option, Redacted, Scope } from "effect"
import type { Context } from "effect"
import type { HttpClient } from "effect/http"
import { TestClock } from "effect/testing"

const token = (accessToken: AccessToken.AccessToken): MockOAuth2ServerCases.Token => ({
  value: Redacted.value(accessToken.value),
  lifetimeSource: accessToken.lifetimeSource,
  issuedAt: accessToken.issuedAt,
  expiresAt: accessToken.expiresAt,
  scope: Option.getOrUndefined(accessToken.scope),
  refreshToken: Option.getOrUndefined(Option.map(accessToken.refreshToken, (refresh) => Redacted.value(refresh.value))),
  handle: accessToken
})

/** Runs effects with `context`; a failure rejects with the typed error (or the defect). */
const runner = (context: Context.Context<HttpClient.HttpClient>) => <A, E>(effect: Effect.Effect<A, E, HttpClient.HttpClient>): Promise<A> =>
  Effect.runPromiseExitWith(context)(effect).then((exit) =>
    Exit.isSuccess(exit) ? exit.value : Promise.reject(Option.getOrElse(Cause.findErrorOption(exit.cause), () => Cause.squash(exit.cause)))
  )

/** A provider in a scope of its own, closed by `close`. */
const scopedWith = (run: ReturnType<typeof runner>) => (make: Effect.Effect<TokenProvider.Service, unknown, HttpClient.HttpClient | Scope.Scope>) =>
  run(Effect.gen(function*() {
    const scope = yield* Scope.make()
    const provider = yield* Effect.onError(Scope.provide(make, scope), () => Scope.close(scope, Exit.void))
    return { get: () => run(Effect.map(provider.get, token)), close: () => run(Scope.close(scope, Exit.void)) }
  }))

const clientAuthentication = ({ client, method }: OidcProviderCases.Authentication) =>
  (method === "client_secret_basic" ? ClientAuthentication.clientSecretBasic : ClientAuthentication.clientSecretPost)({
    clientId: client.clientId,
    clientSecret: Redacted.make(client.clientSecret)
  })

/** The library, run with `context` (which holds an `HttpClient`, and the TestClock in a test on it). */
export const make = (context: Context.Context<HttpClient.HttpClient>): OidcProviderCases.Library => {
  const run = runner(context)
  const scoped = scopedWith(run)
  const endpoint = (options: { readonly url: string; readonly authentication: OidcProviderCases.Authentication; readonly revocationUrl?: string; readonly scope?: string | ReadonlyArray<string> }) =>
    TokenEndpoint.make({
      url: options.url,
      clientAuthentication: clientAuthentication(options.authentication),
      ...(options.revocationUrl === undefined ? {} : { revocationUrl: options.revocationUrl }),
      ...(options.scope === undefined ? {} : { scope: options.scope })
    })
  return {
    requestToken: (options) =>
      run(Effect.map(Effect.flatMap(endpoint(options), (made) => TokenEndpoint.requestToken(made, Grant.clientCredentials)), token)),
    revokeToken: (options, value) =>
      run(Effect.flatMap(endpoint(options), (made) => TokenEndpoint.revokeToken(made, Redacted.make(value), "access_token"))),
    provider: (options) =>
      scoped(TokenProvider.fromEndpoint({
        url: options.url,
        grant: Grant.clientCredentials,
        clientAuthentication: clientAuthentication(options.authentication),
        ...(options.revocationUrl === undefined ? {} : { revocationUrl: options.revocationUrl }),
        ...(options.revokeOnClose === undefined ? {} : { revokeOnClose: options.revokeOnClose }),
        ...(options.backgroundRefresh === undefined ? {} : { backgroundRefresh: options.backgroundRefresh })
      })),
    discover: (issuer) =>
      run(Effect.map(OpenIdDiscovery.discover(issuer), (metadata) => ({
        issuer: metadata.issuer,
        tokenEndpoint: metadata.tokenEndpoint,
        revocationEndpoint: Option.getOrUndefined(metadata.revocationEndpoint),
        tokenEndpointAuthMethodsSupported: metadata.tokenEndpointAuthMethodsSupported
      }))),
    oauth2: (options) => scoped(OAuth2.make({ ...options, clientSecret: Redacted.make(options.clientSecret) })),
    adjustClock: (millis) => run(TestClock.adjust(Duration.millis(millis)))
  }
}

const mockClient = ClientAuthentication.clientSecretBasic({
  clientId: MockOAuth2ServerCases.client.clientId,
  clientSecret: Redacted.make(MockOAuth2ServerCases.client.clientSecret)
})

const grantOf = (grant: MockOAuth2ServerCases.Grant): Grant.Grant =>
  grant._tag === "ClientCredentials"
    ? Grant.clientCredentials
    : grant._tag === "Password"
    ? Grant.password({ username: grant.username, password: Redacted.make(grant.password) })
    : Grant.refreshToken(Redacted.make(grant.refreshToken))

/** The library against oauth2-mock-server, run with `context`. */
export const forMockServer = (context: Context.Context<HttpClient.HttpClient>): MockOAuth2ServerCases.Library => {
  const run = runner(context)
  const endpoint = (url: string, scope?: ReadonlyArray<string>) =>
    TokenEndpoint.make({ url, clientAuthentication: mockClient, ...(scope === undefined ? {} : { scope }) })
  return {
    requestToken: (options, grant) =>
      run(Effect.map(Effect.flatMap(endpoint(options.url, options.scope), (made) => TokenEndpoint.requestToken(made, grantOf(grant))), token)),
    source: (url, grant) =>
      run(Effect.map(Effect.flatMap(endpoint(url), (made) => TokenSource.fromEndpoint(made, grantOf(grant))), (source) => ({
        fetch: (previous) =>
          run(Effect.map(source.fetch(Option.fromNullishOr(previous?.handle as AccessToken.AccessToken | undefined)), token))
      }))),
    provider: (options) =>
      scopedWith(run)(TokenProvider.fromEndpoint({
        url: options.url,
        grant: grantOf(options.grant),
        clientAuthentication: mockClient,
        backgroundRefresh: { at: options.refreshAt, jitter: 0 }
      })),
    adjustClock: (millis) => run(TestClock.adjust(Duration.millis(millis)))
  }
}
