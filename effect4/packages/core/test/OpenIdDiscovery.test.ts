import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Option } from "effect"
import { HttpServerResponse } from "effect/http"
import { OpenIdDiscovery } from "@effect-bearer/core"
import * as TokenServer from "./support/TokenServer.js"

const failure = (issuer: string) => Effect.flip(OpenIdDiscovery.discover(issuer))
const configuration = (issuer: string, extra: Record<string, unknown> = {}) =>
  TokenServer.json({ issuer, token_endpoint: `${issuer}/token`, ...extra })

type Answer = Parameters<typeof TokenServer.fromAnswer>[0]

/** A fresh server answering with `respond(origin)` (a response, or an answer as plain data). */
const serving = (respond: (origin: string) => Answer | HttpServerResponse.HttpServerResponse) =>
  Effect.gen(function*() {
    const server = yield* TokenServer.make
    const answer = respond(server.origin)
    yield* server.handle(() => Effect.succeed(HttpServerResponse.isHttpServerResponse(answer) ? answer : TokenServer.fromAnswer(answer)))
    return server
  })

describe("OpenIdDiscovery.documentUrl", () => {
  it("appends the well-known path to the issuer without its trailing slash", () => {
    expect(OpenIdDiscovery.documentUrl("https://auth.example.com/realms/public/"))
      .toBe("https://auth.example.com/realms/public/.well-known/openid-configuration")
  })
})

describe("OpenIdDiscovery.discover through a local server", () => {
  it.effect("reads the token and revocation endpoints with one GET of the well-known document", () =>
    Effect.gen(function*() {
      const server = yield* serving((origin) => configuration(origin, { revocation_endpoint: `${origin}/revoke`, scopes_supported: ["openid"] }))
      expect(yield* OpenIdDiscovery.discover(server.origin)).toEqual({
        issuer: server.origin,
        tokenEndpoint: `${server.origin}/token`,
        revocationEndpoint: Option.some(`${server.origin}/revoke`),
        tokenEndpointAuthMethodsSupported: ["client_secret_basic"],
        grantTypesSupported: Option.none(),
        scopesSupported: Option.some(["openid"])
      })
      expect((yield* server.requests).map((request) => [request.method, request.path, request.headers["accept"]]))
        .toEqual([["GET", "/.well-known/openid-configuration", "application/json"]])
    }).pipe(Effect.provide(TokenServer.layerClient)))

  it.effect("a 404 is WrongHost NotFound, with a hint naming the discovery", () =>
    Effect.gen(function*() {
      const server = yield* serving(() => ({ status: 404, text: { body: "not here", contentType: "text/plain" } }))
      const error = yield* failure(server.origin)
      expect(error).toMatchObject({ _tag: "WrongHost", reason: "NotFound", status: 404, endpoint: `${server.origin}/.well-known/openid-configuration` })
      expect(error.hint).toBe(`OpenID discovery of ${server.origin} failed: check the issuer URL, or configure the token URL instead.`)
    }).pipe(Effect.provide(TokenServer.layerClient)))

  it.effect("a document naming another issuer is InvalidTokenResponse", () =>
    Effect.gen(function*() {
      const server = yield* serving(() => configuration("https://other.example.com"))
      expect(yield* failure(server.origin)).toMatchObject({
        _tag: "InvalidTokenResponse",
        reason: "InvalidField",
        status: 200,
        detail: `the OpenID configuration names issuer https://other.example.com, not ${server.origin}`
      })
    }).pipe(Effect.provide(TokenServer.layerClient)))

  it.effect("an issuer that differs only by a trailing slash is the same issuer", () =>
    Effect.gen(function*() {
      const server = yield* serving((origin) => configuration(`${origin}/`))
      expect((yield* OpenIdDiscovery.discover(server.origin)).issuer).toBe(`${server.origin}/`)
    }).pipe(Effect.provide(TokenServer.layerClient)))

  it.effect("an HTML page is InvalidTokenResponse NotJson", () =>
    Effect.gen(function*() {
      const server = yield* serving(() => ({ status: 200, text: { body: "<html><body>Login</body></html>", contentType: "text/html" } }))
      expect(yield* failure(server.origin)).toMatchObject({
        _tag: "InvalidTokenResponse",
        reason: "NotJson",
        detail: "the OpenID configuration is an HTML page, not JSON"
      })
    }).pipe(Effect.provide(TokenServer.layerClient)))

  it.effect("a body that is not JSON is InvalidTokenResponse NotJson", () =>
    Effect.gen(function*() {
      const server = yield* serving(() => ({ status: 200, text: { body: "{oops", contentType: "text/plain" } }))
      expect(yield* failure(server.origin)).toMatchObject({ _tag: "InvalidTokenResponse", reason: "NotJson", detail: "the OpenID configuration is not valid JSON" })
    }).pipe(Effect.provide(TokenServer.layerClient)))

  it.effect("a document without token_endpoint is InvalidTokenResponse", () =>
    Effect.gen(function*() {
      const server = yield* serving((origin) => TokenServer.json({ issuer: origin }))
      expect(yield* failure(server.origin)).toMatchObject({ detail: "the OpenID configuration has no valid token_endpoint" })
    }).pipe(Effect.provide(TokenServer.layerClient)))

  it.effect("a 503 is TemporarilyUnavailable with the server's Retry-After, and is not kept: the next discovery succeeds", () =>
    Effect.gen(function*() {
      const server = yield* serving(() => ({ status: 503, json: {}, headers: { "retry-after": "5" } }))
      const error = yield* failure(server.origin)
      expect(error).toMatchObject({ _tag: "TemporarilyUnavailable", reason: "ServerError", status: 503 })
      expect(error._tag === "TemporarilyUnavailable" && error.retryAfter !== undefined && Duration.toMillis(error.retryAfter)).toBe(5_000)
      yield* server.handle(() => Effect.succeed(configuration(server.origin)))
      expect((yield* OpenIdDiscovery.discover(server.origin)).tokenEndpoint).toBe(`${server.origin}/token`)
    }).pipe(Effect.provide(TokenServer.layerClient)))

  it.effect("a 429 is TemporarilyUnavailable RateLimited", () =>
    Effect.gen(function*() {
      const server = yield* serving(() => ({ status: 429, json: {} }))
      expect(yield* failure(server.origin)).toMatchObject({ _tag: "TemporarilyUnavailable", reason: "RateLimited", status: 429 })
    }).pipe(Effect.provide(TokenServer.layerClient)))

  it.effect("a redirect is WrongHost Redirect naming the origin it pointed to, and is not followed", () =>
    Effect.gen(function*() {
      const server = yield* serving(() => ({ status: 302, json: {}, headers: { location: "https://elsewhere.example/.well-known/openid-configuration?x=1" } }))
      expect(yield* failure(server.origin)).toMatchObject({ _tag: "WrongHost", reason: "Redirect", location: "https://elsewhere.example" })
      expect(yield* server.requests).toHaveLength(1)
    }).pipe(Effect.provide(TokenServer.layerClient)))
})

describe("OpenIdDiscovery.validateIssuer", () => {
  it.effect("accepts an https issuer and a loopback http one", () =>
    Effect.gen(function*() {
      expect(yield* OpenIdDiscovery.validateIssuer("https://auth.example.com/realms/public")).toBe("https://auth.example.com/realms/public")
      expect(yield* OpenIdDiscovery.validateIssuer("http://127.0.0.1:8080")).toBe("http://127.0.0.1:8080")
    }))

  it.effect("refuses plain http elsewhere, a query, credentials, and what is not a URL, without repeating it", () =>
    Effect.gen(function*() {
      expect(yield* Effect.flip(OpenIdDiscovery.validateIssuer("http://auth.example.com")))
        .toMatchObject({ _tag: "WrongHost", reason: "InsecureEndpoint", endpoint: "http://auth.example.com/" })
      expect(yield* Effect.flip(OpenIdDiscovery.validateIssuer("https://auth.example.com?tenant=1"))).toMatchObject({ _tag: "InvalidConfiguration", setting: "issuer" })
      expect(yield* Effect.flip(OpenIdDiscovery.validateIssuer("https://id:secret@auth.example.com"))).toMatchObject({ _tag: "InvalidConfiguration", setting: "issuer" })
      expect(yield* Effect.flip(OpenIdDiscovery.validateIssuer("secret-pasted-here")))
        .toMatchObject({ _tag: "WrongHost", reason: "InvalidUrl", endpoint: "(the configured issuer)" })
    }))
})
