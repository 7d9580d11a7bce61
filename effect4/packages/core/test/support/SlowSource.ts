/**
 * The conformance TokenProviderCases on this line: `TokenProvider.make` over a source whose fetch N
 * takes the row's latency on the clock and yields `tok-N`, valid for its lifetime from when it
 * was asked for, run through the cases' promise view on the TestClock.
 */
import { Clock, Duration, Effect, Redacted, Schedule } from "effect"
import { AccessToken, TokenProvider } from "@effect-bearer/core"
import * as TokenProviderCases from "@effect-bearer/conformance/TokenProviderCases"
import * as CountingSource from "./CountingSource.js"
import * as TestTime from "./TestTime.js"

/** The slow source of `row` (a counting source whose fetch N takes the row's latency), and its fetch count. */
export const make = (row: TokenProviderCases.Case) =>
  CountingSource.make({ lifetime: Duration.seconds(row.lifetimeSeconds), latency: (n) => Duration.millis(row.latencyMillis(n)) })

/** Runs `row` (with `expect`) on a provider over its slow source, in the current scope. */
export const runCase = (row: TokenProviderCases.Case, expect: TokenProviderCases.Expect) =>
  Effect.gen(function*() {
    const { fetches, source } = yield* make(row)
    const provider = yield* TokenProvider.make(source, {
      retry: Schedule.recurs(0),
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
    const run = Effect.runPromiseWith(yield* Effect.context<never>())
    yield* Effect.promise(() =>
      TokenProviderCases.run(row, {
        get: () => run(got(provider.get)),
        refresh: () => run(got(provider.refresh)),
        invalidate: (token) => run(provider.invalidate(token as AccessToken.AccessToken)),
        invalidateThenGet: (token, concurrency) =>
          run(Effect.all(
            Array.from({ length: concurrency }, () => Effect.andThen(provider.invalidate(token as AccessToken.AccessToken), provider.get)),
            { concurrency: "unbounded" }
          ).pipe(Effect.map((tokens) => tokens.map((token) => Redacted.value(token.value))))),
        advance: (millis) => run(TestTime.adjust(Duration.millis(millis))),
        now: () => run(Clock.currentTimeMillis),
        fetches: () => run(fetches)
      }, expect)
    )
  })
