/**
 * Metrics of the token lifecycle through Effect 4's `Metric` (`Metric.update`, attributes via
 * `Metric.withAttributes` and `Metric.CurrentMetricAttributes`): the same names and attributes
 * as the Effect 3 line, so dashboards read both.
 *
 * @since 4.0.0
 */
import { Effect, Metric } from "effect"

/**
 * `metric` updated by 1 with `attributes`: the tagged metric and its update built once per
 * label set (the sets are few: grant types, outcomes, backends and events), not per call.
 */
const countedBy = <Labels extends ReadonlyArray<string>>(
  metric: Metric.Counter<number>,
  attributesOf: (...labels: Labels) => Metric.Metric.AttributeSet
) => {
  const updates = new Map<string, Effect.Effect<void>>()
  return (...labels: Labels): Effect.Effect<void> => {
    const key = labels.join("\u0000")
    let update = updates.get(key)
    if (update === undefined) {
      update = Metric.update(Metric.withAttributes(metric, attributesOf(...labels)), 1)
      updates.set(key, update)
    }
    return update
  }
}

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
export const recordTokenRequest: (grantType: string, outcome: string) => Effect.Effect<void> = countedBy(
  tokenRequests,
  (grantType: string, outcome: string) => ({ grant_type: grantType, outcome })
)

/**
 * Records one failed background refresh.
 *
 * @since 4.0.0
 * @category recording
 */
export const recordRefreshFailure: (outcome: string) => Effect.Effect<void> = countedBy(
  refreshFailures,
  (outcome: string) => ({ outcome })
)

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
export const recordStoreEvent: (backend: string, event: StoreEvent) => Effect.Effect<void> = countedBy(
  tokenStoreEvents,
  (backend: string, event: StoreEvent) => ({ backend, event })
)

/**
 * Runs `effect` with `provider` added to the metric attributes (Effect 3's `Effect.tagMetrics`).
 *
 * @since 4.0.0
 * @category recording
 */
export const withProvider = (provider: string): <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R> => {
  // The same attributes object for the same enclosing one, so the metrics' cached series keys hold.
  let enclosing: Metric.Metric.AttributeSet | undefined
  let withIt: Metric.Metric.AttributeSet = {}
  const add = (attributes: Metric.Metric.AttributeSet) => {
    if (attributes !== enclosing) {
      enclosing = attributes
      withIt = { ...attributes, provider }
    }
    return withIt
  }
  return (effect) => Effect.updateService(effect, Metric.CurrentMetricAttributes, add)
}
