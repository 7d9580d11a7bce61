/**
 * The Effect 3 line's library as the shared conformance cases reach it: a `LibraryCore.Core`
 * run with the test's own runtime (its TestClock, its HTTP client), of which
 * `@effect-bearer/conformance/LibraryCore` makes both suites' views. Each operation resolves
 * with plain values, or rejects with the library's typed error.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as LibraryCore from "@effect-bearer/conformance/LibraryCore"
import type * as MockOAuth2ServerCases from "@effect-bearer/conformance/MockOAuth2ServerCases"
import type * as OidcProviderCases from "@effect-bearer/conformance/OidcProviderCases"
import type { AccessToken } from "@effect-bearer/core"
import { ClientAuthentication, Grant, OpenIdDiscovery, TokenEndpoint, TokenProvider, TokenSource } from "@effect-bearer/core"
import { OAuth2 } from "@effect-bearer/providers"
import { Cause, Duration, Effect, Exit, Option, Redacted, Runtime, Scope, TestClock } from "effect"

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

/** The core, run with `runtime` (which holds an `HttpClient`, and the TestClock in a test on it). */
export const core = (runtime: Runtime.Runtime<HttpClient.HttpClient>): LibraryCore.Core => {
  // A failure rejects with the typed error (or the defect).
  const run = <A, E>(effect: Effect.Effect<A, E, HttpClient.HttpClient>): Promise<A> =>
    Runtime.runPromiseExit(runtime)(effect).then((exit) =>
      Exit.isSuccess(exit) ? exit.value : Promise.reject(Option.getOrElse(Cause.failureOption(exit.cause), () => Cause.squash(exit.cause))))
  const plain = <E>(effect: Effect.Effect<AccessToken.AccessToken, E, HttpClient.HttpClient>) => run(Effect.map(effect, (made) => token(made, made)))
  // A provider in a scope of its own, closed by `close`.
  const scoped = (make: Effect.Effect<TokenProvider.Service, unknown, HttpClient.HttpClient | Scope.Scope>) =>
    run(Effect.gen(function*() {
      const scope = yield* Scope.make()
      const provider = yield* Effect.onError(Scope.extend(make, scope), () => Scope.close(scope, Exit.void))
      return { get: () => plain(provider.get), close: () => run(Scope.close(scope, Exit.void)) }
    }))
  const endpoint = ({ authentication, url, ...optional }: LibraryCore.Endpoint) =>
    TokenEndpoint.make({ url, clientAuthentication: clientAuthentication(authentication), ...LibraryCore.defined(optional) })
  return {
    requestToken: (options, grant) => plain(Effect.flatMap(endpoint(options), (made) => TokenEndpoint.requestToken(made, grantOf(grant)))),
    revokeToken: (options, value) => run(Effect.flatMap(endpoint(options), (made) => TokenEndpoint.revokeToken(made, Redacted.make(value), "access_token"))),
    source: (options, grant) =>
      run(Effect.map(Effect.flatMap(endpoint(options), (made) => TokenSource.fromEndpoint(made, grantOf(grant))), (source) => ({
        fetch: (previous) => plain(source.fetch(Option.fromNullable(previous?.handle as AccessToken.AccessToken | undefined)))
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

/** The oidc-provider suite's library, run with `runtime`. */
export const make = (runtime: Runtime.Runtime<HttpClient.HttpClient>) => LibraryCore.forOidcProvider(core(runtime))

/** The oauth2-mock-server suite's library, run with `runtime`. */
export const forMockServer = (runtime: Runtime.Runtime<HttpClient.HttpClient>) => LibraryCore.forMockServer(core(runtime))
