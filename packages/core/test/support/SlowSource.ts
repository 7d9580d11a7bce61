/**
 * The conformance TokenProviderCases on this line: `TokenProvider.make` over a source whose fetch N
 * takes the row's latency on the clock and yields `tok-N`, valid for its lifetime from when it
 * was asked for, run through the cases' promise view on the TestClock.
 */
import { Clock, Duration, Effect, Redacted, Runtime, Schedule, TestClock } from "effect"
import { AccessToken, TokenProvider } from "@effect-bearer/core"
import * as TokenProviderCases from "@effect-bearer/conformance/TokenProviderCases"
import * as CountingSource from "./CountingSource.js"

/** The slow source of `row` (a counting source whose fetch N takes the row's latency), and its fetch count. */
export const make = (row: TokenProviderCases.Case) =>
  CountingSource.make({ lifetime: Duration.seconds(row.lifetimeSeconds), latency: (n) => Duration.millis(row.latencyMillis(n)) })

/** Lets the fibers started before run (to their sleeps), then moves the TestClock. */
const advance = (millis: number) => Effect.zipRight(Effect.repeatN(Effect.yieldNow(), 59), TestClock.adjust(Duration.millis(millis)))

/** Runs `row` (with `expect`) on a provider over its slow source, in the current scope. */
export const runCase = (row: TokenProviderCases.Case, expect: TokenProviderCases.Expect) =>
  Effect.gen(function*() {
    const { fetches, source } = yield* make(row)
    const provider = yield* TokenProvider.make(source, {
      retry: Schedule.stop,
      backgroundRefresh: row.backgroundRefresh ? { at: 0.8, jitter: 0 } : false,
      ...(row.expiryMargin === "zero" ? { expiryMargin: () => Duration.zero } : {})
    })
    const got = (effect: typeof provider.get) =>
      Effect.match(effect, {
        onSuccess: (token): TokenProviderCases.Got => ({
          _tag: "Token",
          token,
          value: Redacted.value(token.value),
          usableUntil: AccessToken.usableUntil(token, Duration.seconds(1)),
          defaultMarginUntil: token.expiresAt - Duration.toMillis(AccessToken.defaultExpiryMargin(token.lifetime))
        }),
        onFailure: (error): TokenProviderCases.Got => ({ _tag: "Failed", error })
      })
    const run = Runtime.runPromise(yield* Effect.runtime<never>())
    yield* Effect.promise(() =>
      TokenProviderCases.run(row, {
        get: () => run(got(provider.get)),
        refresh: () => run(got(provider.refresh)),
        invalidate: (token) => run(provider.invalidate(token as AccessToken.AccessToken)),
        invalidateThenGet: (token, concurrency) =>
          run(Effect.all(
            Array.from({ length: concurrency }, () => Effect.zipRight(provider.invalidate(token as AccessToken.AccessToken), provider.get)),
            { concurrency: "unbounded" }
          ).pipe(Effect.map((tokens) => tokens.map((token) => Redacted.value(token.value))))),
        advance: (millis) => run(advance(millis)),
        now: () => run(Clock.currentTimeMillis),
        fetches: () => run(fetches)
      }, expect)
    )
  })
