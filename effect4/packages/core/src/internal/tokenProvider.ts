/**
 * The token provider on Effect 4: `Effect.cachedInvalidateWithTTL` is the cache and the single
 * flight, as the design card asks. Why it now fits (it did not on Effect 3): its time to live
 * is computed from each `Exit` when the computation ends (a token's usable time left, 0 for a
 * failure, so failures never stick); its pending computation runs in a fiber of its own that
 * every caller joins, interrupted only when every waiter has left, so a caller giving up stops
 * only its own wait while others wait (a lone caller's giving up abandons the request: a
 * refresh token it sent counts as spent) and a cold stampede is one request with no lock
 * queue; and a cached result is read without a lock. What stays ours is small:
 *
 * - `held`: the newest token, its usable time and ready effect, read first by `get`, so that
 *   while the background refresh's fetch is in flight (the cache then has no result) readers
 *   keep getting the current token; a refused token (`invalidate`) is marked unusable here.
 * - which fetch the cache runs: a reader's (the acquisition retry, `acquisitionTimeout`) or
 *   the background's (one attempt, bounded by the current token's expiry: abandoning it early
 *   would spend its refresh token for nothing); and the cache is invalidated only when no
 *   fetch is in flight, so two fetches never run at once.
 *
 * Invariants: a token is handed out only while `now < usableUntil` (`get`, and the cache's own
 * result, checked once when its fetch lands rather than in each reader); one fetch at a time,
 * one per lifetime; failures never stick (TTL 0); a refresh token is sent once (each fetch gets
 * the newest token as `previous`; the source spends it); every fetch ends within its bound.
 */
import { Clock, Deferred, Duration, Effect, Exit, Metric, MutableRef, Option, Schedule } from "effect"
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

/** The newest token, until when it is served, the ready effect serving it, and the signal of the next one. */
interface Held {
  readonly token: Option.Option<AccessToken.AccessToken>
  readonly usableUntil: number
  readonly served: Effect.Effect<AccessToken.AccessToken>
  readonly changed: Deferred.Deferred<void>
}

/** The fetch in flight: whether the background refresh started it. */
interface Flight {
  readonly background: boolean
}

/** @internal */
export const make = (
  source: TokenSource.TokenSource,
  options: Options = {},
  plainFetch: TokenFetch.Fetch = TokenFetch.make(source)
): Effect.Effect<Service, never, Scope.Scope> =>
  Effect.gen(function*() {
    const marginOf = options.expiryMargin ?? AccessToken.defaultExpiryMargin
    const usableUntil = (token: AccessToken.AccessToken) => AccessToken.usableUntil(token, marginOf(token.lifetime))
    const store = yield* Effect.serviceOption(TokenStore.TokenStore)
    const fetch = Option.isSome(store) && store.value.backend !== "memory" && source.sharing !== undefined &&
        (source.sharing.secrets.length > 0 || store.value.sealingKey !== undefined)
      ? SharedFetch.make(plainFetch, { provider: source.name, store: store.value, sharing: source.sharing, usableUntil })
      : plainFetch
    // A fetch whose only waits are the endpoint's exchanges is bounded through them; any other by a timeout around it.
    const boundsItsExchanges = fetch === plainFetch && AcquisitionDeadline.honouredBy.has(source)
    const acquisitionRetry = TokenRetry.transient(options.retry ?? TokenRetry.acquisition)
    const acquisitionTimeout = Duration.fromInputUnsafe(options.acquisitionTimeout ?? TokenRetry.defaultAcquisitionTimeout)
    const annotations = { provider: source.name, grant_type: source.grantType }
    const timedOut = () => new TokenError.TemporarilyUnavailable({ endpoint: source.name, reason: "Timeout" })
    const clock = yield* Clock.Clock
    const now = () => clock.currentTimeMillisUnsafe()

    const held = MutableRef.make<Held>({
      token: Option.none(),
      usableUntil: Number.NEGATIVE_INFINITY,
      served: Effect.die("no token yet"),
      changed: Deferred.makeUnsafe<void>()
    })
    let flight: Flight | undefined
    let nextIsBackground = false
    /** The failure a fetch lands with when its token is already past its usable time, to that token. */
    const lateTokens = new WeakMap<TokenError.TokenError, AccessToken.AccessToken>()
    /** A landed token, served only while usable: checked once per fetch, not once per reader. */
    const usableOnLanding = (token: AccessToken.AccessToken): Effect.Effect<AccessToken.AccessToken, TokenError.TokenError> => {
      if (now() < usableUntil(token)) return Effect.succeed(token)
      const late = timedOut()
      lateTokens.set(late, token)
      return Effect.fail(late)
    }
    const isLate = (error: TokenError.TokenError) => lateTokens.has(error)

    const keep = (token: AccessToken.AccessToken) =>
      Effect.suspend(() => {
        const before = MutableRef.get(held)
        MutableRef.set(held, { token: Option.some(token), usableUntil: usableUntil(token), served: Effect.succeed(token), changed: Deferred.makeUnsafe<void>() })
        return Effect.andThen(
          Metric.update(TokenMetrics.secondsUntilExpiry, Math.max(0, token.expiresAt - now()) / 1000),
          Deferred.succeed(before.changed, undefined)
        )
      })

    // What every fetch is wrapped in, built once per provider rather than per fetch.
    const withProviderMetrics = TokenMetrics.withProvider(source.name)
    const logFailure = <A>(fetched: Effect.Effect<A, TokenError.TokenError>) =>
      Effect.tapError(fetched, (error) =>
        Effect.logDebug(`Token request failed: ${error.message}`).pipe(Effect.annotateLogs({ ...annotations, error: error._tag })))
    const acquireSpan = Effect.withSpan("TokenProvider.acquire", { attributes: annotations })
    const storeAndCheck = (fetched: Effect.Effect<AccessToken.AccessToken, TokenError.TokenError>) =>
      Effect.flatMap(Effect.tap(fetched, keep), usableOnLanding)
    const oneAttempt = Schedule.recurs(0)

    /** The one fetch the cache runs: a reader's or the background's, bounded, storing its token. */
    const fetchOnce = Effect.suspend(() => {
      const current: Flight = { background: nextIsBackground }
      nextIsBackground = false
      flight = current
      const previous = MutableRef.get(held).token
      const started = now()
      const bound = current.background && Option.isSome(previous)
        ? Math.max(Duration.toMillis(acquisitionTimeout), previous.value.expiresAt - started)
        : Duration.toMillis(acquisitionTimeout)
      const retry = current.background ? oneAttempt : acquisitionRetry
      const deadline = started + bound
      return fetch({ previous, retry, deadline }).pipe(
        (fetched) =>
          boundsItsExchanges
            ? Effect.provideService(fetched, AcquisitionDeadline.AcquisitionDeadline, { at: deadline, timedOut })
            : Effect.timeoutOrElse(fetched, { duration: Duration.millis(bound), orElse: () => Effect.fail(timedOut()) }),
        logFailure,
        acquireSpan,
        storeAndCheck,
        Effect.ensuring(Effect.sync(() => {
          if (flight === current) flight = undefined
        })),
        withProviderMetrics
      )
    })

    const [cached, invalidateCache] = yield* Effect.cachedInvalidateWithTTL(
      fetchOnce,
      (exit: Exit.Exit<AccessToken.AccessToken, TokenError.TokenError>) =>
        Exit.isSuccess(exit) ? Math.max(0, usableUntil(exit.value) - now()) : 0
    )

    /**
     * A reader's token when none is usable: the cache's, checked for its usable time when the fetch
     * landed (a reader's own fetch landing late is a timeout). A reader that joins the background's
     * fetch waits `acquisitionTimeout` at most (that fetch may run longer), and when its token
     * lands late, fetches its own: it only joined a fetch it would have made.
     */
    const invalidateIfIdle = Effect.suspend(() => flight === undefined ? invalidateCache : Effect.void)
    const joinBackground = Effect.timeoutOrElse(cached, { duration: acquisitionTimeout, orElse: () => Effect.fail(timedOut()) }).pipe(
      Effect.catchIf(isLate, () => Effect.andThen(invalidateIfIdle, cached))
    )

    // The warm read: one synchronous comparison and the ready effect; no lock, no allocation.
    // A cold one reads the cache itself, whose single flight every reader joins.
    const get: Effect.Effect<AccessToken.AccessToken, TokenError.TokenError> = Effect.suspend(() => {
      const current = MutableRef.get(held)
      if (now() < current.usableUntil) return current.served
      return flight?.background === true ? joinBackground : cached
    })

    /** Marks the held token refused when `rejected` says so; many reports of one token refuse it once. */
    const refuse = (rejected: (token: AccessToken.AccessToken) => boolean) =>
      Effect.suspend(() => {
        const current = MutableRef.get(held)
        if (Option.isNone(current.token) || !rejected(current.token.value) || current.usableUntil === Number.NEGATIVE_INFINITY) {
          return Effect.void
        }
        MutableRef.set(held, { ...current, usableUntil: Number.NEGATIVE_INFINITY })
        return Effect.andThen(invalidateIfIdle, Effect.logDebug("A resource server refused the token; it will be replaced"))
      })

    const invalidate = (rejected: AccessToken.AccessToken) => refuse((current) => AccessToken.sameValue(current, rejected))
    const refresh = Effect.andThen(refuse(() => true), get)

    /** The background's next token: join a fetch in flight, take a token a reader fetched, or start one attempt. */
    const renew = (token: AccessToken.AccessToken) =>
      Effect.suspend(() => {
        const current = MutableRef.get(held)
        if (flight === undefined && Option.isSome(current.token) && current.token.value !== token) return current.served
        const next = flight !== undefined ? cached : Effect.andThen(
          Effect.andThen(invalidateCache, Effect.sync(() => {
            nextIsBackground = flight === undefined
          })),
          cached
        )
        // A token landing late is still the next one: the loop decides what to do with it.
        return Effect.catchIf(next, isLate, (late) => Effect.succeed(lateTokens.get(late)!))
      })

    const revoke = source.revoke
    if (options.revokeOnClose === true && revoke !== undefined) {
      // Added before the refresh fiber is forked, so it runs after that fiber is interrupted.
      yield* Effect.addFinalizer(() =>
        Option.match(MutableRef.get(held).token, {
          onNone: () => Effect.void,
          onSome: (token) =>
            revoke(token).pipe(
              Effect.tap(() => Effect.logDebug("Token revoked")),
              Effect.catch((error) => Effect.logWarning(`Token revocation failed: ${error.message}`)),
              Effect.annotateLogs(annotations)
            )
        })
      )
    }

    if (options.backgroundRefresh !== false) {
      yield* Effect.forkScoped(
        BackgroundRefresh.run({
          current: Effect.sync(() => MutableRef.get(held)),
          renew,
          usableUntil,
          at: options.backgroundRefresh?.at,
          jitter: options.backgroundRefresh?.jitter,
          backoff: options.backgroundRefresh?.backoff ?? TokenRetry.backgroundRefresh
        }).pipe(Effect.annotateLogs(annotations), withProviderMetrics, Effect.interruptible)
      )
    }

    return { name: source.name, get, invalidate, refresh } satisfies Service
  })
