/**
 * The provider's fetch step over a shared `TokenStore` (Effect 4): many processes, one token
 * request per lifetime. It wraps the plain fetch step; the provider's cache is untouched, so
 * the warm read never reaches the store. The protocol, as on the Effect 3 line:
 * 1. read and open the entry: a token newer than the one replaced and usable is a hit;
 * 2. else take the lock, read again; if the newest token has a live refresh token, write it
 *    back without it first (spent in the store before it is sent), fetch, write the next
 *    generation, release;
 * 3. when another process holds the lock, wait for its write (bounded) and start again;
 * 4. a holder whose fetch failed transiently leaves a short-lived failure marker: the others
 *    fail alike instead of each asking the endpoint.
 * A value that does not open is a miss, counted (`unusable`) and warned of once per fetch.
 * A token from the store is handed over without its refresh token (only the store's copy is
 * ever refreshed from). A failing store is never the caller's failure: the plain fetch runs
 * instead, with one warning per outage and a `fallback` count. Bounds and record shapes are
 * the kernel's `SharedToken`; instants cross machines as the store's clock.
 */
import * as SharedToken from "@effect-bearer/kernel/SharedToken"
import { Clock, Duration, Effect, Option, Redacted } from "effect"
import * as AccessToken from "../AccessToken.js"
import * as TokenError from "../TokenError.js"
import * as TokenMetrics from "../TokenMetrics.js"
import type * as TokenSource from "../TokenSource.js"
import * as TokenStore from "../TokenStore.js"
import * as Stored from "./sharedToken.js"
import type * as TokenFetch from "./tokenFetch.js"

/** What the shared fetch needs besides the store and the plain fetch. */
export interface Options {
  readonly provider: string
  readonly store: TokenStore.Service
  readonly sharing: TokenSource.Sharing
  /** Until when a token may be handed out (the provider's margin). */
  readonly usableUntil: (token: AccessToken.AccessToken) => number
  /** The bound on one store operation (default 2 s). */
  readonly operationTimeout?: Duration.Input | undefined
}

const withoutRefreshToken = (token: AccessToken.AccessToken): AccessToken.AccessToken =>
  Option.isNone(token.refreshToken) ? token : new AccessToken.AccessToken({ ...token, refreshToken: Option.none() })

interface Opened {
  readonly token: Option.Option<AccessToken.AccessToken>
  readonly generation: number
  /** The store's clock minus the local clock at the read. */
  readonly offset: number
  /** The raw value, when it does not open. */
  readonly unusable: string | undefined
}

/** The plain `fetch` made shared through `options.store`. */
export const make = (fetch: TokenFetch.Fetch, options: Options): TokenFetch.Fetch => {
  const { store } = options
  const operationTimeout = Duration.fromInputUnsafe(options.operationTimeout ?? "2 seconds")
  let down = false
  const record = (event: TokenMetrics.StoreEvent) => TokenMetrics.recordStoreEvent(store.backend, event)
  const failure = (operation: string, reason: "Unavailable" | "Timeout" | "Corrupt", detail: string) =>
    new TokenStore.TokenStoreError({ reason, backend: store.backend, operation, detail })

  let derived: Promise<Stored.Keys> | undefined
  const keys = Effect.tryPromise({
    try: () =>
      derived ??= SharedToken.deriveKeys(
        options.sharing.identity,
        options.sharing.secrets.map(Redacted.value),
        store.sealingKey === undefined ? undefined : Redacted.value(store.sealingKey)
      ),
    catch: () => failure("deriveKey", "Unavailable", "no sealing key could be derived")
  })

  /** One store operation, bounded; a success ends an outage. */
  const bounded = <A>(operation: string, effect: Effect.Effect<A, TokenStore.TokenStoreError>, extra = 0) =>
    effect.pipe(
      Effect.timeoutOrElse({
        duration: Duration.sum(operationTimeout, Duration.millis(extra)),
        orElse: () => Effect.fail(failure(operation, "Timeout", `no answer within ${Duration.format(operationTimeout)}`))
      }),
      Effect.tap(() => {
        if (!down) return Effect.void
        down = false
        return Effect.logInfo(`The ${store.backend} token store answers again; tokens are shared again`)
      })
    )

  /**
   * The entry, opened. A value that does not open is a miss, counted and warned of once per
   * fetch: not when it is the value the fetch's previous read already reported (`reported`).
   */
  const readEntry = (theKeys: Stored.Keys, reported: string | undefined) =>
    Effect.gen(function*() {
      const read = yield* bounded("get", store.get(theKeys.storeKey))
      const offset = read.now - (yield* Clock.currentTimeMillis)
      if (Option.isNone(read.entry)) return { token: Option.none(), generation: 0, offset, unusable: undefined } satisfies Opened
      const { generation, value } = read.entry.value
      const token = yield* Stored.open(theKeys.sealingKey, value, offset)
      if (Option.isSome(token)) return { token, generation, offset, unusable: undefined } satisfies Opened
      if (value !== reported) {
        yield* record("unusable")
        yield* Effect.logWarning(
          `The ${store.backend} token store holds a value that does not open with these credentials (tampered with, or another client's); it is replaced`
        )
      }
      return { token, generation, offset, unusable: value } satisfies Opened
    })

  /** A stored token newer than `previous` and usable now. */
  const acceptable = (opened: Opened, previous: Option.Option<AccessToken.AccessToken>, now: number) =>
    Option.filter(opened.token, (stored) =>
      now < options.usableUntil(stored) && !Option.exists(previous, (replaced) => AccessToken.sameValue(replaced, stored)))

  const write = (theKeys: Stored.Keys, token: AccessToken.AccessToken, generation: number, offset: number) =>
    Effect.flatMap(Stored.seal(theKeys.sealingKey, token, offset, store.backend), (value) => {
      const refresh = Option.getOrUndefined(token.refreshToken)
      const keepUntil = SharedToken.keepUntil(
        token.expiresAt,
        refresh === undefined ? undefined : { expiresAt: Option.getOrUndefined(refresh.expiresAt) }
      )
      return bounded("compareAndSet", store.compareAndSet(theKeys.storeKey, { value, generation, expiresAt: keepUntil + offset }))
    })

  /** Fails like the lock holder when a fresh marker at `generation` says its fetch failed transiently. */
  const failIfFailedRecently = (theKeys: Stored.Keys, generation: number) =>
    Effect.gen(function*() {
      const marker = yield* bounded("get", store.get(SharedToken.failureKey(theKeys.storeKey)))
      if (Option.isNone(marker.entry)) return
      const shared = yield* Stored.openFailure(theKeys.sealingKey, marker.entry.value.value, generation, marker.entry.value.expiresAt - marker.now)
      if (Option.isSome(shared)) {
        yield* record("sharedFailure")
        return yield* Effect.fail(shared.value)
      }
    })

  const shareFailure = (theKeys: Stored.Keys, error: TokenError.TokenError, generation: number, offset: number) =>
    TokenError.isRetryable(error)
      ? Effect.gen(function*() {
        const value = yield* Stored.sealFailure(theKeys.sealingKey, error, generation, store.backend)
        const storeNow = (yield* Clock.currentTimeMillis) + offset
        const hold = SharedToken.failureHold(error.retryAfter === undefined ? undefined : Duration.toMillis(error.retryAfter))
        // The store's clock orders the markers: a later one always replaces an earlier one.
        yield* bounded(
          "compareAndSet",
          store.compareAndSet(SharedToken.failureKey(theKeys.storeKey), { value, generation: storeNow, expiresAt: storeNow + hold })
        )
      }).pipe(Effect.ignore)
      : Effect.void

  /**
   * Under the lock: read again (`reported`: what the read before the lock reported), spend the
   * refresh token in the store, fetch, write; released whatever happens.
   */
  const fetchLocked = (theKeys: Stored.Keys, lock: TokenStore.Lock, request: TokenFetch.Request, reported: string | undefined) =>
    Effect.gen(function*() {
      if (lock.tookOver) yield* record("takeover")
      const again = yield* readEntry(theKeys, reported)
      const now = yield* Clock.currentTimeMillis
      const found = acceptable(again, request.previous, now)
      // Another process wrote between the read and the lock: a hit after all.
      if (Option.isSome(found)) return yield* Effect.as(record("hit"), Option.some(withoutRefreshToken(found.value)))
      yield* failIfFailedRecently(theKeys, again.generation)
      yield* record("miss")
      const stored = again.token
      const previous = Option.isSome(stored) && !Option.exists(request.previous, (mine) => mine.issuedAt > stored.value.issuedAt)
        ? stored
        : request.previous
      let generation = again.generation
      if (Option.isSome(previous) && Option.isSome(AccessToken.refreshTokenAt(previous.value, now))) {
        const spent = new AccessToken.AccessToken({ ...previous.value, refreshToken: Option.none() })
        const result = yield* write(theKeys, spent, generation + 1, again.offset)
        // Our lock expired and another process wrote: start over from its entry.
        if (result._tag === "Stale") return Option.none<AccessToken.AccessToken>()
        generation += 1
      }
      const token = yield* fetch({ ...request, previous }).pipe(Effect.tapError((error) => shareFailure(theKeys, error, generation, again.offset)))
      return yield* write(theKeys, token, generation + 1, again.offset).pipe(
        Effect.flatMap((result) =>
          result._tag === "Stale" ? Effect.as(record("stale"), Option.some(token)) : Effect.succeed(Option.some(withoutRefreshToken(token)))
        ),
        // Fetched: a store failing now only loses the sharing (and this process keeps the refresh token).
        Effect.catchTag("TokenStoreError", (error) => Effect.as(fallback(error), Option.some(token)))
      )
    }).pipe(
      Effect.ensuring(Effect.ignore(bounded("releaseLock", store.releaseLock(lock)))),
      Effect.withSpan("TokenStore.fetchLocked", { attributes: { backend: store.backend } })
    )

  const shared = (request: TokenFetch.Request) =>
    Effect.gen(function*() {
      const theKeys = yield* keys
      yield* record("read")
      let current = yield* readEntry(theKeys, undefined)
      while (true) {
        const now = yield* Clock.currentTimeMillis
        const found = acceptable(current, request.previous, now)
        if (Option.isSome(found)) {
          yield* record("hit")
          return withoutRefreshToken(found.value)
        }
        if (now >= request.deadline) return yield* Effect.fail(failure("awaitChange", "Timeout", "no token from the lock holder before the deadline"))
        yield* failIfFailedRecently(theKeys, current.generation)
        const ttl = SharedToken.lockTimeToLive(
          request.deadline,
          now,
          store.lockTimeToLive === undefined ? undefined : Duration.toMillis(store.lockTimeToLive)
        )
        const lock = yield* bounded("acquireLock", store.acquireLock(theKeys.storeKey, Duration.millis(ttl)))
        if (Option.isSome(lock)) {
          const fetched = yield* fetchLocked(theKeys, lock.value, request, current.unusable)
          if (Option.isSome(fetched)) return fetched.value
        } else {
          yield* record("lockWait")
          const wait = SharedToken.waitForHolder(request.deadline, now)
          yield* bounded("awaitChange", store.awaitChange(theKeys.storeKey, current.generation, Duration.millis(wait)), wait).pipe(
            Effect.withSpan("TokenStore.awaitChange", { attributes: { backend: store.backend } })
          )
        }
        current = yield* readEntry(theKeys, current.unusable)
      }
    })

  const fallback = (error: TokenStore.TokenStoreError) =>
    Effect.gen(function*() {
      yield* record("fallback")
      if (!down) {
        down = true
        yield* Effect.logWarning(error.message).pipe(Effect.annotateLogs({ backend: store.backend, reason: error.reason }))
      }
    })

  return (request) =>
    shared(request).pipe(
      Effect.catchTag("TokenStoreError", (error) => Effect.andThen(fallback(error), fetch(request))),
      Effect.annotateLogs({ provider: options.provider, backend: store.backend }),
      Effect.withSpan("TokenStore.shared", { attributes: { provider: options.provider, backend: store.backend } })
    )
}
