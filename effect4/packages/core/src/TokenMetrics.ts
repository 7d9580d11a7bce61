/**
 * Metrics of the token lifecycle through Effect 4's `Metric` (`Metric.update`, attributes via
 * `Metric.withAttributes` and `Metric.CurrentMetricAttributes`): the same names and attributes
 * as the Effect 3 line, so dashboards read both.
 *
 * @since 4.0.0
 */
import { Effect, Metric } from "effect"

/**
 * Token requests sent, by `grant_type` and `outcome` (`Success` or the error tag).
 *
 * @since 4.0.0
 * @category metrics
 */
export const tokenRequests = Metric.counter("effect_bearer_token_requests_total", {
  description: "Token requests sent to token endpoints, by grant type and outcome",
  incremental: true
})

/**
 * Background refreshes that failed, by `outcome` (the error tag).
 *
 * @since 4.0.0
 * @category metrics
 */
export const refreshFailures = Metric.counter("effect_bearer_refresh_failures_total", {
  description: "Background token refreshes that failed, by error tag",
  incremental: true
})

/**
 * Seconds until the current token expires, set whenever a token is stored.
 *
 * @since 4.0.0
 * @category metrics
 */
export const secondsUntilExpiry = Metric.gauge("effect_bearer_token_seconds_until_expiry", {
  description: "Seconds until the current access token expires"
})

/**
 * 401 answers seen by `BearerHttpClient`, by `provider` and `outcome`.
 *
 * @since 4.0.0
 * @category metrics
 */
export const unauthorizedResponses = Metric.counter("effect_bearer_unauthorized_responses_total", {
  description: "401 answers to requests that carried a token, by what the client did: Replayed, Expired, NotReplayable",
  incremental: true
})

/**
 * Records one token request.
 *
 * @since 4.0.0
 * @category recording
 */
export const recordTokenRequest = (grantType: string, outcome: string): Effect.Effect<void> =>
  Metric.update(Metric.withAttributes(tokenRequests, { grant_type: grantType, outcome }), 1)

/**
 * Records one failed background refresh.
 *
 * @since 4.0.0
 * @category recording
 */
export const recordRefreshFailure = (outcome: string): Effect.Effect<void> =>
  Metric.update(Metric.withAttributes(refreshFailures, { outcome }), 1)

/**
 * Events of a shared token store (see the Effect 3 line's list, unchanged).
 *
 * @since 4.0.0
 * @category models
 */
export type StoreEvent = "read" | "hit" | "miss" | "lockWait" | "takeover" | "stale" | "unusable" | "sharedFailure" | "fallback"

/**
 * Shared token store events, by `backend` and `event`; never a key, value or token.
 *
 * @since 4.0.0
 * @category metrics
 */
export const tokenStoreEvents = Metric.counter("effect_bearer_token_store_events_total", {
  description: "Shared token store events (read, hit, miss, lockWait, takeover, stale, unusable, sharedFailure, fallback), by backend",
  incremental: true
})

/**
 * Records one store event.
 *
 * @since 4.0.0
 * @category recording
 */
export const recordStoreEvent = (backend: string, event: StoreEvent): Effect.Effect<void> =>
  Metric.update(Metric.withAttributes(tokenStoreEvents, { backend, event }), 1)

/**
 * Runs `effect` with `provider` added to the metric attributes (Effect 3's `Effect.tagMetrics`).
 *
 * @since 4.0.0
 * @category recording
 */
export const withProvider = (provider: string) => <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.gen(function*() {
    const attributes = yield* Metric.CurrentMetricAttributes
    return yield* Effect.provideService(effect, Metric.CurrentMetricAttributes, { ...attributes, provider })
  })
