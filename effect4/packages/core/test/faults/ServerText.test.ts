/**
 * What a server controls never reaches an error, a message or a span as it was sent: `error`,
 * `error_description`, `error_uri`, `token_type` and a discovery document's `issuer` are cut to
 * 200 characters, stripped of terminal escapes and control characters, and never repeat a
 * credential of the request; the token, revocation and discovery URLs' queries appear in no span
 * (Effect 4: the platform's span is off for these requests, the library's own spans say the
 * same without the query). Real HTTP on 127.0.0.1 with canary values.
 */
import { describe, expect, it } from "@effect/vitest"
import * as ClientSecretBasic from "@effect-bearer/kernel/ClientSecretBasic"
import { Effect, Exit, Redacted } from "effect"
import { ClientAuthentication, Grant, OpenIdDiscovery, TokenEndpoint, TokenError } from "@effect-bearer/core"
import * as Recording from "../support/Recording.js"
import * as TokenServer from "../support/TokenServer.js"
import { printedForms, typedFailure, withinRealTime } from "./Outcome.js"

const clientId = "server-text-client"
// Reserved characters, so that the form-encoded and URL-encoded forms differ from the raw one.
const clientSecret = "canary-secret-2c9e:+ é/="
const password = "canary-password-8a1f&x=1"
const refreshToken = "canary-refresh-token-6d07"
const revokedToken = "canary-revoked-token-b3e5"
const accessToken = "canary-access-token-e41a"
const queryCanary = "canary-query-secret-77f0"
const basicCredentials = ClientSecretBasic.authorization(clientId, clientSecret).slice("Basic ".length)

const canaries = [
  "canary-secret-2c9e",
  ClientSecretBasic.formEncode(clientSecret),
  encodeURIComponent(clientSecret),
  basicCredentials,
  "canary-password-8a1f",
  refreshToken,
  revokedToken,
  accessToken,
  queryCanary
]
const leaksIn = (texts: ReadonlyArray<string>) =>
  texts.flatMap((text) => canaries.filter((canary) => text.includes(canary)).map((canary) => `${canary} in ${text.slice(0, 200)}`))

// C0 controls, DEL, C1 controls, bidirectional overrides and isolates, zero-width space.
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b]/

const basic = ClientAuthentication.clientSecretBasic({ clientId, clientSecret: Redacted.make(clientSecret) })
const post = ClientAuthentication.clientSecretPost({ clientId, clientSecret: Redacted.make(clientSecret) })
const passwordGrant = Grant.password({ username: "someone@example.com", password: Redacted.make(password) })

/** A token request answered with `body` and `status`; the typed error and everything printed of it. */
const refusal = (options: {
  readonly body: unknown
  readonly status?: number
  readonly clientAuthentication?: ClientAuthentication.ClientAuthentication
  readonly grant?: Grant.Grant
}) =>
  Effect.gen(function*() {
    const server = yield* TokenServer.make
    yield* server.handle(() => Effect.succeed(TokenServer.json(options.body, { status: options.status ?? 400 })))
    const endpoint = yield* Effect.orDie(TokenEndpoint.make({ url: server.tokenUrl, clientAuthentication: options.clientAuthentication ?? post }))
    const exit = yield* Effect.exit(TokenEndpoint.requestToken(endpoint, options.grant ?? Grant.clientCredentials))
    const error = yield* typedFailure(exit)
    return { error, printed: printedForms(exit, error) }
  }).pipe(withinRealTime("10 seconds"), Effect.provide(TokenServer.layerClient))

describe("TokenError.sanitizeServerText (the kernel's rules through the core)", () => {
  it("replaces each credential, as is, form-encoded and URL-encoded, by <redacted>, and removes escapes", () => {
    expect(TokenError.sanitizeServerText("a s3 cr&t b s3+cr%26t c s3%20cr%26t\u001b[31m\r\nd", [Redacted.make("s3 cr&t")]))
      .toBe("a <redacted> b <redacted> c <redacted> d")
  })
})

describe("server text in token endpoint errors", () => {
  it.effect("an error_description repeating the client secret, the password and the Basic header says <redacted> instead", () =>
    Effect.gen(function*() {
      const { error, printed } = yield* refusal({
        body: {
          error: "invalid_client",
          error_description: `secret ${clientSecret} (${ClientSecretBasic.formEncode(clientSecret)}) password ${password} basic ${basicCredentials} for ${clientId}`
        },
        status: 401,
        clientAuthentication: basic,
        grant: passwordGrant
      })
      expect(error._tag).toBe("InvalidCredentials")
      expect(error.errorDescription).toBe(`secret <redacted> (<redacted>) password <redacted> basic <redacted> for ${clientId}`)
      expect(leaksIn(printed)).toEqual([])
    }))

  it.effect("an error_description repeating the refresh token of a refresh grant says <redacted> instead", () =>
    Effect.gen(function*() {
      const { error, printed } = yield* refusal({
        body: { error: "invalid_grant", error_description: `refresh token ${refreshToken} is not active` },
        grant: Grant.refreshToken(Redacted.make(refreshToken))
      })
      expect(error.errorDescription).toBe("refresh token <redacted> is not active")
      expect(leaksIn(printed)).toEqual([])
    }))

  it.effect("error, error_description and error_uri lose terminal escapes, control characters and line breaks", () =>
    Effect.gen(function*() {
      const { error, printed } = yield* refusal({
        body: {
          error: "invalid_request\u001b[2J\r\n",
          error_description: "bad\u001b[31m request\r\nX-Injected: yes\u0000\u0007\u202eevil",
          error_uri: "https://docs.example/\u001b]8;;https://evil\u0007errors\r\n"
        }
      })
      expect(error).toMatchObject({ _tag: "InvalidRequest", error: "invalid_request", errorDescription: "bad request X-Injected: yesevil", errorUri: "https://docs.example/errors" })
      for (const text of [error.message, String(error), JSON.stringify(error)]) {
        expect(text).not.toMatch(controlCharacters)
        expect(text).not.toContain("\\u001b")
      }
      expect(leaksIn(printed)).toEqual([])
    }))

  it.effect("a 10,000-character error_description is cut to 200 characters, and so is the message's share of it", () =>
    Effect.gen(function*() {
      const { error } = yield* refusal({ body: { error: "x".repeat(10_000), error_description: "d".repeat(10_000), error_uri: "u".repeat(10_000) } })
      for (const field of [error.error, error.errorDescription, error.errorUri]) {
        expect(field).toHaveLength(200)
        expect(field?.endsWith("…")).toBe(true)
      }
      expect(error.message.length).toBeLessThan(1_000)
    }))

  it.effect("a 200 answer whose token_type repeats the access token and the client secret quotes neither", () =>
    Effect.gen(function*() {
      const { error, printed } = yield* refusal({ body: { access_token: accessToken, token_type: `mac ${accessToken} ${clientSecret}`.slice(0, 40) }, status: 200 })
      expect(error).toMatchObject({ _tag: "InvalidTokenResponse", reason: "UnsupportedTokenType" })
      expect(leaksIn(printed)).toEqual([])
    }))

  it.effect("a revocation refusal repeating the revoked token says <redacted> instead", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.make
      yield* server.handle(() => Effect.succeed(TokenServer.json({ error: "invalid_request", error_description: `cannot revoke ${revokedToken}\r\n` }, { status: 400 })))
      const endpoint = yield* Effect.orDie(TokenEndpoint.make({ url: server.tokenUrl, revocationUrl: `${server.origin}/revoke`, clientAuthentication: post }))
      const exit = yield* Effect.exit(TokenEndpoint.revokeToken(endpoint, Redacted.make(revokedToken), "refresh_token"))
      const error = yield* typedFailure(exit)
      expect(error).toMatchObject({ errorDescription: "cannot revoke <redacted>" })
      expect(leaksIn(printedForms(exit, error))).toEqual([])
    }).pipe(Effect.provide(TokenServer.layerClient)))

  it.effect("a discovery document naming another issuer is quoted without escapes, line breaks or more than 200 characters", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.make
      yield* server.handle(() => Effect.succeed(TokenServer.json({ issuer: `https://evil.example/\u001b[31m\r\n${"i".repeat(5_000)}`, token_endpoint: server.tokenUrl })))
      const error = yield* typedFailure(yield* Effect.exit(OpenIdDiscovery.discover(server.origin)))
      expect(error).toMatchObject({ _tag: "InvalidTokenResponse", reason: "InvalidField" })
      const detail = error._tag === "InvalidTokenResponse" ? error.detail : ""
      expect(detail).toMatch(/^the OpenID configuration names issuer https:\/\/evil\.example\/ i+…, not /)
      expect(detail.length).toBeLessThan(300)
      expect(error.message).not.toMatch(controlCharacters)
    }).pipe(Effect.provide(TokenServer.layerClient)))
})

describe("URL queries in spans", () => {
  it.effect("a secret in the token and revocation URLs' query reaches the server but no span", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.make
      const { spans, tracer } = Recording.tracer()
      yield* server.handle((request) => Effect.succeed(request.path.startsWith("/revoke") ? TokenServer.fromAnswer({ status: 200 }) : TokenServer.tokenResponse("a-token")))
      yield* Effect.gen(function*() {
        const endpoint = yield* Effect.orDie(TokenEndpoint.make({
          url: `${server.tokenUrl}?tenant=${queryCanary}`,
          revocationUrl: `${server.origin}/revoke?tenant=${queryCanary}`,
          clientAuthentication: post
        }))
        yield* TokenEndpoint.requestToken(endpoint, Grant.clientCredentials)
        yield* TokenEndpoint.revokeToken(endpoint, Redacted.make(revokedToken), "access_token")
        // A refusal too: its span ends in a failure, whose cause is exported.
        yield* server.handle(() => Effect.succeed(TokenServer.json({ error: "invalid_client" }, { status: 401 })))
        yield* Effect.exit(TokenEndpoint.requestToken(endpoint, Grant.clientCredentials))
      }).pipe(Effect.withTracer(tracer))
      // The query did go to the server (the test is not vacuous).
      const requests = yield* server.requests
      expect(requests.map((request) => request.path)).toEqual([`/token?tenant=${queryCanary}`, `/revoke?tenant=${queryCanary}`, `/token?tenant=${queryCanary}`])
      expect(spans.length).toBeGreaterThan(0)
      expect(leaksIn(spans.map(Recording.describeSpan))).toEqual([])
      // The library's own spans say what the platform's did, without the query.
      const tokenSpan = spans.find((span) => span.name === "TokenEndpoint.requestToken")
      expect(Object.fromEntries(tokenSpan?.attributes ?? [])).toMatchObject({
        "http.request.method": "POST",
        "url.full": server.tokenUrl,
        "server.address": server.origin,
        "http.response.status_code": 200
      })
      expect(spans.find((span) => span.name === "TokenEndpoint.revokeToken")?.attributes.get("url.full")).toBe(`${server.origin}/revoke`)
      // The trace context still reaches the authorization server, from the library's span.
      expect(requests[0]?.headers["traceparent"]).toContain(tokenSpan?.traceId)
    }).pipe(withinRealTime("10 seconds"), Effect.provide(TokenServer.layerClient)))

  it.effect("a discovery of an issuer with a query puts the query in no span", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.make
      const { spans, tracer } = Recording.tracer()
      yield* server.handle(() => Effect.succeed(TokenServer.fromAnswer({ status: 404, text: { body: "not found", contentType: "text/plain" } })))
      const exit = yield* Effect.exit(OpenIdDiscovery.discover(`${server.origin}?key=${queryCanary}`).pipe(Effect.withTracer(tracer)))
      expect(Exit.isFailure(exit)).toBe(true)
      expect((yield* server.requests).map((request) => request.path)).toEqual([`/?key=${queryCanary}/.well-known/openid-configuration`])
      expect(spans.length).toBeGreaterThan(0)
      expect(leaksIn(spans.map(Recording.describeSpan))).toEqual([])
    }).pipe(withinRealTime("10 seconds"), Effect.provide(TokenServer.layerClient)))
})
