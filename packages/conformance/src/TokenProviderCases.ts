/**
 * `TokenProvider.make` over a counting source, written once for both lines: tokens that arrive
 * already past their usable time (their lifetime counts from when the request was sent, and the
 * answer was slow), the cache's lifetime and margins, and invalidation after a 401.
 *
 * {@link lateTokenCases} guard regressions: the background refresh's slow answer failed the
 * readers that had joined its flight with `TemporarilyUnavailable` (UP42's last refresh of a
 * session), where they must fetch a token of their own; and a background refresh slower than
 * `acquisitionTimeout` was abandoned, its refresh token counted as spent, so the next fetch sent
 * the password grant again (UP42's extra logins: sessions [0, 0, 1, 2] instead of [0, 1, 2]).
 *
 * A line builds `TokenProvider.make` over a source whose fetch N takes {@link Case.latencyMillis}
 * on the clock and yields `tok-N`, valid for {@link Case.lifetimeSeconds} from when it was asked
 * for; with no retry, and a background refresh at 80 % without jitter when the case has one. It
 * runs {@link run} through {@link Provider}, moving its TestClock.
 */
import type { Expect } from "./Expect.js"

export type { Expect } from "./Expect.js"

/** A step: a get (awaited, or started as a reader joined later), a move of the clock, a check of the fetches. */
export type Step =
  /** `withinDefaultMargin`: the token is also outside the provider's default expiry margin for its lifetime. */
  | { readonly _tag: "Get"; readonly value?: string; readonly withinDefaultMargin?: boolean }
  | { readonly _tag: "StartReader" }
  /** Awaits the reader: its token's value (then usable now, outside its last second), or its error's fields. */
  | { readonly _tag: "JoinReader"; readonly value?: string; readonly error?: object }
  | { readonly _tag: "Advance"; readonly millis: number }
  | { readonly _tag: "Fetches"; readonly count: number }
  /** `provider.refresh`; its token is served like a get's. */
  | { readonly _tag: "Refresh" }
  /** `provider.invalidate` of the token served `token`-th (from 0). */
  | { readonly _tag: "Invalidate"; readonly token: number }
  /** `concurrency` callers each invalidate the token served `token`-th, then get: the values they got. */
  | { readonly _tag: "InvalidateThenGet"; readonly token: number; readonly concurrency: number; readonly values: ReadonlyArray<string> }

/** One case: the source's latencies and lifetime, the provider's background refresh, the steps. */
export interface Case {
  readonly name: string
  readonly latencyMillis: (fetch: number) => number
  readonly lifetimeSeconds: number
  /** `{ at: 0.8, jitter: 0 }` when true, none when false. */
  readonly backgroundRefresh: boolean
  /** `"zero"`: the provider is configured with `expiryMargin: () => Duration.zero` (the one-second floor remains). */
  readonly expiryMargin?: "zero"
  readonly steps: ReadonlyArray<Step>
}

/**
 * What a get ended with: the token's value, the instant it is usable until with a 1 s margin and
 * with the default margin for its lifetime (`AccessToken.defaultExpiryMargin`), or the error.
 */
export type Got =
  | {
    readonly _tag: "Token"
    /** The line's own token, for `invalidate`. */
    readonly token: unknown
    readonly value: string
    readonly usableUntil: number
    readonly defaultMarginUntil: number
  }
  | { readonly _tag: "Failed"; readonly error: unknown }

/** The line's provider over the slow source, each call run to a promise on its TestClock. */
export interface Provider {
  readonly get: () => Promise<Got>
  /** Moves the TestClock by `millis`, once the fibers started before have had their turns. */
  readonly advance: (millis: number) => Promise<void>
  readonly now: () => Promise<number>
  readonly fetches: () => Promise<number>
  readonly refresh: () => Promise<Got>
  readonly invalidate: (token: unknown) => Promise<void>
  /** `concurrency` concurrent invalidations of `token`, each followed by a get: the values got. */
  readonly invalidateThenGet: (token: unknown, concurrency: number) => Promise<ReadonlyArray<string>>
}

const checkGot = async (
  served: Array<unknown>,
  got: Got,
  step: { readonly value?: string; readonly error?: object; readonly withinDefaultMargin?: boolean },
  provider: Provider,
  expect: Expect
) => {
  if (step.error !== undefined) {
    expect(got._tag).toBe("Failed")
    if (got._tag === "Failed") expect(got.error).toMatchObject(step.error)
    return
  }
  expect(got._tag).toBe("Token")
  if (got._tag !== "Token") return
  served.push(got.token)
  if (step.value !== undefined) expect(got.value).toBe(step.value)
  const now = await provider.now()
  expect(now).toBeLessThan(got.usableUntil)
  if (step.withinDefaultMargin === true) expect(now).toBeLessThan(got.defaultMarginUntil)
}

/** Runs `row` through `provider`. */
export const run = async (row: Case, provider: Provider, expect: Expect): Promise<void> => {
  let reader: Promise<Got> | undefined
  const served: Array<unknown> = []
  for (const step of row.steps) {
    switch (step._tag) {
      case "Get":
        await checkGot(served, await provider.get(), step, provider, expect)
        break
      case "StartReader":
        reader = provider.get()
        break
      case "JoinReader":
        expect(reader).toBeDefined()
        await checkGot(served, await reader!, step, provider, expect)
        break
      case "Advance":
        await provider.advance(step.millis)
        break
      case "Fetches":
        expect(await provider.fetches()).toBe(step.count)
        break
      case "Refresh":
        await checkGot(served, await provider.refresh(), {}, provider, expect)
        break
      case "Invalidate":
        await provider.invalidate(served[step.token])
        break
      case "InvalidateThenGet":
        expect(new Set(await provider.invalidateThenGet(served[step.token], step.concurrency))).toEqual(new Set(step.values))
    }
  }
}

const timeout = { _tag: "TemporarilyUnavailable", reason: "Timeout" }

/** Tokens that arrive past their usable time. */
export const lateTokenCases: ReadonlyArray<Case> = [
  {
    // tok-1 at 0 s, usable until 9 s; the background refresh asks at 8 s and hears at 17.5 s,
    // for a token usable until 17 s: no token for a reader, who asks again at once.
    name: "a reader that joined the background refresh's late answer fetches a token of its own",
    latencyMillis: (n) => (n === 2 ? 9_500 : 0),
    lifetimeSeconds: 10,
    backgroundRefresh: true,
    steps: [
      { _tag: "Get", value: "tok-1" },
      { _tag: "Advance", millis: 10_000 }, // the background refresh is on the wire since 8 s
      { _tag: "StartReader" },
      { _tag: "Advance", millis: 7_500 },
      { _tag: "JoinReader", value: "tok-3" },
      { _tag: "Fetches", count: 3 }
    ]
  },
  {
    name: "a reader's own answer that arrives past its usable time is a timeout, not a token",
    latencyMillis: () => 9_500,
    lifetimeSeconds: 10,
    backgroundRefresh: false,
    steps: [{ _tag: "StartReader" }, { _tag: "Advance", millis: 9_500 }, { _tag: "JoinReader", error: timeout }]
  },
  {
    // tok-1: 300 s from 0 s, renewed at 240 s by a fetch that takes 40 s (acquisitionTimeout: 30 s).
    name: "the background refresh is not abandoned after acquisitionTimeout: it may take until the token it replaces expires",
    latencyMillis: (n) => (n === 2 ? 40_000 : 0),
    lifetimeSeconds: 300,
    backgroundRefresh: true,
    steps: [
      { _tag: "Get", value: "tok-1" },
      { _tag: "Advance", millis: 240_000 },
      { _tag: "Advance", millis: 45_000 },
      { _tag: "Get", value: "tok-2" },
      { _tag: "Fetches", count: 2 }
    ]
  },
  {
    // tok-1: an hour (usable until 3540 s), renewed at 2880 s by a fetch that takes 700 s.
    name: "a reader that joins a slow background refresh waits acquisitionTimeout at most; the refresh goes on",
    latencyMillis: (n) => (n === 2 ? 700_000 : 0),
    lifetimeSeconds: 3_600,
    backgroundRefresh: true,
    steps: [
      { _tag: "Get" },
      { _tag: "Advance", millis: 3_541_000 },
      { _tag: "StartReader" },
      { _tag: "Advance", millis: 30_000 },
      { _tag: "JoinReader", error: timeout },
      { _tag: "Advance", millis: 10_000 }, // 3581 s: the refresh answered at 3580 s
      { _tag: "Get", value: "tok-2" },
      { _tag: "Fetches", count: 2 }
    ]
  }
]

const repeat = (times: number, steps: ReadonlyArray<Step>): ReadonlyArray<Step> => Array.from({ length: times }, () => steps).flat()

/** The cache of a provider without background refresh, over the same source answering at once. */
export const cacheCases: ReadonlyArray<Case> = [
  {
    name: "a 300 s token for its lifetime minus a 10 s margin, not refetching on every call",
    latencyMillis: () => 0,
    lifetimeSeconds: 300,
    backgroundRefresh: false,
    steps: [
      ...repeat(29, [{ _tag: "Get", value: "tok-1" }, { _tag: "Advance", millis: 10_000 }]),
      { _tag: "Fetches", count: 1 },
      { _tag: "Get", value: "tok-2" },
      { _tag: "Fetches", count: 2 }
    ]
  },
  {
    name: "never hands out a token past its expiry minus the margin",
    latencyMillis: () => 0,
    lifetimeSeconds: 60,
    backgroundRefresh: false,
    steps: repeat(200, [{ _tag: "Get", withinDefaultMargin: true }, { _tag: "Advance", millis: 1_000 }])
  },
  {
    name: "never hands out a token in its last second, whatever margin is configured",
    latencyMillis: () => 0,
    lifetimeSeconds: 10,
    backgroundRefresh: false,
    expiryMargin: "zero",
    steps: [
      { _tag: "Get", value: "tok-1" },
      { _tag: "Advance", millis: 8_999 },
      { _tag: "Get", value: "tok-1" },
      { _tag: "Advance", millis: 1 },
      { _tag: "Get", value: "tok-2" },
      { _tag: "Fetches", count: 2 }
    ]
  }
]

/** After a 401: the caller reports the token the API refused. */
export const invalidationCases: ReadonlyArray<Case> = [
  {
    name: "invalidate(current) makes the next get fetch a new token; 100 reports cause one request",
    latencyMillis: () => 0,
    lifetimeSeconds: 300,
    backgroundRefresh: false,
    steps: [{ _tag: "Get" }, { _tag: "InvalidateThenGet", token: 0, concurrency: 100, values: ["tok-2"] }, { _tag: "Fetches", count: 2 }]
  },
  {
    name: "invalidate(an older token) changes nothing",
    latencyMillis: () => 0,
    lifetimeSeconds: 300,
    backgroundRefresh: false,
    steps: [{ _tag: "Get" }, { _tag: "Refresh" }, { _tag: "Invalidate", token: 0 }, { _tag: "Get", value: "tok-2" }, { _tag: "Fetches", count: 2 }]
  }
]
