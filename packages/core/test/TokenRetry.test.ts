import { describe, expect, it } from "@effect/vitest"
import { Deferred, Duration, Effect, Fiber, Option, Redacted, Ref, TestClock, TestServices } from "effect"
import { ClientAuthentication, Grant, TokenError, TokenProvider, TokenRetry } from "@effect-bearer/core"
import * as Polling from "@effect-bearer/test-support/Polling"
import * as TestTime from "./support/TestTime.js"
import * as TokenServer from "./support/TokenServer.js"

const clientAuthentication = ClientAuthentication.clientSecretPost({ clientId: "c", clientSecret: Redacted.make("s") })

const rateLimited = (retryAfter: string) =>
  TokenServer.json({ error: "temporarily_unavailable" }, { status: 429, headers: { "retry-after": retryAfter } })

/** A provider on the local token server, without background refresh unless asked. */
const provider = (options: Partial<TokenProvider.EndpointOptions> = {}) =>
  Effect.flatMap(TokenServer.TokenServer, (server) =>
    TokenProvider.fromEndpoint({
      url: server.tokenUrl,
      grant: Grant.clientCredentials,
      clientAuthentication,
      backgroundRefresh: false,
      ...options
    }))

/** Whether a forked fiber has finished, waiting a little real time for the socket. */
const finishes = <A, E>(fiber: Fiber.Fiber<A, E>) =>
  Polling.eventually(Effect.map(Fiber.poll(fiber), Option.isSome), "3 seconds")

/** Some real time for a request that should not come, then the requests received. */
const requestsAfterAWhile = Effect.zipRight(
  TestServices.provideLive(Effect.sleep("150 millis")),
  Effect.flatMap(TokenServer.TokenServer, (server) => server.requests)
)

describe("TokenRetry: a server asking to wait longer than maximumRetryAfter", () => {
  it.scoped("a 429 with Retry-After: 86400 fails at once with TemporarilyUnavailable and its retryAfter", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      yield* server.handle(() => Effect.succeed(rateLimited("86400")))
      const tokens = yield* provider()
      // The clock never moves: a get that waited would never finish.
      const caller = yield* Effect.fork(Effect.flip(tokens.get))
      yield* finishes(caller)
      const error = yield* Fiber.join(caller)
      expect(error).toMatchObject({ _tag: "TemporarilyUnavailable", reason: "RateLimited", status: 429 })
      expect(error._tag === "TemporarilyUnavailable" && error.retryAfter && Duration.toSeconds(error.retryAfter)).toBe(86400)
      expect(yield* server.requests).toHaveLength(1)
    }).pipe(Effect.provide(TokenServer.layer)))

  it.scoped("a 429 with Retry-After as an HTTP date a year ahead fails at once with that retryAfter", () =>
    Effect.gen(function*() {
      const now = yield* TestTime.wholeSecond
      const server = yield* TokenServer.TokenServer
      const inAYear = new Date(now + Duration.toMillis(Duration.days(365))).toUTCString()
      yield* server.handle(() => Effect.succeed(rateLimited(inAYear)))
      const tokens = yield* provider()
      const caller = yield* Effect.fork(Effect.flip(tokens.get))
      yield* finishes(caller)
      const error = yield* Fiber.join(caller)
      expect(error).toMatchObject({ _tag: "TemporarilyUnavailable", status: 429 })
      expect(error._tag === "TemporarilyUnavailable" && error.retryAfter && Duration.toHours(error.retryAfter)).toBe(365 * 24)
      expect(yield* server.requests).toHaveLength(1)
    }).pipe(Effect.provide(TokenServer.layer)))

  it.scoped("concurrent callers all get the error at once instead of sharing a long wait", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      yield* server.handle(() => Effect.succeed(rateLimited("600")))
      const tokens = yield* provider()
      const callers = yield* Effect.fork(Effect.all(Array.from({ length: 20 }, () => Effect.either(tokens.get)), {
        concurrency: "unbounded"
      }))
      yield* finishes(callers)
      const results = yield* Fiber.join(callers)
      expect(results.every((result) => result._tag === "Left")).toBe(true)
      expect(yield* server.requests).toHaveLength(1)
    }).pipe(Effect.provide(TokenServer.layer)))
})

describe("TokenRetry: one acquisition is bounded", () => {
  it.scoped("a Retry-After within the bound is waited for only while it ends before the acquisition deadline", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      yield* server.handle(() => Effect.succeed(rateLimited("20")))
      const tokens = yield* provider()
      const caller = yield* Effect.fork(Effect.flip(tokens.get))
      yield* Polling.eventually(Effect.map(server.requests, (all) => all.length === 1))
      yield* TestTime.adjustWhenSleeping("20 seconds")
      yield* Polling.eventually(Effect.map(server.requests, (all) => all.length === 2))
      // The next 20 s would end past the 30 s deadline: the error comes back now.
      yield* finishes(caller)
      expect(yield* Fiber.join(caller)).toMatchObject({ _tag: "TemporarilyUnavailable", status: 429 })
      expect(yield* requestsAfterAWhile).toHaveLength(2)
    }).pipe(Effect.provide(TokenServer.layer)))

  it.scoped("an endpoint that never answers fails the acquisition after the default 30 s, not later", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      yield* server.handle(() => Effect.never)
      const tokens = yield* provider({ timeout: "10 minutes" })
      const caller = yield* Effect.fork(Effect.flip(tokens.get))
      yield* Polling.eventually(Effect.map(server.requests, (all) => all.length === 1))
      yield* TestClock.adjust("29999 millis")
      yield* TestServices.provideLive(Effect.sleep("50 millis"))
      expect(Option.isNone(yield* Fiber.poll(caller))).toBe(true)
      yield* TestClock.adjust("1 millis")
      yield* finishes(caller)
      expect(yield* Fiber.join(caller)).toMatchObject({ _tag: "TemporarilyUnavailable", reason: "Timeout" })
      expect(Duration.toSeconds(TokenRetry.defaultAcquisitionTimeout)).toBe(30)
    }).pipe(Effect.provide(TokenServer.layer)))

  it.scoped("a caller that gives up (its own timeout) does not break the request the others wait for", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      const release = yield* Deferred.make<void>()
      const issued = yield* Ref.make(0)
      yield* server.handle(() =>
        Effect.zipRight(
          Deferred.await(release),
          Effect.map(Ref.updateAndGet(issued, (n) => n + 1), (n) => TokenServer.tokenResponse(`token-${n}`))
        )
      )
      const tokens = yield* provider()
      const impatient = yield* Effect.fork(Effect.timeout(tokens.get, "1 second"))
      yield* Polling.eventually(Effect.map(server.requests, (all) => all.length === 1))
      const patient = yield* Effect.fork(tokens.get)
      yield* TestClock.adjust("1 second")
      yield* finishes(impatient)
      expect((yield* Effect.either(Fiber.join(impatient)))._tag).toBe("Left")
      yield* Deferred.succeed(release, undefined)
      yield* finishes(patient)
      expect(Redacted.value((yield* Fiber.join(patient)).value)).toBe("token-1")
      expect(Redacted.value((yield* tokens.get).value)).toBe("token-1")
      expect(yield* server.requests).toHaveLength(1)
    }).pipe(Effect.provide(TokenServer.layer)))
})

describe("TokenRetry: the background refresh, on which nobody waits", () => {
  it.scoped("honours a Retry-After longer than maximumRetryAfter while the current token is still served", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      const answered = yield* Ref.make(0)
      yield* server.handle(() =>
        Effect.map(Ref.updateAndGet(answered, (n) => n + 1), (n) =>
          n === 2 ? rateLimited("600") : TokenServer.tokenResponse(`token-${n}`, { expires_in: 3600 }))
      )
      const tokens = yield* provider({ backgroundRefresh: { at: 0.8, jitter: 0 } })
      expect(Redacted.value((yield* tokens.get).value)).toBe("token-1")
      yield* TestClock.adjust("2880 seconds") // 80 %: refused with Retry-After: 600
      yield* Polling.eventually(Effect.map(server.requests, (all) => all.length === 2))
      yield* TestTime.untilSleeping
      yield* TestClock.adjust("599 seconds")
      expect(yield* requestsAfterAWhile).toHaveLength(2)
      expect(Redacted.value((yield* tokens.get).value)).toBe("token-1")
      yield* TestClock.adjust("1 second")
      yield* Polling.eventually(Effect.map(server.requests, (all) => all.length === 3))
      yield* Polling.eventually(Effect.map(Effect.orDie(tokens.get), (token) => Redacted.value(token.value) === "token-3"))
    }).pipe(Effect.provide(TokenServer.layer)))
})

describe("TokenRetry.transient", () => {
  it.effect("does not retry an error whose Retry-After is longer than maximumRetryAfter", () =>
    Effect.gen(function*() {
      expect(Duration.toSeconds(TokenRetry.maximumRetryAfter)).toBe(30)
      const attempts = yield* Ref.make(0)
      const error = yield* Effect.flip(
        Effect.zipRight(
          Ref.update(attempts, (n) => n + 1),
          Effect.fail(
            new TokenError.TemporarilyUnavailable({ endpoint: "test", reason: "RateLimited", retryAfter: Duration.minutes(1) })
          )
        ).pipe(Effect.retry(TokenRetry.acquisition))
      )
      expect(error._tag).toBe("TemporarilyUnavailable")
      expect(yield* Ref.get(attempts)).toBe(1)
    }))
})
