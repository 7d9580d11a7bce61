/**
 * Conformance with a server nobody here wrote: oidc-provider 8.8.1 (panva), a certified OpenID
 * provider, started on 127.0.0.1 by the tests (the server and its scenario values are the
 * version-free `@effect-bearer/conformance/OidcServer`, which the Effect 3 line runs too). Client
 * credentials with both client authentication methods, scope, reserved characters in id and
 * secret, expiry and re-acquisition, RFC 7009 revocation when the scope closes (checked with RFC
 * 7662 introspection), and OpenID discovery.
 */
import * as Scenarios from "@effect-bearer/conformance/OidcServer"
import type * as AccessToken from "@effect-bearer/core/AccessToken"
import * as ClientAuthentication from "@effect-bearer/core/ClientAuthentication"
import * as Grant from "@effect-bearer/core/Grant"
import * as OpenIdDiscovery from "@effect-bearer/core/OpenIdDiscovery"
import * as TokenEndpoint from "@effect-bearer/core/TokenEndpoint"
import * as TokenProvider from "@effect-bearer/core/TokenProvider"
import * as OAuth2 from "@effect-bearer/providers/OAuth2"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it, layer } from "@effect/vitest"
import { Cause, Effect, Exit, Layer, Option, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { OidcServer, layer as OidcServerLayer } from "./support/OidcServer.js"

const Servers = Layer.merge(OidcServerLayer, NodeHttpClient.layerUndici)
/** A server of its own for a test that counts requests or runs on the real clock. */
const ownServers = Layer.fresh(Servers)

const basic = (client: Scenarios.Client) =>
  ClientAuthentication.clientSecretBasic({ clientId: client.clientId, clientSecret: Redacted.make(client.clientSecret) })
const post = (client: Scenarios.Client) =>
  ClientAuthentication.clientSecretPost({ clientId: client.clientId, clientSecret: Redacted.make(client.clientSecret) })

const value = (token: AccessToken.AccessToken) => Redacted.value(token.value)

/** One client_credentials token from the server's token endpoint. */
const requestToken = (options: Omit<TokenEndpoint.Options, "url">) =>
  Effect.gen(function*() {
    const server = yield* OidcServer
    const endpoint = yield* TokenEndpoint.make({ url: server.tokenUrl, ...options })
    return yield* TokenEndpoint.requestToken(endpoint, Grant.clientCredentials)
  })

layer(Servers)("oidc-provider 8.8.1: client credentials", (it) => {
  it.effect("client_secret_basic: a token that the server introspects as active, for that client", () =>
    Effect.gen(function*() {
      const server = yield* OidcServer
      const token = yield* requestToken({ clientAuthentication: basic(server.basicClient) })
      expect(token.lifetimeSource).toBe("expires_in")
      expect(token.expiresAt - token.issuedAt).toBe(Scenarios.lifetimeSeconds * 1000)
      expect(yield* server.introspect(value(token))).toMatchObject({ active: true, client_id: server.basicClient.clientId })
    }))

  it.effect("client_secret_post: a token that the server introspects as active, for that client", () =>
    Effect.gen(function*() {
      const server = yield* OidcServer
      const token = yield* requestToken({ clientAuthentication: post(server.postClient) })
      expect(yield* server.introspect(value(token))).toMatchObject({ active: true, client_id: server.postClient.clientId })
    }))

  for (const scenario of Scenarios.reservedCharacterClients) {
    it.effect(`${scenario.method}: an id and secret with ':', '+', '%', '&', '=', '/', '?', '#' and spaces are accepted`, () =>
      Effect.gen(function*() {
        const server = yield* OidcServer
        const clientAuthentication = (scenario.method === "client_secret_basic" ? basic : post)(server[scenario.client])
        const token = yield* requestToken({ clientAuthentication })
        expect(yield* server.introspect(value(token))).toMatchObject({
          active: true,
          client_id: ClientAuthentication.clientId(clientAuthentication)
        })
      }))
  }

  it.effect("a wrong secret → InvalidCredentials (401 invalid_client) naming the client", () =>
    Effect.gen(function*() {
      const server = yield* OidcServer
      const error = yield* Effect.flip(requestToken({ clientAuthentication: basic({ ...server.basicClient, clientSecret: "wrong" }) }))
      expect(error).toMatchObject({
        _tag: "InvalidCredentials",
        status: 401,
        error: "invalid_client",
        clientId: server.basicClient.clientId,
        grantType: "client_credentials",
        endpoint: server.tokenUrl
      })
    }))

  it.effect("scope: the granted scope comes back on the token and in introspection", () =>
    Effect.gen(function*() {
      const server = yield* OidcServer
      const token = yield* requestToken({ clientAuthentication: basic(server.basicClient), scope: ["api:read"] })
      expect(token.scope).toEqual(Option.some("api:read"))
      expect(yield* server.introspect(value(token))).toMatchObject({ active: true, scope: "api:read" })
    }))

  it.effect("a scope the client may not have → InvalidRequest (400 invalid_scope)", () =>
    Effect.gen(function*() {
      const server = yield* OidcServer
      const error = yield* Effect.flip(requestToken({ clientAuthentication: basic(server.basicClient), scope: "admin" }))
      expect(error).toMatchObject({ _tag: "InvalidRequest", status: 400, error: "invalid_scope" })
    }))
})

describe("oidc-provider 8.8.1: expiry and re-acquisition", () => {
  it.live("a 2-second token is renewed in the background before it expires; the old one expires at the server", () =>
    Effect.gen(function*() {
      const server = yield* OidcServer
      const provider = yield* TokenProvider.fromEndpoint({
        url: server.tokenUrl,
        grant: Grant.clientCredentials,
        clientAuthentication: basic(server.shortLivedClient)
      })
      const first = yield* provider.get
      expect(first.expiresAt - first.issuedAt).toBe(Scenarios.shortLifetimeSeconds * 1000)
      // The background refresh runs at 80-90 % of the lifetime (1.6-1.8 s).
      yield* Effect.sleep("2100 millis")
      const second = yield* provider.get
      expect(value(second)).not.toBe(value(first))
      expect(yield* server.tokenRequests).toBeGreaterThanOrEqual(2)
      expect((yield* server.introspect(value(first))).active).toBe(false)
      expect((yield* server.introspect(value(second))).active).toBe(true)
    }).pipe(Effect.provide(ownServers), Effect.timeout("10 seconds")))

  it.effect("on the TestClock: after the token's lifetime, the next get fetches a new token from the server", () =>
    Effect.gen(function*() {
      const server = yield* OidcServer
      const provider = yield* TokenProvider.fromEndpoint({
        url: server.tokenUrl,
        grant: Grant.clientCredentials,
        clientAuthentication: post(server.postClient),
        backgroundRefresh: false
      })
      const first = yield* provider.get
      expect(value(yield* provider.get)).toBe(value(first))
      expect(yield* server.tokenRequests).toBe(1)
      // 600 s token, 20 s margin: no longer handed out from 580 s.
      yield* TestClock.adjust("579 seconds")
      expect(value(yield* provider.get)).toBe(value(first))
      yield* TestClock.adjust("1 second")
      const second = yield* provider.get
      expect(value(second)).not.toBe(value(first))
      expect(yield* server.tokenRequests).toBe(2)
      expect((yield* server.introspect(value(second))).active).toBe(true)
    }).pipe(Effect.provide(ownServers)))
})

layer(Servers)("oidc-provider 8.8.1: revocation (RFC 7009)", (it) => {
  const providerWith = (revokeOnClose: boolean) =>
    Effect.gen(function*() {
      const server = yield* OidcServer
      const provider = yield* TokenProvider.fromEndpoint({
        url: server.tokenUrl,
        revocationUrl: server.revocationUrl,
        grant: Grant.clientCredentials,
        clientAuthentication: basic(server.basicClient),
        revokeOnClose
      })
      return value(yield* provider.get)
    }).pipe(Effect.scoped)

  it.effect("closing the provider's scope with revokeOnClose revokes its token at the server", () =>
    Effect.gen(function*() {
      const server = yield* OidcServer
      const token = yield* providerWith(true)
      expect(yield* server.introspect(token)).toEqual({ active: false })
    }))

  it.effect("without revokeOnClose the token stays active after the scope closes", () =>
    Effect.gen(function*() {
      const server = yield* OidcServer
      const token = yield* providerWith(false)
      expect((yield* server.introspect(token)).active).toBe(true)
    }))

  it.effect("TokenEndpoint.revokeToken revokes a token; revoking it again is still a success (RFC 7009 §2.2)", () =>
    Effect.gen(function*() {
      const server = yield* OidcServer
      const endpoint = yield* TokenEndpoint.make({
        url: server.tokenUrl,
        revocationUrl: server.revocationUrl,
        clientAuthentication: post(server.postClient)
      })
      const token = yield* TokenEndpoint.requestToken(endpoint, Grant.clientCredentials)
      yield* TokenEndpoint.revokeToken(endpoint, token.value, "access_token")
      expect(yield* server.introspect(value(token))).toEqual({ active: false })
      yield* TokenEndpoint.revokeToken(endpoint, token.value, "access_token")
    }))
})

describe("oidc-provider 8.8.1: OpenID discovery", () => {
  it.live("OpenIdDiscovery.discover reads the token and revocation endpoints and the authentication methods", () =>
    Effect.gen(function*() {
      const server = yield* OidcServer
      const metadata = yield* OpenIdDiscovery.discover(server.issuer)
      expect(metadata.issuer).toBe(server.issuer)
      expect(metadata.tokenEndpoint).toBe(server.tokenUrl)
      expect(metadata.revocationEndpoint).toEqual(Option.some(server.revocationUrl))
      expect(metadata.tokenEndpointAuthMethodsSupported).toEqual(expect.arrayContaining(["client_secret_basic", "client_secret_post"]))
    }).pipe(Effect.provide(ownServers)))

  it.live("OAuth2.make with only the issuer: discovers the token endpoint, gets a token, and revokes it on close", () =>
    Effect.gen(function*() {
      const server = yield* OidcServer
      const token = yield* Effect.gen(function*() {
        const provider = yield* OAuth2.make({
          issuer: server.issuer,
          clientId: server.basicClient.clientId,
          clientSecret: Redacted.make(server.basicClient.clientSecret),
          scope: "api:write",
          revokeOnClose: true
        })
        const token = yield* provider.get
        expect(token.scope).toEqual(Option.some("api:write"))
        expect(yield* server.introspect(value(token))).toMatchObject({ active: true, client_id: server.basicClient.clientId })
        return value(token)
      }).pipe(Effect.scoped)
      expect(yield* server.tokenRequests).toBe(1)
      expect(yield* server.introspect(token)).toEqual({ active: false })
    }).pipe(Effect.provide(ownServers)))

  it.live("OAuth2.make with an issuer that is not this server's: a typed error, no token request", () =>
    Effect.gen(function*() {
      const server = yield* OidcServer
      const exit = yield* Effect.exit(
        Effect.flatMap(
          OAuth2.make({
            issuer: `${server.issuer}/other-realm`,
            clientId: server.basicClient.clientId,
            clientSecret: Redacted.make(server.basicClient.clientSecret)
          }),
          (provider) => provider.get
        ).pipe(Effect.scoped)
      )
      expect(Exit.isFailure(exit) && Option.isSome(Cause.findErrorOption(exit.cause))).toBe(true)
      expect(yield* server.tokenRequests).toBe(0)
    }).pipe(Effect.provide(ownServers)))
})
