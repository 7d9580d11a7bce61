import { describe, expect, it } from "@effect/vitest"
import * as Answers from "@effect-bearer/conformance/TokenEndpointAnswers"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Duration, Effect, Either, Option, Redacted } from "effect"
import { ClientAuthentication, Grant, TokenEndpoint, type TokenError } from "@effect-bearer/core"
import * as TokenServer from "./support/TokenServer.js"

const basic = (id: string, secret: string) =>
  ClientAuthentication.clientSecretBasic({ clientId: id, clientSecret: Redacted.make(secret) })
const post = (id: string, secret: string) =>
  ClientAuthentication.clientSecretPost({ clientId: id, clientSecret: Redacted.make(secret) })

/** Builds an endpoint on the test server, runs one request and returns what the server saw. */
const exchange = (
  options: Omit<TokenEndpoint.Options, "url"> & { readonly path?: string },
  grant: Grant.Grant = Grant.clientCredentials
) =>
  Effect.gen(function*() {
    const server = yield* TokenServer.TokenServer
    const endpoint = yield* TokenEndpoint.make({ ...options, url: `${server.origin}${options.path ?? "/token"}` })
    const result = yield* Effect.either(TokenEndpoint.requestToken(endpoint, grant))
    const requests = yield* server.requests
    return { result, requests, server }
  })

const failWith = (
  handler: TokenServer.Handler,
  options: Partial<TokenEndpoint.Options> = {}
): Effect.Effect<TokenError.TokenError, never, TokenServer.TokenServer | import("@effect/platform/HttpClient").HttpClient> =>
  Effect.gen(function*() {
    const server = yield* TokenServer.TokenServer
    yield* server.handle(handler)
    const { result } = yield* exchange({ clientAuthentication: basic("client", "secret"), ...options }).pipe(Effect.orDie)
    if (Either.isRight(result)) return yield* Effect.dieMessage("expected the request to fail")
    return result.left
  })

describe("TokenEndpoint.requestToken sends", () => {
  it.effect("client_credentials with client_secret_basic: form-encoded id and secret in HTTP Basic (RFC 6749 §2.3.1)", () =>
    Effect.gen(function*() {
      const { requests } = yield* exchange({ clientAuthentication: basic("my client", Answers.awkwardSecret) })
      expect(requests).toHaveLength(1)
      const [request] = requests
      expect(request?.method).toBe("POST")
      expect(request?.path).toBe("/token")
      expect(request?.headers["content-type"]).toBe("application/x-www-form-urlencoded")
      expect(request?.headers["accept"]).toBe("application/json")
      expect(request?.headers["authorization"]).toBe(`Basic ${Buffer.from(Answers.awkwardBasicCredentials).toString("base64")}`)
      expect(request?.body).toBe("grant_type=client_credentials")
    }).pipe(Effect.provide(TokenServer.layer)))

  it.effect("client_credentials with client_secret_post: id and secret in the form body", () =>
    Effect.gen(function*() {
      const { requests } = yield* exchange({ clientAuthentication: post("my client", Answers.awkwardSecret), scope: "api" })
      const [request] = requests
      expect(request?.headers["authorization"]).toBeUndefined()
      expect(Object.fromEntries(request?.form ?? [])).toEqual({
        grant_type: "client_credentials",
        client_id: "my client",
        client_secret: Answers.awkwardSecret,
        scope: "api"
      })
    }).pipe(Effect.provide(TokenServer.layer)))

  it.effect("password grant from a public client: username, password and client_id in the body", () =>
    Effect.gen(function*() {
      const grant = Grant.password({ username: "me@example.com", password: Redacted.make(Answers.awkwardSecret) })
      const { requests } = yield* exchange({ clientAuthentication: ClientAuthentication.publicClient("up42-api") }, grant)
      const [request] = requests
      expect(request?.headers["authorization"]).toBeUndefined()
      expect(request?.body).toBe(Answers.awkwardPasswordBody)
    }).pipe(Effect.provide(TokenServer.layer)))

  it.effect("refresh_token grant with the client's authentication", () =>
    Effect.gen(function*() {
      const { requests } = yield* exchange(
        { clientAuthentication: post("c", "s") },
        Grant.refreshToken(Redacted.make("refresh-1"))
      )
      expect(Object.fromEntries(requests[0]?.form ?? [])).toEqual({
        grant_type: "refresh_token",
        refresh_token: "refresh-1",
        client_id: "c",
        client_secret: "s"
      })
    }).pipe(Effect.provide(TokenServer.layer)))

  it.effect("extra parameters (scope list, audience) without letting them override the grant", () =>
    Effect.gen(function*() {
      const { requests } = yield* exchange({
        clientAuthentication: basic("c", "s"),
        scope: ["read", "write"],
        parameters: { audience: "https://api.example", grant_type: "ignored" }
      })
      expect(Object.fromEntries(requests[0]?.form ?? [])).toEqual({
        grant_type: "client_credentials",
        audience: "https://api.example",
        scope: "read write"
      })
    }).pipe(Effect.provide(TokenServer.layer)))

  it.effect("the token URL's query string as configured", () =>
    Effect.gen(function*() {
      const { requests } = yield* exchange({ clientAuthentication: basic("c", "s"), path: "/token?p=policy" })
      expect(requests[0]?.path).toBe("/token?p=policy")
    }).pipe(Effect.provide(TokenServer.layer)))
})

describe("TokenEndpoint.requestToken reads", () => {
  const lifetimeOf = (handler: TokenServer.Handler, defaultLifetime?: Duration.DurationInput) =>
    Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      yield* server.handle(handler)
      const { result } = yield* exchange({ clientAuthentication: basic("c", "s"), defaultLifetime })
      const token = Either.getOrThrow(result)
      return { seconds: Duration.toSeconds(token.lifetime), source: token.lifetimeSource, token }
    })
  const jwt = (claims: object) =>
    `${Buffer.from("{\"alg\":\"HS512\"}").toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.sig`

  it.effect("token_type in any case, normalised to Bearer", () =>
    Effect.gen(function*() {
      const { token } = yield* lifetimeOf(() => Effect.succeed(TokenServer.json({ access_token: "t", token_type: "bEaReR" })))
      expect(token.tokenType).toBe("Bearer")
    }).pipe(Effect.provide(TokenServer.layer)))

  it.effect("expires_in as a number", () =>
    Effect.gen(function*() {
      expect(yield* lifetimeOf(() => Effect.succeed(TokenServer.tokenResponse("t", { expires_in: 3600 })))).toMatchObject({
        seconds: 3600,
        source: "expires_in"
      })
    }).pipe(Effect.provide(TokenServer.layer)))

  it.effect("expires_in as a numeric string", () =>
    Effect.gen(function*() {
      expect(yield* lifetimeOf(() => Effect.succeed(TokenServer.tokenResponse("t", { expires_in: "2627999" })))).toMatchObject({
        seconds: 2627999,
        source: "expires_in"
      })
    }).pipe(Effect.provide(TokenServer.layer)))

  it.effect("without expires_in, the JWT's exp - iat", () =>
    Effect.gen(function*() {
      const token = jwt({ iat: 1_000, exp: 1_300 })
      const result = yield* lifetimeOf(() => Effect.succeed(TokenServer.json({ access_token: token, token_type: "bearer" })))
      expect(result).toMatchObject({ seconds: 300, source: "jwt" })
    }).pipe(Effect.provide(TokenServer.layer)))

  it.effect("without expires_in or JWT, the configured default lifetime", () =>
    Effect.gen(function*() {
      const result = yield* lifetimeOf(
        () => Effect.succeed(TokenServer.json({ access_token: "ory_at_opaque", token_type: "bearer" })),
        "1 hour"
      )
      expect(result).toMatchObject({ seconds: 3600, source: "default" })
    }).pipe(Effect.provide(TokenServer.layer)))

  it.effect("scope, refresh_token and Keycloak's refresh_expires_in", () =>
    Effect.gen(function*() {
      const { token } = yield* lifetimeOf(() =>
        Effect.succeed(TokenServer.tokenResponse("t", { refresh_token: "r", refresh_expires_in: 1800, scope: "ACCOUNT_ADMIN USER" }))
      )
      expect(Option.getOrNull(token.scope)).toBe("ACCOUNT_ADMIN USER")
      const refresh = Option.getOrThrow(token.refreshToken)
      expect(Redacted.value(refresh.value)).toBe("r")
      expect(Option.getOrThrow(refresh.expiresAt) - token.issuedAt).toBe(1_800_000)
    }).pipe(Effect.provide(TokenServer.layer)))

  it.effect("a lifetime capped at maximumLifetime", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      yield* server.handle(() => Effect.succeed(TokenServer.tokenResponse("t", { expires_in: 1e12 })))
      const { result } = yield* exchange({ clientAuthentication: basic("c", "s"), maximumLifetime: "30 days" })
      expect(Duration.toDays(Either.getOrThrow(result).lifetime)).toBe(30)
    }).pipe(Effect.provide(TokenServer.layer)))
})

describe("TokenEndpoint.requestToken fails with", () => {
  for (const { answer, expected, name, retryAfterSeconds } of Answers.failures) {
    it.effect(name, () =>
      Effect.gen(function*() {
        const error = yield* failWith(() => Effect.succeed(TokenServer.fromAnswer(answer)))
        expect(error).toMatchObject(expected)
        if (retryAfterSeconds !== undefined) {
          expect(error._tag === "TemporarilyUnavailable" && error.retryAfter !== undefined && Duration.toSeconds(error.retryAfter))
            .toBe(retryAfterSeconds)
        }
        expect(error.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/token$/)
        expect(error.message.length).toBeGreaterThan(20)
      }).pipe(Effect.provide(TokenServer.layer)))
  }

  it.effect("InvalidTokenResponse for a 204 through fetch, which has no body at all", () =>
    Effect.gen(function*() {
      const error = yield* failWith(() => Effect.succeed(HttpServerResponse.empty({ status: 204 }))).pipe(
        Effect.provide(FetchHttpClient.layer)
      )
      expect(error).toMatchObject({ _tag: "InvalidTokenResponse", reason: "NotJson", status: 204 })
    }).pipe(Effect.provide(TokenServer.layer)))

  it.effect("the provider's hint for that error appended to the message", () =>
    Effect.gen(function*() {
      const error = yield* failWith(() => Effect.succeed(HttpServerResponse.empty({ status: 404 })), {
        hints: { WrongHost: "Tokens come from auth.example, not api.example." }
      })
      expect(error.hint).toBe("Tokens come from auth.example, not api.example.")
      expect(error.message).toContain("Tokens come from auth.example, not api.example.")
    }).pipe(Effect.provide(TokenServer.layer)))

  it.effect("TemporarilyUnavailable (Transport) when nothing listens", () =>
    Effect.gen(function*() {
      const endpoint = yield* TokenEndpoint.make({ url: "http://127.0.0.1:1/token", clientAuthentication: basic("c", "s") })
      const error = yield* Effect.flip(TokenEndpoint.requestToken(endpoint, Grant.clientCredentials))
      expect(error).toMatchObject({ _tag: "TemporarilyUnavailable", reason: "Transport" })
    }).pipe(Effect.provide(TokenServer.layer)))
})

describe("TokenEndpoint.make refuses", () => {
  const refuse = (options: TokenEndpoint.Options) => Effect.flip(TokenEndpoint.make(options))

  it.effect("a URL that is not a URL, without repeating it (it may hold a pasted secret)", () =>
    Effect.gen(function*() {
      const error = yield* refuse({ url: "htps://client:pasted-secret@auth.example/token", clientAuthentication: basic("c", "s") })
      expect(error).toMatchObject({ _tag: "WrongHost", reason: "InvalidUrl" })
      expect(`${error.message} ${JSON.stringify(error)}`).not.toContain("pasted-secret")
    }))

  it.effect("a default or maximum lifetime that is not longer than zero", () =>
    Effect.gen(function*() {
      const options = { url: "https://auth.example/token", clientAuthentication: basic("c", "s") }
      expect(yield* refuse({ ...options, defaultLifetime: "-5 minutes" })).toMatchObject({ setting: "defaultLifetime" })
      expect(yield* refuse({ ...options, maximumLifetime: 0 })).toMatchObject({ setting: "maximumLifetime" })
    }))

  it.effect("plain http to anything but loopback", () =>
    Effect.gen(function*() {
      expect(yield* refuse({ url: "http://auth.example/token", clientAuthentication: basic("c", "s") })).toMatchObject({
        _tag: "WrongHost",
        reason: "InsecureEndpoint"
      })
    }))

  it.effect("credentials inside the URL", () =>
    Effect.gen(function*() {
      const error = yield* refuse({ url: "https://id:secret@auth.example/token", clientAuthentication: basic("c", "s") })
      expect(error).toMatchObject({ _tag: "InvalidConfiguration", setting: "url" })
      expect(error.message).not.toContain("secret@")
    }))

  it.effect("an empty or blank client id or secret", () =>
    Effect.gen(function*() {
      const url = "https://auth.example/token"
      expect(yield* refuse({ url, clientAuthentication: basic(" ", "s") })).toMatchObject({ setting: "clientId" })
      expect(yield* refuse({ url, clientAuthentication: post("c", "  ") })).toMatchObject({ setting: "clientSecret" })
    }))

  it.effect("accepts https anywhere and http on loopback", () =>
    Effect.gen(function*() {
      for (const url of ["https://auth.example/token", "http://127.0.0.1:8080/token", "http://localhost/token", "http://[::1]:9/t"]) {
        const endpoint = yield* TokenEndpoint.make({ url, clientAuthentication: basic("c", "s") })
        expect(endpoint.url).toBe(new URL(url).href)
      }
    }))
})
