/**
 * The waiting policy against a real token endpoint. The waits here start only after real I/O
 * (a response arrived), so these tests run on the hand-moved clock of `ManualClock`, which
 * can tell when a wait began; the pure schedule tests use the TestClock.
 */
import { describe, expect, it } from "@effect/vitest"
import { Clock, Deferred, Duration, Effect, Fiber, Redacted, Ref } from "effect"
import { ClientAuthentication, Grant, TokenError, TokenProvider, TokenRetry } from "@effect-bearer/core"
import * as ManualClock from "./support/ManualClock.js"
import * as TestTime from "./support/TestTime.js"
import * as TokenServer from "./support/TokenServer.js"

const clientAuthentication = ClientAuthentication.clientSecretPost({ clientId: "c", clientSecret: Redacted.make("s") })
const rateLimited = (retryAfter: string) =>
  TokenServer.json({ error: "temporarily_unavailable" }, { status: 429, headers: { "retry-after": retryAfter } })

const provider = (server: TokenServer.TokenServer, options: Partial<TokenProvider.EndpointOptions> = {}) =>
  TokenProvider.fromEndpoint({ url: server.tokenUrl, grant: Grant.clientCredentials, clientAuthentication, backgroundRefresh: false, ...options })

const finishes = <A, E>(fiber: Fiber.Fiber<A, E>) => TestTime.eventually(Effect.sync(() => fiber.pollUnsafe() !== undefined))
const requestCount = (server: TokenServer.TokenServer, count: number) => TestTime.eventually(Effect.map(server.requests, (all) => all.length === count))
/** Some real time for a request that should not come, then the requests received. */
const requestsAfterAWhile = (server: TokenServer.TokenServer) =>
  Effect.andThen(Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 150))), server.requests)

/** The test on a hand-moved clock starting at `start`. */
const onManualClock = <A, E, R>(start: number, test: (clock: ManualClock.ManualClock) => Effect.Effect<A, E, R>) => {
  const manual = ManualClock.make(start)
  return test(manual).pipe(Effect.provideService(Clock.Clock, manual.clock), Effect.provide(TokenServer.layerClient))
}

describe("TokenRetry: a server asking to wait longer than maximumRetryAfter", () => {
  it.effect("a 429 with Retry-After: 86400 fails at once with TemporarilyUnavailable and its retryAfter", () =>
    onManualClock(0, () =>
      Effect.gen(function*() {
        const server = yield* TokenServer.make
        yield* server.handle(() => Effect.succeed(rateLimited("86400")))
        const tokens = yield* provider(server)
        // The clock never moves: a get that waited would never finish.
        const error = yield* Effect.flip(tokens.get)
        expect(error).toMatchObject({ _tag: "TemporarilyUnavailable", reason: "RateLimited", status: 429 })
        expect(error._tag === "TemporarilyUnavailable" && error.retryAfter && Duration.toSeconds(error.retryAfter)).toBe(86400)
        expect(yield* server.requests).toHaveLength(1)
      })))

  it.effect("a 429 with Retry-After as an HTTP date a year ahead fails at once with that retryAfter", () => {
    const now = Math.floor(Date.now() / 1000) * 1000
    return onManualClock(now, () =>
      Effect.gen(function*() {
        const server = yield* TokenServer.make
        yield* server.handle(() => Effect.succeed(rateLimited(new Date(now + Duration.toMillis(Duration.days(365))).toUTCString())))
        const error = yield* Effect.flip((yield* provider(server)).get)
        expect(error).toMatchObject({ _tag: "TemporarilyUnavailable", status: 429 })
        expect(error._tag === "TemporarilyUnavailable" && error.retryAfter && Duration.toHours(error.retryAfter)).toBe(365 * 24)
        expect(yield* server.requests).toHaveLength(1)
      }))
  })

  it.effect("concurrent callers all get the error at once instead of sharing a long wait", () =>
    onManualClock(0, () =>
      Effect.gen(function*() {
        const server = yield* TokenServer.make
        yield* server.handle(() => Effect.succeed(rateLimited("600")))
        const tokens = yield* provider(server)
        const results = yield* Effect.all(Array.from({ length: 20 }, () => Effect.result(tokens.get)), { concurrency: "unbounded" })
        expect(results.every((result) => result._tag === "Failure")).toBe(true)
        expect(yield* server.requests).toHaveLength(1)
      })))
})

describe("TokenRetry: one acquisition is bounded", () => {
  it.effect("a Retry-After within the bound is waited for only while it ends before the acquisition deadline", () =>
    onManualClock(0, (clock) =>
      Effect.gen(function*() {
        const server = yield* TokenServer.make
        yield* server.handle(() => Effect.succeed(rateLimited("20")))
        const tokens = yield* provider(server)
        const caller = yield* Effect.forkChild(Effect.flip(tokens.get))
        yield* clock.awaitSleep("20 seconds")
        yield* clock.adjust("20 seconds")
        yield* requestCount(server, 2)
        // The next 20 s would end past the 30 s deadline: the error comes back now.
        yield* finishes(caller)
        expect(yield* Fiber.join(caller)).toMatchObject({ _tag: "TemporarilyUnavailable", status: 429 })
        expect(yield* requestsAfterAWhile(server)).toHaveLength(2)
      })))

  it.effect("an endpoint that never answers fails the acquisition after the default 30 s, not later", () =>
    onManualClock(0, (clock) =>
      Effect.gen(function*() {
        const server = yield* TokenServer.make
        yield* server.handle(() => server.never)
        const tokens = yield* provider(server, { timeout: "10 minutes" })
        const caller = yield* Effect.forkChild(Effect.flip(tokens.get))
        yield* requestCount(server, 1)
        yield* clock.awaitSleep("30 seconds")
        yield* clock.adjust("29999 millis")
        yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 50)))
        expect(caller.pollUnsafe()).toBeUndefined()
        yield* clock.adjust("1 millis")
        yield* finishes(caller)
        expect(yield* Fiber.join(caller)).toMatchObject({ _tag: "TemporarilyUnavailable", reason: "Timeout" })
        expect(Duration.toSeconds(TokenRetry.defaultAcquisitionTimeout)).toBe(30)
      })))

  it.effect("a caller that gives up (its own timeout) does not break the request the others wait for", () =>
    onManualClock(0, (clock) =>
      Effect.gen(function*() {
        const server = yield* TokenServer.make
        const release = yield* Deferred.make<void>()
        const issued = yield* Ref.make(0)
        yield* server.handle(() =>
          Effect.andThen(Deferred.await(release), Effect.map(Ref.updateAndGet(issued, (n) => n + 1), (n) => TokenServer.tokenResponse(`token-${n}`)))
        )
        const tokens = yield* provider(server)
        const impatient = yield* Effect.forkChild(Effect.timeout(tokens.get, "1 second"))
        yield* requestCount(server, 1)
        const patient = yield* Effect.forkChild(tokens.get)
        yield* clock.awaitSleep("1 second")
        yield* clock.adjust("1 second")
        yield* finishes(impatient)
        expect((yield* Effect.result(Fiber.join(impatient)))._tag).toBe("Failure")
        yield* Deferred.succeed(release, undefined)
        yield* finishes(patient)
        expect(Redacted.value((yield* Fiber.join(patient)).value)).toBe("token-1")
        expect(Redacted.value((yield* tokens.get).value)).toBe("token-1")
        expect(yield* server.requests).toHaveLength(1)
      })))
})

describe("TokenRetry: the background refresh, on which nobody waits", () => {
  it.effect("honours a Retry-After longer than maximumRetryAfter while the current token is still served", () =>
    onManualClock(0, (clock) =>
      Effect.gen(function*() {
        const server = yield* TokenServer.make
        const answered = yield* Ref.make(0)
        yield* server.handle(() =>
          Effect.map(Ref.updateAndGet(answered, (n) => n + 1), (n) => n === 2 ? rateLimited("600") : TokenServer.tokenResponse(`token-${n}`, { expires_in: 3600 }))
        )
        const tokens = yield* provider(server, { backgroundRefresh: { at: 0.8, jitter: 0 } })
        expect(Redacted.value((yield* tokens.get).value)).toBe("token-1")
        yield* clock.adjust("2880 seconds") // 80 %: refused with Retry-After: 600
        yield* requestCount(server, 2)
        yield* clock.awaitSleep("600 seconds")
        yield* clock.adjust("599 seconds")
        expect(yield* requestsAfterAWhile(server)).toHaveLength(2)
        expect(Redacted.value((yield* tokens.get).value)).toBe("token-1")
        yield* clock.adjust("1 second")
        yield* requestCount(server, 3)
        yield* TestTime.eventually(Effect.map(Effect.orDie(tokens.get), (token) => Redacted.value(token.value) === "token-3"))
      })))
})

describe("TokenRetry.transient", () => {
  it.effect("does not retry an error whose Retry-After is longer than maximumRetryAfter", () =>
    Effect.gen(function*() {
      expect(Duration.toSeconds(TokenRetry.maximumRetryAfter)).toBe(30)
      const attempts = yield* Ref.make(0)
      const error = yield* Effect.flip(
        Effect.andThen(
          Ref.update(attempts, (n) => n + 1),
          Effect.fail(new TokenError.TemporarilyUnavailable({ endpoint: "test", reason: "RateLimited", retryAfter: Duration.minutes(1) }))
        ).pipe(Effect.retry(TokenRetry.acquisition))
      )
      expect(error._tag).toBe("TemporarilyUnavailable")
      expect(yield* Ref.get(attempts)).toBe(1)
    }))
})
