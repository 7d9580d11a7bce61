/**
 * The token endpoint goes down and comes back, with a real server: a valid cached token keeps
 * being served until it expires, nothing sticks, and the provider recovers by itself
 * (background refresh or the next reader) when the endpoint does. Transient failures are
 * retried honouring Retry-After; user errors are not retried at all. The outages run on the
 * TestClock moved in steps, each followed by a real-time wait for the I/O to go quiet; the
 * retries, whose waits begin after a real answer, on the hand-moved clock that sees them begin.
 */
import { describe, expect, it } from "@effect/vitest"
import { Clock, Duration, Effect, Fiber, Redacted, Schedule } from "effect"
import { TestClock } from "effect/testing"
import { ClientAuthentication, Grant, TokenProvider } from "@effect-bearer/core"
import * as ManualClock from "../support/ManualClock.js"
import * as TestTime from "../support/TestTime.js"
import * as TokenServer from "../support/TokenServer.js"
import { fieldsOf, typedFailure, withinRealTime } from "./Outcome.js"

const credentials = ClientAuthentication.clientSecretBasic({ clientId: "outage-client", clientSecret: Redacted.make("outage-secret") })
const value = (token: { readonly value: Redacted.Redacted<string> }) => Redacted.value(token.value)
/** A few real milliseconds, whatever clock the test runs on. */
const pause = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 3)))

/** Answers with tokens `prefix-1`, `prefix-2`, … of 300 s each. */
const tokens = (prefix: string): TokenServer.Handler => {
  let issued = 0
  return () => Effect.sync(() => TokenServer.tokenResponse(`${prefix}-${++issued}`))
}
const unavailable: TokenServer.Handler = () => Effect.succeed(TokenServer.fromAnswer({ status: 503, text: { body: "down for maintenance", contentType: "text/plain" } }))

/** Waits in real time until `count` has not changed for a few polls (the I/O went quiet). */
const settle = (count: Effect.Effect<number>): Effect.Effect<number> =>
  Effect.gen(function*() {
    let last = yield* count
    let quiet = 0
    const deadline = Date.now() + 3000
    while (quiet < 4 && Date.now() < deadline) {
      yield* pause
      const now = yield* count
      quiet = now === last ? quiet + 1 : 0
      last = now
    }
    return last
  })

/** A provider on a fresh scripted server; the endpoint timeout is long, so moving the clock never times out a request on the wire. */
const provider = (options: Partial<TokenProvider.Options> = {}) =>
  Effect.gen(function*() {
    const server = yield* TokenServer.make
    const service = yield* Effect.orDie(TokenProvider.fromEndpoint({
      url: server.tokenUrl,
      grant: Grant.clientCredentials,
      clientAuthentication: credentials,
      timeout: "1 hour",
      ...options
    }))
    const count = Effect.map(server.requests, (requests) => requests.length)
    /** Moves the TestClock by `step` up to `total`, letting the I/O go quiet and running `each` after every step. */
    const walk = <A, E>(total: Duration.Input, step: Duration.Input, each: Effect.Effect<A, E>) =>
      Effect.gen(function*() {
        for (let elapsed = Duration.toMillis(step); elapsed <= Duration.toMillis(total); elapsed += Duration.toMillis(step)) {
          yield* TestTime.adjust(step)
          yield* settle(count)
          yield* each
        }
      })
    return { server, service, count, walk }
  })

const run = <A, E, R>(effect: Effect.Effect<A, E, R>) => effect.pipe(withinRealTime("15 seconds"), Effect.provide(TokenServer.layerClient))

describe("an endpoint outage", () => {
  it.effect("a still-valid cached token is served through the outage until it expires, then the error is typed", () =>
    run(Effect.gen(function*() {
      const { count, server, service, walk } = yield* provider({ retry: Schedule.recurs(0) })
      yield* server.handle(tokens("before"))
      expect(value(yield* service.get)).toBe("before-1")
      yield* server.handle(unavailable)
      // 300 s token, 10 s margin: usable until 290 s. The background refresh (from 240 s) fails throughout; readers must not notice.
      const stillServed = Effect.map(service.get, (token) => expect(value(token)).toBe("before-1"))
      yield* walk("280 seconds", "5 seconds", stillServed)
      yield* walk("9 seconds", "9 seconds", stillServed)
      expect(yield* count).toBeGreaterThan(1)
      yield* TestClock.adjust("1 second")
      const error = yield* typedFailure(yield* Effect.exit(service.get))
      expect(fieldsOf(error)).toMatchObject({ _tag: "TemporarilyUnavailable", reason: "ServerError", status: 503 })
    })))

  it.effect("after the cached token expired, the next get succeeds as soon as the endpoint is back (nothing sticks)", () =>
    run(Effect.gen(function*() {
      const { server, service, walk } = yield* provider({ retry: Schedule.recurs(0) })
      yield* server.handle(tokens("before"))
      yield* service.get
      yield* server.handle(unavailable)
      yield* walk("400 seconds", "10 seconds", Effect.void)
      yield* typedFailure(yield* Effect.exit(service.get))
      yield* typedFailure(yield* Effect.exit(service.get))
      yield* server.handle(tokens("after"))
      expect(value(yield* service.get)).toBe("after-1")
      expect(value(yield* service.get)).toBe("after-1")
    })))

  it.effect("after recovering, the background refresh runs again on the new token's schedule", () =>
    run(Effect.gen(function*() {
      const { count, server, service, walk } = yield* provider({ retry: Schedule.recurs(0), backgroundRefresh: { at: 0.8, jitter: 0 } })
      yield* server.handle(tokens("before"))
      yield* service.get
      yield* server.handle(unavailable)
      yield* walk("400 seconds", "10 seconds", Effect.void)
      yield* server.handle(tokens("after"))
      expect(value(yield* service.get)).toBe("after-1")
      const before = yield* settle(count)
      // after-1 was issued at 400 s: the background refresh renews it at 80 % (640 s).
      yield* TestTime.adjust("239 seconds")
      expect(yield* settle(count)).toBe(before)
      yield* TestClock.adjust("1 second")
      yield* TestTime.eventually(Effect.map(count, (n) => n === before + 1))
      yield* TestTime.eventually(Effect.map(Effect.orDie(service.get), (token) => value(token) === "after-2"))
    })))

  it.effect("an outage inside the token's lifetime is bridged by the background refresh: readers never see it", () =>
    run(Effect.gen(function*() {
      const { count, server, service, walk } = yield* provider({ retry: Schedule.recurs(0), backgroundRefresh: { at: 0.8, jitter: 0 } })
      yield* server.handle(tokens("tok"))
      expect(value(yield* service.get)).toBe("tok-1")
      yield* server.handle(unavailable)
      const seen: Array<string> = []
      const read = Effect.map(service.get, (token) => void seen.push(value(token)))
      // The refresh fiber wakes at 240 s and backs off while the endpoint is down.
      yield* walk("260 seconds", "5 seconds", read)
      expect(yield* count).toBeGreaterThanOrEqual(3)
      yield* server.handle(tokens("tok-after"))
      yield* walk("28 seconds", "2 seconds", read)
      expect(seen.at(-1)).toBe("tok-after-1")
      // Readers saw the old token, then the new one: never an error, never a step back.
      const firstNew = seen.indexOf("tok-after-1")
      expect(seen.slice(0, firstNew).every((v) => v === "tok-1")).toBe(true)
      expect(seen.slice(firstNew).every((v) => v === "tok-after-1")).toBe(true)
    })))
})

describe("retries of one acquisition", () => {
  for (const [name, status] of [["503 with Retry-After: 2", 503], ["429 with Retry-After: 2", 429]] as const) {
    it.effect(`${name} is retried no earlier than the server asked`, () => {
      const manual = ManualClock.make(0)
      return Effect.gen(function*() {
        const { count, server, service } = yield* provider()
        let calls = 0
        yield* server.handle(() =>
          Effect.sync(() =>
            ++calls === 1
              ? TokenServer.fromAnswer({ status, headers: { "retry-after": "2" }, text: { body: "busy", contentType: "text/plain" } })
              : TokenServer.tokenResponse("patient")
          )
        )
        const fiber = yield* Effect.forkChild(service.get)
        yield* manual.awaitSleep("2 seconds")
        yield* manual.adjust("1999 millis")
        expect(yield* settle(count)).toBe(1)
        yield* manual.adjust("1 millis")
        expect(value(yield* Fiber.join(fiber))).toBe("patient")
        expect(yield* count).toBe(2)
      }).pipe(Effect.provideService(Clock.Clock, manual.clock), run)
    })
  }

  it.effect("a Retry-After of a day is not waited for: TemporarilyUnavailable with its retryAfter after one request", () =>
    run(Effect.gen(function*() {
      const { count, server, service } = yield* provider()
      yield* server.handle(() => Effect.succeed(TokenServer.json({ error: "temporarily_unavailable" }, { status: 503, headers: { "retry-after": "86400" } })))
      // The clock never moves: the error comes back without any wait.
      const error = yield* Effect.flip(service.get)
      expect(error._tag === "TemporarilyUnavailable" && error.retryAfter !== undefined && Duration.toDays(error.retryAfter)).toBe(1)
      expect(yield* settle(count)).toBe(1)
    })))

  for (
    const [name, answer, tag] of [
      ["401", { status: 401, json: { error: "invalid_client" } }, "InvalidCredentials"],
      ["404", { status: 404, text: { body: "not found", contentType: "text/plain" } }, "WrongHost"],
      ["415", { status: 415, text: { body: "unsupported", contentType: "text/plain" } }, "UnsupportedMediaType"],
      ["400 invalid_scope", { status: 400, json: { error: "invalid_scope" } }, "InvalidRequest"],
      ["a 200 without access_token", { status: 200, json: { token_type: "Bearer" } }, "InvalidTokenResponse"]
    ] as const
  ) {
    it.effect(`${name} is not retried: ${tag} after exactly one request`, () =>
      run(Effect.gen(function*() {
        const { count, server, service } = yield* provider()
        yield* server.handle(() => Effect.succeed(TokenServer.fromAnswer(answer)))
        const error = yield* typedFailure(yield* Effect.exit(service.get))
        expect(error._tag).toBe(tag)
        yield* TestClock.adjust("1 minute")
        expect(yield* settle(count)).toBe(1)
      })))
  }
})
