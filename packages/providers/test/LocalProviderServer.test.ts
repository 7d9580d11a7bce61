/**
 * The Effect 3 edge of the local provider server: requests and responses over real HTTP
 * (status, headers, content types, empty bodies), time from `TestClock` (token expiry,
 * issue times, slow answers), faults with `Duration`s, `Redacted` secrets. The wire
 * behaviour itself (every route, grant, challenge, fault and recording) is tested without
 * Effect in packages/local-provider-server/test.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Encoding, Either, Fiber, Redacted, TestClock } from "effect"
import { createHmac } from "node:crypto"
import { ClientSecretBasic } from "@effect-bearer/kernel"
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
})
