/**
 * The Effect 4 line's library as the shared conformance cases reach it: a `LibraryCore.Core`
 * run with the test's own context (its TestClock, its HTTP client), of which
 * `@effect-bearer/conformance/LibraryCore` makes both suites' views. Each operation resolves
 * with plain values, or rejects with the library's typed error.
 */
import * as LibraryCore from "@effect-bearer/conformance/LibraryCore"
import type * as MockOAuth2ServerCases from "@effect-bearer/conformance/MockOAuth2ServerCases"
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

const token = ({ expiresAt, issuedAt, lifetimeSource, refreshToken, scope, value }: AccessToken.AccessToken, handle: AccessToken.AccessToken) => ({
  value: Redacted.value(value), lifetimeSource, issuedAt, expiresAt, scope: Option.getOrUndefined(scope),
  refreshToken: Option.getOrUndefined(Option.map(refreshToken, (refresh) => Redacted.value(refresh.value))), handle
})

const grantOf = (grant: MockOAuth2ServerCases.Grant): Grant.Grant =>
  grant._tag === "ClientCredentials" ? Grant.clientCredentials
  : grant._tag === "Password" ? Grant.password({ username: grant.username, password: Redacted.make(grant.password) })
  : Grant.refreshToken(Redacted.make(grant.refreshToken))

const clientAuthentication = ({ client, method }: OidcProviderCases.Authentication) =>
  (method === "client_secret_basic" ? ClientAuthentication.clientSecretBasic : ClientAuthentication.clientSecretPost)({
    clientId: client.clientId,
    clientSecret: Redacted.make(client.clientSecret)
  })

/** The core, run with `context` (which holds an `HttpClient`, and the TestClock in a test on it). */
export const core = (context: Context.Context<HttpClient.HttpClient>): LibraryCore.Core => {
  // A failure rejects with the typed error (or the defect).
  const run = <A, E>(effect: Effect.Effect<A, E, HttpClient.HttpClient>): Promise<A> =>
    Effect.runPromiseExitWith(context)(effect).then((exit) =>
      Exit.isSuccess(exit) ? exit.value : Promise.reject(Option.getOrElse(Cause.findErrorOption(exit.cause), () => Cause.squash(exit.cause))))
  const plain = <E>(effect: Effect.Effect<AccessToken.AccessToken, E, HttpClient.HttpClient>) => run(Effect.map(effect, (made) => token(made, made)))
  // A provider in a scope of its own, closed by `close`.
  const scoped = (make: Effect.Effect<TokenProvider.Service, unknown, HttpClient.HttpClient | Scope.Scope>) =>
    run(Effect.gen(function*() {
      const scope = yield* Scope.make()
      const provider = yield* Effect.onError(Scope.provide(make, scope), () => Scope.close(scope, Exit.void))
      return { get: () => plain(provider.get), close: () => run(Scope.close(scope, Exit.void)) }
    }))
  const endpoint = ({ authentication, url, ...optional }: LibraryCore.Endpoint) =>
    TokenEndpoint.make({ url, clientAuthentication: clientAuthentication(authentication), ...LibraryCore.defined(optional) })
  return {
    requestToken: (options, grant) => plain(Effect.flatMap(endpoint(options), (made) => TokenEndpoint.requestToken(made, grantOf(grant)))),
    revokeToken: (options, value) => run(Effect.flatMap(endpoint(options), (made) => TokenEndpoint.revokeToken(made, Redacted.make(value), "access_token"))),
    source: (options, grant) =>
      run(Effect.map(Effect.flatMap(endpoint(options), (made) => TokenSource.fromEndpoint(made, grantOf(grant))), (source) => ({
        fetch: (previous) => plain(source.fetch(Option.fromNullishOr(previous?.handle as AccessToken.AccessToken | undefined)))
      }))),
    provider: ({ authentication, grant, scope: _scope, url, ...optional }) =>
      scoped(TokenProvider.fromEndpoint({ url, grant: grantOf(grant), clientAuthentication: clientAuthentication(authentication), ...LibraryCore.defined(optional) })),
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

/** The oidc-provider suite's library, run with `context`. */
export const make = (context: Context.Context<HttpClient.HttpClient>) => LibraryCore.forOidcProvider(core(context))

/** The oauth2-mock-server suite's library, run with `context`. */
export const forMockServer = (context: Context.Context<HttpClient.HttpClient>) => LibraryCore.forMockServer(core(context))
