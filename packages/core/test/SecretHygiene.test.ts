/**
 * Secret hygiene, end to end. The first test runs every core scenario (each grant and client
 * authentication, every kind of bad token response, the provider's refresh, fallback,
 * invalidation, background failure and revocation, the bearer client's 401 handling,
 * static tokens, and the library's values printed as they are) with canary secrets,
 * passwords and tokens; it captures every error in every printable form, every log line
 * at Debug level through Effect's formatters, and every span attribute, event and exit;
 * and asserts that no canary appears anywhere.
 *
 * The second table prints every error the way users do (`String`, `JSON.stringify`,
 * `util.inspect`, `console.error`, `Cause.pretty`, `Effect.logError` through each built-in
 * logger, and the error's `request` and `response` themselves) for every response
 * accessor and every failure mode of the token endpoint and of the API
 * (`@effect-bearer/conformance/BearerHygieneCases`, shared with the Effect 4 line), on each
 * of the three Node HTTP clients.
 *
 * Over 300 lines on purpose: the first test's scenarios share one capture, and are read as one.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { describe, expect, it } from "@effect/vitest"
import * as Cases from "@effect-bearer/conformance/BearerHygieneCases"
import * as TokenHygieneCases from "@effect-bearer/conformance/TokenHygieneCases"
import { Effect, Exit, Fiber, Layer, Option, Redacted, Schedule, TestClock } from "effect"
import {
  AccessToken,
  BearerHttpClient,
  ClientAuthentication,
  Grant,
  TokenEndpoint,
  TokenProvider,
  TokenSource
} from "@effect-bearer/core"
import * as Polling from "@effect-bearer/test-support/Polling"
import * as ApiServer from "./support/ApiServer.js"
import * as Capture from "./faults/support/Capture.js"
import { accessorsAndSchema as accessors } from "./faults/support/ResponseAccessors.js"
import { clients } from "./faults/support/Outcome.js"
import * as RawTcpServer from "./faults/support/RawTcpServer.js"
import * as TokenServer from "./support/TokenServer.js"

// The canaries are the conformance table's (reserved characters and non-ASCII, so that the
// form-encoded and Base64 forms differ from the raw ones), and the JWT signature of the shared
// token-side hygiene table (TokenHygieneCases, whose answers and provider server this suite runs).
const { accessToken, clientId, clientSecret, password, refreshToken } = Cases
const { jwt } = TokenHygieneCases

const secret = Redacted.make(clientSecret)
const methods = [
  ["client_secret_basic", ClientAuthentication.clientSecretBasic({ clientId, clientSecret: secret })],
  ["client_secret_post", ClientAuthentication.clientSecretPost({ clientId, clientSecret: secret })]
] as const
const grants = [
  ["client_credentials", Grant.clientCredentials],
  ["password", Grant.password({ username: "someone@example.com", password: Redacted.make(password) })],
  ["refresh_token", Grant.refreshToken(Redacted.make(refreshToken))]
] as const

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => TokenServer.json(body, { status, headers })

describe("secret hygiene", () => {
  it.effect("no canary secret, password or token appears in any error, log line, span or printed value", () => {
    const capture = Capture.make()
    const scenario = <A, E, R>(name: string, effect: Effect.Effect<A, E, R>) => 
      Effect.tap(Effect.exit(effect), (exit) => Effect.sync(() => capture.recordExit(name, exit)))

    return Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      const respondWith = (response: HttpServerResponse.HttpServerResponse) => server.handle(() => Effect.succeed(response))

      // 1. Every grant × client authentication × token endpoint answer, through TokenEndpoint.
      for (const [methodName, clientAuthentication] of methods) {
        const endpoint = yield* TokenEndpoint.make({
          url: server.tokenUrl,
          clientAuthentication,
          revocationUrl: `${server.origin}/revoke`
        })
        capture.recordValue("TokenEndpoint", endpoint)
        for (const [grantName, grant] of grants) {
          capture.recordValue("Grant", grant)
          for (const [responseName, answer] of TokenHygieneCases.responses) {
            yield* respondWith(TokenServer.fromAnswer(answer))
            const exit = yield* scenario(
              `${methodName} ${grantName} → ${responseName}`,
              TokenEndpoint.requestToken(endpoint, grant)
            )
            yield* Effect.log("token request finished", exit)
            yield* Effect.logDebug(exit)
          }
        }
        yield* respondWith(TokenServer.fromAnswer(TokenHygieneCases.revocationRefused))
        yield* scenario(
          `${methodName} revocation refused`,
          TokenEndpoint.revokeToken(endpoint, Redacted.make(accessToken), "access_token")
        )
      }

      // 2. A provider with the password grant: refresh-token rotation, a refused refresh
      // token (fallback to the password), a 401 from an API, background refresh failures,
      // and revocation on close that fails.
      const providerServer = TokenHygieneCases.providerServer()
      yield* server.handle((request) => Effect.sync(() => TokenServer.fromAnswer(providerServer.answer(request.path, request.form))))
      yield* Effect.gen(function*() {
        const provider = yield* TokenProvider.fromEndpoint({
          url: server.tokenUrl,
          revocationUrl: `${server.origin}/revoke`,
          grant: Grant.password({ username: "someone@example.com", password: Redacted.make(password) }),
          clientAuthentication: ClientAuthentication.publicClient("up42-api"),
          revokeOnClose: true,
          backgroundRefresh: { at: 0.8, jitter: 0, backoff: Schedule.stop }
        })
        capture.recordValue("TokenProvider", provider)
        const first = yield* scenario("provider get", provider.get)
        yield* Effect.log("the token", first)
        if (Exit.isSuccess(first)) {
          capture.recordValue("AccessToken", first.value)
          capture.recordValue("RefreshToken", first.value.refreshToken)
          yield* provider.invalidate(first.value)
        }
        yield* scenario("provider refresh with the refresh token", provider.get)
        providerServer.refuseRefresh()
        yield* scenario("provider refresh falling back to the password", provider.refresh)
        // The background refresh fails (500 on the token endpoint) and logs a warning.
        providerServer.failEverything()
        yield* TestClock.adjust("240 seconds")
        yield* Polling.until(Effect.sync(() => capture.counts().logs), (n) => n > 0)
        yield* TestClock.adjust("60 seconds")
        const requestsBefore = (yield* server.requests).length
        // The acquisition retries (on the TestClock) before failing.
        const outage = yield* Effect.fork(scenario("provider get during an outage", provider.get))
        yield* Polling.until(Effect.map(server.requests, (r) => r.length), (n) => n > requestsBefore)
        yield* TestClock.adjust("10 seconds")
        yield* Fiber.join(outage)
      }).pipe(Effect.scoped)

      // 3. The same, with a revocation that succeeds.
      yield* server.handle((request) => Effect.succeed(TokenServer.fromAnswer(TokenHygieneCases.revokingServer(request.path))))
      yield* Effect.gen(function*() {
        const provider = yield* TokenProvider.fromEndpoint({
          url: server.tokenUrl,
          revocationUrl: `${server.origin}/revoke`,
          grant: Grant.clientCredentials,
          clientAuthentication: methods[0][1],
          revokeOnClose: true
        })
        yield* scenario("provider get before revocation", provider.get)
      }).pipe(Effect.scoped)

      // 4. The bearer client: an API that answers 401 to every token.
      yield* server.handle((request) =>
        Effect.succeed(
          request.path.startsWith("/api/open")
            ? json({ ok: true }, 200)
            : request.path.startsWith("/api")
            ? json({ error: "invalid_token" }, 401, { "www-authenticate": `Bearer error="invalid_token"` })
            : json({ ...TokenHygieneCases.tokens, access_token: `${accessToken}-${Math.random()}` })
        )
      )
      yield* Effect.gen(function*() {
        const provider = yield* TokenProvider.fromEndpoint({
          url: server.tokenUrl,
          grant: Grant.clientCredentials,
          clientAuthentication: methods[1][1]
        })
        const client = yield* BearerHttpClient.make(yield* HttpClient.HttpClient, provider, { origins: [server.origin] })
        // Whole exits: responses and errors carry the caller's request, never the header.
        for (
          const [name, url] of [
            ["bearer client against an API that accepts the token", `${server.origin}/api/open`],
            ["bearer client against an API that refuses every token", `${server.origin}/api/data`],
            ["bearer client sending to another origin", `http://localhost:${new URL(server.origin).port}/api/data`]
          ] as const
        ) {
          const exit = yield* Effect.exit(client.get(url))
          capture.recordExit(name, exit)
          yield* Effect.logWarning(name, Exit.isFailure(exit) ? exit.cause : "no failure")
        }
      }).pipe(Effect.scoped)

      // 5. Static tokens: an opaque one, and an expired JWT.
      const staticToken = TokenSource.fromToken(Redacted.make(accessToken), { name: "static" })
      yield* scenario("static token", staticToken.fetch(Option.none()))
      const expired = TokenSource.fromToken(Redacted.make(jwt({ exp: 1, iat: 0 })), { name: "expired" })
      yield* TestClock.adjust("1 hour")
      yield* scenario("expired static JWT", expired.fetch(Option.none()))
      yield* scenario(
        "expired static JWT through a provider",
        Effect.flatMap(TokenProvider.TokenProvider, (provider) => provider.get).pipe(
          Effect.provide(TokenProvider.layerStatic(Redacted.make(jwt({ exp: 1, iat: 0 }))))
        )
      )

      // 6. Values users print.
      capture.recordValue(
        "AccessToken.make",
        AccessToken.make({
          value: Redacted.make(accessToken),
          issuedAt: 0,
          lifetime: "5 minutes",
          refreshToken: new AccessToken.RefreshToken({ value: Redacted.make(refreshToken), expiresAt: Option.none() })
        })
      )
      for (const [name, method] of methods) capture.recordValue(`ClientAuthentication ${name}`, method)
      capture.recordValue("Basic authorization", ClientAuthentication.basicAuthorization(clientId, secret))

      // The canaries did reach the server (the capture is not vacuous).
      const sent = (yield* server.requests).map((r) => `${r.headers["authorization"] ?? ""} ${r.body}`).join("\n")
      TokenHygieneCases.expectSent(expect, sent)
      TokenHygieneCases.expectCaptured(expect, capture.counts())
      expect(capture.leaks(TokenHygieneCases.canaries)).toEqual([])
    }).pipe(Effect.provide(capture.layer), Effect.provide(TokenServer.layer))
  })
})

const authentications = { client_secret_basic: methods[0][1], client_secret_post: methods[1][1] }
const grantsByName = { password: grants[1][1], refresh_token: grants[2][1] }

/** A reply of the table (`BearerHygieneCases`) as this line's server response, for the `index`-th request. */
const respond = (reply: Cases.Reply, request: ApiServer.RecordedRequest, index: number) =>
  "answer" in reply
    ? TokenServer.fromAnswer(reply.answer)
    : "fromRequestBody" in reply
    ? TokenServer.fromAnswer(reply.fromRequestBody(request.body))
    : "issue" in reply
    ? TokenServer.fromAnswer(Cases.issued(index))
    : json({ unexpected: request.path }, 500)

/**
 * Serves `reply` at `path` of the API server, or starts a raw TCP server for it; returns
 * the URL and what that endpoint received (headers and bodies, as text).
 */
const serve = (server: ApiServer.ApiServer, path: string, reply: Cases.Reply) =>
  "resetMidBody" in reply
    ? Effect.map(RawTcpServer.make(RawTcpServer.resetMidBody(reply.resetMidBody)), (tcp) => ({
      url: tcp.tokenUrl.replace("/token", path),
      received: Effect.map(tcp.received, (all) => all.join("\n"))
    }))
    : Effect.succeed({
      url: server.url(path),
      received: Effect.map(server.requests, (all) =>
        all.filter((r) => r.path.startsWith(path)).map((r) => `${JSON.stringify(r.headers)} ${r.body}`).join("\n"))
    })

describe.each(clients)("secret hygiene of every printed error, through the %s client", (_, clientLayer) => {
  for (const mode of Cases.failureModes) {
    it.live(`${mode.name}: no canary appears in any printed form of any accessor's outcome`, () => {
      const capture = Capture.make()
      const issues = "issue" in mode.tokenEndpoint
      return Effect.gen(function*() {
        const server = yield* ApiServer.make
        yield* server.handle((request, index) =>
          Effect.sync(() => respond(request.path.startsWith("/token") ? mode.tokenEndpoint : mode.api, request, index))
        )
        const tokenEndpoint = yield* serve(server, "/token", mode.tokenEndpoint)
        const api = yield* serve(server, "/api/items", mode.api)
        // Where the token endpoint issues tokens (the API faults), the first grant is enough:
        // its refresh after a 401 sends an issued refresh token.
        for (const { clientAuthentication, grant, name: grantName } of issues ? Cases.grantsAndMethods.slice(0, 1) : Cases.grantsAndMethods) {
          const provider = yield* TokenProvider.fromEndpoint({
            url: tokenEndpoint.url,
            grant: grantsByName[grant],
            clientAuthentication: authentications[clientAuthentication],
            retry: Schedule.stop,
            backgroundRefresh: false,
            timeout: "2 seconds"
          })
          const client = yield* BearerHttpClient.make(yield* HttpClient.HttpClient, provider, {
            origins: [new URL(api.url).origin],
            retry: Schedule.stop
          })
          const record = (label: string, exit: Exit.Exit<unknown, unknown>) => Capture.recordAndLog(capture, label, exit)
          yield* record(`${grantName} provider.get`, yield* Effect.exit(provider.get))
          for (const [index, [accessorName, read]] of accessors.entries()) {
            const exit = yield* Effect.exit(Effect.flatMap(client.get(api.url), read))
            if (!issues && index > 0) {
              // A token endpoint fault fails the call before there is a response, so every
              // accessor fails alike: the first is printed in full, the others by what they say.
              capture.recordExitMessages(`${grantName} ${accessorName}`, exit)
              expect(Exit.isFailure(exit)).toBe(true)
            } else {
              yield* record(`${grantName} ${accessorName}`, exit)
            }
          }
        }

        // The canaries did travel (the capture is not vacuous): the credentials to the token
        // endpoint, and the issued tokens to the API when the token endpoint issued any.
        const sentToTokenEndpoint = yield* tokenEndpoint.received
        for (const sent of Cases.sentCredentials(issues)) expect(sentToTokenEndpoint).toContain(sent)
        if (issues) expect(yield* api.received).toContain(`Bearer ${accessToken}-`)
        expect(capture.counts().errors).toBeGreaterThan(0)
        expect(capture.counts().logs).toBeGreaterThan(0)
        const leaks = capture.leaks(TokenHygieneCases.canaries)
        expect({ leaks: leaks.length, first: leaks.slice(0, 10) }).toEqual({ leaks: 0, first: [] })
      }).pipe(Effect.scoped, Effect.provide(Layer.merge(capture.layer, clientLayer)))
    })
  }
})
