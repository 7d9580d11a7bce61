/**
 * The token provider over a shared `TokenStore`, with several providers standing for several
 * processes (one in-memory store under another backend name, so that the provider shares
 * through it): one token request per lifetime for all of them, a store that fails is a
 * fallback to per-provider single flight (a warning once per outage, a metric), and sharing
 * again once it answers. The proof with real OS processes is in platform-node's
 * TokenStoreProcesses test.
 */
import { describe, expect, it } from "@effect/vitest"
import { Clock, Effect, Either, Exit, Fiber, Logger, Metric, MetricState, Option, Redacted, Ref, Schedule, TestClock, TestServices } from "effect"
import { AccessToken, TokenError, TokenProvider, TokenStore } from "@effect-bearer/core"
import type { TokenSource } from "@effect-bearer/core"
import * as TestTime from "./support/TestTime.js"

/**
 * A source of `tok-N` (300 s, with refresh token `rt-N`), taking 1 s, counting its fetches in
 * `fetches` and recording in `sent` the refresh token of each `previous` it was given.
 */
const countingSource = (name: string, fetches: Ref.Ref<number>, sent?: Array<string>): TokenSource.TokenSource => ({
  name,
  grantType: "client_credentials",
  sharing: {
    identity: { tokenUrl: `https://${name}.example/token`, clientId: "client", grantType: "client_credentials" },
    secrets: [Redacted.make("client secret")]
  },
  fetch: (previous) =>
    Effect.gen(function*() {
      Option.map(Option.flatMap(previous, (token) => token.refreshToken), (refresh) => sent?.push(Redacted.value(refresh.value)))
      const issuedAt = yield* Clock.currentTimeMillis
      const n = yield* Ref.updateAndGet(fetches, (count) => count + 1)
      yield* Effect.sleep("1 second")
      return AccessToken.make({
        value: Redacted.make(`tok-${n}`),
        issuedAt,
        lifetime: "300 seconds",
        lifetimeSource: "expires_in",
        refreshToken: new AccessToken.RefreshToken({ value: Redacted.make(`rt-${n}`), expiresAt: Option.none() })
      })
    })
})

/** The memory store under another name, and a switch that makes every operation fail. */
const switchableStore = Effect.gen(function*() {
  const memory = yield* TokenStore.makeMemory
  const down = yield* Ref.make(false)
  const guard = <A>(operation: string, effect: Effect.Effect<A, TokenStore.TokenStoreError>) =>
    Effect.flatMap(Ref.get(down), (isDown) =>
      isDown
        ? Effect.fail(new TokenStore.TokenStoreError({ reason: "Unavailable", backend: "shared", operation, detail: "test outage" }))
        : effect)
  const store: TokenStore.Service = {
    backend: "shared",
    get: (key) => guard("get", memory.get(key)),
    compareAndSet: (key, entry) => guard("compareAndSet", memory.compareAndSet(key, entry)),
    acquireLock: (key, ttl) => guard("acquireLock", memory.acquireLock(key, ttl)),
    releaseLock: (lock) => guard("releaseLock", memory.releaseLock(lock)),
    awaitChange: (key, after, timeout) => guard("awaitChange", memory.awaitChange(key, after, timeout)),
    now: memory.now
  }
  return { store, memory, setDown: (value: boolean) => Ref.set(down, value) }
})

const recordingLogger = () => {
  const lines: Array<{ level: string; message: string }> = []
  const logger = Logger.make(({ logLevel, message }) => {
    lines.push({ level: logLevel.label, message: (Array.isArray(message) ? message : [message]).map(String).join(" ") })
  })
  return { lines, logger }
}

const storeEvents = (provider: string, event: string) =>
  Effect.map(Metric.snapshot, (pairs) =>
    pairs
      .filter((pair) =>
        pair.metricKey.name === "effect_bearer_token_store_events_total" &&
        pair.metricKey.tags.some((tag) => tag.key === "provider" && tag.value === provider) &&
        pair.metricKey.tags.some((tag) => tag.key === "event" && tag.value === event)
      )
      .reduce((sum, pair) => sum + (MetricState.isCounterState(pair.metricState) ? Number(pair.metricState.count) : 0), 0))

const valueOf = (token: AccessToken.AccessToken) => Redacted.value(token.value)

/** Moves the TestClock by 2 s in small steps, each letting every fiber reach its next sleep. */
const passTwoSeconds = Effect.repeatN(TestClock.adjust("250 millis"), 7)

/** `count` providers ("processes") of `source` over `store`. */
const providers = (count: number, source: TokenSource.TokenSource, store: TokenStore.Service, background = true) =>
  Effect.all(
    Array.from({ length: count }, () =>
      TokenProvider.make(source, { backgroundRefresh: background ? { at: 0.8, jitter: 0 } : false }).pipe(
        Effect.provideService(TokenStore.TokenStore, store)
      ))
  )

const getAll = (all: ReadonlyArray<TokenProvider.Service>, callers: number) =>
  Effect.forEach(all, (provider) => Effect.all(Array.from({ length: callers }, () => provider.get), { concurrency: "unbounded" }), {
    concurrency: "unbounded"
  })

describe("TokenProvider over a shared TokenStore", () => {
  it.scoped("five providers x 20 callers: one token request per lifetime, the refresh token used once", () =>
    Effect.gen(function*() {
      const fetches = yield* Ref.make(0)
      const { store } = yield* switchableStore
      const sent: Array<string> = []
      const all = yield* providers(5, countingSource("shared-five", fetches, sent), store)
      const first = yield* Effect.fork(getAll(all, 20))
      yield* TestTime.adjustWhenSleeping("1 second")
      expect((yield* Fiber.join(first)).flat().map(valueOf)).toEqual(Array(100).fill("tok-1"))
      expect(yield* Ref.get(fetches)).toBe(1)
      // Three lifetimes, reading every 10 s: each renewal is made once, by one provider.
      for (let second = 10; second <= 900; second += 10) {
        yield* TestClock.adjust("10 seconds")
        const tokens = (yield* getAll(all, 2)).flat()
        const now = yield* Clock.currentTimeMillis
        for (const token of tokens) expect(now).toBeLessThan(token.expiresAt)
      }
      expect(yield* Ref.get(fetches)).toBeLessThanOrEqual(5)
      expect(sent.length).toBe((yield* Ref.get(fetches)) - 1)
      expect(new Set(sent).size).toBe(sent.length)
      expect(yield* storeEvents("shared-five", "hit")).toBeGreaterThan(0)
      expect(yield* storeEvents("shared-five", "miss")).toBe(yield* Ref.get(fetches))
      expect(yield* storeEvents("shared-five", "lockWait")).toBeGreaterThan(0)
    }))

  it.scoped("a store that fails: per-provider single flight, one warning per outage, counted; sharing again when it answers", () =>
    Effect.gen(function*() {
      const fetches = yield* Ref.make(0)
      const { lines, logger } = recordingLogger()
      const { setDown, store } = yield* switchableStore
      yield* setDown(true)
      const all = yield* providers(3, countingSource("shared-down", fetches), store, false)
      const first = yield* Effect.fork(getAll(all, 10).pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger))))
      yield* passTwoSeconds
      yield* Fiber.join(first)
      // One request per provider, as without a store; nobody failed.
      expect(yield* Ref.get(fetches)).toBe(3)
      expect(lines.filter((line) => line.level === "WARN" && line.message.includes("token store is unavailable"))).toHaveLength(3)
      expect(yield* storeEvents("shared-down", "fallback")).toBe(3)
      // The store answers again: the next renewal is one request for all.
      yield* setDown(false)
      const before = (yield* getAll(all, 1)).flat().map(valueOf)
      const refreshed = yield* Effect.fork(Effect.forEach(all, (provider) => provider.refresh, { concurrency: "unbounded" }))
      yield* passTwoSeconds
      const tokens = (yield* Fiber.join(refreshed)).map(valueOf)
      // One request for the three (the others may take the token being renewed, still usable).
      expect(yield* Ref.get(fetches)).toBe(4)
      expect(tokens).toContain("tok-4")
      expect(tokens.every((token, index) => token !== before[index])).toBe(true)
    }))

  it.scoped("a tampered value is a miss with a warning, and replaced", () =>
    Effect.gen(function*() {
      const fetches = yield* Ref.make(0)
      const { lines, logger } = recordingLogger()
      const { memory, store } = yield* switchableStore
      const source = countingSource("shared-tampered", fetches)
      const [one] = yield* providers(1, source, store, false)
      yield* Effect.fork(one!.get)
      yield* passTwoSeconds
      // Overwrite the entry with garbage of a higher generation.
      const key = yield* Effect.promise(() =>
        import("@effect-bearer/kernel/TokenStoreKey").then((TokenStoreKey) => TokenStoreKey.make(source.sharing!.identity))
      )
      const now = yield* Clock.currentTimeMillis
      yield* memory.compareAndSet(key, { value: "v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", generation: 99, expiresAt: now + 600_000 })
      const [two] = yield* providers(1, source, store, false)
      const second = yield* Effect.fork(two!.get.pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger))))
      yield* passTwoSeconds
      expect(valueOf(yield* Fiber.join(second))).toBe("tok-2")
      expect(lines.some((line) => line.level === "WARN" && line.message.includes("does not open"))).toBe(true)
      expect((yield* memory.get(key)).entry.pipe(Option.map((entry) => entry.generation), Option.getOrUndefined)).toBe(100)
    }))

  it.scoped("a lock left by a holder that died is taken over once it expires", () =>
    Effect.gen(function*() {
      const fetches = yield* Ref.make(0)
      const { memory, store } = yield* switchableStore
      const source = countingSource("shared-takeover", fetches)
      const key = yield* Effect.promise(() =>
        import("@effect-bearer/kernel/TokenStoreKey").then((TokenStoreKey) => TokenStoreKey.make(source.sharing!.identity))
      )
      // A holder that took the lock for 5 s and was killed.
      yield* memory.acquireLock(key, "5 seconds")
      const [one] = yield* providers(1, source, { ...store, lockTimeToLive: "5 seconds" }, false)
      const reader = yield* Effect.fork(one!.get)
      for (let step = 0; step < 4; step++) yield* passTwoSeconds
      expect(valueOf(yield* Fiber.join(reader))).toBe("tok-1")
      expect(yield* Ref.get(fetches)).toBe(1)
      expect(yield* storeEvents("shared-takeover", "takeover")).toBe(1)
    }))

  it.scoped("a user-provided sealing key: another key or none is a miss with a warning; the value does not open without it", () =>
    Effect.gen(function*() {
      const fetches = yield* Ref.make(0)
      const { lines, logger } = recordingLogger()
      const { memory, store } = yield* switchableStore
      const source = countingSource("shared-sealed", fetches)
      const keyOf = (fill: number) => Either.getOrThrow(TokenStore.decodeSealingKey(Redacted.make(btoa(String.fromCharCode(...Array(32).fill(fill))))))
      /** A new provider's token, over the store with `sealingKey`: the clock moves in small steps until it is served. */
      const serve = (sealingKey: TokenStore.Service["sealingKey"]) =>
        Effect.gen(function*() {
          const [provider] = yield* providers(1, source, { ...store, sealingKey }, false)
          const reader = yield* Effect.fork(provider!.get.pipe(Effect.provide(Logger.replace(Logger.defaultLogger, logger))))
          // Sealing is real asynchronous work: a few real milliseconds between two steps of the clock.
          for (let step = 0; step < 40 && Option.isNone(yield* Fiber.poll(reader)); step++) {
            yield* TestServices.provideLive(Effect.sleep("5 millis"))
            yield* TestClock.adjust("100 millis")
          }
          return valueOf(yield* Fiber.join(reader))
        })
      expect(yield* serve(keyOf(1))).toBe("tok-1")
      // The same key: a hit, no request.
      expect(yield* serve(keyOf(1))).toBe("tok-1")
      expect(lines.filter((line) => line.level === "WARN")).toHaveLength(0)
      // Another key, then none (the credentials alone): each a miss with a warning, and a request.
      expect(yield* serve(keyOf(2))).toBe("tok-2")
      expect(yield* serve(undefined)).toBe("tok-3")
      expect(lines.filter((line) => line.level === "WARN" && line.message.includes("does not open")).length).toBeGreaterThanOrEqual(2)
      // What key 1 sealed does not open under the credentials alone.
      const withKey = yield* serve(keyOf(1))
      expect(withKey).toBe("tok-4")
      const Seal = yield* Effect.promise(() => import("@effect-bearer/kernel/Seal"))
      const TokenStoreKey = yield* Effect.promise(() => import("@effect-bearer/kernel/TokenStoreKey"))
      const storeKey = yield* Effect.promise(() => TokenStoreKey.make(source.sharing!.identity))
      const sealed = Option.getOrThrow((yield* memory.get(storeKey)).entry).value
      const credentialsOnly = yield* Effect.promise(() => Seal.deriveKey({ storeKey, secrets: ["client secret"] }))
      expect((yield* Effect.promise(() => Seal.open(credentialsOnly, sealed)))._tag).toBe("Unusable")
      expect(sealed).not.toContain("tok-4")
    }))

  it.scoped("a public client (no secret) shares only through a store given a sealing key", () =>
    Effect.gen(function*() {
      const fetches = yield* Ref.make(0)
      const { store } = yield* switchableStore
      const counting = countingSource("shared-public", fetches)
      const source: TokenSource.TokenSource = { ...counting, sharing: { ...counting.sharing!, secrets: [] } }
      const twoProviders = (over: TokenStore.Service) =>
        Effect.gen(function*() {
          const reader = yield* Effect.fork(Effect.flatMap(providers(2, source, over, false), (all) => getAll(all, 1)))
          for (let step = 0; step < 40 && Option.isNone(yield* Fiber.poll(reader)); step++) {
            yield* TestServices.provideLive(Effect.sleep("5 millis"))
            yield* TestClock.adjust("100 millis")
          }
          return (yield* Fiber.join(reader)).flat().map(valueOf)
        })
      // Without a key: each provider for itself.
      expect(yield* twoProviders(store)).toEqual(["tok-1", "tok-2"])
      // With one: one request for both.
      const sealingKey = Either.getOrThrow(TokenStore.decodeSealingKey(Redacted.make(btoa("p".repeat(32)))))
      expect(yield* twoProviders({ ...store, sealingKey })).toEqual(["tok-3", "tok-3"])
      expect(yield* Ref.get(fetches)).toBe(3)
    }))

  it("a sealing key shorter than 32 bytes or not base64 is refused, without the key in the reason", () => {
    const short = TokenStore.decodeSealingKey(Redacted.make(btoa("x".repeat(31))))
    expect(Either.isLeft(short) && short.left).toContain("at least 32 bytes")
    const notBase64 = TokenStore.decodeSealingKey(Redacted.make("not base64 at all!"))
    expect(Either.isLeft(notBase64) && notBase64.left).not.toContain("not base64 at all")
    expect(Either.isRight(TokenStore.decodeSealingKey(Redacted.make(btoa("x".repeat(32)))))).toBe(true)
  })

  it.scoped("the lock holder's transient failure is shared: one request for all providers, until the marker expires", () =>
    Effect.gen(function*() {
      const fetches = yield* Ref.make(0)
      const failing = yield* Ref.make(true)
      const { store } = yield* switchableStore
      const working = countingSource("shared-outage", fetches)
      const source: TokenSource.TokenSource = {
        ...working,
        fetch: (previous) =>
          Effect.flatMap(Ref.get(failing), (fails) =>
            fails
              ? Effect.zipRight(
                Effect.zipRight(Ref.update(fetches, (count) => count + 1), Effect.sleep("1 second")),
                Effect.fail(new TokenError.TemporarilyUnavailable({ endpoint: "https://shared-outage.example/token", reason: "ServerError", status: 503 }))
              )
              : working.fetch(previous))
      }
      const all = yield* Effect.all(
        Array.from({ length: 3 }, () =>
          TokenProvider.make(source, { backgroundRefresh: false, retry: Schedule.stop }).pipe(
            Effect.provideService(TokenStore.TokenStore, store)
          ))
      )
      const attempt = Effect.forEach(all, (provider) => Effect.exit(provider.get), { concurrency: "unbounded" })
      const first = yield* Effect.fork(attempt)
      yield* TestTime.awaitSleep("1 second")
      yield* TestClock.adjust("1 second")
      const exits = yield* Fiber.join(first)
      // One request for the three; each failed as the endpoint did.
      expect(yield* Ref.get(fetches)).toBe(1)
      for (const exit of exits) {
        expect(Exit.isFailure(exit) && Exit.causeOption(exit).pipe(Option.map(String), Option.getOrElse(() => ""))).toContain("TemporarilyUnavailable")
      }
      expect(yield* storeEvents("shared-outage", "sharedFailure")).toBe(2)
      // Within the marker's second: no request at all.
      expect((yield* attempt).every(Exit.isFailure)).toBe(true)
      expect(yield* Ref.get(fetches)).toBe(1)
      // Once it expires, the next attempt is one request again, and the endpoint is back.
      yield* TestClock.adjust("1 second")
      yield* Ref.set(failing, false)
      const second = yield* Effect.fork(attempt)
      yield* TestTime.awaitSleep("1 second")
      yield* TestClock.adjust("1 second")
      expect((yield* Fiber.join(second)).every(Exit.isSuccess)).toBe(true)
      expect(yield* Ref.get(fetches)).toBe(2)
    }))
})
