/**
 * Secret hygiene of the token side, end to end: every grant and client authentication against
 * every kind of token endpoint answer, the provider's refresh, fallback, invalidation, background
 * failure and revocation, static tokens, and the library's values printed as they are, with the
 * canary credentials of `@effect-bearer/conformance/BearerHygieneCases`; every error in every
 * printable form, every log line at Debug through each of Effect 4's formatters, and every span
 * is captured (`support/Capture.ts`), and no canary may appear anywhere. The bearer client's
 * side is `BearerHttpClientHygiene.test.ts`.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Canaries from "@effect-bearer/conformance/BearerHygieneCases"
import * as TokenHygieneCases from "@effect-bearer/conformance/TokenHygieneCases"
import { Effect, Exit, Fiber, Option, Redacted, Schedule } from "effect"
import { TestClock } from "effect/testing"
import { AccessToken, ClientAuthentication, Grant, TokenEndpoint, TokenProvider, TokenSource } from "@effect-bearer/core"
import * as Capture from "./support/Capture.js"
import * as TestTime from "./support/TestTime.js"
import * as TokenServer from "./support/TokenServer.js"

const { accessToken, clientId, clientSecret, password, refreshToken } = Canaries
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

describe("secret hygiene of the token side", () => {
  it.effect("no canary secret, password or token appears in any error, log line, span or printed value", () => {
    const capture = Capture.make()
    const scenario = <A, E, R>(name: string, effect: Effect.Effect<A, E, R>) =>
      Effect.tap(Effect.exit(effect), (exit) => Effect.sync(() => capture.recordExit(name, exit)))
    return Effect.gen(function*() {
      const server = yield* TokenServer.make

      // 1. Every grant × client authentication × token endpoint answer, through TokenEndpoint.
      for (const [methodName, clientAuthentication] of methods) {
        const endpoint = yield* Effect.orDie(TokenEndpoint.make({ url: server.tokenUrl, clientAuthentication, revocationUrl: `${server.origin}/revoke` }))
        capture.recordValue("TokenEndpoint", endpoint)
        for (const [grantName, grant] of grants) {
          capture.recordValue("Grant", grant)
          for (const [responseName, answer] of TokenHygieneCases.responses) {
            yield* server.handle(() => Effect.succeed(TokenServer.fromAnswer(answer)))
            const exit = yield* scenario(`${methodName} ${grantName} → ${responseName}`, TokenEndpoint.requestToken(endpoint, grant))
            yield* Effect.log("token request finished", exit)
            yield* Effect.logDebug(exit)
          }
        }
        yield* server.handle(() => Effect.succeed(TokenServer.fromAnswer(TokenHygieneCases.revocationRefused)))
        yield* scenario(`${methodName} revocation refused`, TokenEndpoint.revokeToken(endpoint, Redacted.make(accessToken), "access_token"))
      }

      // 2. A provider with the password grant: rotation, a refused refresh token (fallback to the
      // password), a 401 from an API, background refresh failures, and a failing revocation on close.
      const providerServer = TokenHygieneCases.providerServer()
      yield* server.handle((request) => Effect.sync(() => TokenServer.fromAnswer(providerServer.answer(request.path, request.form))))
      yield* Effect.scoped(Effect.gen(function*() {
        const provider = yield* Effect.orDie(TokenProvider.fromEndpoint({
          url: server.tokenUrl,
          revocationUrl: `${server.origin}/revoke`,
          grant: Grant.password({ username: "someone@example.com", password: Redacted.make(password) }),
          clientAuthentication: ClientAuthentication.publicClient("up42-api"),
          revokeOnClose: true,
          backgroundRefresh: { at: 0.8, jitter: 0, backoff: Schedule.recurs(0) }
        }))
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
        const logsBefore = capture.counts().logs
        yield* TestTime.adjust("240 seconds")
        yield* TestTime.eventually(Effect.sync(() => capture.counts().logs > logsBefore))
        yield* TestClock.adjust("60 seconds")
        const requestsBefore = (yield* server.requests).length
        // The acquisition retries (on the TestClock) before failing.
        const outage = yield* Effect.forkChild(scenario("provider get during an outage", provider.get))
        yield* TestTime.eventually(Effect.map(server.requests, (all) => all.length > requestsBefore))
        // Each retry's wait begins after a real answer: move the clock in steps until the get gives up.
        for (let step = 0; step < 100 && outage.pollUnsafe() === undefined; step++) {
          yield* TestClock.withLive(Effect.sleep("10 millis"))
          yield* TestClock.adjust("1 second")
        }
        yield* Fiber.join(outage)
      }))

      // 3. The same, with a revocation that succeeds.
      yield* server.handle((request) => Effect.succeed(TokenServer.fromAnswer(TokenHygieneCases.revokingServer(request.path))))
      yield* Effect.scoped(Effect.gen(function*() {
        const provider = yield* Effect.orDie(TokenProvider.fromEndpoint({
          url: server.tokenUrl,
          revocationUrl: `${server.origin}/revoke`,
          grant: Grant.clientCredentials,
          clientAuthentication: methods[0][1],
          revokeOnClose: true
        }))
        yield* scenario("provider get before revocation", provider.get)
      }))

      // 4. Static tokens: an opaque one, and an expired JWT.
      yield* scenario("static token", TokenSource.fromToken(Redacted.make(accessToken), { name: "static" }).fetch(Option.none()))
      const expired = TokenSource.fromToken(Redacted.make(jwt({ exp: 1, iat: 0 })), { name: "expired" })
      yield* TestClock.adjust("1 hour")
      yield* scenario("expired static JWT", expired.fetch(Option.none()))
      yield* scenario(
        "expired static JWT through a provider",
        TokenProvider.get.pipe(Effect.provide(TokenProvider.layerStatic(Redacted.make(jwt({ exp: 1, iat: 0 })))))
      )

      // 5. Values users print.
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
    }).pipe(Effect.provide([capture.layer, TokenServer.layerClient]))
  })
})
