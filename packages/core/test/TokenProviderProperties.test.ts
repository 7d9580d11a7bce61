/**
 * A property-based test of the token cache: random interleavings of `get`, `invalidate`,
 * `refresh`, server failures, refresh-token rotations and clock moves (TestClock),
 * against a model of an authorization server with refresh-token reuse detection that
 * rounds `exp` down to whole seconds (as oidc-provider does).
 *
 * The server is an in-process `HttpClient` rather than a socket, and time a hand-moved
 * clock rather than TestClock (whose every move waits on real timers): the whole stack
 * above the HTTP client (TokenEndpoint, TokenSource, TokenProvider) is the real one, no
 * real time passes, so a hundred runs take a few seconds and the clock alone decides
 * what happens when.
 */
import { describe, expect, it } from "@effect/vitest"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Cause, Clock, Duration, Effect, Exit, FastCheck as fc, Fiber, Option, Redacted } from "effect"
import { AccessToken, ClientAuthentication, Grant, TokenProvider } from "@effect-bearer/core"
import * as TestTime from "./support/TestTime.js"

type Mode =
  | { readonly _tag: "Ok"; readonly lifetimeSeconds: number }
  | { readonly _tag: "RefuseRefresh"; readonly lifetimeSeconds: number }
  | { readonly _tag: "Unavailable" }
  | { readonly _tag: "RateLimited"; readonly retryAfterSeconds: number }

type Operation =
  | { readonly _tag: "Get" }
  | { readonly _tag: "Invalidate" }
  | { readonly _tag: "Refresh" }
  /** By `millis`, or by `lifetimes` of the lifetime the server issues now (so a 2 s token is not renewed a thousand times). */
  | { readonly _tag: "Advance"; readonly millis: number }
  | { readonly _tag: "AdvanceLifetimes"; readonly lifetimes: number }
  | { readonly _tag: "Server"; readonly mode: Mode }

const lifetimeSeconds = fc.integer({ min: 2, max: 900 })
const mode: fc.Arbitrary<Mode> = fc.oneof(
  lifetimeSeconds.map((lifetimeSeconds) => ({ _tag: "Ok" as const, lifetimeSeconds })),
  lifetimeSeconds.map((lifetimeSeconds) => ({ _tag: "RefuseRefresh" as const, lifetimeSeconds })),
  fc.constant({ _tag: "Unavailable" as const }),
  fc.constantFrom(1, 20, 31, 600, 86_400).map((retryAfterSeconds) => ({ _tag: "RateLimited" as const, retryAfterSeconds }))
)
const operation: fc.Arbitrary<Operation> = fc.oneof(
  { arbitrary: fc.constant({ _tag: "Get" as const }), weight: 4 },
  { arbitrary: fc.constant({ _tag: "Invalidate" as const }), weight: 1 },
  { arbitrary: fc.constant({ _tag: "Refresh" as const }), weight: 1 },
  { arbitrary: fc.integer({ min: 0, max: 3_000 }).map((millis) => ({ _tag: "Advance" as const, millis })), weight: 2 },
  {
    arbitrary: fc.double({ min: 0, max: 3, noNaN: true }).map((lifetimes) => ({ _tag: "AdvanceLifetimes" as const, lifetimes })),
    weight: 2
  },
  { arbitrary: mode.map((mode) => ({ _tag: "Server" as const, mode })), weight: 2 }
)

/** The authorization server: what it issued, and every rule it saw broken. */
const makeServer = (initialMode: Mode, initialRefreshToken: string | undefined) => {
  const state = {
    mode: initialMode,
    /** The lifetime of the last token issued. */
    lifetimeSeconds: initialMode._tag === "Ok" || initialMode._tag === "RefuseRefresh" ? initialMode.lifetimeSeconds : 300,
    issued: 0,
    /** access token value -> when the server considers it expired (epoch ms, `exp` rounded down). */
    expiries: new Map<string, number>(),
    liveRefreshTokens: new Set<string>(initialRefreshToken === undefined ? [] : [initialRefreshToken]),
    receivedRefreshTokens: [] as Array<string>,
    requestTimes: [] as Array<number>,
    violations: [] as Array<string>
  }
  const json = (request: Parameters<typeof HttpClientResponse.fromWeb>[0], status: number, body: unknown, headers = {}) =>
    HttpClientResponse.fromWeb(
      request,
      new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } })
    )
  const client = HttpClient.make((request) =>
    Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      state.requestTimes.push(now)
      const form = new URLSearchParams(
        request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : ""
      )
      const presented = form.get("refresh_token")
      if (form.get("grant_type") === "refresh_token" && presented !== null) {
        if (state.receivedRefreshTokens.includes(presented)) state.violations.push(`${presented} was sent twice`)
        if (!state.liveRefreshTokens.has(presented)) state.violations.push(`${presented} was never live`)
        state.receivedRefreshTokens.push(presented)
        // Whatever the answer, the server may have consumed it.
        state.liveRefreshTokens.delete(presented)
        if (state.mode._tag === "RefuseRefresh") return json(request, 400, { error: "invalid_grant" })
      }
      switch (state.mode._tag) {
        case "Unavailable":
          return json(request, 503, { error: "server_error" })
        case "RateLimited":
          return json(request, 429, { error: "temporarily_unavailable" }, {
            "retry-after": String(state.mode.retryAfterSeconds)
          })
        default: {
          const n = ++state.issued
          const lifetime = state.mode.lifetimeSeconds
          state.lifetimeSeconds = lifetime
          state.expiries.set(`access-${n}`, Math.floor(now / 1000) * 1000 + lifetime * 1000)
          state.liveRefreshTokens.add(`refresh-${n}`)
          return json(request, 200, {
            access_token: `access-${n}`,
            token_type: "Bearer",
            expires_in: lifetime,
            refresh_token: `refresh-${n}`
          })
        }
      }
    })
  )
  return { state, client }
}

type Manual = ReturnType<typeof TestTime.makeManualClock>

/** Runs `effect` to its end, moving the clock to each next wake-up while it waits. */
const drive = <A, E>(manual: Manual, effect: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.fork(effect)
    for (let step = 0; step < 1_000; step++) {
      // Time moves only once everything runnable has run (the server answers in no time).
      yield* manual.settle
      const done = yield* Fiber.poll(fiber)
      if (Option.isSome(done)) return done.value
      const next = Math.min(...manual.wakeUps())
      yield* manual.adjust(Number.isFinite(next) ? Math.max(0, next - manual.now()) : 1)
    }
    return yield* Effect.dieMessage("the operation never finished")
  })

interface Scenario {
  readonly refreshOnly: boolean
  readonly first: number
  readonly operations: ReadonlyArray<Operation>
  readonly steady: number
}

const scenario = ({ first, operations, refreshOnly, steady }: Scenario, manual: Manual) =>
  Effect.gen(function*() {
    const server = makeServer({ _tag: "Ok", lifetimeSeconds: first }, refreshOnly ? "refresh-0" : undefined)
    const provider = yield* TokenProvider.fromEndpoint({
      url: "http://127.0.0.1:1/token",
      grant: refreshOnly
        ? Grant.refreshToken(Redacted.make("refresh-0"))
        : Grant.password({ username: "me@example.com", password: Redacted.make("pw") }),
      clientAuthentication: ClientAuthentication.publicClient("app")
    }).pipe(Effect.provideService(HttpClient.HttpClient, server.client), Effect.orDie)

    let last: AccessToken.AccessToken | undefined
    /** A token handed out must be alive at the server (whose `exp` is rounded down), outside its last second. */
    const check = (exit: Exit.Exit<AccessToken.AccessToken, unknown>) =>
      Effect.gen(function*() {
        if (Exit.isFailure(exit)) {
          expect(Cause.isDie(exit.cause) || Cause.isInterrupted(exit.cause)).toBe(false)
          return
        }
        const now = yield* Clock.currentTimeMillis
        const expiry = server.state.expiries.get(Redacted.value(exit.value.value))
        expect(expiry).toBeDefined()
        expect(now).toBeLessThan(expiry ?? 0)
        expect(now).toBeLessThan(exit.value.expiresAt - Duration.toMillis(AccessToken.minimumExpiryMargin))
        last = exit.value
      })

    for (const op of operations) {
      switch (op._tag) {
        case "Get":
          yield* check(yield* drive(manual, provider.get))
          break
        case "Refresh":
          yield* check(yield* drive(manual, provider.refresh))
          break
        case "Invalidate":
          if (last !== undefined) yield* provider.invalidate(last)
          break
        case "Advance":
          yield* manual.adjust(op.millis)
          break
        case "AdvanceLifetimes":
          yield* manual.adjust(Math.round(op.lifetimes * server.state.lifetimeSeconds * 1000))
          break
        case "Server":
          server.state.mode = op.mode
      }
      expect(server.state.violations).toEqual([])
    }

    // Steady state: a healthy server, three lifetimes of regular calls.
    if (refreshOnly) return // a refused refresh token leaves nothing to settle with
    server.state.mode = { _tag: "Ok", lifetimeSeconds: steady }
    yield* check(yield* drive(manual, provider.refresh))
    const from = server.state.requestTimes.length - 1
    const lifetime = steady * 1000
    for (let elapsed = 0; elapsed < 3 * lifetime; elapsed += Math.ceil(lifetime / 5)) {
      yield* manual.adjust(Math.ceil(lifetime / 5))
      yield* check(yield* drive(manual, provider.get))
    }
    // Renewed at 80–90 % of the lifetime, or 90 % of its usable part when the margin is larger.
    const usable = lifetime - Math.max(1000, Math.floor(lifetime / 30))
    const shortest = Math.min(0.8 * lifetime, 0.9 * usable)
    const times = server.state.requestTimes.slice(from)
    times.slice(1).forEach((at, i) => expect(at - (times[i] ?? 0)).toBeGreaterThanOrEqual(Math.floor(shortest)))
    expect(server.state.violations).toEqual([])
  })

describe("TokenProvider, property-based", () => {
  it.scoped.prop(
    "random gets, invalidations, refreshes, failures, rotations and clock moves never serve a dead token, never resend a refresh token, and settle to one request per usable lifetime",
    {
      refreshOnly: fc.boolean(),
      first: lifetimeSeconds,
      operations: fc.array(operation, { maxLength: 25 }),
      steady: lifetimeSeconds
    },
    (generated) =>
      Effect.suspend(() => {
        const manual = TestTime.makeManualClock(1_700_000_000_123)
        return Effect.withClock(scenario(generated, manual), manual.clock)
      }),
    { timeout: 30_000, fastCheck: { numRuns: 50 } }
  )
})
