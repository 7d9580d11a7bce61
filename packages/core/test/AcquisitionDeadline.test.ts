/**
 * The acquisition's deadline travels with the fetch: a provider over a token endpoint bounds
 * its token request by cutting the exchange to the time left (no timer of its own around the
 * source), a source that does not say it ends by the deadline keeps the provider's timer, and
 * a request outside a provider has only the endpoint's own timeout. Real HTTP on 127.0.0.1,
 * the server's waits and the timeouts on the TestClock.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Polling from "@effect-bearer/test-support/Polling"
import { Clock, Duration, Effect, Fiber, FiberRef, Redacted, TestClock } from "effect"
import { ClientAuthentication, Grant, TokenEndpoint, TokenError, TokenProvider, TokenSource } from "@effect-bearer/core"
import * as AcquisitionDeadline from "../src/internal/acquisitionDeadline.js"
import * as TokenServer from "./support/TokenServer.js"

const clientAuthentication = ClientAuthentication.clientSecretBasic({ clientId: "client", clientSecret: Redacted.make("secret") })

/** The server answers each request after `delay` on the TestClock. */
const answerAfter = (delay: Duration.DurationInput) =>
  Effect.flatMap(TokenServer.TokenServer, (server) =>
    server.handle(() => Effect.as(Effect.sleep(delay), TokenServer.tokenResponse("slow-token"))))

/** Waits (on the live clock) until the server has received `count` requests. */
const received = (count: number) =>
  Effect.flatMap(TokenServer.TokenServer, (server) =>
    Polling.eventually(Effect.map(server.requests, (requests) => requests.length >= count)))

describe("the acquisition's deadline", () => {
  it.scoped("cuts a provider's token request at acquisitionTimeout, though the endpoint allows an hour", () =>
    Effect.gen(function*() {
      yield* answerAfter("30 seconds")
      const server = yield* TokenServer.TokenServer
      const tokens = yield* TokenProvider.fromEndpoint({
        url: server.tokenUrl,
        grant: Grant.clientCredentials,
        clientAuthentication,
        name: "slow-endpoint",
        timeout: "1 hour",
        acquisitionTimeout: "2 seconds",
        retry: undefined,
        backgroundRefresh: false
      })
      const reader = yield* Effect.fork(tokens.get)
      yield* received(1)
      yield* TestClock.adjust("2 seconds")
      const error = yield* Effect.flip(Fiber.join(reader))
      // The acquisition's own timeout error, as the provider's timer gave it.
      expect(error).toMatchObject({ _tag: "TemporarilyUnavailable", reason: "Timeout", endpoint: "slow-endpoint" })
      // The server's wait ends too, so that no request is left in flight when the scope closes.
      yield* TestClock.adjust("30 seconds")
    }).pipe(Effect.provide(TokenServer.layer)))

  it.scoped("sends nothing once the deadline has passed", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      const endpoint = yield* TokenEndpoint.make({ url: server.tokenUrl, clientAuthentication })
      const now = yield* Clock.currentTimeMillis
      const error = yield* Effect.flip(
        Effect.locally(TokenEndpoint.requestToken(endpoint, Grant.clientCredentials), AcquisitionDeadline.currentDeadline, {
          at: now,
          timedOut: () => new TokenError.TemporarilyUnavailable({ endpoint: "the acquisition", reason: "Timeout" })
        })
      )
      expect(error).toMatchObject({ _tag: "TemporarilyUnavailable", reason: "Timeout", endpoint: "the acquisition" })
      expect(yield* server.requests).toEqual([])
    }).pipe(Effect.provide(TokenServer.layer)))

  it.scoped("is none outside a provider: a request has the endpoint's own timeout", () =>
    Effect.gen(function*() {
      expect(yield* FiberRef.get(AcquisitionDeadline.currentDeadline)).toBeUndefined()
      yield* answerAfter("40 seconds")
      const server = yield* TokenServer.TokenServer
      const endpoint = yield* TokenEndpoint.make({ url: server.tokenUrl, clientAuthentication, timeout: "1 minute" })
      const request = yield* Effect.fork(TokenEndpoint.requestToken(endpoint, Grant.clientCredentials))
      yield* received(1)
      yield* TestClock.adjust("40 seconds")
      const token = yield* Fiber.join(request)
      expect(Redacted.value(token.value)).toBe("slow-token")
    }).pipe(Effect.provide(TokenServer.layer)))

  it.scoped("a source that does not say it ends by the deadline is bounded by the provider's own timer", () =>
    Effect.gen(function*() {
      const never: TokenSource.TokenSource = { name: "hangs", grantType: "custom", fetch: () => Effect.never }
      const tokens = yield* TokenProvider.make(never, { acquisitionTimeout: "3 seconds", backgroundRefresh: false })
      const reader = yield* Effect.fork(tokens.get)
      yield* TestClock.adjust("3 seconds")
      const error = yield* Effect.flip(Fiber.join(reader))
      expect(error).toMatchObject({ _tag: "TemporarilyUnavailable", reason: "Timeout", endpoint: "hangs" })
    }))

  it.scoped("is claimed by the sources built on a token endpoint and by a static token", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      const endpoint = yield* TokenEndpoint.make({ url: server.tokenUrl, clientAuthentication })
      const source = yield* TokenSource.fromEndpoint(endpoint, Grant.clientCredentials)
      expect(AcquisitionDeadline.honouredBy.has(source)).toBe(true)
      expect(AcquisitionDeadline.honouredBy.has(TokenSource.fromToken(Redacted.make("static-token")))).toBe(true)
    }).pipe(Effect.provide(TokenServer.layer)))
})
