/**
 * The token endpoint goes down and comes back, on the TestClock, with a real server:
 * a valid cached token keeps being served until it expires, nothing sticks, and the
 * provider recovers by itself (background refresh or the next reader) when the
 * endpoint does. Transient failures are retried honouring Retry-After; the user
 * errors are not retried at all.
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Redacted, Schedule, TestClock } from "effect"
import { ClientAuthentication, Grant, TokenProvider } from "@effect-bearer/core"
import * as Polling from "@effect-bearer/test-support/Polling"
import * as TokenServer from "../support/TokenServer.js"
import { fieldsOf, typedFailure, withinRealTime } from "./support/Outcome.js"
import { settle, walk } from "./support/Settle.js"

const credentials = ClientAuthentication.clientSecretBasic({ clientId: "outage-client", clientSecret: Redacted.make("outage-secret") })

/** Answers with tokens `prefix-1`, `prefix-2`, … of 300 s each. */
const tokens = (prefix: string): TokenServer.Handler => {
  let issued = 0
  return () => Effect.sync(() => TokenServer.tokenResponse(`${prefix}-${++issued}`, { expires_in: 300 }))
}
const always = (response: HttpServerResponse.HttpServerResponse): TokenServer.Handler => () => Effect.succeed(response)
const unavailable = always(TokenServer.text("down for maintenance", 503))

const value = (token: { readonly value: Redacted.Redacted<string> }) => Redacted.value(token.value)

/**
 * A provider on the scripted server. The endpoint timeout is long so that advancing the
 * TestClock never times out a request still travelling on a real socket.
 */
const provider = (options: Partial<TokenProvider.Options> = {}) =>
  Effect.gen(function*() {
    const server = yield* TokenServer.TokenServer
    const service = yield* TokenProvider.fromEndpoint({
      url: server.tokenUrl,
      grant: Grant.clientCredentials,
      clientAuthentication: credentials,
      timeout: "1 hour",
      ...options
    })
    const count = Effect.map(server.requests, (requests) => requests.length)
    // Counts answers, so that a test can wait for every request that reached the server.
    let answered = 0
    const handle = (handler: TokenServer.Handler) =>
      server.handle((request) => Effect.ensuring(handler(request), Effect.sync(() => answered++)))
    const idle = Polling.until(count, (received) => received === answered)
    return { server: { ...server, handle }, service, count, idle }
  })

describe("an endpoint outage", () => {
  it.effect("a still-valid cached token is served through the outage until it expires, then the error is typed", () =>
    Effect.gen(function*() {
      const { count, idle, server, service } = yield* provider({ retry: Schedule.stop })
      yield* server.handle(tokens("before"))
      expect(value(yield* service.get)).toBe("before-1")
      yield* server.handle(unavailable)
      // 300 s token, 10 s margin: usable until 290 s. The background refresh (from 240 s)
      // fails throughout; readers must not notice.
      const stillServed = Effect.map(service.get, (token) => expect(value(token)).toBe("before-1"))
      yield* walk("280 seconds", "5 seconds", idle, () => stillServed)
      yield* walk("9 seconds", "9 seconds", idle, () => stillServed)
      expect(yield* count).toBeGreaterThan(1)
      yield* TestClock.adjust("1 second")
      const error = yield* typedFailure(service.get)
      expect(fieldsOf(error)).toMatchObject({ _tag: "TemporarilyUnavailable", reason: "ServerError", status: 503 })
    }).pipe(Effect.scoped, Effect.provide(TokenServer.layer), withinRealTime("15 seconds")))

  it.effect("after the cached token expired, the next get succeeds as soon as the endpoint is back (nothing sticks)", () =>
    Effect.gen(function*() {
      const { idle, server, service } = yield* provider({ retry: Schedule.stop })
      yield* server.handle(tokens("before"))
      yield* service.get
      yield* server.handle(unavailable)
      yield* walk("400 seconds", "10 seconds", idle, () => Effect.void)
      yield* typedFailure(service.get)
      yield* typedFailure(service.get)
      yield* server.handle(tokens("after"))
      expect(value(yield* service.get)).toBe("after-1")
      expect(value(yield* service.get)).toBe("after-1")
    }).pipe(Effect.scoped, Effect.provide(TokenServer.layer), withinRealTime("15 seconds")))

  it.effect("after recovering, the background refresh runs again on the new token's schedule", () =>
    Effect.gen(function*() {
      const { count, idle, server, service } = yield* provider({ retry: Schedule.stop, backgroundRefresh: { at: 0.8, jitter: 0 } })
      yield* server.handle(tokens("before"))
      yield* service.get
      yield* server.handle(unavailable)
      yield* walk("400 seconds", "10 seconds", idle, () => Effect.void)
      yield* server.handle(tokens("after"))
      expect(value(yield* service.get)).toBe("after-1")
      const before = yield* settle(count)
      // after-1 was issued at 400 s: the background refresh renews it at 80 % (640 s).
      yield* TestClock.adjust("239 seconds")
      expect(yield* settle(count)).toBe(before)
      yield* TestClock.adjust("1 second")
      yield* Polling.until(count, (n) => n === before + 1)
      yield* Polling.until(service.get, (token) => value(token) === "after-2")
    }).pipe(Effect.scoped, Effect.provide(TokenServer.layer), withinRealTime("15 seconds")))

  it.effect("an outage inside the token's lifetime is bridged by the background refresh: readers never see it", () =>
    Effect.gen(function*() {
      const { count, idle, server, service } = yield* provider({ retry: Schedule.stop, backgroundRefresh: { at: 0.8, jitter: 0 } })
      yield* server.handle(tokens("tok"))
      expect(value(yield* service.get)).toBe("tok-1")
      yield* server.handle(unavailable)
      const seen: Array<string> = []
      const read = Effect.map(service.get, (token) => {
        seen.push(value(token))
      })
      // The refresh fiber wakes at 240 s and backs off while the endpoint is down.
      yield* walk("260 seconds", "5 seconds", idle, () => read)
      expect(yield* count).toBeGreaterThanOrEqual(3)
      yield* server.handle(tokens("tok-after"))
      yield* walk("28 seconds", "2 seconds", idle, () => read)
      expect(seen.at(-1)).toBe("tok-after-1")
      // Readers saw the old token, then the new one: never an error, never a step back.
      const firstNew = seen.indexOf("tok-after-1")
      expect(seen.slice(0, firstNew).every((v) => v === "tok-1")).toBe(true)
      expect(seen.slice(firstNew).every((v) => v === "tok-after-1")).toBe(true)
    }).pipe(Effect.scoped, Effect.provide(TokenServer.layer), withinRealTime("15 seconds")))
})

describe("retries of one acquisition", () => {
  for (
    const [name, status, retryAfter] of [
      ["503 with Retry-After: 2", 503, "2"],
      ["429 with Retry-After: 2", 429, "2"]
    ] as const
  ) {
    it.effect(`${name} is retried no earlier than the server asked`, () =>
      Effect.gen(function*() {
        const { count, server, service } = yield* provider()
        let calls = 0
        yield* server.handle(() =>
          Effect.sync(() =>
            ++calls === 1
              ? TokenServer.text("busy", status).pipe(HttpServerResponse.setHeader("retry-after", retryAfter))
              : TokenServer.tokenResponse("patient")
          )
        )
        const fiber = yield* Effect.fork(service.get)
        yield* Polling.until(count, (n) => n === 1)
        yield* TestClock.adjust("1999 millis")
        expect(yield* settle(count)).toBe(1)
        yield* TestClock.adjust("1 millis")
        expect(value(yield* Fiber.join(fiber))).toBe("patient")
        expect(yield* count).toBe(2)
      }).pipe(Effect.scoped, Effect.provide(TokenServer.layer), withinRealTime("10 seconds")))
  }

  it.effect("a Retry-After of a day is not waited for: TemporarilyUnavailable with its retryAfter after one request", () =>
    Effect.gen(function*() {
      const { count, server, service } = yield* provider()
      yield* server.handle(() =>
        Effect.succeed(
          TokenServer.json({ error: "temporarily_unavailable" }, { status: 503, headers: { "retry-after": "86400" } })
        )
      )
      // The clock never moves: the error comes back without any wait.
      const error = yield* Effect.flip(service.get)
      expect(error).toMatchObject({ _tag: "TemporarilyUnavailable", retryAfter: Duration.days(1) })
      expect(yield* settle(count)).toBe(1)
    }).pipe(Effect.scoped, Effect.provide(TokenServer.layer), withinRealTime("10 seconds")))

  for (
    const [name, response, tag] of [
      ["401", TokenServer.json({ error: "invalid_client" }, { status: 401 }), "InvalidCredentials"],
      ["404", TokenServer.text("not found", 404), "WrongHost"],
      ["415", TokenServer.text("unsupported", 415), "UnsupportedMediaType"],
      ["400 invalid_scope", TokenServer.json({ error: "invalid_scope" }, { status: 400 }), "InvalidRequest"],
      ["a 200 without access_token", TokenServer.json({ token_type: "Bearer" }), "InvalidTokenResponse"]
    ] as const
  ) {
    it.effect(`${name} is not retried: ${tag} after exactly one request`, () =>
      Effect.gen(function*() {
        const { count, server, service } = yield* provider()
        yield* server.handle(always(response))
        const error = yield* typedFailure(service.get)
        expect(error._tag).toBe(tag)
        yield* TestClock.adjust("1 minute")
        expect(yield* settle(count)).toBe(1)
      }).pipe(Effect.scoped, Effect.provide(TokenServer.layer), withinRealTime("10 seconds")))
  }
})
