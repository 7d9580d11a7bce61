/**
 * Metrics of the token lifecycle, recorded through Effect's `Metric` so any exporter
 * (OpenTelemetry, Prometheus) can read them. Each is tagged with `provider` when the
 * `TokenProvider` was given a name.
 *
 * @since 0.1.0
 */
import { Array as Arr, Effect, FiberRef, Metric, MetricLabel } from "effect"

/**
 * Token requests sent to token endpoints, tagged `grant_type` and `outcome`
 * (`Success` or the error tag).
 *
 * @since 0.1.0
 * @category metrics
 */
export const tokenRequests = Metric.counter("effect_bearer_token_requests_total", {
  description: "Token requests sent to token endpoints, by grant type and outcome",
  incremental: true
})

/**
 * Background refreshes that failed, tagged with the error tag as `outcome`.
 *
 * @since 0.1.0
 * @category metrics
 */
export const refreshFailures = Metric.counter("effect_bearer_refresh_failures_total", {
  description: "Background token refreshes that failed, by error tag",
  incremental: true
})

/**
 * Seconds until the current token expires, set whenever a token is stored.
 *
 * @since 0.1.0
 * @category metrics
 */
export const secondsUntilExpiry = Metric.gauge("effect_bearer_token_seconds_until_expiry", {
  description: "Seconds until the current access token expires"
})

/**
 * Responses with status 401 seen by `BearerHttpClient`, tagged `provider` and `outcome`
 * (`Replayed`, `Expired`, `NotReplayable`).
 *
 * @since 0.1.0
 * @category metrics
 */
export const unauthorizedResponses = Metric.counter("effect_bearer_unauthorized_responses_total", {
  description: "401 answers to requests that carried a token, by what the client did: Replayed, Expired, NotReplayable",
  incremental: true
})

/**
 * Records one token request and its outcome.
 *
 * @since 0.1.0
 * @category recording
 */
export const recordTokenRequest = (grantType: string, outcome: string): Effect.Effect<void> =>
  incrementTagged(tokenRequests, "grant_type", grantType, "outcome", outcome)

/**
 * Records one failed background refresh.
 *
 * @since 0.1.0
 * @category recording
 */
export const recordRefreshFailure = (outcome: string): Effect.Effect<void> =>
  Metric.increment(Metric.tagged(refreshFailures, "outcome", outcome))

/**
 * What happened at a shared `TokenStore`: `read` (a fetch looked in the store), `hit` (it
 * found a usable token there, no request made), `miss` (it took the lock to fetch), `lockWait`
 * (another process held the lock: it waited for its write), `takeover` (it replaced an
 * expired lock: its holder died or stalled), `stale` (a write lost to a newer generation),
 * `unusable` (a value that did not open: tampered with or foreign), `sharedFailure` (the lock
 * holder's fetch had just failed transiently: it failed alike, no request made) and `fallback`
 * (the store failed: the token was fetched per process).
 *
 * @since 0.1.0
 * @category models
 */
export type StoreEvent = "read" | "hit" | "miss" | "lockWait" | "takeover" | "stale" | "unusable" | "sharedFailure" | "fallback"

/**
 * Events of a shared token store, tagged `backend` and `event` (see {@link StoreEvent}), and
 * `provider` like the others. Never carries a key, a value or a token.
 *
 * @since 0.1.0
 * @category metrics
 */
export const tokenStoreEvents = Metric.counter("effect_bearer_token_store_events_total", {
  description: "Shared token store events (read, hit, miss, lockWait, takeover, stale, unusable, sharedFailure, fallback), by backend",
  incremental: true
})

/**
 * Records one event of a shared token store.
 *
 * @since 0.1.0
 * @category recording
 */
export const recordStoreEvent = (backend: string, event: StoreEvent): Effect.Effect<void> =>
  incrementTagged(tokenStoreEvents, "backend", backend, "event", event)

/**
 * The label sets counted so far, by the fiber's own labels: each combination is one array for
 * good, so that Effect finds its counter in its per-array cache instead of building a
 * `MetricKey` and looking it up in the registry on every count.
 */
const labelSets = new WeakMap<ReadonlyArray<MetricLabel.MetricLabel>, Map<string, ReadonlyArray<MetricLabel.MetricLabel>>>()

/**
 * `Metric.increment(Metric.tagged(Metric.tagged(counter, key1, value1), key2, value2))`, counted
 * under the same labels in the same order, with the label set built once per combination.
 */
const incrementTagged = (
  counter: Metric.Metric.Counter<number>,
  key1: string,
  value1: string,
  key2: string,
  value2: string
): Effect.Effect<void> =>
  Effect.withFiberRuntime((fiber) => {
    const fiberLabels = fiber.getFiberRef(FiberRef.currentMetricLabels)
    let sets = labelSets.get(fiberLabels)
    if (sets === undefined) labelSets.set(fiberLabels, sets = new Map())
    const combination = `${key1}=${value1}\u0000${key2}=${value2}`
    let labels = sets.get(combination)
    if (labels === undefined) {
      labels = Arr.union([MetricLabel.make(key1, value1)], Arr.union([MetricLabel.make(key2, value2)], fiberLabels))
      sets.set(combination, labels)
    }
    counter.unsafeUpdate(1, labels)
    return Effect.void
  })
