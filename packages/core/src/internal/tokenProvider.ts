import { Clock, Deferred, Duration, Effect, Exit, Metric, MutableRef, Option, Random, Ref, Schedule } from "effect"
import type { Scope } from "effect"
import * as AccessToken from "../AccessToken.js"
import type * as TokenError from "../TokenError.js"
import * as TokenMetrics from "../TokenMetrics.js"
import type { Options, Service } from "../TokenProvider.js"
import * as TokenRetry from "../TokenRetry.js"
import type * as TokenSource from "../TokenSource.js"

/**
 * What the provider holds. `usableUntil` (expiry minus margin) and `served` (the token as
 * a ready effect) are computed when a token is stored, so a warm read is one comparison
 * and allocates nothing. `usableUntil` is `-Infinity` once a resource server refused the
 * token, which keeps the token (and its refresh token) for the next fetch. `changed`
 * completes when a new token is stored. It lives in a `MutableRef` (what `Ref` wraps):
 * every change is one synchronous step, so nothing can interleave.
 */
interface State {
  readonly token: Option.Option<AccessToken.AccessToken>
  readonly served: Effect.Effect<AccessToken.AccessToken>
  readonly usableUntil: number
  readonly changed: Deferred.Deferred<void>
}

/** Effect's clock treats sleeps over 2^31-1 ms as infinite: sleep at most a day at a time. */
const longestSleep = Duration.toMillis(Duration.days(1))

/**
 * The result of one pass through the cache: `fetch` numbers the completed token
 * requests, so a caller can tell a failure that completed while it waited (shared, as
 * single flight wants) from one cached before it arrived (stale: Effect 3 caches
 * failures for the whole TTL, so it is invalidated and the caller tries again).
 */
interface Outcome {
  readonly fetch: number
  readonly exit: Exit.Exit<AccessToken.AccessToken, TokenError.TokenError>
}

/** @internal */
export const make = (
  source: TokenSource.TokenSource,
  options: Options = {}
): Effect.Effect<Service, never, Scope.Scope> =>
  Effect.gen(function*() {
    const marginOf = options.expiryMargin ?? AccessToken.defaultExpiryMargin
    const usableUntil = (token: AccessToken.AccessToken) =>
      token.expiresAt - Duration.toMillis(marginOf(token.lifetime))
    // Whatever schedule the user gives, only transient errors are retried.
    const acquisitionRetry = TokenRetry.transient(options.retry ?? TokenRetry.acquisition)
    const annotations = { provider: source.name, grant_type: source.grantType }

    // Read synchronously on the warm path; TestClock in tests, as for every other read.
    const clock = yield* Effect.clock
    const state = MutableRef.make<State>({
      token: Option.none(),
      served: Effect.dieMessage("no token yet"),
      usableUntil: Number.NEGATIVE_INFINITY,
      changed: yield* Deferred.make<void>()
    })
    const readState = Effect.sync(() => MutableRef.get(state))
    const modifyState = <B>(f: (current: State) => [B, State]) =>
      Effect.sync(() => {
        const [result, next] = f(MutableRef.get(state))
        MutableRef.set(state, next)
        return result
      })
    // Serialises every token request, from readers and from the background refresh alike.
    const fetchLock = yield* Effect.makeSemaphore(1)

    const store = (token: AccessToken.AccessToken) =>
      Effect.gen(function*() {
        const changed = yield* Deferred.make<void>()
        const previous = yield* modifyState((current): [State, State] => [current, {
          token: Option.some(token),
          served: Effect.succeed(token),
          usableUntil: usableUntil(token),
          changed
        }])
        yield* Deferred.succeed(previous.changed, undefined)
        const now = yield* Clock.currentTimeMillis
        yield* Metric.set(TokenMetrics.secondsUntilExpiry, Math.max(0, (token.expiresAt - now) / 1000))
      })

    const fetchAndStore = (
      previous: Option.Option<AccessToken.AccessToken>,
      retry: Schedule.Schedule<unknown, TokenError.TokenError>
    ): Effect.Effect<AccessToken.AccessToken, TokenError.TokenError> =>
      source.fetch(previous).pipe(
        Effect.retry(retry),
        Effect.tap(store),
        Effect.tap((token) =>
          Effect.annotateCurrentSpan({
            "oauth.lifetime_source": token.lifetimeSource,
            "oauth.expires_in_seconds": Math.round(Duration.toSeconds(token.lifetime))
          })
        ),
        // After `store`, so the expiry gauge carries the provider tag too.
        Effect.tagMetrics("provider", source.name)
      )

    const completedFetches = yield* Ref.make(0)
    /**
     * The fetch in flight, if any. Callers that arrive while it runs await its outcome
     * here instead of queueing on the cache's lock (Effect 3's semaphore wakes every
     * waiter on each release, which makes a cold stampede quadratic). `None` tells them
     * the fetch was interrupted: they go through the cache, which then fetches again.
     */
    const inFlight = MutableRef.make<Deferred.Deferred<Option.Option<Outcome>> | undefined>(undefined)

    /** The cold and expired path: under the lock, look again, then fetch if still needed. */
    const acquire: Effect.Effect<Outcome> = fetchLock.withPermits(1)(
      Effect.gen(function*() {
        const current = yield* readState
        const now = yield* Clock.currentTimeMillis
        if (Option.isSome(current.token) && now < current.usableUntil) {
          return { fetch: yield* Ref.get(completedFetches), exit: Exit.succeed(current.token.value) }
        }
        const flight = yield* Deferred.make<Option.Option<Outcome>>()
        MutableRef.set(inFlight, flight)
        return yield* Effect.gen(function*() {
          const exit = yield* Effect.exit(
            fetchAndStore(current.token, acquisitionRetry).pipe(
              Effect.tapError((error) =>
                Effect.logDebug(`Token request failed: ${error.message}`).pipe(
                  Effect.annotateLogs({ ...annotations, error: error._tag })
                )
              )
            )
          )
          const outcome = { fetch: yield* Ref.updateAndGet(completedFetches, (n) => n + 1), exit }
          yield* Deferred.succeed(flight, Option.some(outcome))
          return outcome
        }).pipe(
          Effect.ensuring(
            Effect.suspend(() => {
              if (MutableRef.get(inFlight) === flight) MutableRef.set(inFlight, undefined)
              return Deferred.succeed(flight, Option.none())
            })
          )
        )
      })
    ).pipe(Effect.withSpan("TokenProvider.acquire", { attributes: annotations, captureStackTrace: false }))

    // Effect 3 fixes this TTL at construction and caches failures for all of it, so the
    // cache is the single-flight gate of the slow path, holding outcomes rather than
    // failing; a stale failure is invalidated, and each token is checked against its own
    // expiry before it is handed out.
    const [cached, invalidateCache] = yield* Effect.cachedInvalidateWithTTL(
      acquire,
      options.cacheTimeToLive ?? Duration.minutes(5)
    )
    const isCurrentAndUsable = (token: AccessToken.AccessToken) =>
      Effect.map(
        Effect.zip(readState, Clock.currentTimeMillis),
        ([current, now]) => Option.isSome(current.token) && current.token.value === token && now < current.usableUntil
      )
    /** `None` when the cached outcome is stale for a caller that arrived after `arrivedAfter` fetches completed. */
    const settle = (outcome: Outcome, arrivedAfter: number) =>
      Exit.isSuccess(outcome.exit)
        ? Effect.map(isCurrentAndUsable(outcome.exit.value), (usable) => (usable ? Option.some(outcome.exit) : Option.none()))
        : Effect.succeed(outcome.fetch > arrivedAfter ? Option.some(outcome.exit) : Option.none())
    const slowGet = Effect.gen(function*() {
      const flight = MutableRef.get(inFlight)
      if (flight !== undefined) {
        // Arrived while a fetch runs: its outcome, success or failure, is this caller's too.
        const outcome = yield* Deferred.await(flight)
        if (Option.isSome(outcome)) return yield* outcome.value.exit
      }
      const arrivedAfter = yield* Ref.get(completedFetches)
      const settled = yield* settle(yield* cached, arrivedAfter)
      if (Option.isSome(settled)) return yield* settled.value
      yield* invalidateCache
      return yield* (yield* cached).exit
    })

    const get: Effect.Effect<AccessToken.AccessToken, TokenError.TokenError> = Effect.suspend(() => {
      const current = MutableRef.get(state)
      return clock.unsafeCurrentTimeMillis() < current.usableUntil ? current.served : slowGet
    })

    const invalidate = (rejected: AccessToken.AccessToken): Effect.Effect<void> =>
      Effect.flatMap(
        modifyState((current): [boolean, State] =>
          Option.isSome(current.token) && AccessToken.sameValue(current.token.value, rejected) &&
            current.usableUntil !== Number.NEGATIVE_INFINITY
            ? [true, { ...current, usableUntil: Number.NEGATIVE_INFINITY }]
            : [false, current]),
        (marked) =>
          marked
            ? Effect.zipRight(invalidateCache, Effect.logDebug("A resource server refused the token; it will be replaced"))
            : Effect.void
      )

    const refresh = Effect.flatMap(
      readState,
      (current) => Option.isSome(current.token) ? Effect.zipRight(invalidate(current.token.value), get) : get
    )

    const revoke = source.revoke
    if (options.revokeOnClose === true && revoke !== undefined) {
      // Added before the refresh fiber is forked, so it runs after that fiber is interrupted.
      yield* Effect.addFinalizer(() =>
        Effect.flatMap(readState, ({ token }) =>
          Option.match(token, {
            onNone: () => Effect.void,
            onSome: (token) =>
              revoke(token).pipe(
                Effect.tap(() => Effect.logDebug("Token revoked")),
                Effect.catchAll((error) => Effect.logWarning(`Token revocation failed: ${error.message}`)),
                Effect.annotateLogs(annotations)
              )
          }))
      )
    }

    if (options.backgroundRefresh !== false) {
      yield* Effect.forkScoped(backgroundRefresh({
        readState,
        fetchLock,
        fetchAndStore,
        at: options.backgroundRefresh?.at ?? 0.8,
        jitter: options.backgroundRefresh?.jitter ?? 0.1,
        backoff: options.backgroundRefresh?.backoff ?? TokenRetry.backgroundRefresh
      }).pipe(Effect.annotateLogs(annotations), Effect.tagMetrics("provider", source.name), Effect.interruptible))
    }

    return {
      name: source.name,
      get,
      invalidate,
      refresh
    } satisfies Service
  })

/** Sleeps until `instant`, in whole milliseconds (a fractional instant could wake just short of it). */
const sleepUntil = (instant: number): Effect.Effect<void> =>
  Effect.gen(function*() {
    while (true) {
      const left = Math.ceil(instant - (yield* Clock.currentTimeMillis))
      if (left <= 0) return
      yield* Effect.sleep(Duration.millis(Math.min(left, longestSleep)))
    }
  })

/**
 * Wakes at a point of each token's own lifetime, fetches the next token while the
 * current one keeps being served, and backs off until the current token expires.
 * After that it waits for the next token that readers fetch.
 */
const backgroundRefresh = (options: {
  readonly readState: Effect.Effect<State>
  readonly fetchLock: Effect.Semaphore
  readonly fetchAndStore: (
    previous: Option.Option<AccessToken.AccessToken>,
    retry: Schedule.Schedule<unknown, TokenError.TokenError>
  ) => Effect.Effect<AccessToken.AccessToken, TokenError.TokenError>
  readonly at: number
  readonly jitter: number
  readonly backoff: Schedule.Schedule<unknown, TokenError.TokenError>
}): Effect.Effect<never> => {
  const { readState } = options
  const renew = (token: AccessToken.AccessToken) =>
    options.fetchLock.withPermits(1)(
      Effect.flatMap(readState, (current) =>
        // Someone (a reader after a 401) replaced it already: nothing to do.
        Option.isSome(current.token) && current.token.value !== token
          ? Effect.succeed(current.token.value)
          : options.fetchAndStore(Option.some(token), Schedule.stop))
    )

  const once = Effect.gen(function*() {
    const current = yield* readState
    const now = yield* Clock.currentTimeMillis
    if (Option.isNone(current.token) || current.token.value.expiresAt <= now) {
      return yield* Deferred.await(current.changed)
    }
    const token = current.token.value
    const fraction = options.at + (options.jitter > 0 ? yield* Random.nextRange(0, options.jitter) : 0)
    yield* sleepUntil(token.issuedAt + (token.expiresAt - token.issuedAt) * fraction)
    const latest = yield* readState
    if (Option.isNone(latest.token) || latest.token.value !== token) return
    const startedAt = yield* Clock.currentTimeMillis
    yield* renew(token).pipe(
      Effect.retry(options.backoff.pipe(Schedule.upTo(Duration.millis(Math.max(0, token.expiresAt - startedAt))))),
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
          const after = yield* readState
          if (Option.isSome(after.token) && after.token.value === token && token.expiresAt > now) {
            yield* Effect.race(sleepUntil(token.expiresAt), Deferred.await(after.changed))
          }
        })
      )
    )
  })
  return Effect.forever(once)
}
