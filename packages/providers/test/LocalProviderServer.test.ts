import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Encoding, Either, Fiber, Redacted, TestClock } from "effect"
import { createHmac } from "node:crypto"
import { ClientSecretBasic, Provider, Providers } from "@effect-bearer/kernel"
import { LocalProviderServer } from "@effect-bearer/providers"
import * as Server from "./support/server.js"

/** `Basic base64(urlencode(id):urlencode(secret))`, as RFC 6749 §2.3.1 says. */
const basic = (id: string, secret: Redacted.Redacted<string>) => ClientSecretBasic.authorization(id, Redacted.value(secret))

const claimsOf = (jwt: string) => {
  const [, payload] = jwt.split(".")
  const decoded = Encoding.decodeBase64UrlString(payload ?? "")
  return JSON.parse(Either.getOrThrow(decoded)) as Record<string, unknown>
}

/** A UP42 project token, as the legacy curl recipe gets it. */
const up42ProjectToken = Effect.gen(function*() {
  const server = yield* Server.server
  const [project] = server.credentials.up42Projects
  const response = yield* HttpClient.execute(
    Server.formPost(server.urls["up42-project"].tokenUrl, { grant_type: "client_credentials" }).pipe(
      HttpClientRequest.setHeader("authorization", basic(project!.projectId, project!.projectApiKey))
    )
  )
  const body = (yield* response.json) as { data: { accessToken: string } }
  return body.data.accessToken
})

const up42AccountPassword = Effect.gen(function*() {
  const server = yield* Server.server
  const account = server.credentials.up42Account
  return yield* HttpClient.execute(
    Server.formPost(server.urls["up42-account"].tokenUrl, {
      username: account.username,
      password: Redacted.value(account.password),
      grant_type: "password",
      client_id: "up42-api"
    })
  )
})

const callApi = (url: string, token?: string, method: "GET" | "POST" = "GET") =>
  HttpClient.execute(
    (method === "GET" ? HttpClientRequest.get(url) : HttpClientRequest.post(url)).pipe(
      token === undefined ? (request) => request : HttpClientRequest.bearerToken(token)
    )
  )

describe("LocalProviderServer", () => {
  it.effect("answers 404 with an RFC 6749 error body to an unknown path", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      const response = yield* HttpClient.execute(Server.formPost(`${server.origin}/realms/public/token`, {}))
      expect(response.status).toBe(404)
      expect(yield* response.json).toMatchObject({ error: "not_found" })
    }).pipe(Effect.provide(Server.layer())))

  it.effect("answers 415 when a token request is not form-encoded", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      for (const url of Object.values(server.urls).map((urls) => urls.tokenUrl)) {
        const response = yield* HttpClient.execute(
          HttpClientRequest.post(url).pipe(HttpClientRequest.bodyUnsafeJson({ grant_type: "client_credentials" }))
        )
        expect(response.status, url).toBe(415)
        expect(yield* response.json).toMatchObject({ error: "invalid_request" })
      }
    }).pipe(Effect.provide(Server.layer())))

  it.effect("answers 401 to the UP42 account token endpoint without client_id or grant_type", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      const account = server.credentials.up42Account
      const withoutClientId = yield* HttpClient.execute(
        Server.formPost(server.urls["up42-account"].tokenUrl, {
          username: account.username,
          password: Redacted.value(account.password),
          grant_type: "password"
        })
      )
      expect(withoutClientId.status).toBe(401)
      expect(yield* withoutClientId.json).toMatchObject({ error: "invalid_client" })
      const withoutGrantType = yield* HttpClient.execute(
        Server.formPost(server.urls["up42-account"].tokenUrl, {
          username: account.username,
          password: Redacted.value(account.password),
          client_id: "up42-api"
        })
      )
      expect(withoutGrantType.status).toBe(401)
      expect(yield* withoutGrantType.json).toMatchObject({ error: "invalid_request" })
    }).pipe(Effect.provide(Server.layer())))

  it.effect("a form-encoded request without grant_type is not a 415: UP42's page lists it under 401, the others answer invalid_request", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      const { bitquery, hydrosat } = server.credentials
      const [project] = server.credentials.up42Projects
      const requests = [
        Server.formPost(server.urls["up42-account"].tokenUrl, { client_id: "up42-api", username: "u", password: "p" }),
        Server.formPost(server.urls["up42-project"].tokenUrl, {}).pipe(
          HttpClientRequest.basicAuth(project!.projectId, Redacted.value(project!.projectApiKey))
        ),
        Server.formPost(server.urls.bitquery.tokenUrl, {
          client_id: bitquery.clientId,
          client_secret: Redacted.value(bitquery.clientSecret),
          scope: "api"
        }),
        Server.formPost(server.urls.hydrosat.tokenUrl, {
          client_id: hydrosat.clientId,
          client_secret: Redacted.value(hydrosat.clientSecret)
        })
      ]
      for (const request of requests) {
        const response = yield* HttpClient.execute(request)
        expect(response.status, request.url).toBe(401)
        expect(yield* response.json, request.url).toMatchObject({ error: "invalid_request" })
      }
    }).pipe(Effect.provide(Server.layer())))

  it.effect("answers 400 invalid_scope to a Bitquery token request without scope=api", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      const { bitquery } = server.credentials
      const form = {
        grant_type: "client_credentials",
        client_id: bitquery.clientId,
        client_secret: Redacted.value(bitquery.clientSecret)
      }
      const withoutScope = yield* HttpClient.execute(Server.formPost(server.urls.bitquery.tokenUrl, form))
      expect(withoutScope.status).toBe(400)
      expect(yield* withoutScope.json).toMatchObject({ error: "invalid_scope" })
      const withScope = yield* HttpClient.execute(Server.formPost(server.urls.bitquery.tokenUrl, { ...form, scope: "api" }))
      expect(withScope.status).toBe(200)
    }).pipe(Effect.provide(Server.layer())))

  it.effect("UP42's public endpoints answer without a token; the others challenge", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      const collections = yield* HttpClient.execute(HttpClientRequest.get(server.urls["up42-account"].publicApiUrl))
      expect(collections.status).toBe(200)
      expect(yield* collections.json).toMatchObject({ data: [{ name: "local-collection" }] })
      const account = yield* HttpClient.execute(HttpClientRequest.get(server.urls["up42-account"].apiUrl))
      expect(account.status).toBe(401)
      expect(yield* server.requestCount("up42-account", "api")).toBe(2)
      expect(yield* server.requestCount("up42-account")).toBe(0)
    }).pipe(Effect.provide(Server.layer())))

  it.effect("answers 401 with invalid_client and a Basic challenge to a wrong UP42 project key", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      const [project] = server.credentials.up42Projects
      const response = yield* HttpClient.execute(
        Server.formPost(server.urls["up42-project"].tokenUrl, { grant_type: "client_credentials" }).pipe(
          HttpClientRequest.setHeader("authorization", basic(project!.projectId, Redacted.make("wrong")))
        )
      )
      expect(response.status).toBe(401)
      expect(response.headers["www-authenticate"]).toBe("Basic realm=\"up42\"")
      expect(yield* response.json).toMatchObject({ error: "invalid_client" })
    }).pipe(Effect.provide(Server.layer())))

  it.effect("issues UP42 project tokens as HS512 JWTs with iat and exp, signed with its key", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      yield* TestClock.setTime(1_700_000_000_000)
      const token = yield* up42ProjectToken
      const [header, payload, signature] = token.split(".")
      expect(JSON.parse(Buffer.from(header!, "base64url").toString())).toEqual({ alg: "HS512", typ: "JWT" })
      const expected = createHmac("sha512", Redacted.value(server.signingSecret)).update(`${header}.${payload}`).digest(
        "base64url"
      )
      expect(signature).toBe(expected)
      expect(claimsOf(token)).toMatchObject({
        sub: server.credentials.up42Projects[0]!.projectId,
        iat: 1_700_000_000,
        exp: 1_700_000_300
      })
    }).pipe(Effect.provide(Server.layer())))

  it.effect("its APIs answer 401 with a bearer challenge to a missing token, without an error code", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      const response = yield* callApi(server.urls.hydrosat.apiUrl)
      expect(response.status).toBe(401)
      expect(response.headers["www-authenticate"]).toBe("Bearer realm=\"hydrosat\"")
    }).pipe(Effect.provide(Server.layer())))

  it.effect("its APIs answer 401 invalid_token to an unknown token, and Bitquery says Unauthorized", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      const response = yield* callApi(server.urls.bitquery.apiUrl, "ory_at_made-up", "POST")
      expect(response.status).toBe(401)
      expect(response.headers["www-authenticate"]).toContain("error=\"invalid_token\"")
      expect(yield* response.text).toBe("Unauthorized")
    }).pipe(Effect.provide(Server.layer())))

  it.effect("its APIs accept a token until it expires on the server's clock, then answer 401", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      const token = yield* up42ProjectToken
      const fresh = yield* callApi(server.urls["up42-project"].apiUrl, token)
      expect(fresh.status).toBe(200)
      expect(yield* fresh.json).toMatchObject({ data: [{ id: server.credentials.up42Projects[0]!.projectId }] })
      yield* TestClock.adjust("299 seconds")
      expect((yield* callApi(server.urls["up42-project"].apiUrl, token)).status).toBe(200)
      yield* TestClock.adjust("1 second")
      const expired = yield* callApi(server.urls["up42-project"].apiUrl, token)
      expect(expired.status).toBe(401)
      expect(expired.headers["www-authenticate"]).toContain("error_description=\"The access token expired\"")
    }).pipe(Effect.provide(Server.layer())))

  it.effect("an API refuses another provider's token", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      const token = yield* up42ProjectToken
      expect((yield* callApi(server.urls.hydrosat.apiUrl, token)).status).toBe(401)
    }).pipe(Effect.provide(Server.layer())))

  it.effect("revokeTokens makes the APIs refuse every token issued so far, console tokens included", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      const token = yield* up42ProjectToken
      const console = Redacted.value(server.credentials.bitquery.accessToken)
      expect((yield* callApi(server.urls.bitquery.apiUrl, console, "POST")).status).toBe(200)
      yield* server.revokeTokens()
      const refused = yield* callApi(server.urls["up42-project"].apiUrl, token)
      expect(refused.status).toBe(401)
      expect(refused.headers["www-authenticate"]).toContain("The access token was revoked")
      expect((yield* callApi(server.urls.bitquery.apiUrl, console, "POST")).status).toBe(401)
      expect((yield* callApi(server.urls["up42-project"].apiUrl, yield* up42ProjectToken)).status).toBe(200)
    }).pipe(Effect.provide(Server.layer())))

  it.effect("a Status fault answers its status and Retry-After for `times` requests, then the endpoint recovers", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      yield* server.setFault("up42-account", LocalProviderServer.rateLimited("7 seconds"), { times: 2 })
      const first = yield* up42AccountPassword
      expect(first.status).toBe(429)
      expect(first.headers["retry-after"]).toBe("7")
      expect(yield* first.json).toMatchObject({ error: "temporarily_unavailable" })
      expect((yield* up42AccountPassword).status).toBe(429)
      expect((yield* up42AccountPassword).status).toBe(200)
      expect(yield* server.requestCount("up42-account")).toBe(3)
      expect((yield* server.requests("up42-account")).map((request) => request.status)).toEqual([429, 429, 200])
    }).pipe(Effect.provide(Server.layer())))

  it.effect("a Slow fault sleeps on the server's clock before answering", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      yield* server.setFault("up42-account", LocalProviderServer.slow("30 seconds"))
      const fiber = yield* Effect.fork(up42AccountPassword)
      // The server's handler waits on the TestClock once the request has arrived.
      yield* Server.waitUntil(Effect.map(TestClock.sleeps(), (sleeps) => sleeps.length > 0))
      expect(fiber.unsafePoll()).toBeNull()
      yield* TestClock.adjust("30 seconds")
      const response = yield* Fiber.join(fiber)
      expect(response.status).toBe(200)
    }).pipe(Effect.provide(Server.layer())))

  it.effect("body faults break only successful answers", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      yield* server.setFault("up42-account", LocalProviderServer.html)
      const page = yield* up42AccountPassword
      expect(page.headers["content-type"]).toContain("text/html")
      yield* server.setFault("up42-account", LocalProviderServer.truncatedJson)
      const truncated = yield* (yield* up42AccountPassword).text
      expect(() => JSON.parse(truncated)).toThrow(SyntaxError)
      yield* server.setFault("up42-account", LocalProviderServer.missingAccessToken)
      const missing = (yield* (yield* up42AccountPassword).json) as Record<string, unknown>
      expect(missing["access_token"]).toBeUndefined()
      expect(missing["refresh_token"]).toBeTypeOf("string")
      const refused = yield* HttpClient.execute(
        Server.formPost(server.urls["up42-account"].tokenUrl, { grant_type: "password", client_id: "up42-api" })
      )
      expect(refused.status).toBe(401)
    }).pipe(Effect.provide(Server.layer())))

  it.effect("counts requests per endpoint", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      const token = yield* up42ProjectToken
      yield* callApi(server.urls["up42-project"].apiUrl, token)
      yield* callApi(server.urls["up42-project"].apiUrl, token)
      expect(yield* server.requestCount("up42-project")).toBe(1)
      expect(yield* server.requestCount("up42-project", "api")).toBe(2)
      expect(yield* server.requestCount("hydrosat")).toBe(0)
    }).pipe(Effect.provide(Server.layer())))

  it.effect("UP42 account refresh tokens work until the session's refresh_expires_in, then invalid_grant", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      const refresh = (refreshToken: string) =>
        HttpClient.execute(
          Server.formPost(server.urls["up42-account"].tokenUrl, {
            grant_type: "refresh_token",
            refresh_token: refreshToken,
            client_id: "up42-api"
          })
        )
      const login = (yield* (yield* up42AccountPassword).json) as Record<string, unknown>
      expect(login).toMatchObject({
        expires_in: 300,
        refresh_expires_in: 1800,
        token_type: "Bearer",
        "not-before-policy": 0,
        scope: "ACCOUNT_ADMIN USER"
      })
      expect(login["session_state"]).toMatch(/^[0-9a-f-]{36}$/)
      yield* TestClock.adjust("1700 seconds")
      const renewed = (yield* (yield* refresh(login["refresh_token"] as string)).json) as Record<string, unknown>
      // The session ends 1800 s after the login: the new tokens do not outlive it.
      expect(renewed).toMatchObject({ expires_in: 100, refresh_expires_in: 100 })
      yield* TestClock.adjust("100 seconds")
      const expired = yield* refresh(renewed["refresh_token"] as string)
      expect(expired.status).toBe(400)
      expect(yield* expired.json).toMatchObject({ error: "invalid_grant" })
    }).pipe(Effect.provide(Server.layer())))

  it.effect("serves OpenID discovery documents naming its endpoints", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      const oauth2 = yield* HttpClient.get(server.urls.oauth2.discoveryUrl)
      expect(yield* oauth2.json).toMatchObject({
        issuer: server.urls.oauth2.issuer,
        token_endpoint: server.urls.oauth2.tokenUrl,
        revocation_endpoint: server.urls.oauth2.revocationUrl
      })
      const keycloak = (yield* (yield* HttpClient.get(server.urls["up42-account"].discoveryUrl)).json) as Record<string, unknown>
      expect(keycloak).toMatchObject({ issuer: server.urls["up42-account"].issuer, token_endpoint: server.urls["up42-account"].tokenUrl })
      expect(keycloak["revocation_endpoint"]).toBeUndefined()
      expect(yield* server.requestCount("oauth2", "discovery")).toBe(1)
    }).pipe(Effect.provide(Server.layer())))

  it.effect("RFC 7009 revocation of a refresh token ends its grant, access tokens included", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      const client = server.credentials.oauth2
      const response = yield* HttpClient.execute(
        Server.formPost(server.urls.oauth2.tokenUrl, {
          grant_type: "password",
          username: client.username,
          password: Redacted.value(client.password),
          scope: "read"
        }).pipe(HttpClientRequest.setHeader("authorization", basic(client.clientId, client.clientSecret)))
      )
      const tokens = (yield* response.json) as { access_token: string; refresh_token: string; scope: string }
      expect(tokens.scope).toBe("read")
      expect((yield* callApi(server.urls.oauth2.apiUrl, tokens.access_token)).status).toBe(200)
      const revoked = yield* HttpClient.execute(
        Server.formPost(server.urls.oauth2.revocationUrl, {
          token: tokens.refresh_token,
          token_type_hint: "refresh_token",
          client_id: client.clientId,
          client_secret: Redacted.value(client.clientSecret)
        })
      )
      expect(revoked.status).toBe(200)
      expect((yield* callApi(server.urls.oauth2.apiUrl, tokens.access_token)).status).toBe(401)
      expect(yield* server.requestCount("oauth2", "revocation")).toBe(1)
    }).pipe(Effect.provide(Server.layer())))

  it.effect("speaks each provider's record: its documented token path under the provider's prefix, its variable names", () =>
    Effect.gen(function*() {
      const server = yield* Server.server
      const served = [
        [server.urls["up42-project"].tokenUrl, Providers.up42Project],
        [server.urls["up42-account"].tokenUrl, Providers.up42Account],
        [server.urls.bitquery.tokenUrl, Providers.bitquery],
        [server.urls.hydrosat.tokenUrl, Providers.hydrosat]
      ] as const
      for (const [url, record] of served) {
        expect(new URL(url).pathname).toMatch(new RegExp(`^/[a-z0-9-]+${new URL(Provider.tokenUrl(record)!).pathname}$`))
      }
      const variables = new Set(Providers.all.flatMap((record) => record.environment.variables.map((variable) => variable.name)))
      expect(Object.keys(server.environment).filter((name) => !variables.has(name))).toEqual([])
      expect(server.credentials.up42Account.clientId).toBe(Providers.up42Account.clientId)
    }).pipe(Effect.provide(Server.layer())))
})
