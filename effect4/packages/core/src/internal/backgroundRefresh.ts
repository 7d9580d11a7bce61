/**
 * The background refresh: it wakes at a point of each token's own lifetime (the kernel's
 * `Expiry.refreshPoint`), has the next token fetched through the provider's cache while the
 * current one is still served, backs off until the current one expires, then waits for the
 * token readers fetch. It never fetches on its own: `renew` joins the fetch in flight or takes
 * a token a reader fetched.
 */
import * as Expiry from "@effect-bearer/kernel/Expiry"
import { Clock, Deferred, Duration, Effect, Option, Random } from "effect"
import type { Schedule } from "effect"
import type * as AccessToken from "../AccessToken.js"
import type * as TokenError from "../TokenError.js"
import * as TokenMetrics from "../TokenMetrics.js"
import * as TokenRetry from "../TokenRetry.js"

/** What the refresh reads of the provider, and how it asks for the next token. */
export interface Options {
  /** The newest token, and a signal completed when the next one is stored. */
  readonly current: Effect.Effect<{ readonly token: Option.Option<AccessToken.AccessToken>; readonly changed: Deferred.Deferred<void> }>
  /** One attempt at the token after `token`, through the provider's cache. */
  readonly renew: (token: AccessToken.AccessToken) => Effect.Effect<AccessToken.AccessToken, TokenError.TokenError>
  readonly usableUntil: (token: AccessToken.AccessToken) => number
  readonly at?: number | undefined
  readonly jitter?: number | undefined
  readonly backoff: Schedule.Schedule<unknown, TokenError.TokenError>
}

/** Sleeps until `instant`, in whole milliseconds and at most a day at a time (longer timers never fire). */
export const sleepUntil = (instant: number): Effect.Effect<void> =>
  Effect.gen(function*() {
    while (true) {
      const sleep = Expiry.nextSleep(instant, yield* Clock.currentTimeMillis)
      if (sleep <= 0) return
      yield* Effect.sleep(Duration.millis(sleep))
    }
  })

/** The refresh loop; runs until interrupted. */
export const run = (options: Options): Effect.Effect<never> => {
  const at = options.at ?? Expiry.defaultRefreshAt
  const jitter = options.jitter ?? Expiry.defaultRefreshJitter
  const once = Effect.gen(function*() {
    const current = yield* options.current
    const now = yield* Clock.currentTimeMillis
    if (Option.isNone(current.token) || current.token.value.expiresAt <= now) return yield* Deferred.await(current.changed)
    const token = current.token.value
    const fraction = Expiry.refreshFraction(at, jitter, jitter > 0 ? yield* Random.next : 0)
    const wakeAt = Expiry.refreshPoint(token, options.usableUntil(token), fraction)
    // Never usable (a lifetime within the margin): renewing would only spin.
    if (wakeAt === undefined) return yield* Deferred.await(current.changed)
    yield* sleepUntil(wakeAt)
    const latest = yield* options.current
    if (Option.isNone(latest.token) || latest.token.value !== token) return
    yield* TokenRetry.retryUntil(options.renew(token), options.backoff, token.expiresAt).pipe(
      Effect.tap((next) =>
        Effect.logDebug("Token renewed in the background").pipe(
          Effect.annotateLogs({ expires_in_seconds: Math.round(Duration.toSeconds(next.lifetime)) })
        )
      ),
      Effect.withSpan("TokenProvider.refresh"),
      Effect.catch((error) =>
        Effect.gen(function*() {
          yield* TokenMetrics.recordRefreshFailure(error._tag)
          yield* Effect.logWarning(`Background token refresh failed: ${error.message}`).pipe(Effect.annotateLogs({ error: error._tag }))
          // Readers take over once it expires: wait for the token they fetch.
          const after = yield* options.current
          if (Option.isSome(after.token) && after.token.value === token && token.expiresAt > (yield* Clock.currentTimeMillis)) {
            yield* Effect.race(sleepUntil(token.expiresAt), Deferred.await(after.changed))
          }
        })
      )
    )
  })
  return Effect.forever(once)
}
