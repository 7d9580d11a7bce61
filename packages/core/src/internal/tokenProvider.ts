/**
 * The token provider: one state holder and one single flight.
 *
 * Everything the provider knows is one immutable {@link State} in one `MutableRef`, and every
 * change of it is one synchronous step (nothing can interleave). The only way to a new token
 * is {@link make}'s `serveOrFetch`, which in one step serves the held token, or joins the fetch
 * in flight, or starts one and publishes it in the state. Its invariants, and where each holds:
 *
 * - Never served past usable time: a token is handed out only while `now < usableUntil` (its
 *   expiry minus the margin, never less than a second: `Expiry.usableUntil`), in `get`, in
 *   `serveOrFetch`'s step and when a flight lands (`awaitUsable`); a token that arrives past it
 *   is stored but not handed out: a reader's own fetch fails with a timeout, a reader that
 *   joined the background refresh's fetch starts one of its own.
 * - One request at a time, and one per lifetime: a fetch starts only where the step finds no
 *   flight, and only when the token is not usable (readers) or at its refresh point (the
 *   background refresh, which otherwise joins the flight or takes the token a reader fetched).
 * - Failures never stick: `land` clears the flight whatever its outcome and stores nothing on
 *   failure, so the next caller starts a new fetch; the callers already waiting share the failure.
 * - A refresh token is sent once: each fetch is given the newest token as `previous` (a flight
 *   starts only after the last one landed), and the source spends a refresh token when sending it.
 * - A caller's deadline is its own: the fetch runs in the provider's scope, the callers only
 *   await it; every fetch ends within `acquisitionTimeout` (a timer around it, or, for a source
 *   built on a token endpoint, each exchange cut to the time left: `acquisitionDeadline.ts`).
 *
 * Why not `Effect.cachedWithTTL` here: see {@link make}.
 */
import * as Expiry from "@effect-bearer/kernel/Expiry"
import { Array as Arr, Deferred, Duration, Effect, Exit, FiberId, FiberRef, Metric, MetricLabel, MutableRef, Option, Schedule } from "effect"
import type { Scope } from "effect"
import * as AccessToken from "../AccessToken.js"
import * as TokenError from "../TokenError.js"
import * as TokenMetrics from "../TokenMetrics.js"
import type { Options, Service } from "../TokenProvider.js"
import * as TokenRetry from "../TokenRetry.js"
import type * as TokenSource from "../TokenSource.js"
import * as TokenStore from "../TokenStore.js"
import * as AcquisitionDeadline from "./acquisitionDeadline.js"
import * as BackgroundRefresh from "./backgroundRefresh.js"
import * as SharedFetch from "./sharedFetch.js"
import * as TokenFetch from "./tokenFetch.js"

/**
 * A fetch in flight, awaited by every caller that needs its token; `background` when the
 * background refresh started it (a reader that joined it and gets a token already past its
 * usable time fetches one of its own, as it would have had it come a moment later).
 */
interface Flight {
  readonly result: Deferred.Deferred<AccessToken.AccessToken, TokenError.TokenError>
  readonly background: boolean
}

/**
 * What the provider holds. `usableUntil` and `served` (the token as a ready effect) are
 * computed when a token is stored, so a warm read is one comparison and allocates nothing.
 * The token is kept after it expires, and after it is refused (then `usableUntil` is
 * `-Infinity`): its refresh token is the next fetch's. `flight` is the fetch in progress, if
 * any. `changed` completes when the next token is stored (the background refresh waits on it).
 */
interface State {
  readonly token: Option.Option<AccessToken.AccessToken>
  readonly served: Effect.Effect<AccessToken.AccessToken>
  readonly usableUntil: number
  readonly flight: Flight | undefined
  readonly changed: Deferred.Deferred<void>
}

/**
 * @internal
 *
 * Why `Effect.cachedWithTTL` (and `cachedInvalidateWithTTL`) is not the state, in Effect 3:
 * its time to live is one duration fixed when the cache is made, counted from the call that
 * starts the computation, not each token's own; the computation runs in that caller's fiber
 * while holding the cache's lock, so a caller that gives up aborts the fetch the others wait
 * for, and every waiter queues on the lock (each release wakes them all: a quadratic
 * stampede); and a failure is cached like a token for the whole time to live, which takes an
 * invalidation choreography to undo. A per-token cached effect (the successor of token T,
 * living as long as T is usable) does not escape the last point: the successor must be
 * fetched once when it arrives but again at once when it fails, which one time to live
 * cannot say. Effect 4's `cachedWithTTL` takes the time to live from the result (`Exit`) and
 * fits; until then a `Deferred` per fetch is the single flight and `State` is the cache.
 */
export const make = (
  source: TokenSource.TokenSource,
  options: Options = {},
  // The one place a token request is made: a shared store's read, lock and write wrap it here.
  plainFetch: TokenFetch.Fetch = TokenFetch.make(source)
): Effect.Effect<Service, never, Scope.Scope> =>
  Effect.gen(function*() {
    const marginOf = options.expiryMargin ?? AccessToken.defaultExpiryMargin
    const usableUntil = (token: AccessToken.AccessToken) => AccessToken.usableUntil(token, marginOf(token.lifetime))
    // A shared store (not the in-process default, which is today's provider as it is) wraps the fetch step only.
    const store = yield* Effect.serviceOption(TokenStore.TokenStore)
    // A public client's tokens (no secret of its own) are shared only under the store's own sealing key.
    const fetch = Option.isSome(store) && store.value.backend !== "memory" && source.sharing !== undefined &&
        (source.sharing.secrets.length > 0 || store.value.sealingKey !== undefined)
      ? SharedFetch.make(plainFetch, { provider: source.name, store: store.value, sharing: source.sharing, usableUntil })
      : plainFetch
    // Whatever schedule the user gives, only transient errors are retried.
    const acquisitionRetry = TokenRetry.transient(options.retry ?? TokenRetry.acquisition)
    const acquisitionTimeout = Duration.decode(options.acquisitionTimeout ?? TokenRetry.defaultAcquisitionTimeout)
    const annotations = { provider: source.name, grant_type: source.grantType }
    const providerLabel = [MetricLabel.make("provider", source.name)]
    // One label set per set the flights start from (Effect caches a metric's counters by the set's identity).
    const labelSets = new WeakMap<ReadonlyArray<MetricLabel.MetricLabel>, ReadonlyArray<MetricLabel.MetricLabel>>()
    const withProviderLabel = (labels: ReadonlyArray<MetricLabel.MetricLabel>) => {
      let withProvider = labelSets.get(labels)
      if (withProvider === undefined) labelSets.set(labels, withProvider = Arr.union(labels, providerLabel))
      return withProvider
    }
    const timedOut = () => new TokenError.TemporarilyUnavailable({ endpoint: source.name, reason: "Timeout" })
    const scope = yield* Effect.scope
    // Read synchronously; TestClock in tests, as for every other read.
    const clock = yield* Effect.clock
    const state = MutableRef.make<State>({
      token: Option.none(),
      served: Effect.dieMessage("no token yet"),
      usableUntil: Number.NEGATIVE_INFINITY,
      flight: undefined,
      changed: yield* Deferred.make<void>()
    })

    /** Ends `flight`: one step stores its token (nothing on failure) and clears it; then its waiters get the outcome. */
    const land = (flight: Flight) => (exit: Exit.Exit<AccessToken.AccessToken, TokenError.TokenError>) =>
      Effect.suspend(() => {
        const current = MutableRef.get(state)
        if (Exit.isFailure(exit)) {
          MutableRef.set(state, { ...current, flight: undefined })
          return Deferred.done(flight.result, exit)
        }
        const token = exit.value
        const next: State = {
          token: Option.some(token),
          served: Effect.succeed(token),
          usableUntil: usableUntil(token),
          flight: undefined,
          changed: Deferred.unsafeMake(FiberId.none)
        }
        MutableRef.set(state, next)
        const now = clock.unsafeCurrentTimeMillis()
        return Deferred.succeed(current.changed, undefined).pipe(
          Effect.zipRight(Metric.set(TokenMetrics.secondsUntilExpiry, Expiry.timeLeft(token.expiresAt, now) / 1000)),
          // Even one past its usable time: each waiter judges it (`awaitUsable`).
          Effect.zipRight(Deferred.succeed(flight.result, token))
        )
      })

    /**
     * How long a fetch may take: a reader's, `acquisitionTimeout`; the background refresh's
     * (which nobody waits on), until the token it replaces expires, and never less. Abandoning
     * a slow refresh early would spend its refresh token for nothing (the next fetch falls back
     * to the original grant).
     */
    const boundOf = (flight: Flight, previous: Option.Option<AccessToken.AccessToken>, now: number): number =>
      flight.background && Option.isSome(previous)
        ? Math.max(Duration.toMillis(acquisitionTimeout), previous.value.expiresAt - now)
        : Duration.toMillis(acquisitionTimeout)

    // A source that ends by the deadline by itself (one built on a token endpoint) needs no timer around it,
    // unless a shared store's steps (read, lock, write) wrap its fetch.
    const endsByDeadline = AcquisitionDeadline.honouredBy.has(source) && fetch === plainFetch

    /** The fetch of `flight`, in the provider's scope: at most its bound (`boundOf`) in total, then `land`. */
    const fly = (
      flight: Flight,
      previous: Option.Option<AccessToken.AccessToken>,
      retry: Schedule.Schedule<unknown, TokenError.TokenError>
    ) =>
      Effect.suspend(() => {
        const now = clock.unsafeCurrentTimeMillis()
        const bound = boundOf(flight, previous, now)
        const fetched = fetch({ previous, retry, deadline: now + bound })
        return endsByDeadline
          // The flight's fiber is its own: the deadline is set for its whole life, with nothing to restore.
          ? Effect.zipRight(FiberRef.set(AcquisitionDeadline.currentDeadline, { at: now + bound, timedOut }), fetched)
          // An attempt still running at the deadline is abandoned (a refresh token it sent counts as spent).
          : Effect.timeoutFail(fetched, { duration: Duration.millis(bound), onTimeout: timedOut })
      }).pipe(
        Effect.tapError((error) =>
          Effect.logDebug(`Token request failed: ${error.message}`).pipe(
            Effect.annotateLogs({ ...annotations, error: error._tag })
          )
        ),
        Effect.withSpan("TokenProvider.acquire", { attributes: annotations, captureStackTrace: false }),
        Effect.interruptible,
        Effect.onExit(land(flight)),
        // The flight is a fiber of its own: its metrics carry the provider tag (`land`'s expiry
        // gauge too) for its whole life, so the label is set once, with nothing to restore.
        (flying) => Effect.zipRight(FiberRef.update(FiberRef.currentMetricLabels, withProviderLabel), flying)
      )

    /**
     * The single flight. In one uninterruptible synchronous step: serve what `serve` finds in
     * the state; else await the fetch in flight; else start one with `retry` and publish it
     * (uninterruptible, so a published flight always starts). Only the await is interruptible.
     */
    const serveOrFetch = (
      serve: (current: State, now: number) => Effect.Effect<AccessToken.AccessToken> | undefined,
      retry: Schedule.Schedule<unknown, TokenError.TokenError>,
      background: boolean
    ): Effect.Effect<AccessToken.AccessToken, TokenError.TokenError> =>
      Effect.flatten(Effect.uninterruptible(Effect.suspend(() => {
        const current = MutableRef.get(state)
        const served = serve(current, clock.unsafeCurrentTimeMillis())
        if (served !== undefined) return Effect.succeed(served)
        const wait = (flight: Flight) => background ? Deferred.await(flight.result) : awaitUsable(flight)
        if (current.flight !== undefined) return Effect.succeed(wait(current.flight))
        const flight: Flight = { result: Deferred.unsafeMake(FiberId.none), background }
        MutableRef.set(state, { ...current, flight })
        return Effect.as(Effect.forkIn(fly(flight, current.token, retry), scope), wait(flight))
      })))

    /**
     * A reader's wait for `flight`: its token while usable. An answer so slow that the token
     * is past its usable time on arrival is no token (it stays stored: its refresh token is the
     * next fetch's): a timeout for the reader's own fetch; after the background refresh's, the
     * reader's own acquisition (it only joined a fetch it would otherwise have made itself).
     * The background's fetch may outlast `acquisitionTimeout`; a reader waits no longer.
     */
    const awaitUsable = (flight: Flight): Effect.Effect<AccessToken.AccessToken, TokenError.TokenError> =>
      Effect.flatMap(
        flight.background
          ? Effect.timeoutFail(Deferred.await(flight.result), { duration: acquisitionTimeout, onTimeout: timedOut })
          : Deferred.await(flight.result),
        (token) =>
        clock.unsafeCurrentTimeMillis() < usableUntil(token)
          ? Effect.succeed(token)
          : flight.background
          ? acquire
          : Effect.fail(timedOut())
      )

    const usable = (current: State, now: number) => now < current.usableUntil ? current.served : undefined
    const acquire = serveOrFetch(usable, acquisitionRetry, false)
    // The warm read: one synchronous comparison, then the ready effect; `acquire` checks again in its step.
    const get: Effect.Effect<AccessToken.AccessToken, TokenError.TokenError> = Effect.suspend(() => {
      const current = MutableRef.get(state)
      return clock.unsafeCurrentTimeMillis() < current.usableUntil ? current.served : acquire
    })

    /** The background refresh's way to a new token: one attempt, unless a reader replaced `token` already or is fetching. */
    const renew = (token: AccessToken.AccessToken) =>
      serveOrFetch(
        (current) => Option.isSome(current.token) && current.token.value !== token ? current.served : undefined,
        Schedule.stop,
        true
      )

    /**
     * Marks the current token unusable when it is `rejected`, then runs `marked`; one step, so
     * many reports mark it once.
     */
    const markUnusable = (rejected: (current: AccessToken.AccessToken) => boolean, marked: Effect.Effect<void>): Effect.Effect<void> =>
      Effect.suspend(() => {
        const current = MutableRef.get(state)
        if (
          Option.isNone(current.token) || !rejected(current.token.value) ||
          current.usableUntil === Number.NEGATIVE_INFINITY
        ) return Effect.void
        MutableRef.set(state, { ...current, usableUntil: Number.NEGATIVE_INFINITY })
        return marked
      })

    const invalidate = (rejected: AccessToken.AccessToken) =>
      markUnusable(
        (current) => AccessToken.sameValue(current, rejected),
        Effect.logDebug("A resource server refused the token; it will be replaced")
      )
    // Asked for, not refused: nothing to report.
    const refresh = Effect.zipRight(markUnusable(() => true, Effect.void), get)

    const revoke = source.revoke
    if (options.revokeOnClose === true && revoke !== undefined) {
      // Added before the refresh fiber is forked, so it runs after that fiber is interrupted.
      yield* Effect.addFinalizer(() =>
        Effect.suspend(() =>
          Option.match(MutableRef.get(state).token, {
            onNone: () => Effect.void,
            onSome: (token) =>
              revoke(token).pipe(
                Effect.tap(() => Effect.logDebug("Token revoked")),
                Effect.catchAll((error) => Effect.logWarning(`Token revocation failed: ${error.message}`)),
                Effect.annotateLogs(annotations)
              )
          })
        )
      )
    }

    if (options.backgroundRefresh !== false) {
      yield* Effect.forkScoped(
        BackgroundRefresh.run({
          current: Effect.sync(() => MutableRef.get(state)),
          renew,
          usableUntil,
          at: options.backgroundRefresh?.at,
          jitter: options.backgroundRefresh?.jitter,
          backoff: options.backgroundRefresh?.backoff ?? TokenRetry.backgroundRefresh
        }).pipe(Effect.annotateLogs(annotations), Effect.tagMetrics("provider", source.name), Effect.interruptible)
      )
    }

    return { name: source.name, get, invalidate, refresh } satisfies Service
  })
