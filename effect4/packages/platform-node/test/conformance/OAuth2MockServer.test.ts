/**
 * Conformance with oauth2-mock-server 7.2.1, a third-party token endpoint that speaks the password
 * and refresh_token grants (the server is the version-free `@effect-bearer/conformance/MockOAuth2Server`,
 * which the Effect 3 line runs too): the exact grant each request used, refresh-token rotation by
 * TokenSource.fromEndpoint, the fall back to the password grant when a refresh token is refused or
 * expired, and the provider's background renewal with refresh tokens on the TestClock.
 */
import { defaultLifetimeSeconds } from "@effect-bearer/conformance/MockOAuth2Server"
import type * as AccessToken from "@effect-bearer/core/AccessToken"
import * as ClientAuthentication from "@effect-bearer/core/ClientAuthentication"
import * as Grant from "@effect-bearer/core/Grant"
import * as Jwt from "@effect-bearer/core/Jwt"
import * as TokenEndpoint from "@effect-bearer/core/TokenEndpoint"
import * as TokenProvider from "@effect-bearer/core/TokenProvider"
import * as TokenSource from "@effect-bearer/core/TokenSource"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Option, Redacted } from "effect"
import { TestClock } from "effect/testing"
import { eventually } from "../support/Polling.js"
import { MockOAuth2Server, layer as MockOAuth2ServerLayer } from "./support/MockOAuth2Server.js"

const Servers = Layer.merge(MockOAuth2ServerLayer, NodeHttpClient.layerUndici)

const username = "someone@example.com"
const password = Redacted.make("pass word:+%")
const passwordGrant = Grant.password({ username, password })
const clientAuthentication = ClientAuthentication.clientSecretBasic({
  clientId: "mock-client",
  clientSecret: Redacted.make("mock-secret")
})

const value = (token: AccessToken.AccessToken) => Redacted.value(token.value)
const refreshValue = (token: AccessToken.AccessToken) => Option.map(token.refreshToken, (refresh) => Redacted.value(refresh.value))

/** The server, with its records and behaviour reset. */
const fresh = Effect.tap(Effect.service(MockOAuth2Server), (server) => server.reset)

const endpoint = Effect.flatMap(Effect.service(MockOAuth2Server), (server) => TokenEndpoint.make({ url: server.tokenUrl, clientAuthentication }))

// One server for the file (its RSA key takes a while to make); each test starts by clearing what
// the server recorded and how it behaves.
layer(Servers)("oauth2-mock-server 7.2.1: password and refresh_token grants", (it) => {
  it.effect("password grant: a JWT access token and a refresh token; the server saw the username and password", () =>
    Effect.gen(function*() {
      const server = yield* fresh
      const token = yield* TokenEndpoint.requestToken(yield* endpoint, passwordGrant)
      expect(token.lifetimeSource).toBe("expires_in")
      expect(token.expiresAt - token.issuedAt).toBe(defaultLifetimeSeconds * 1000)
      expect(Option.isSome(token.refreshToken)).toBe(true)
      expect(Jwt.decodeClaims(value(token)).pipe(Option.map((claims) => claims["sub"]))).toEqual(Option.some(username))
      const [request] = yield* server.requests
      expect(request?.form).toMatchObject({ grant_type: "password", username, password: Redacted.value(password) })
      expect(request?.authorization).toBe(`Basic ${Buffer.from("mock-client:mock-secret").toString("base64")}`)
    }))

  it.effect("refresh_token grant: a new access token for the refresh token sent", () =>
    Effect.gen(function*() {
      const server = yield* fresh
      const first = yield* TokenEndpoint.requestToken(yield* endpoint, passwordGrant)
      const refreshToken = Option.getOrThrow(first.refreshToken).value
      const second = yield* TokenEndpoint.requestToken(yield* endpoint, Grant.refreshToken(refreshToken))
      expect(value(second)).not.toBe(value(first))
      expect((yield* server.requests).map((request) => request.form)).toEqual([
        expect.objectContaining({ grant_type: "password" }),
        { grant_type: "refresh_token", refresh_token: Redacted.value(refreshToken) }
      ])
    }))

  it.effect("TokenSource.fromEndpoint renews with the previous token's refresh token, then with the rotated one", () =>
    Effect.gen(function*() {
      const server = yield* fresh
      const source = yield* TokenSource.fromEndpoint(yield* endpoint, passwordGrant)
      const first = yield* source.fetch(Option.none())
      const second = yield* source.fetch(Option.some(first))
      const third = yield* source.fetch(Option.some(second))
      expect(yield* server.grantTypes).toEqual(["password", "refresh_token", "refresh_token"])
      const [, secondRequest, thirdRequest] = yield* server.requests
      expect(secondRequest?.form["refresh_token"]).toEqual(Option.getOrThrow(refreshValue(first)))
      expect(thirdRequest?.form["refresh_token"]).toEqual(Option.getOrThrow(refreshValue(second)))
      expect(refreshValue(third)).toEqual(Option.some((yield* server.refreshTokens)[2]))
    }))

  it.effect("a refused refresh token: TokenSource.fromEndpoint falls back to the password grant without an error", () =>
    Effect.gen(function*() {
      const server = yield* fresh
      const source = yield* TokenSource.fromEndpoint(yield* endpoint, passwordGrant)
      const first = yield* source.fetch(Option.none())
      yield* server.behave({ refuseRefreshTokens: true })
      yield* source.fetch(Option.some(first))
      expect(yield* server.grantTypes).toEqual(["password", "refresh_token", "password"])
    }))

  it.effect("an expired refresh token (refresh_expires_in) is not even sent: the password grant is used", () =>
    Effect.gen(function*() {
      const server = yield* fresh
      yield* server.behave({ expiresIn: 300, refreshExpiresIn: 1800 })
      const source = yield* TokenSource.fromEndpoint(yield* endpoint, passwordGrant)
      const first = yield* source.fetch(Option.none())
      yield* TestClock.adjust("1800 seconds")
      yield* source.fetch(Option.some(first))
      expect(yield* server.grantTypes).toEqual(["password", "password"])
    }))

  it.effect("a source holding only a refresh token that is refused → Expired (RefreshToken)", () =>
    Effect.gen(function*() {
      const server = yield* fresh
      yield* server.behave({ refuseRefreshTokens: true })
      const source = yield* TokenSource.fromEndpoint(yield* endpoint, Grant.refreshToken(Redacted.make("stale")))
      const error = yield* Effect.flip(source.fetch(Option.none()))
      expect(error).toMatchObject({ _tag: "Expired", reason: "RefreshToken", status: 400, error: "invalid_grant", endpoint: server.tokenUrl })
    }))

  it.effect("TokenProvider on the TestClock: 60 s tokens renewed in the background with the refresh token, then the password when refused", () =>
    Effect.gen(function*() {
      const server = yield* fresh
      yield* server.behave({ expiresIn: 60 })
      const provider = yield* TokenProvider.fromEndpoint({
        url: server.tokenUrl,
        grant: passwordGrant,
        clientAuthentication,
        backgroundRefresh: { at: 0.8, jitter: 0 }
      })
      const first = yield* provider.get
      // Renewals at 48 s and 96 s use the refresh token, while the current token is served.
      for (const count of [2, 3]) {
        yield* TestClock.adjust("48 seconds")
        yield* eventually(Effect.map(server.grantTypes, (types) => types.length === count))
      }
      expect(yield* server.grantTypes).toEqual(["password", "refresh_token", "refresh_token"])
      yield* eventually(Effect.map(provider.get, (token) => value(token) !== value(first)))
      yield* server.behave({ expiresIn: 60, refuseRefreshTokens: true })
      yield* TestClock.adjust("48 seconds")
      yield* eventually(Effect.map(server.grantTypes, (types) => types.length === 5))
      expect(yield* server.grantTypes).toEqual(["password", "refresh_token", "refresh_token", "refresh_token", "password"])
    }))

  it.effect("client_credentials with scope: the scope the server granted is on the token", () =>
    Effect.gen(function*() {
      const server = yield* fresh
      const scoped = yield* TokenEndpoint.make({ url: server.tokenUrl, clientAuthentication, scope: ["read", "write"] })
      const token = yield* TokenEndpoint.requestToken(scoped, Grant.clientCredentials)
      expect(token.scope).toEqual(Option.some("read write"))
      const [request] = yield* server.requests
      expect(request?.form).toEqual({ grant_type: "client_credentials", scope: "read write" })
    }))
})
