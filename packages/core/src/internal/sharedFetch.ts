/**
 * The token provider's fetch step over a shared `TokenStore`: many processes, one token
 * request per lifetime. It wraps the plain fetch step (`tokenFetch.ts`), which stays the only
 * place a token request is made; the provider's state and single flight are untouched, so the
 * warm read never reaches the store: only a miss and a due refresh do.
 *
 * The protocol (issue 12, item 3), on each fetch the provider's single flight starts:
 * 1. read the entry and open it; a token newer than the one being replaced and usable on the
 *    store's clock is served (a hit), no request made;
 * 2. else take the entry's lock (its lifetime outlives the fetch's deadline), read again,
 *    and when still needed: if the newest token holds a live refresh token, first write it
 *    back without that refresh token (generation + 1: the refresh token is spent in the store
 *    before it is sent, so a process that takes over after this one died never sends it
 *    again), fetch with the newest token as `previous`, write the new token (generation + 1),
 *    release the lock;
 * 3. when another process holds the lock, wait for its write (`awaitChange`), bounded, and
 *    start again at 1; an expired lock is taken over at 2.
 * 4. when the holder's request fails transiently, it writes a short-lived failure marker (the
 *    entry's generation, the error; 1 s or the server's `Retry-After`) before releasing: any
 *    process that finds no token at that generation fails alike, its `retryAfter` the marker's
 *    remaining life, instead of asking the endpoint itself, so an outage costs one request
 *    per attempt across processes, not one per process.
 *
 * A value that does not open (tampered with, or sealed under another key) is a miss, counted
 * (`unusable`) and warned of once per fetch, however often the fetch reads it.
 *
 * A token that is in the store is handed to the provider without its refresh token: the store's
 * copy is the only one any process refreshes with, so a refresh token another process spent can
 * never be sent again from a process's memory (after a store outage or a Redis restart, the
 * original grant is sent instead). Only a token this process could not write keeps it.
 *
 * The store failing is never the caller's failure: any `TokenStoreError` (or an operation slower
 * than `operationTimeout`) falls back to the plain fetch, with one warning per outage and a
 * `fallback` count; the next fetch tries the store again. A failure after the token was fetched
 * only loses the sharing of that token. Times cross machines as the store's clock: a stored
 * token's instants are on it, converted with the offset measured at each read. The record
 * shapes, checks, sealing and bounds are the kernel's `SharedToken`, shared with the Effect 4 line.
 */
import * as SharedToken from "@effect-bearer/kernel/SharedToken"
import { Clock, Duration, Effect, MutableRef, Option, Redacted } from "effect"
import * as AccessToken from "../AccessToken.js"
import * as TokenError from "../TokenError.js"
import * as TokenMetrics from "../TokenMetrics.js"
import type * as TokenSource from "../TokenSource.js"
import * as TokenStore from "../TokenStore.js"
import * as Stored from "./sharedToken.js"
import type * as TokenFetch from "./tokenFetch.js"

/** What the shared fetch needs besides the store and the plain fetch. */
export interface Options {
  /** The provider's name, on the logs and spans (the metrics get it from the provider). */
  readonly provider: string
  readonly store: TokenStore.Service
  readonly sharing: TokenSource.Sharing
  /** Until when a token may be handed out (the provider's margin), on the clock of its instants. */
  readonly usableUntil: (token: AccessToken.AccessToken) => number
  /** The bound on one store operation (default 2 s); a slower store is a failing one. */
  readonly operationTimeout?: Duration.DurationInput | undefined
}

/** `token` as the provider holds it once the store has it: the store keeps the refresh token. */
const withoutRefreshToken = (token: AccessToken.AccessToken): AccessToken.AccessToken =>
  Option.isNone(token.refreshToken) ? token : new AccessToken.AccessToken({ ...token, refreshToken: Option.none() })

/** The plain `fetch` made shared through `options.store`. */
export const make = (fetch: TokenFetch.Fetch, options: Options): TokenFetch.Fetch => {
  const { store } = options
  const operationTimeout = Duration.decode(options.operationTimeout ?? "2 seconds")
  // One warning per outage: set on the first failure, cleared by the next success.
  const down = MutableRef.make(false)
  const record = (event: TokenMetrics.StoreEvent) => TokenMetrics.recordStoreEvent(store.backend, event)

  // Derived once, on the first fetch.
  let derived: Promise<SharedToken.Keys> | undefined
  const keys = Effect.tryPromise({
    try: () =>
      derived ??= SharedToken.deriveKeys(
        options.sharing.identity,
        options.sharing.secrets.map(Redacted.value),
        store.sealingKey === undefined ? undefined : Redacted.value(store.sealingKey)
      ),
    catch: () => failure("deriveKey", "Unavailable", "no sealing key could be derived")
  })

  const failure = (operation: string, reason: "Unavailable" | "Timeout" | "Corrupt", detail: string) =>
    new TokenStore.TokenStoreError({ reason, backend: store.backend, operation, detail })

  /** One store operation, bounded; a success ends an outage. */
  const bounded = <A>(operation: string, effect: Effect.Effect<A, TokenStore.TokenStoreError>, extra = 0) =>
    effect.pipe(
      Effect.timeoutFail({
        duration: Duration.sum(operationTimeout, Duration.millis(extra)),
        onTimeout: () => failure(operation, "Timeout", `no answer within ${Duration.format(operationTimeout)}`)
      }),
      Effect.tap(() =>
        MutableRef.get(down)
          ? Effect.zipRight(
            Effect.sync(() => MutableRef.set(down, false)),
            Effect.logInfo(`The ${store.backend} token store answers again; tokens are shared again`)
          )
          : Effect.void
      )
    )

  /**
   * The entry at the key, opened. A value that does not open is a miss (`unusable`: its raw
   * text), counted and warned of once per fetch: not when it is the value the fetch's previous
   * read already reported (`reported`, that read's `unusable`).
   */
  const read = (keys: SharedToken.Keys, read: TokenStore.Read, reported: string | undefined) =>
    Effect.gen(function*() {
      const offset = read.now - (yield* Clock.currentTimeMillis)
      if (Option.isNone(read.entry)) {
        return { token: Option.none<AccessToken.AccessToken>(), generation: 0, offset, unusable: undefined }
      }
      const entry = read.entry.value
      const token = yield* Stored.open(keys.sealingKey, entry.value, offset)
      if (Option.isSome(token)) return { token, generation: entry.generation, offset, unusable: undefined }
      if (entry.value !== reported) {
        yield* record("unusable")
        yield* Effect.logWarning(
          `The ${store.backend} token store holds a value that does not open with these credentials (tampered with, or another client's); it is replaced`
        )
      }
      return { token, generation: entry.generation, offset, unusable: entry.value }
    })

  /** A stored token the caller may take instead of fetching: newer than `previous` and usable now. */
  const acceptable = (
    token: Option.Option<AccessToken.AccessToken>,
    previous: Option.Option<AccessToken.AccessToken>,
    now: number
  ): Option.Option<AccessToken.AccessToken> =>
    Option.filter(token, (stored) =>
      now < options.usableUntil(stored) &&
      !Option.exists(previous, (replaced) => AccessToken.sameValue(replaced, stored)))

  const write = (keys: SharedToken.Keys, token: AccessToken.AccessToken, generation: number, offset: number) =>
    Effect.gen(function*() {
      const value = yield* Stored.seal(keys.sealingKey, token, offset, store.backend)
      const refresh = Option.getOrUndefined(token.refreshToken)
      const keepUntil = SharedToken.keepUntil(
        token.expiresAt,
        refresh === undefined ? undefined : { expiresAt: Option.getOrUndefined(refresh.expiresAt) }
      )
      return yield* bounded("compareAndSet", store.compareAndSet(keys.storeKey, { value, generation, expiresAt: keepUntil + offset }))
    })

  /**
   * The lock holder's failure at `generation`, when a fresh marker says its fetch failed
   * transiently: the caller fails alike (its retry waits for the marker to expire) instead
   * of asking the endpoint again.
   */
  const recentFailure = (keys: SharedToken.Keys, generation: number) =>
    Effect.flatMap(bounded("get", store.get(SharedToken.failureKey(keys.storeKey))), (marker) =>
      Option.match(marker.entry, {
        onNone: () => Effect.succeed(Option.none<TokenError.TemporarilyUnavailable>()),
        onSome: (entry) => Stored.openFailure(keys.sealingKey, entry.value, generation, entry.expiresAt - marker.now)
      }))

  /** Fails with the shared failure at `generation`, if there is one. */
  const failIfFailedRecently = (keys: SharedToken.Keys, generation: number) =>
    Effect.flatMap(recentFailure(keys, generation), (failure) =>
      Option.isSome(failure) ? Effect.zipRight(record("sharedFailure"), Effect.fail(failure.value)) : Effect.void)

  /** Tells the other processes that the fetch at `generation` failed transiently (for `failureHold`, or the server's `Retry-After`). */
  const shareFailure = (keys: SharedToken.Keys, error: TokenError.TokenError, generation: number, offset: number) =>
    TokenError.isRetryable(error)
      ? Effect.gen(function*() {
        const value = yield* Stored.sealFailure(keys.sealingKey, error, generation, store.backend)
        const storeNow = (yield* Clock.currentTimeMillis) + offset
        const hold = SharedToken.failureHold(error.retryAfter === undefined ? undefined : Duration.toMillis(error.retryAfter))
        // The store's clock in milliseconds orders the markers: a later one always replaces an earlier one.
        yield* bounded(
          "compareAndSet",
          store.compareAndSet(SharedToken.failureKey(keys.storeKey), { value, generation: storeNow, expiresAt: storeNow + hold })
        )
      }).pipe(Effect.ignore)
      : Effect.void

  /**
   * The fetch under the lock: spend the refresh token in the store, fetch, write, release.
   * `reported`: the value that does not open the read before the lock reported.
   */
  const fetchLocked = (
    keys: SharedToken.Keys,
    lock: TokenStore.Lock,
    request: TokenFetch.Request,
    reported: string | undefined
  ): Effect.Effect<Option.Option<AccessToken.AccessToken>, TokenError.TokenError | TokenStore.TokenStoreError> =>
    Effect.gen(function*() {
      if (lock.tookOver) yield* record("takeover")
      const again = yield* read(keys, yield* bounded("get", store.get(keys.storeKey)), reported)
      const now = yield* Clock.currentTimeMillis
      const found = acceptable(again.token, request.previous, now)
      if (Option.isSome(found)) return Option.map(found, withoutRefreshToken)
      yield* failIfFailedRecently(keys, again.generation)
      // The newest token known: the store's, unless this process holds a newer one.
      const stored = again.token
      const previous = Option.isSome(stored) && !Option.exists(request.previous, (mine) => mine.issuedAt > stored.value.issuedAt)
        ? stored
        : request.previous
      let generation = again.generation
      const refresh = Option.flatMap(previous, (token) => AccessToken.refreshTokenAt(token, now))
      if (Option.isSome(refresh) && Option.isSome(previous)) {
        const spent = new AccessToken.AccessToken({ ...previous.value, refreshToken: Option.none() })
        const result = yield* write(keys, spent, generation + 1, again.offset)
        // Our lock expired and another process wrote: start over from its entry.
        if (result._tag === "Stale") return Option.none()
        generation += 1
      }
      const token = yield* fetch({ ...request, previous }).pipe(
        Effect.tapError((error) => shareFailure(keys, error, generation, again.offset))
      )
      return yield* write(keys, token, generation + 1, again.offset).pipe(
        Effect.flatMap((result) =>
          result._tag === "Stale" ? Effect.as(record("stale"), Option.some(token)) : Effect.succeed(Option.some(withoutRefreshToken(token)))
        ),
        // The token is fetched: a store failing now only loses its sharing (and keeps its refresh token here).
        Effect.catchAll((error) => Effect.as(fallback(error), Option.some(token)))
      )
    }).pipe(
      Effect.ensuring(Effect.ignore(bounded("releaseLock", store.releaseLock(lock)))),
      Effect.withSpan("TokenStore.fetchLocked", { attributes: { backend: store.backend }, captureStackTrace: false })
    )

  const shared = (request: TokenFetch.Request) =>
    Effect.gen(function*() {
      const theKeys = yield* keys
      yield* record("read")
      let current = yield* read(theKeys, yield* bounded("get", store.get(theKeys.storeKey)), undefined)
      while (true) {
        const now = yield* Clock.currentTimeMillis
        const found = acceptable(current.token, request.previous, now)
        if (Option.isSome(found)) {
          yield* record("hit")
          return withoutRefreshToken(found.value)
        }
        if (now >= request.deadline) {
          return yield* Effect.fail(failure("awaitChange", "Timeout", "no token from the lock holder before the deadline"))
        }
        const lockTimeToLive = SharedToken.lockTimeToLive(
          request.deadline,
          now,
          store.lockTimeToLive === undefined ? undefined : Duration.toMillis(store.lockTimeToLive)
        )
        yield* failIfFailedRecently(theKeys, current.generation)
        const lock = yield* bounded("acquireLock", store.acquireLock(theKeys.storeKey, Duration.millis(lockTimeToLive)))
        if (Option.isSome(lock)) {
          yield* record("miss")
          const fetched = yield* fetchLocked(theKeys, lock.value, request, current.unusable)
          if (Option.isSome(fetched)) return fetched.value
        } else {
          yield* record("lockWait")
          const wait = SharedToken.waitForHolder(request.deadline, now)
          yield* bounded("awaitChange", store.awaitChange(theKeys.storeKey, current.generation, Duration.millis(wait)), wait).pipe(
            Effect.withSpan("TokenStore.awaitChange", { attributes: { backend: store.backend }, captureStackTrace: false })
          )
        }
        current = yield* read(theKeys, yield* bounded("get", store.get(theKeys.storeKey)), current.unusable)
      }
    })

  /** Counts the fallback, warns once per outage. */
  const fallback = (error: TokenStore.TokenStoreError) =>
    Effect.gen(function*() {
      yield* record("fallback")
      if (!MutableRef.get(down)) {
        MutableRef.set(down, true)
        yield* Effect.logWarning(error.message).pipe(Effect.annotateLogs({ backend: store.backend, reason: error.reason }))
      }
    })

  return (request) =>
    shared(request).pipe(
      Effect.catchIf(TokenStore.isTokenStoreError, (error) => Effect.zipRight(fallback(error), fetch(request))),
      Effect.annotateLogs({ provider: options.provider, backend: store.backend }),
      Effect.withSpan("TokenStore.shared", { attributes: { provider: options.provider, backend: store.backend }, captureStackTrace: false })
    )
}
