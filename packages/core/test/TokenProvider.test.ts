import { describe, expect, it } from "@effect/vitest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Clock, Duration, Effect, Exit, Fiber, Logger, LogLevel, Option, Redacted, Ref, Runtime, Schedule, Scope, TestClock } from "effect"
import { AccessToken, ClientAuthentication, Grant, TokenError, TokenProvider, TokenSource } from "@effect-bearer/core"
import * as TokenProviderCases from "@effect-bearer/conformance/TokenProviderCases"
import * as RefreshTokenCases from "@effect-bearer/conformance/RefreshTokenCases"
import * as Polling from "@effect-bearer/test-support/Polling"
import { make as countingSource } from "./support/CountingSource.js"
import * as SlowSource from "./support/SlowSource.js"
import * as TestTime from "./support/TestTime.js"
import * as TokenServer from "./support/TokenServer.js"

const serverError = new TokenError.TemporarilyUnavailable({ endpoint: "test", status: 503, reason: "ServerError" })
const valueOf = (token: AccessToken.AccessToken) => Redacted.value(token.value)
const noRetry = { retry: Schedule.stop }

describe("TokenProvider caches", () => {
  // The conformance TokenProviderCases.cacheCases, over support/SlowSource.ts answering at once.
  for (const row of TokenProviderCases.cacheCases) it.scoped(row.name, () => SlowSource.runCase(row, expect))
})

/** A provider of 300 s tokens that take 2 s to fetch, renewed at 80 %, holding tok-1 (issued at 0 s; now 2 s). */
const slowFetchesRefreshedAt80 = (failures?: (fetch: number) => TokenError.TokenError | undefined) =>
  Effect.gen(function*() {
    const { fetches, source } = yield* countingSource({ lifetime: "300 seconds", latency: "2 seconds", failures })
    const provider = yield* TokenProvider.make(source, { ...noRetry, backgroundRefresh: { at: 0.8, jitter: 0 } })
    const first = yield* Effect.fork(provider.get)
    yield* TestTime.adjustWhenSleeping("2 seconds")
    return { fetches, provider, rejected: yield* Fiber.join(first) }
  })

describe("TokenProvider single flight", () => {
  it.scoped("1,000 concurrent gets on a cold cache make exactly one token request", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      const provider = yield* TokenProvider.fromEndpoint({
        url: server.tokenUrl,
        grant: Grant.clientCredentials,
        clientAuthentication: ClientAuthentication.clientSecretPost({ clientId: "c", clientSecret: Redacted.make("s") }),
        backgroundRefresh: false
      })
      const tokens = yield* Effect.all(Array.from({ length: 1000 }, () => provider.get), { concurrency: "unbounded" })
      expect(new Set(tokens.map(valueOf))).toEqual(new Set(["default-token"]))
      expect(yield* server.requests).toHaveLength(1)
    }).pipe(Effect.provide(TokenServer.layer)))

  it.scoped("1,000 concurrent gets at expiry make exactly one more token request", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      const issued = yield* Ref.make(0)
      yield* server.handle(() =>
        Effect.map(Ref.updateAndGet(issued, (n) => n + 1), (n) => TokenServer.tokenResponse(`token-${n}`, { expires_in: 300 }))
      )
      const provider = yield* TokenProvider.fromEndpoint({
        url: server.tokenUrl,
        grant: Grant.clientCredentials,
        clientAuthentication: ClientAuthentication.clientSecretBasic({ clientId: "c", clientSecret: Redacted.make("s") }),
        backgroundRefresh: false
      })
      expect(valueOf(yield* provider.get)).toBe("token-1")
      yield* TestClock.adjust("291 seconds")
      const tokens = yield* Effect.all(Array.from({ length: 1000 }, () => provider.get), { concurrency: "unbounded" })
      expect(new Set(tokens.map(valueOf))).toEqual(new Set(["token-2"]))
      expect(yield* server.requests).toHaveLength(2)
    }).pipe(Effect.provide(TokenServer.layer)))

  it.scoped("a failure is shared by the callers waiting for it, then never sticks", () =>
    Effect.gen(function*() {
      const { fetches, source } = yield* countingSource({
        lifetime: "300 seconds",
        latency: "1 second",
        failures: (n) => (n === 1 ? serverError : undefined)
      })
      const provider = yield* TokenProvider.make(source, { ...noRetry, backgroundRefresh: false })
      const waiting = yield* Effect.fork(
        Effect.all(Array.from({ length: 50 }, () => Effect.either(provider.get)), { concurrency: "unbounded" })
      )
      yield* TestTime.adjustWhenSleeping("1 second")
      const results = yield* Fiber.join(waiting)
      expect(results.every((result) => result._tag === "Left")).toBe(true)
      expect(yield* fetches).toBe(1)
      const next = yield* Effect.fork(provider.get)
      yield* TestTime.adjustWhenSleeping("1 second")
      expect(valueOf(yield* Fiber.join(next))).toBe("tok-2")
      expect(yield* fetches).toBe(2)
    }))

  it.scoped("when the caller whose fetch the others wait for is interrupted, the fetch goes on and serves them", () =>
    Effect.gen(function*() {
      const { fetches, source } = yield* countingSource({ lifetime: "300 seconds", latency: "1 second" })
      const provider = yield* TokenProvider.make(source, { ...noRetry, backgroundRefresh: false })
      const first = yield* Effect.fork(provider.get)
      yield* TestTime.untilSleeping
      const others = yield* Effect.fork(Effect.all(Array.from({ length: 20 }, () => provider.get), { concurrency: "unbounded" }))
      yield* Effect.yieldNow()
      yield* Fiber.interrupt(first)
      yield* TestTime.adjustWhenSleeping("1 second")
      const tokens = yield* Fiber.join(others)
      expect(new Set(tokens.map(valueOf))).toEqual(new Set(["tok-1"]))
      expect(yield* fetches).toBe(1)
    }))

  it.scoped("a get that needs a token while the background refresh fetches awaits that fetch: one request", () =>
    Effect.gen(function*() {
      const { fetches, provider, rejected } = yield* slowFetchesRefreshedAt80()
      yield* TestClock.adjust("238 seconds") // 240 s: the background refresh starts fetching tok-2
      expect(yield* fetches).toBe(2)
      yield* provider.invalidate(rejected) // a 401: tok-1 may no longer be handed out
      const reader = yield* Effect.fork(provider.get)
      yield* TestClock.adjust("2 seconds")
      expect(valueOf(yield* Fiber.join(reader))).toBe("tok-2")
      expect(yield* fetches).toBe(2)
    }))

  it.scoped("the background refresh waking while a get fetches takes that get's token: one request", () =>
    Effect.gen(function*() {
      const { fetches, provider, rejected } = yield* slowFetchesRefreshedAt80()
      yield* TestClock.adjust("237 seconds") // 239 s
      yield* provider.invalidate(rejected)
      const reader = yield* Effect.fork(provider.get) // fetches tok-2 from 239 s to 241 s
      yield* TestTime.untilSleeping
      yield* TestClock.adjust("2 seconds") // the background refresh wakes at 240 s, in the middle
      expect(valueOf(yield* Fiber.join(reader))).toBe("tok-2")
      yield* TestClock.adjust("30 seconds")
      expect(yield* fetches).toBe(2)
    }))

  it.scoped("a get that joins a failing background attempt shares its failure; the next get fetches again, joined by the background", () =>
    Effect.gen(function*() {
      const { fetches, provider, rejected } = yield* slowFetchesRefreshedAt80((n) => (n === 2 ? serverError : undefined))
      yield* TestClock.adjust("238 seconds") // 240 s: the background refresh starts fetch 2, which fails at 242 s
      yield* provider.invalidate(rejected)
      const reader = yield* Effect.fork(Effect.either(provider.get))
      yield* TestClock.adjust("2 seconds")
      expect(yield* Fiber.join(reader)).toMatchObject({ _tag: "Left", left: { _tag: "TemporarilyUnavailable" } })
      const next = yield* Effect.fork(provider.get) // fetch 3, from 242 s to 244 s; the background's backoff joins it
      yield* TestClock.adjust("2 seconds")
      expect(valueOf(yield* Fiber.join(next))).toBe("tok-3")
      yield* TestClock.adjust("10 seconds")
      expect(yield* fetches).toBe(3)
    }))

  it.scoped("a failed token request followed by a working endpoint: the next get succeeds", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      yield* server.handle(() => Effect.succeed(HttpServerResponse.empty({ status: 500 })))
      const provider = yield* TokenProvider.fromEndpoint({
        url: server.tokenUrl,
        grant: Grant.clientCredentials,
        clientAuthentication: ClientAuthentication.clientSecretPost({ clientId: "c", clientSecret: Redacted.make("s") }),
        backgroundRefresh: false,
        ...noRetry
      })
      expect(yield* Effect.flip(provider.get)).toMatchObject({ _tag: "TemporarilyUnavailable", status: 500 })
      yield* server.handle(() => Effect.succeed(TokenServer.tokenResponse("recovered")))
      expect(valueOf(yield* provider.get)).toBe("recovered")
    }).pipe(Effect.provide(TokenServer.layer)))

  it.scoped("transient failures are retried on the acquisition schedule, user errors are not", () =>
    Effect.gen(function*() {
      const transient = yield* countingSource({ lifetime: "300 seconds", failures: (n) => (n < 3 ? serverError : undefined) })
      const patient = yield* TokenProvider.make(transient.source, {
        backgroundRefresh: false,
        retry: Schedule.recurs(5)
      })
      expect(valueOf(yield* patient.get)).toBe("tok-3")

      const refused = new TokenError.InvalidCredentials({ endpoint: "test", status: 401, grantType: "client_credentials" })
      const user = yield* countingSource({ lifetime: "300 seconds", failures: () => refused })
      const strict = yield* TokenProvider.make(user.source, { backgroundRefresh: false, retry: Schedule.recurs(5) })
      // Errors come back by value (Effect may wrap them to carry the span), so match the fields.
      expect(yield* Effect.flip(strict.get)).toMatchObject({ _tag: "InvalidCredentials", status: 401 })
      expect(yield* user.fetches).toBe(1)
    }))
})

describe("TokenProvider background refresh", () => {
  it.scoped("renews 300 s tokens before every expiry for an hour; no caller waits or gets an expired token", () =>
    Effect.gen(function*() {
      const { fetches, source, started } = yield* countingSource({ lifetime: "300 seconds", latency: "2 seconds" })
      const provider = yield* TokenProvider.make(source, { backgroundRefresh: { at: 0.8, jitter: 0 } })
      const first = yield* Effect.fork(provider.get)
      yield* TestTime.adjustWhenSleeping("2 seconds")
      yield* Fiber.join(first)
      for (let second = 5; second <= 3600; second += 5) {
        yield* TestClock.adjust("5 seconds")
        // A caller that had to wait for a refresh would not finish without the clock moving.
        const caller = yield* Effect.fork(provider.get)
        yield* Effect.yieldNow()
        const exit = yield* Fiber.poll(caller)
        expect(Option.isSome(exit) && Exit.isSuccess(exit.value)).toBe(true)
        const token = yield* Fiber.join(caller)
        expect(yield* Clock.currentTimeMillis).toBeLessThan(token.expiresAt)
      }
      // A token's lifetime counts from when it was requested: one request every 0.8 × 300 s.
      expect(yield* fetches).toBe(Math.floor(3600 / 240) + 1)
      const times = yield* started
      times.slice(1).forEach((at, i) => expect(at - (times[i] ?? 0)).toBe(240_000))
    }))

  it.scoped("wakes between 80 % and 90 % of each token's own lifetime", () =>
    Effect.gen(function*() {
      const { fetches, source } = yield* countingSource({ lifetime: "1000 seconds" })
      const provider = yield* TokenProvider.make(source)
      yield* provider.get
      yield* TestClock.adjust("799 seconds")
      expect(yield* fetches).toBe(1)
      yield* TestClock.adjust("101 seconds")
      expect(yield* fetches).toBe(2)
    }))

  it.scoped("wakes at a fractional instant without spinning (wake times are rounded up to whole ms)", () =>
    Effect.gen(function*() {
      const { fetches, source } = yield* countingSource({ lifetime: "10001 millis" })
      const provider = yield* TokenProvider.make(source, { backgroundRefresh: { at: 0.8, jitter: 0 } })
      yield* provider.get
      yield* TestTime.adjustWhenSleeping("8000 millis")
      expect(yield* fetches).toBe(1)
      yield* TestClock.adjust("1 millis") // 8000.8 ms rounds up to 8001 ms
      yield* TestTime.untilSleeping
      expect(yield* fetches).toBe(2)
    }))

  it.scoped("sleeps at most a day at a time, so 30-day tokens are renewed (Effect's timers cap at 24.8 days)", () =>
    Effect.gen(function*() {
      const { fetches, source } = yield* countingSource({ lifetime: Duration.seconds(2_627_999) })
      const provider = yield* TokenProvider.make(source, { backgroundRefresh: { at: 0.9, jitter: 0 } })
      yield* provider.get
      yield* Effect.yieldNow()
      const now = yield* Clock.currentTimeMillis
      for (const wake of yield* TestClock.sleeps()) {
        expect(wake - now).toBeLessThanOrEqual(Duration.toMillis(Duration.days(1)))
      }
      yield* TestClock.adjust(Duration.seconds(2_627_999 * 0.9 + 1))
      expect(yield* fetches).toBe(2)
    }))

  it.scoped("backs off on failure while the current token is still served, then renews", () =>
    Effect.gen(function*() {
      const { fetches, source } = yield* countingSource({
        lifetime: "300 seconds",
        failures: (n) => (n === 2 || n === 3 ? serverError : undefined)
      })
      const provider = yield* TokenProvider.make(source, {
        backgroundRefresh: { at: 0.8, jitter: 0, backoff: Schedule.exponential("5 seconds") }
      })
      expect(valueOf(yield* provider.get)).toBe("tok-1")
      yield* TestClock.adjust("240 seconds") // fetch 2 fails
      expect(valueOf(yield* provider.get)).toBe("tok-1")
      yield* TestClock.adjust("5 seconds") // fetch 3 fails
      expect(valueOf(yield* provider.get)).toBe("tok-1")
      yield* TestClock.adjust("10 seconds") // fetch 4 succeeds
      expect(yield* fetches).toBe(4)
      expect(valueOf(yield* provider.get)).toBe("tok-4")
    }))

  it.scoped("gives up when the token expires; the next get fetches again", () =>
    Effect.gen(function*() {
      const failing = yield* Ref.make(true)
      const base = yield* countingSource({ lifetime: "100 seconds" })
      const source: TokenSource.TokenSource = {
        ...base.source,
        fetch: (previous) =>
          Effect.flatMap(Ref.get(failing), (fail) =>
            fail && Option.isSome(previous) ? Effect.fail(serverError) : base.source.fetch(previous))
      }
      const provider = yield* TokenProvider.make(source, {
        ...noRetry,
        backgroundRefresh: { at: 0.8, jitter: 0, backoff: Schedule.spaced("1 second") }
      })
      yield* provider.get
      yield* TestClock.adjust("100 seconds")
      const attempts = yield* base.fetches
      yield* TestClock.adjust("1000 seconds")
      expect(yield* base.fetches).toBe(attempts) // no attempts after the token expired
      yield* Ref.set(failing, false)
      yield* provider.get
      expect(yield* base.fetches).toBe(attempts + 1)
    }))

  it.effect("stops when its scope closes: no token request afterwards", () =>
    Effect.gen(function*() {
      const { fetches, source } = yield* countingSource({ lifetime: "300 seconds" })
      const scope = yield* Scope.make()
      const provider = yield* Scope.extend(TokenProvider.make(source), scope)
      yield* provider.get
      yield* Scope.close(scope, Exit.void)
      yield* TestClock.adjust("1 hour")
      expect(yield* fetches).toBe(1)
    }))
})

describe("TokenProvider after a 401", () => {
  // The conformance TokenProviderCases.invalidationCases, over support/SlowSource.ts answering at once.
  for (const row of TokenProviderCases.invalidationCases) it.scoped(row.name, () => SlowSource.runCase(row, expect))
})

/** The conformance rotating server on this line's token server, and a provider of `grant` (no background refresh). */
const rotating = (grant: RefreshTokenCases.GrantKind, options: RefreshTokenCases.ServerOptions) =>
  Effect.gen(function*() {
    const server = yield* TokenServer.TokenServer
    const rotation = RefreshTokenCases.rotatingServer(options)
    yield* server.handle((request) => Effect.sync(() => TokenServer.fromAnswer(rotation.answer(request.form))))
    const provider = yield* TokenProvider.fromEndpoint({
      url: server.tokenUrl,
      grant: grant === "password"
        ? Grant.password({ username: "me@example.com", password: Redacted.make("pw") })
        : Grant.refreshToken(Redacted.make(RefreshTokenCases.initialRefreshToken)),
      clientAuthentication: ClientAuthentication.publicClient("up42-api"),
      backgroundRefresh: false
    })
    return { provider, server }
  })

/** Runs a conformance RefreshTokenCases row on this fiber's runtime (so on its TestClock). */
const refreshTokenCase = (row: RefreshTokenCases.Case) =>
  it.scoped(row.name, () =>
    Effect.gen(function*() {
      const { provider, server } = yield* rotating(row.grant, row.server)
      const run = Runtime.runPromise(yield* Effect.runtime<never>())
      yield* Effect.promise(() =>
        RefreshTokenCases.run(row, {
          get: () =>
            run(Effect.match(provider.get, {
              onSuccess: (token) => ({ _tag: "Token" as const, value: valueOf(token) }),
              onFailure: (error) => ({ _tag: "Failed" as const, error })
            })),
          advance: (seconds) => run(TestClock.adjust(Duration.seconds(seconds))),
          requests: () => run(Effect.map(server.requests, (all) => all.map((request) => request.form)))
        }, expect)
      )
    }).pipe(Effect.provide(TokenServer.layer)))

describe("TokenProvider with refresh tokens", () => {
  RefreshTokenCases.withRefreshTokens.forEach(refreshTokenCase)
})

describe("TokenProvider test layers", () => {
  it.effect("layerStatic hands out one token forever", () =>
    Effect.gen(function*() {
      const first = yield* TokenProvider.get
      yield* TestClock.adjust("400 days")
      expect(valueOf(yield* TokenProvider.get)).toBe(valueOf(first))
      expect(valueOf(first)).toBe("console-token")
    }).pipe(Effect.provide(TokenProvider.layerStatic(Redacted.make("console-token")))))

  it.effect("layerStatic respects a JWT's exp and then fails with Expired", () => {
    const jwt = `e30.${Buffer.from(JSON.stringify({ exp: 60 })).toString("base64url")}.s`
    return Effect.gen(function*() {
      expect(valueOf(yield* TokenProvider.get)).toBe(jwt)
      yield* TestClock.adjust("61 seconds")
      expect(yield* Effect.flip(TokenProvider.get)).toMatchObject({ _tag: "Expired", reason: "AccessToken" })
    }).pipe(Effect.provide(TokenProvider.layerStatic(Redacted.make(jwt))))
  })

  it.effect("layerScripted plays tokens and errors in order", () =>
    Effect.gen(function*() {
      expect(yield* Effect.flip(TokenProvider.get)).toMatchObject({ _tag: "TemporarilyUnavailable", status: 503 })
      const first = yield* TokenProvider.get
      expect(valueOf(first)).toBe("one")
      const provider = yield* TokenProvider.TokenProvider
      yield* provider.invalidate(first)
      expect(valueOf(yield* TokenProvider.get)).toBe("two")
    }).pipe(
      Effect.provide(
        TokenProvider.layerScripted([serverError, { token: "one", lifetime: "5 minutes" }, { token: "two", lifetime: "5 minutes" }], noRetry)
      )
    ))
})

describe("TokenProvider sends a refresh token at most once", () => {
  RefreshTokenCases.atMostOnce.forEach(refreshTokenCase)

  it.scoped("a refresh token whose request failed (503) is not sent again by the retry: the password grant is", () =>
    Effect.gen(function*() {
      const { provider, server } = yield* rotating("password", { failOnce: ["refresh-1"] })
      yield* provider.get
      yield* TestClock.adjust("295 seconds")
      const next = yield* Effect.fork(provider.get)
      yield* Polling.eventually(Effect.map(server.requests, (all) => all.length === 2))
      yield* TestTime.adjustWhenSleeping("1 second") // the acquisition's first backoff
      yield* Polling.eventually(Effect.map(Fiber.poll(next), Option.isSome))
      expect(valueOf(yield* Fiber.join(next))).toBe("access-2")
      expect((yield* server.requests).map((r) => r.form.get("grant_type"))).toEqual(["password", "refresh_token", "password"])
      expect(yield* server.refreshTokens).toEqual(["refresh-1"])
    }).pipe(Effect.provide(TokenServer.layer)))
})

describe("TokenProvider and short lifetimes", () => {
  const endpointWith = (expiresIn: number) =>
    Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      yield* server.handle(() => Effect.succeed(TokenServer.tokenResponse("short-lived-secret-token", { expires_in: expiresIn })))
      return yield* TokenProvider.fromEndpoint({
        url: server.tokenUrl,
        grant: Grant.clientCredentials,
        clientAuthentication: ClientAuthentication.clientSecretPost({ clientId: "c", clientSecret: Redacted.make("s") }),
        backgroundRefresh: false,
        ...noRetry
      })
    })

  it.scoped("renews a 3 s token before its expiry minus the one-second margin", () =>
    Effect.gen(function*() {
      const { fetches, source } = yield* countingSource({ lifetime: "3 seconds" })
      const provider = yield* TokenProvider.make(source, { backgroundRefresh: { at: 0.8, jitter: 0.1 } })
      yield* provider.get
      // 80 % of 3 s (2.4 s) is past the usable 2 s: the refresh wakes at 90 % of those, 1.8 s.
      yield* TestTime.adjustWhenSleeping("1800 millis")
      yield* TestTime.untilSleeping
      expect(yield* fetches).toBe(2)
      const token = yield* provider.get
      expect(valueOf(token)).toBe("tok-2")
    }))

  it.scoped("expires_in: 0.0001 is refused as InvalidTokenResponse, without the token in the error", () =>
    Effect.gen(function*() {
      const provider = yield* endpointWith(0.0001)
      const error = yield* Effect.flip(provider.get)
      expect(error).toMatchObject({ _tag: "InvalidTokenResponse", reason: "InvalidExpiresIn" })
      expect(error.message).toContain("too short to use")
      expect(JSON.stringify(error) + error.message + String(error)).not.toContain("short-lived-secret-token")
    }).pipe(Effect.provide(TokenServer.layer)))

  it.scoped("expires_in: 1 (not longer than the margin floor) is refused; 2 s, the minimum lifetime, is accepted", () =>
    Effect.gen(function*() {
      expect(Duration.toSeconds(AccessToken.minimumLifetime)).toBe(2)
      const refused = yield* endpointWith(1)
      expect(yield* Effect.flip(refused.get)).toMatchObject({ _tag: "InvalidTokenResponse", reason: "InvalidExpiresIn" })
      const accepted = yield* endpointWith(2)
      expect(valueOf(yield* accepted.get)).toBe("short-lived-secret-token")
    }).pipe(Effect.provide(TokenServer.layer)))
})

describe("TokenProvider logs", () => {
  const logged = (run: (provider: TokenProvider.Service, first: AccessToken.AccessToken) => Effect.Effect<unknown, unknown>) =>
    Effect.gen(function*() {
      const messages: Array<string> = []
      const logger = Logger.make(({ message }) => messages.push(String(message)))
      const source = yield* TokenSource.scripted([{ token: "tok-1", lifetime: "5 minutes" }, { token: "tok-2", lifetime: "5 minutes" }])
      const provider = yield* TokenProvider.make(source, { backgroundRefresh: false })
      const first = yield* provider.get
      yield* run(provider, first).pipe(
        Effect.provide(Logger.replace(Logger.defaultLogger, logger)),
        Logger.withMinimumLogLevel(LogLevel.All)
      )
      return messages
    })

  it.scoped("refresh, asked for by the program, logs no refusal", () =>
    Effect.map(logged((provider) => provider.refresh), (messages) =>
      expect(messages.filter((message) => message.includes("refused"))).toEqual([])))

  it.scoped("invalidate, a resource server's refusal, says so once", () =>
    Effect.map(
      logged((provider, first) => Effect.zipRight(provider.invalidate(first), provider.invalidate(first))),
      (messages) => expect(messages.filter((message) => message.includes("refused the token"))).toHaveLength(1)
    ))
})
