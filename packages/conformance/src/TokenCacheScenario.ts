/**
 * The randomised scenario of the token cache, written once for both lines: interleavings of
 * `get`, `invalidate`, `refresh`, server failures, refresh-token rotations and clock moves,
 * against a model of an authorization server with refresh-token reuse detection that rounds
 * `exp` down to whole seconds (as oidc-provider does). A line runs {@link run} over its own
 * `TokenProvider` through {@link Cache}, a promise view driven by a hand-moved clock, answers
 * token requests with {@link Server.answer} from an in-process HTTP client, and generates
 * scenarios with its own property tool or with {@link seeded}.
 */
import type { Expect } from "./Expect.js"

export type { Expect } from "./Expect.js"

/** What the authorization server does with the next token request. */
export type Mode =
  | { readonly _tag: "Ok"; readonly lifetimeSeconds: number }
  | { readonly _tag: "RefuseRefresh"; readonly lifetimeSeconds: number }
  | { readonly _tag: "Unavailable" }
  | { readonly _tag: "RateLimited"; readonly retryAfterSeconds: number }

/** One step of a scenario. */
export type Operation =
  | { readonly _tag: "Get" }
  | { readonly _tag: "Invalidate" }
  | { readonly _tag: "Refresh" }
  | { readonly _tag: "Advance"; readonly millis: number }
  /** By `lifetimes` of the lifetime the server issues now (so a 2 s token is not renewed a thousand times). */
  | { readonly _tag: "AdvanceLifetimes"; readonly lifetimes: number }
  | { readonly _tag: "Server"; readonly mode: Mode }

/** A whole scenario: the grant, the first lifetime, the steps, and the lifetime of the steady state after them. */
export interface Scenario {
  readonly refreshOnly: boolean
  readonly first: number
  readonly operations: ReadonlyArray<Operation>
  readonly steady: number
}

/** The bounds both lines' generators draw from. */
export const bounds = {
  lifetimeSeconds: { min: 2, max: 900 },
  retryAfterSeconds: [1, 20, 31, 600, 86_400],
  advanceMillis: { min: 0, max: 3_000 },
  advanceLifetimes: { min: 0, max: 3 },
  operations: { maxLength: 25 },
  /** Operation weights: get 4, invalidate 1, refresh 1, advance 2, advance by lifetimes 2, server 2. */
  weights: { Get: 4, Invalidate: 1, Refresh: 1, Advance: 2, AdvanceLifetimes: 2, Server: 2 }
} as const

/** The grant's refresh token when the scenario is `refreshOnly`. */
export const initialRefreshToken = "refresh-0"

/** The epoch milliseconds the hand-moved clock starts at. */
export const start = 1_700_000_000_123

/** mulberry32: a small seeded generator of scenarios, so that a failing run is reproduced by its seed. */
export const seeded = (seed: number): Scenario => {
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
  const lifetime = () => integer(bounds.lifetimeSeconds.min, bounds.lifetimeSeconds.max)
  const mode = (): Mode =>
    pick<() => Mode>([
      () => ({ _tag: "Ok", lifetimeSeconds: lifetime() }),
      () => ({ _tag: "RefuseRefresh", lifetimeSeconds: lifetime() }),
      () => ({ _tag: "Unavailable" }),
      () => ({ _tag: "RateLimited", retryAfterSeconds: pick(bounds.retryAfterSeconds) })
    ])()
  const kinds: Record<Operation["_tag"], () => Operation> = {
    Get: () => ({ _tag: "Get" }),
    Invalidate: () => ({ _tag: "Invalidate" }),
    Refresh: () => ({ _tag: "Refresh" }),
    Advance: () => ({ _tag: "Advance", millis: integer(bounds.advanceMillis.min, bounds.advanceMillis.max) }),
    AdvanceLifetimes: () => ({ _tag: "AdvanceLifetimes", lifetimes: next() * bounds.advanceLifetimes.max }),
    Server: () => ({ _tag: "Server", mode: mode() })
  }
  const weighted = (Object.keys(bounds.weights) as Array<Operation["_tag"]>).flatMap((tag) =>
    Array.from({ length: bounds.weights[tag] }, () => kinds[tag])
  )
  return {
    refreshOnly: next() < 0.5,
    first: lifetime(),
    operations: Array.from({ length: integer(0, bounds.operations.maxLength) }, () => pick(weighted)()),
    steady: lifetime()
  }
}

/** An answer of the server, for the line's HTTP client to wrap in a response. */
export interface Answer {
  readonly status: number
  readonly body: unknown
  readonly headers: Record<string, string>
}

/** The authorization server: its mode, what it issued, and every rule it saw broken. */
export interface Server {
  readonly state: {
    mode: Mode
    /** The lifetime of the last token issued. */
    lifetimeSeconds: number
    issued: number
    /** access token value -> when the server considers it expired (epoch ms, `exp` rounded down). */
    readonly expiries: Map<string, number>
    readonly liveRefreshTokens: Set<string>
    readonly receivedRefreshTokens: Array<string>
    readonly requestTimes: Array<number>
    readonly violations: Array<string>
  }
  /** Answers a token request whose form body is `body`, received at `now`. */
  readonly answer: (body: string, now: number) => Answer
}

/** A server in `initialMode` that knows `initialRefreshToken` as live. */
export const makeServer = (initialMode: Mode, initialRefreshToken: string | undefined): Server => {
  const state: Server["state"] = {
    mode: initialMode,
    lifetimeSeconds: initialMode._tag === "Ok" || initialMode._tag === "RefuseRefresh" ? initialMode.lifetimeSeconds : 300,
    issued: 0,
    expiries: new Map(),
    liveRefreshTokens: new Set(initialRefreshToken === undefined ? [] : [initialRefreshToken]),
    receivedRefreshTokens: [],
    requestTimes: [],
    violations: []
  }
  const json = (status: number, body: unknown, headers: Record<string, string> = {}): Answer => ({
    status,
    body,
    headers: { "content-type": "application/json", ...headers }
  })
  const answer = (body: string, now: number): Answer => {
    state.requestTimes.push(now)
    const form = new URLSearchParams(body)
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
  }
  return { state, answer }
}

/** What a `get` or `refresh` ended with: a token (the line's own, its value and expiry) or a failure. */
export type Served<Token> =
  | { readonly _tag: "Token"; readonly token: Token; readonly value: string; readonly expiresAt: number }
  /** `defect`: the failure was a defect or an interruption rather than the provider's typed error. */
  | { readonly _tag: "Failed"; readonly defect: boolean }

/** The line's `TokenProvider` over {@link Server}, each call run to its end on the hand-moved clock. */
export interface Cache<Token> {
  readonly get: () => Promise<Served<Token>>
  readonly refresh: () => Promise<Served<Token>>
  readonly invalidate: (token: Token) => Promise<void>
  /** Moves the clock by `millis`, waking each sleeper on the way. */
  readonly advance: (millis: number) => Promise<void>
  readonly now: () => number
  /** `AccessToken.minimumExpiryMargin`, in milliseconds. */
  readonly minimumExpiryMarginMillis: number
}

/**
 * Runs `scenario` against `server` through `cache`: a token handed out is alive at the server,
 * outside its last margin; no refresh token is sent twice or after it was replaced; and a healthy
 * server sees one request per usable lifetime in the steady state.
 */
export const run = async <Token>(scenario: Scenario, server: Server, cache: Cache<Token>, expect: Expect): Promise<void> => {
  let last: Token | undefined
  /** A token handed out must be alive at the server (whose `exp` is rounded down), outside its last second. */
  const check = (served: Served<Token>) => {
    if (served._tag === "Failed") {
      expect(served.defect).toBe(false)
      return
    }
    const now = cache.now()
    const expiry = server.state.expiries.get(served.value)
    expect(expiry).toBeDefined()
    expect(now).toBeLessThan(expiry ?? 0)
    expect(now).toBeLessThan(served.expiresAt - cache.minimumExpiryMarginMillis)
    last = served.token
  }

  for (const op of scenario.operations) {
    switch (op._tag) {
      case "Get":
        check(await cache.get())
        break
      case "Refresh":
        check(await cache.refresh())
        break
      case "Invalidate":
        if (last !== undefined) await cache.invalidate(last)
        break
      case "Advance":
        await cache.advance(op.millis)
        break
      case "AdvanceLifetimes":
        await cache.advance(Math.round(op.lifetimes * server.state.lifetimeSeconds * 1000))
        break
      case "Server":
        server.state.mode = op.mode
    }
    expect(server.state.violations).toEqual([])
  }

  // Steady state: a healthy server, three lifetimes of regular calls.
  if (scenario.refreshOnly) return // a refused refresh token leaves nothing to settle with
  server.state.mode = { _tag: "Ok", lifetimeSeconds: scenario.steady }
  check(await cache.refresh())
  const from = server.state.requestTimes.length - 1
  const lifetime = scenario.steady * 1000
  for (let elapsed = 0; elapsed < 3 * lifetime; elapsed += Math.ceil(lifetime / 5)) {
    await cache.advance(Math.ceil(lifetime / 5))
    check(await cache.get())
  }
  // Renewed at 80–90 % of the lifetime, or 90 % of its usable part when the margin is larger.
  const usable = lifetime - Math.max(1000, Math.floor(lifetime / 30))
  const shortest = Math.min(0.8 * lifetime, 0.9 * usable)
  const times = server.state.requestTimes.slice(from)
  times.slice(1).forEach((at, i) => expect(at - (times[i] ?? 0)).toBeGreaterThanOrEqual(Math.floor(shortest)))
  expect(server.state.violations).toEqual([])
}
