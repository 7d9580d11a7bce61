/**
 * The Effect 3 line's library as the shared conformance cases use it (`OidcProviderCases.Library`,
 * `MockOAuth2ServerCases.Library`):
 * each operation runs with the test's own runtime (its TestClock, its HTTP client) and resolves with
 * plain values, or rejects with the library's typed error.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as MockOAuth2ServerCases from "@effect-bearer/conformance/MockOAuth2ServerCases"
import type * as OidcProviderCases from "@effect-bearer/conformance/OidcProviderCases"
import type { AccessToken } from "@effect-bearer/core"
import { ClientAuthentication, Grant, OpenIdDiscovery, TokenEndpoint, TokenProvider, TokenSource } from "@effect-bearer/core"
import { OAuth2 } from "@effect-bearer/providers"
import { Cause, Duration, Effect, Exit, Option, Redacted, Runtime, Scope, TestClock } from "effect"

const token = (accessToken: AccessToken.AccessToken): MockOAuth2ServerCases.Token => ({
  value: Redacted.value(accessToken.value),
  lifetimeSource: accessToken.lifetimeSource,
  issuedAt: accessToken.issuedAt,
  expiresAt: accessToken.expiresAt,
  scope: Option.getOrUndefined(accessToken.scope),
  refreshToken: Option.getOrUndefined(Option.map(accessToken.refreshToken, (refresh) => Redacted.value(refresh.value))),
  handle: accessToken
})

/** Runs effects with `runtime`; a failure rejects with the typed error (or the defect). */
const runner = (runtime: Runtime.Runtime<HttpClient.HttpClient>) => <A, E>(effect: Effect.Effect<A, E, HttpClient.HttpClient>): Promise<A> =>
  Runtime.runPromiseExit(runtime)(effect).then((exit) =>
    Exit.isSuccess(exit) ? exit.value : Promise.reject(Option.getOrElse(Cause.failureOption(exit.cause), () => Cause.squash(exit.cause)))
  )

/** A provider in a scope of its own, closed by `close`. */
const scopedWith = (run: ReturnType<typeof runner>) => (make: Effect.Effect<TokenProvider.Service, unknown, HttpClient.HttpClient | Scope.Scope>) =>
  run(Effect.gen(function*() {
    const scope = yield* Scope.make()
    const provider = yield* Effect.onError(Scope.extend(make, scope), () => Scope.close(scope, Exit.void))
    return { get: () => run(Effect.map(provider.get, token)), close: () => run(Scope.close(scope, Exit.void)) }
  }))

const clientAuthentication = ({ client, method }: OidcProviderCases.Authentication) =>
  (method === "client_secret_basic" ? ClientAuthentication.clientSecretBasic : ClientAuthentication.clientSecretPost)({
    clientId: client.clientId,
    clientSecret: Redacted.make(client.clientSecret)
  })

/** The library, run with `runtime` (which holds an `HttpClient`, and the TestClock in a test on it). */
export const make = (runtime: Runtime.Runtime<HttpClient.HttpClient>): OidcProviderCases.Library => {
  const run = runner(runtime)
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

/** The library against oauth2-mock-server, run with `runtime`. */
export const forMockServer = (runtime: Runtime.Runtime<HttpClient.HttpClient>): MockOAuth2ServerCases.Library => {
  const run = runner(runtime)
  const endpoint = (url: string, scope?: ReadonlyArray<string>) =>
    TokenEndpoint.make({ url, clientAuthentication: mockClient, ...(scope === undefined ? {} : { scope }) })
  return {
    requestToken: (options, grant) =>
      run(Effect.map(Effect.flatMap(endpoint(options.url, options.scope), (made) => TokenEndpoint.requestToken(made, grantOf(grant))), token)),
    source: (url, grant) =>
      run(Effect.map(Effect.flatMap(endpoint(url), (made) => TokenSource.fromEndpoint(made, grantOf(grant))), (source) => ({
        fetch: (previous) =>
          run(Effect.map(source.fetch(Option.fromNullable(previous?.handle as AccessToken.AccessToken | undefined)), token))
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
