/**
 * A randomised test of the token cache: seeded random interleavings of `get`, `invalidate`,
 * `refresh`, server failures, refresh-token rotations and clock moves, against a model of an
 * authorization server with refresh-token reuse detection that rounds `exp` down to whole
 * seconds (as oidc-provider does). The whole stack above the HTTP client (TokenEndpoint,
 * TokenSource, TokenProvider on `Effect.cachedInvalidateWithTTL`) is the real one; the server
 * is an in-process `HttpClient` and time a hand-moved clock, so no real time passes and the
 * clock alone decides what happens when. (Effect 4's property tests take `effect/Arbitrary`;
 * a seeded generator keeps the scenarios of the Effect 3 line's fast-check test, each run
 * reproducible by its seed.)
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Clock, Duration, Effect, Exit, Redacted } from "effect"
import { HttpClient, HttpClientResponse } from "effect/http"
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
  | { readonly _tag: "Advance"; readonly millis: number }
  /** By `lifetimes` of the lifetime the server issues now (so a 2 s token is not renewed a thousand times). */
  | { readonly _tag: "AdvanceLifetimes"; readonly lifetimes: number }
  | { readonly _tag: "Server"; readonly mode: Mode }

/** mulberry32: a small seeded generator, so that a failing run is reproduced by its seed. */
const generator = (seed: number) => {
  let state = seed >>> 0
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const integer = (min: number, max: number) => min + Math.floor(next() * (max - min + 1))
  const pick = <A>(items: ReadonlyArray<A>): A => items[integer(0, items.length - 1)]!
  const lifetime = () => integer(2, 900)
  const mode = (): Mode =>
    pick<() => Mode>([
      () => ({ _tag: "Ok", lifetimeSeconds: lifetime() }),
      () => ({ _tag: "RefuseRefresh", lifetimeSeconds: lifetime() }),
      () => ({ _tag: "Unavailable" }),
      () => ({ _tag: "RateLimited", retryAfterSeconds: pick([1, 20, 31, 600, 86_400]) })
    ])()
  /** Weighted as the Effect 3 line's: get 4, invalidate 1, refresh 1, advance 2, advance by lifetimes 2, server 2. */
  const operation = (): Operation =>
    pick<() => Operation>([
      () => ({ _tag: "Get" }), () => ({ _tag: "Get" }), () => ({ _tag: "Get" }), () => ({ _tag: "Get" }),
      () => ({ _tag: "Invalidate" }),
      () => ({ _tag: "Refresh" }),
      () => ({ _tag: "Advance", millis: integer(0, 3_000) }), () => ({ _tag: "Advance", millis: integer(0, 3_000) }),
      () => ({ _tag: "AdvanceLifetimes", lifetimes: next() * 3 }), () => ({ _tag: "AdvanceLifetimes", lifetimes: next() * 3 }),
      () => ({ _tag: "Server", mode: mode() }), () => ({ _tag: "Server", mode: mode() })
    ])()
  return {
    scenario: (): Scenario => ({
      refreshOnly: next() < 0.5,
      first: lifetime(),
      operations: Array.from({ length: integer(0, 25) }, operation),
      steady: lifetime()
    })
  }
}

/** The authorization server: what it issued, and every rule it saw broken. */
const makeServer = (initialMode: Mode, initialRefreshToken: string | undefined) => {
  const state = {
    mode: initialMode,
    lifetimeSeconds: initialMode._tag === "Ok" || initialMode._tag === "RefuseRefresh" ? initialMode.lifetimeSeconds : 300,
    issued: 0,
    /** access token value -> when the server considers it expired (epoch ms, `exp` rounded down). */
    expiries: new Map<string, number>(),
    liveRefreshTokens: new Set<string>(initialRefreshToken === undefined ? [] : [initialRefreshToken]),
    receivedRefreshTokens: [] as Array<string>,
    requestTimes: [] as Array<number>,
    violations: [] as Array<string>
  }
  const client = HttpClient.make((request) =>
    Effect.gen(function*() {
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        HttpClientResponse.fromWeb(request, new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } }))
      const now = yield* Clock.currentTimeMillis
      state.requestTimes.push(now)
      const form = new URLSearchParams(request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : "")
      const presented = form.get("refresh_token")
      if (form.get("grant_type") === "refresh_token" && presented !== null) {
        if (state.receivedRefreshTokens.includes(presented)) state.violations.push(`${presented} was sent twice`)
        if (!state.liveRefreshTokens.has(presented)) state.violations.push(`${presented} was never live`)
        state.receivedRefreshTokens.push(presented)
        // Whatever the answer, the server may have consumed it.
        state.liveRefreshTokens.delete(presented)
        if (state.mode._tag === "RefuseRefresh") return json(400, { error: "invalid_grant" })
      }
      switch (state.mode._tag) {
        case "Unavailable":
          return json(503, { error: "server_error" })
        case "RateLimited":
          return json(429, { error: "temporarily_unavailable" }, { "retry-after": String(state.mode.retryAfterSeconds) })
        default: {
          const n = ++state.issued
          const lifetime = state.mode.lifetimeSeconds
          state.lifetimeSeconds = lifetime
          state.expiries.set(`access-${n}`, Math.floor(now / 1000) * 1000 + lifetime * 1000)
          state.liveRefreshTokens.add(`refresh-${n}`)
          return json(200, { access_token: `access-${n}`, token_type: "Bearer", expires_in: lifetime, refresh_token: `refresh-${n}` })
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
    const fiber = yield* Effect.forkChild(effect)
    for (let step = 0; step < 1_000; step++) {
      yield* manual.settle
      const done = fiber.pollUnsafe()
      if (done !== undefined) return done
      const next = Math.min(...manual.wakeUps())
      yield* manual.adjust(Number.isFinite(next) ? Math.max(0, next - manual.now()) : 1)
    }
    return yield* Effect.die(new Error("the operation never finished"))
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
      grant: refreshOnly ? Grant.refreshToken(Redacted.make("refresh-0")) : Grant.password({ username: "me@example.com", password: Redacted.make("pw") }),
      clientAuthentication: ClientAuthentication.publicClient("app")
    }).pipe(Effect.provideService(HttpClient.HttpClient, server.client), Effect.orDie)

    let last: AccessToken.AccessToken | undefined
    /** A token handed out must be alive at the server (whose `exp` is rounded down), outside its last second. */
    const check = (exit: Exit.Exit<AccessToken.AccessToken, unknown>) =>
      Effect.gen(function*() {
        if (Exit.isFailure(exit)) {
          expect(Cause.hasDies(exit.cause) || Cause.hasInterrupts(exit.cause)).toBe(false)
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

describe("TokenProvider, randomised", () => {
  for (let seed = 1; seed <= 50; seed++) {
    it.effect(`seed ${seed}: never serves a dead token, never resends a refresh token, settles to one request per usable lifetime`, () =>
      Effect.suspend(() => {
        const manual = TestTime.makeManualClock(1_700_000_000_123)
        return Effect.scoped(scenario(generator(seed).scenario(), manual)).pipe(Effect.provideService(Clock.Clock, manual.clock))
      }))
  }
})
