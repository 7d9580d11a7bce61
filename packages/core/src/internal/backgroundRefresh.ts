/**
 * The token provider's background refresh: it wakes at a point of each token's own lifetime,
 * has the next token fetched while the current one keeps being served, and backs off until
 * the current token expires; after that it waits for the token that readers fetch. It never
 * fetches itself: `renew` goes through the provider's single flight, which joins a fetch in
 * progress or hands back a token a reader fetched meanwhile.
 */
import * as Expiry from "@effect-bearer/kernel/Expiry"
import { Clock, Deferred, Duration, Effect, Option, Random } from "effect"
import type { Schedule } from "effect"
import type * as AccessToken from "../AccessToken.js"
import type * as TokenError from "../TokenError.js"
import * as TokenMetrics from "../TokenMetrics.js"
import * as TokenRetry from "../TokenRetry.js"

/** What the background refresh reads of the provider, and how it asks for the next token. */
export interface Options {
  /** The provider's state: its token, and a signal completed when the next token is stored. */
  readonly current: Effect.Effect<{
    readonly token: Option.Option<AccessToken.AccessToken>
    readonly changed: Deferred.Deferred<void>
  }>
  /** One attempt at the token after `token`, through the provider's single flight. */
  readonly renew: (token: AccessToken.AccessToken) => Effect.Effect<AccessToken.AccessToken, TokenError.TokenError>
  /** Until when a token may be handed out (its expiry minus the margin). */
  readonly usableUntil: (token: AccessToken.AccessToken) => number
  /** The fraction of the lifetime to wake at, and the most jitter added to it. */
  readonly at?: number | undefined
  readonly jitter?: number | undefined
  /** The waits between attempts; no wait starts that would end past the current token's expiry. */
  readonly backoff: Schedule.Schedule<unknown, TokenError.TokenError>
}

/** Sleeps until `instant`, in whole milliseconds and at most a day at a time (`Expiry.nextSleep`). */
export const sleepUntil = (instant: number): Effect.Effect<void> =>
  Effect.gen(function*() {
    while (true) {
      const sleep = Expiry.nextSleep(instant, yield* Clock.currentTimeMillis)
      if (sleep <= 0) return
      yield* Effect.sleep(Duration.millis(sleep))
    }
  })

/** The refresh loop; runs until interrupted (its scope closes). */
export const run = (options: Options): Effect.Effect<never> => {
  const at = options.at ?? Expiry.defaultRefreshAt
  const jitter = options.jitter ?? Expiry.defaultRefreshJitter

  const once = Effect.gen(function*() {
    const current = yield* options.current
    const now = yield* Clock.currentTimeMillis
    if (Option.isNone(current.token) || current.token.value.expiresAt <= now) {
      return yield* Deferred.await(current.changed)
    }
    const token = current.token.value
    const fraction = Expiry.refreshFraction(at, jitter, jitter > 0 ? yield* Random.next : 0)
    const wakeAt = Expiry.refreshPoint(token, options.usableUntil(token), fraction)
    // Never usable (a source's lifetime within the margin): renewing it would only spin.
    if (wakeAt === undefined) return yield* Deferred.await(current.changed)
    yield* sleepUntil(wakeAt)
    const latest = yield* options.current
    // Someone (a reader after a 401) replaced it already: start over with the new one.
    if (Option.isNone(latest.token) || latest.token.value !== token) return
    // Nobody waits on it: any wait (a long `Retry-After` too) that ends before the expiry.
    yield* TokenRetry.retryUntil(options.renew(token), options.backoff, token.expiresAt).pipe(
      Effect.tap((next) =>
        Effect.logDebug("Token renewed in the background").pipe(
          Effect.annotateLogs({ expires_in_seconds: Math.round(Duration.toSeconds(next.lifetime)) })
        )
      ),
      Effect.withSpan("TokenProvider.refresh", { captureStackTrace: false }),
      Effect.catchAll((error) =>
        Effect.gen(function*() {
          yield* TokenMetrics.recordRefreshFailure(error._tag)
          yield* Effect.logWarning(`Background token refresh failed: ${error.message}`).pipe(
            Effect.annotateLogs({ error: error._tag })
          )
          // Readers take over once the token expires; wait for the token they fetch.
          const now = yield* Clock.currentTimeMillis
          const after = yield* options.current
          if (Option.isSome(after.token) && after.token.value === token && token.expiresAt > now) {
            yield* Effect.race(sleepUntil(token.expiresAt), Deferred.await(after.changed))
          }
        })
      )
    )
  })
  return Effect.forever(once)
}
