import { Clock, Deferred, Duration, Effect, FiberId, Metric, MutableRef, Option, Random, Schedule } from "effect"
import type { Exit, Scope } from "effect"
import * as AccessToken from "../AccessToken.js"
import * as TokenError from "../TokenError.js"
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

/** @internal */
export const make = (
  source: TokenSource.TokenSource,
  options: Options = {}
): Effect.Effect<Service, never, Scope.Scope> =>
  Effect.gen(function*() {
    const marginOf = options.expiryMargin ?? AccessToken.defaultExpiryMargin
    const minimumMargin = Duration.toMillis(AccessToken.minimumExpiryMargin)
    // Whatever margin the user gives, at least the floor (servers round `exp`, clocks drift).
    const usableUntil = (token: AccessToken.AccessToken) =>
      token.expiresAt - Math.max(minimumMargin, Duration.toMillis(marginOf(token.lifetime)))
    // Whatever schedule the user gives, only transient errors are retried.
    const acquisitionRetry = TokenRetry.transient(options.retry ?? TokenRetry.acquisition)
    const acquisitionTimeout = Duration.decode(options.acquisitionTimeout ?? TokenRetry.defaultAcquisitionTimeout)
    const annotations = { provider: source.name, grant_type: source.grantType }
    const scope = yield* Effect.scope

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

    /** Fetches (retrying on `retry`, never waiting past `deadline`) and stores the token. */
    const fetchAndStore = (
      previous: Option.Option<AccessToken.AccessToken>,
      retry: Schedule.Schedule<unknown, TokenError.TokenError>,
      deadline: number
    ): Effect.Effect<AccessToken.AccessToken, TokenError.TokenError> =>
      TokenRetry.retryUntil(source.fetch(previous), retry, deadline).pipe(
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

    /**
     * One acquisition: under the lock, look again (the background refresh may have
     * stored a token meanwhile), then fetch. Bounded by `acquisitionTimeout` in total:
     * no wait starts that would end past the deadline, and an attempt still running at
     * the deadline is abandoned (a refresh token it sent counts as spent).
     */
    const acquire: Effect.Effect<AccessToken.AccessToken, TokenError.TokenError> = Effect.gen(function*() {
      const deadline = (yield* Clock.currentTimeMillis) + Duration.toMillis(acquisitionTimeout)
      return yield* fetchLock.withPermits(1)(
        Effect.gen(function*() {
          const current = yield* readState
          const now = yield* Clock.currentTimeMillis
          if (Option.isSome(current.token) && now < current.usableUntil) return current.token.value
          const token = yield* fetchAndStore(current.token, acquisitionRetry, deadline)
          // An answer so slow that the token is past its usable time on arrival is no token.
          if ((yield* Clock.currentTimeMillis) >= usableUntil(token)) {
            return yield* new TokenError.TemporarilyUnavailable({ endpoint: source.name, reason: "Timeout" })
          }
          return token
        })
      )
    }).pipe(
      Effect.timeoutFail({
        duration: acquisitionTimeout,
        onTimeout: () => new TokenError.TemporarilyUnavailable({ endpoint: source.name, reason: "Timeout" })
      }),
      Effect.tapError((error) =>
        Effect.logDebug(`Token request failed: ${error.message}`).pipe(
          Effect.annotateLogs({ ...annotations, error: error._tag })
        )
      ),
      Effect.withSpan("TokenProvider.acquire", { attributes: annotations, captureStackTrace: false })
    )

    /**
     * The acquisition in flight, if any: every caller that needs a token while it runs
     * awaits its outcome, success or failure (single flight). It runs in the provider's
     * scope, not in a caller's fiber, so a caller that times out or is interrupted stops
     * waiting without breaking the fetch the others wait for; once it completes the
     * next caller starts a new one, so a failure never sticks.
     */
    const inFlight = MutableRef.make<Deferred.Deferred<AccessToken.AccessToken, TokenError.TokenError> | undefined>(
      undefined
    )
    const land = (flight: Deferred.Deferred<AccessToken.AccessToken, TokenError.TokenError>) =>
    (exit: Exit.Exit<AccessToken.AccessToken, TokenError.TokenError>) =>
      Effect.suspend(() => {
        if (MutableRef.get(inFlight) === flight) MutableRef.set(inFlight, undefined)
        return Deferred.done(flight, exit)
      })
    const joinFlight = Effect.suspend(() => {
      const running = MutableRef.get(inFlight)
      if (running !== undefined) return Effect.succeed(running)
      // Created and published in one synchronous step: nobody can start a second one.
      const flight = Deferred.unsafeMake<AccessToken.AccessToken, TokenError.TokenError>(FiberId.none)
      MutableRef.set(inFlight, flight)
      return acquire.pipe(Effect.onExit(land(flight)), Effect.forkIn(scope), Effect.as(flight))
    })
    const slowGet = Effect.flatMap(joinFlight, Deferred.await)

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
        (marked) => marked ? Effect.logDebug("A resource server refused the token; it will be replaced") : Effect.void
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
        usableUntil,
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
    retry: Schedule.Schedule<unknown, TokenError.TokenError>,
    deadline: number
  ) => Effect.Effect<AccessToken.AccessToken, TokenError.TokenError>
  readonly usableUntil: (token: AccessToken.AccessToken) => number
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
          : options.fetchAndStore(Option.some(token), Schedule.stop, token.expiresAt))
    )

  const once = Effect.gen(function*() {
    const current = yield* readState
    const now = yield* Clock.currentTimeMillis
    if (Option.isNone(current.token) || current.token.value.expiresAt <= now) {
      return yield* Deferred.await(current.changed)
    }
    const token = current.token.value
    // At `fraction` of the lifetime, but never later than 90 % of the time it may be served.
    const usableFor = options.usableUntil(token) - token.issuedAt
    // Never usable (a source's lifetime within the margin): renewing it would only spin.
    if (usableFor <= 0) return yield* Deferred.await(current.changed)
    const fraction = options.at + (options.jitter > 0 ? yield* Random.nextRange(0, options.jitter) : 0)
    yield* sleepUntil(
      token.issuedAt + Math.min((token.expiresAt - token.issuedAt) * fraction, usableFor * 0.9)
    )
    const latest = yield* readState
    if (Option.isNone(latest.token) || latest.token.value !== token) return
    // Nobody waits on it: any wait (a long `Retry-After` too) that ends before the expiry.
    yield* TokenRetry.retryUntil(renew(token), options.backoff, token.expiresAt).pipe(
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
