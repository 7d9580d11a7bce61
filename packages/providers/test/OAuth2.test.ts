import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { expect, layer } from "@effect/vitest"
import * as OAuth2BadSettings from "@effect-bearer/conformance/OAuth2BadSettings"
import { inspect } from "node:util"
import { ConfigProvider, Effect, Layer, Option, Redacted, Schedule, TestClock } from "effect"
import { Grant, TokenProvider } from "@effect-bearer/core"
import { OpenIdDiscovery } from "@effect-bearer/core"
import { ClientSecretBasic } from "@effect-bearer/kernel"
import { LocalProviderServer, OAuth2 } from "@effect-bearer/providers"
import * as Server from "./support/server.js"

// The kernel's encoding, itself checked against literal values in kernel/test/ClientSecretBasic.test.ts.
const { formEncode } = ClientSecretBasic

const client = (options: Partial<OAuth2.Options> = {}) =>
  Effect.flatMap(Server.server, (server) =>
    OAuth2.make({
      clientId: server.credentials.oauth2.clientId,
      clientSecret: server.credentials.oauth2.clientSecret,
      ...(options.issuer === undefined ? { tokenUrl: server.urls.oauth2.tokenUrl } : {}),
      ...options
    }))

const passwordGrant = Effect.map(Server.server, (server) =>
  Grant.password({ username: server.credentials.oauth2.username, password: server.credentials.oauth2.password }))

const apiStatus = (token: Redacted.Redacted<string>) =>
  Effect.flatMap(Server.server, (server) =>
    HttpClient.execute(HttpClientRequest.get(server.urls.oauth2.apiUrl).pipe(HttpClientRequest.bearerToken(token))).pipe(
      Effect.map((response) => response.status),
      Effect.orDie
    ))

const grantsSent = Effect.flatMap(Server.server, (server) =>
  Effect.map(server.requests("oauth2"), (requests) => requests.map((request) => [request.form["grant_type"], request.status])))

layer(Server.layer())("OAuth2", (it) => {
  it.scoped("client_secret_basic form-encodes the id and a secret with reserved characters before Base64", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const { clientId, clientSecret } = server.credentials.oauth2
      expect(Redacted.value(clientSecret)).toMatch(/[:+% ü]/)
      const token = yield* (yield* client()).get
      const [request] = yield* server.requests("oauth2")
      expect(request?.headers["authorization"]).toBe(
        `Basic ${Buffer.from(`${formEncode(clientId)}:${formEncode(Redacted.value(clientSecret))}`).toString("base64")}`
      )
      expect(request?.form).toEqual({ grant_type: "client_credentials" })
      expect(yield* apiStatus(token.value)).toBe(200)
    }))

  it.scoped("client_secret_post puts the id and secret in the body, with the scope and extra parameters", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const token = yield* (yield* client({
        clientAuthentication: "client_secret_post",
        scope: ["read", "write"],
        parameters: { audience: "https://api.example.com" }
      })).get
      const [request] = yield* server.requests("oauth2")
      expect(request?.headers["authorization"]).toBeUndefined()
      expect(request?.form).toEqual({
        grant_type: "client_credentials",
        client_id: server.credentials.oauth2.clientId,
        client_secret: Redacted.value(server.credentials.oauth2.clientSecret),
        scope: "read write",
        audience: "https://api.example.com"
      })
      expect(Option.getOrUndefined(token.scope)).toBe("read write")
    }))

  // Changes the server's lifetimes or credentials: a server of its own.
  it.effect("the password grant's refresh token renews the token, and once refused the password grant is sent again", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      yield* server.setRefreshLifetime("oauth2", "10 minutes")
      const provider = yield* client({ grant: yield* passwordGrant, backgroundRefresh: false })
      yield* provider.get
      yield* provider.refresh
      yield* TestClock.adjust("11 minutes")
      const latest = yield* provider.refresh
      expect(yield* apiStatus(latest.value)).toBe(200)
      expect(yield* grantsSent).toEqual([
        ["password", 200],
        ["refresh_token", 200],
        ["refresh_token", 400],
        ["password", 200]
      ])
    }).pipe(Effect.scoped, Effect.provide(Server.layer())))

  it.scoped("discovers the token endpoint from the issuer once, however many tokens follow", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const provider = yield* client({ issuer: server.urls.oauth2.issuer })
      expect(yield* server.requestCount("oauth2", "discovery")).toBe(0)
      yield* Effect.all([provider.get, provider.get, provider.get], { concurrency: "unbounded" })
      yield* provider.refresh
      yield* provider.refresh
      expect(yield* server.requestCount("oauth2", "discovery")).toBe(1)
      expect(yield* server.requestCount("oauth2")).toBe(3)
      const [request] = yield* server.requests("oauth2", "discovery")
      expect(request).toMatchObject({ method: "GET", url: "/oauth2/.well-known/openid-configuration" })
    }))

  it.scoped("a failed discovery is not kept: the next request discovers again", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      yield* server.setFault("oauth2", LocalProviderServer.serverError(503), { endpoint: "discovery", times: 1 })
      const provider = yield* client({ issuer: server.urls.oauth2.issuer, retry: Schedule.stop })
      const error = yield* Effect.flip(provider.get)
      expect(error).toMatchObject({
        _tag: "TemporarilyUnavailable",
        status: 503,
        endpoint: server.urls.oauth2.discoveryUrl
      })
      expect(error.message).toContain("OpenID discovery of")
      yield* provider.get
      expect(yield* server.requestCount("oauth2", "discovery")).toBe(2)
    }))

  it.scoped("an issuer without a discovery document is WrongHost with a hint to check the issuer", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const error = yield* Effect.flip((yield* client({ issuer: `${server.origin}/no-such-realm` })).get)
      expect(error).toMatchObject({
        _tag: "WrongHost",
        reason: "NotFound",
        status: 404,
        endpoint: `${server.origin}/no-such-realm/.well-known/openid-configuration`
      })
      expect(error.message).toContain("check the issuer URL")
    }))

  it.effect("a discovery document without token_endpoint, or not JSON, is InvalidTokenResponse", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const discover = Effect.flip(OpenIdDiscovery.discover(server.urls.oauth2.issuer))
      yield* server.setFault("oauth2", LocalProviderServer.missingAccessToken, { endpoint: "discovery", times: 1 })
      expect(yield* discover).toMatchObject({
        _tag: "InvalidTokenResponse",
        reason: "InvalidField",
        detail: "the OpenID configuration has no valid token_endpoint"
      })
      yield* server.setFault("oauth2", LocalProviderServer.html, { endpoint: "discovery", times: 1 })
      expect(yield* discover).toMatchObject({ _tag: "InvalidTokenResponse", reason: "NotJson" })
    }))

  it.effect("a discovery document naming another issuer is refused (OpenID Connect Discovery §4.3)", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const elsewhere = server.urls.oauth2.issuer.replace("127.0.0.1", "localhost")
      const error = yield* Effect.flip(OpenIdDiscovery.discover(elsewhere))
      expect(error).toMatchObject({ _tag: "InvalidTokenResponse", reason: "InvalidField" })
      expect(error.message).toContain(`names issuer ${server.urls.oauth2.issuer}, not ${elsewhere}`)
    }))

  it.effect("reads the metadata, with revocation_endpoint only when the server has one", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const oauth2 = yield* OpenIdDiscovery.discover(server.urls.oauth2.issuer)
      expect(oauth2.tokenEndpoint).toBe(server.urls.oauth2.tokenUrl)
      expect(Option.getOrUndefined(oauth2.revocationEndpoint)).toBe(server.urls.oauth2.revocationUrl)
      const keycloak = yield* OpenIdDiscovery.discover(server.urls["up42-account"].issuer)
      expect(keycloak.tokenEndpoint).toBe(server.urls["up42-account"].tokenUrl)
      expect(Option.isNone(keycloak.revocationEndpoint)).toBe(true)
    }))

  it.scoped("speaks to a Keycloak realm found by discovery as a public client with the password grant", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const account = server.credentials.up42Account
      const provider = yield* OAuth2.make({
        issuer: server.urls["up42-account"].issuer,
        clientId: "up42-api",
        grant: Grant.password({ username: account.username, password: account.password })
      })
      const token = yield* provider.get
      expect(Option.isSome(token.refreshToken)).toBe(true)
      const [request] = yield* server.requests("up42-account")
      expect(request?.form).toMatchObject({ grant_type: "password", client_id: "up42-api" })
    }))

  it.effect("revokeOnClose revokes the refresh and access tokens at the discovered endpoint when the scope closes", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const grant = yield* passwordGrant
      const token = yield* Effect.scoped(
        Effect.flatMap(client({ issuer: server.urls.oauth2.issuer, grant, revokeOnClose: true }), (provider) => provider.get)
      )
      const revocations = yield* server.requests("oauth2", "revocation")
      expect(revocations.map((request) => [request.form["token_type_hint"], request.status])).toEqual([
        ["refresh_token", 200],
        ["access_token", 200]
      ])
      expect(revocations[1]?.form["token"]).toBe(Redacted.value(token.value))
      expect(yield* apiStatus(token.value)).toBe(401)
    }))

  it.effect("layerConfig discovers from OAUTH2_ISSUER with OAUTH2_CLIENT_ID and OAUTH2_CLIENT_SECRET", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const config = ConfigProvider.fromMap(new Map(Object.entries(server.environment)))
      const token = yield* TokenProvider.get.pipe(
        Effect.provide(OAuth2.layerConfig().pipe(Layer.provide(Layer.setConfigProvider(config))))
      )
      expect(yield* apiStatus(token.value)).toBe(200)
      expect(yield* server.requestCount("oauth2", "discovery")).toBe(1)
    }))

  it.effect("layerConfig reads the token URL, client_secret_post, the password grant and the scope", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const credentials = server.credentials.oauth2
      const config = ConfigProvider.fromMap(
        new Map(Object.entries({
          OAUTH2_TOKEN_URL: server.urls.oauth2.tokenUrl,
          OAUTH2_CLIENT_ID: credentials.clientId,
          OAUTH2_CLIENT_SECRET: Redacted.value(credentials.clientSecret),
          OAUTH2_CLIENT_AUTHENTICATION: "client_secret_post",
          OAUTH2_GRANT_TYPE: "password",
          OAUTH2_USERNAME: credentials.username,
          OAUTH2_PASSWORD: Redacted.value(credentials.password),
          OAUTH2_SCOPE: "read",
          OAUTH2_AUDIENCE: "reports"
        }))
      )
      yield* TokenProvider.get.pipe(Effect.provide(OAuth2.layerConfig().pipe(Layer.provide(Layer.setConfigProvider(config)))))
      const [request] = yield* server.requests("oauth2")
      expect(request?.form).toMatchObject({
        grant_type: "password",
        username: credentials.username,
        client_id: credentials.clientId,
        scope: "read",
        audience: "reports"
      })
    }))

  it.effect("bad settings fail when the layer is built, before any request", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const build = (options: OAuth2.Options) => Effect.flip(Layer.build(OAuth2.layer(options)).pipe(Effect.scoped))
      const line = { secret: Redacted.make, password: ({ password, username }: OAuth2BadSettings.PasswordGrant) => Grant.password({ username, password: Redacted.make(password) }) }
      for (const row of OAuth2BadSettings.rows) {
        expect(yield* build(OAuth2BadSettings.optionsOf(row, server.urls.oauth2, line) as never)).toMatchObject(row.error)
      }
      // The same from the OAUTH2_* variables: Configuration.test.ts.
      expect(yield* server.requestCount("oauth2")).toBe(0)
      expect(yield* server.requestCount("oauth2", "discovery")).toBe(0)
    }))
})

layer(Server.layer())("OAuth2 options name the setting and what it may hold, never its value", (it) => {
  /** A value that must appear in no printed form of an error. */
  const canary = "canary-value-7f3a9c"

  const expectNotPrinted = (error: unknown, value: string) => {
    expect(String(error)).not.toContain(value)
    expect(JSON.stringify(error)).not.toContain(value)
    expect(inspect(error, { depth: null })).not.toContain(value)
    expect((error as Error).message).not.toContain(value)
  }

  it.effect("a clientAuthentication given in code that is not a method is refused with the allowed methods, without its value", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const error = yield* Effect.flip(OAuth2.make({
        tokenUrl: server.urls.oauth2.tokenUrl,
        clientId: "c",
        clientSecret: Redacted.make("s"),
        // What a JavaScript caller (or a value read from elsewhere) can pass.
        clientAuthentication: canary as OAuth2.Options["clientAuthentication"]
      }).pipe(Effect.scoped))
      expect(error).toMatchObject({ _tag: "InvalidConfiguration", setting: "clientAuthentication" })
      expect(error.message).toContain("client_secret_basic, client_secret_post or none")
      expectNotPrinted(error, canary)
    }))
})
