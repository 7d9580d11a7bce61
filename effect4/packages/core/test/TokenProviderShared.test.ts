/**
 * The token provider over a shared `TokenStore`, several providers standing for several
 * processes (the memory store under another backend name, so that the provider shares through
 * it): one token request per lifetime for all, a failing store is a fallback to per-provider
 * single flight (one warning per outage, a metric), sharing again once it answers.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Seal from "@effect-bearer/kernel/Seal"
import * as TokenStoreKey from "@effect-bearer/kernel/TokenStoreKey"
import { Clock, Duration, Effect, Exit, Fiber, Option, Redacted, Ref, Result, Schedule } from "effect"
import { TestClock } from "effect/testing"
import type { TokenSource } from "@effect-bearer/core"
import { AccessToken, TokenError, TokenProvider, TokenStore } from "@effect-bearer/core"
import { valueOf } from "./support/CountingSource.js"
import * as Recording from "./support/Recording.js"

/** `tok-N` (300 s, refresh token `rt-N`) after 1 s; counts its fetches, records the refresh token of each `previous` in `sent`. */
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
      isDown ? Effect.fail(new TokenStore.TokenStoreError({ reason: "Unavailable", backend: "shared", operation, detail: "test outage" })) : effect)
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

const storeEvents = (provider: string, event: string) =>
  Recording.metricValue("effect_bearer_token_store_events_total", { provider, event })

/** Moves the clock in steps of `step` with a few real milliseconds between (sealing is real asynchronous work) until `fiber` ends. */
const stepUntilDone = <A, E>(fiber: Fiber.Fiber<A, E>, step: Duration.Input = "100 millis") =>
  Effect.gen(function*() {
    for (let turn = 0; turn < 80 && fiber.pollUnsafe() === undefined; turn++) {
      yield* TestClock.withLive(Effect.sleep("5 millis"))
      yield* TestClock.adjust(step)
    }
    return yield* Fiber.join(fiber)
  })

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

const keyOf = (source: TokenSource.TokenSource) => Effect.promise(() => TokenStoreKey.make(source.sharing!.identity))

describe("TokenProvider over a shared TokenStore", () => {
  it.effect("five providers x 20 callers: one token request per lifetime, the refresh token used once", () =>
    Effect.gen(function*() {
      const fetches = yield* Ref.make(0)
      const { store } = yield* switchableStore
      const sent: Array<string> = []
      const all = yield* providers(5, countingSource("shared-five", fetches, sent), store)
      const first = yield* stepUntilDone(yield* Effect.forkChild(getAll(all, 20)))
      expect(first.flat().map(valueOf)).toEqual(Array(100).fill("tok-1"))
      expect(yield* Ref.get(fetches)).toBe(1)
      // Three lifetimes, reading every 10 s: each renewal is made once, by one provider.
      for (let second = 10; second <= 900; second += 10) {
        yield* TestClock.withLive(Effect.sleep("2 millis"))
        yield* TestClock.adjust("10 seconds")
        const tokens = (yield* stepUntilDone(yield* Effect.forkChild(getAll(all, 2)))).flat()
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

  it.effect("a store that fails: per-provider single flight, one warning per outage, counted; sharing again when it answers", () => {
    const recording = Recording.logger()
    return Effect.gen(function*() {
      const fetches = yield* Ref.make(0)
      const { setDown, store } = yield* switchableStore
      yield* setDown(true)
      const all = yield* providers(3, countingSource("shared-down", fetches), store, false)
      yield* stepUntilDone(yield* Effect.forkChild(getAll(all, 10)))
      // One request per provider, as without a store; nobody failed.
      expect(yield* Ref.get(fetches)).toBe(3)
      expect(recording.lines.filter((line) => line.level === "Warn" && line.message.includes("token store is unavailable"))).toHaveLength(3)
      expect(yield* storeEvents("shared-down", "fallback")).toBe(3)
      // The store answers again: the next renewal is one request for all.
      yield* setDown(false)
      const before = (yield* getAll(all, 1)).flat().map(valueOf)
      const tokens = (yield* stepUntilDone(yield* Effect.forkChild(Effect.forEach(all, (provider) => provider.refresh, { concurrency: "unbounded" }))))
        .map(valueOf)
      expect(yield* Ref.get(fetches)).toBe(4)
      expect(tokens).toContain("tok-4")
      expect(tokens.every((token, index) => token !== before[index])).toBe(true)
    }).pipe(Effect.provide(recording.layer))
  })

  it.effect("a tampered value is a miss with a warning, and replaced", () => {
    const recording = Recording.logger()
    return Effect.gen(function*() {
      const fetches = yield* Ref.make(0)
      const { memory, store } = yield* switchableStore
      const source = countingSource("shared-tampered", fetches)
      const [one] = yield* providers(1, source, store, false)
      yield* stepUntilDone(yield* Effect.forkChild(one!.get))
      // Overwrite the entry with garbage of a higher generation.
      const key = yield* keyOf(source)
      const now = yield* Clock.currentTimeMillis
      yield* memory.compareAndSet(key, { value: "v1.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", generation: 99, expiresAt: now + 600_000 })
      const [two] = yield* providers(1, source, store, false)
      expect(valueOf(yield* stepUntilDone(yield* Effect.forkChild(two!.get)))).toBe("tok-2")
      expect(recording.lines.some((line) => line.level === "Warn" && line.message.includes("does not open"))).toBe(true)
      expect((yield* memory.get(key)).entry.pipe(Option.map((entry) => entry.generation), Option.getOrUndefined)).toBe(100)
    }).pipe(Effect.provide(recording.layer))
  })

  it.effect("a lock left by a holder that died is taken over once it expires", () =>
    Effect.gen(function*() {
      const fetches = yield* Ref.make(0)
      const { memory, store } = yield* switchableStore
      const source = countingSource("shared-takeover", fetches)
      // A holder that took the lock for 5 s and was killed.
      yield* memory.acquireLock(yield* keyOf(source), "5 seconds")
      const [one] = yield* providers(1, source, { ...store, lockTimeToLive: "5 seconds" }, false)
      expect(valueOf(yield* stepUntilDone(yield* Effect.forkChild(one!.get), "250 millis"))).toBe("tok-1")
      expect(yield* Ref.get(fetches)).toBe(1)
      expect(yield* storeEvents("shared-takeover", "takeover")).toBe(1)
    }))

  it.effect("a user-provided sealing key: another key or none is a miss with a warning; the value does not open without it", () => {
    const recording = Recording.logger()
    return Effect.gen(function*() {
      const fetches = yield* Ref.make(0)
      const { memory, store } = yield* switchableStore
      const source = countingSource("shared-sealed", fetches)
      const sealingKeyOf = (fill: number) =>
        Result.getOrThrow(TokenStore.decodeSealingKey(Redacted.make(btoa(String.fromCharCode(...Array(32).fill(fill))))))
      const serve = (sealingKey: TokenStore.Service["sealingKey"]) =>
        Effect.gen(function*() {
          const [provider] = yield* providers(1, source, { ...store, sealingKey }, false)
          return valueOf(yield* stepUntilDone(yield* Effect.forkChild(provider!.get)))
        })
      expect(yield* serve(sealingKeyOf(1))).toBe("tok-1")
      // The same key: a hit, no request.
      expect(yield* serve(sealingKeyOf(1))).toBe("tok-1")
      expect(recording.lines.filter((line) => line.level === "Warn")).toHaveLength(0)
      // Another key, then none (the credentials alone): each a miss with a warning, and a request.
      expect(yield* serve(sealingKeyOf(2))).toBe("tok-2")
      expect(yield* serve(undefined)).toBe("tok-3")
      expect(recording.lines.filter((line) => line.level === "Warn" && line.message.includes("does not open")).length).toBeGreaterThanOrEqual(2)
      // What key 1 sealed does not open under the credentials alone.
      expect(yield* serve(sealingKeyOf(1))).toBe("tok-4")
      const storeKey = yield* keyOf(source)
      const sealed = Option.getOrThrow((yield* memory.get(storeKey)).entry).value
      const credentialsOnly = yield* Effect.promise(() => Seal.deriveKey({ storeKey, secrets: ["client secret"] }))
      expect((yield* Effect.promise(() => Seal.open(credentialsOnly, sealed)))._tag).toBe("Unusable")
      expect(sealed).not.toContain("tok-4")
    }).pipe(Effect.provide(recording.layer))
  })

  it.effect("a public client (no secret) shares only through a store given a sealing key", () =>
    Effect.gen(function*() {
      const fetches = yield* Ref.make(0)
      const { store } = yield* switchableStore
      const counting = countingSource("shared-public", fetches)
      const source: TokenSource.TokenSource = { ...counting, sharing: { ...counting.sharing!, secrets: [] } }
      const twoProviders = (over: TokenStore.Service) =>
        Effect.map(
          Effect.flatMap(Effect.forkChild(Effect.flatMap(providers(2, source, over, false), (all) => getAll(all, 1))), stepUntilDone),
          (tokens) => tokens.flat().map(valueOf)
        )
      // Without a key: each provider for itself.
      expect(yield* twoProviders(store)).toEqual(["tok-1", "tok-2"])
      // With one: one request for both.
      const sealingKey = Result.getOrThrow(TokenStore.decodeSealingKey(Redacted.make(btoa("p".repeat(32)))))
      expect(yield* twoProviders({ ...store, sealingKey })).toEqual(["tok-3", "tok-3"])
      expect(yield* Ref.get(fetches)).toBe(3)
    }))

  it.effect("the lock holder's transient failure is shared: one request for all providers, until the marker expires", () =>
    Effect.gen(function*() {
      const fetches = yield* Ref.make(0)
      const failing = yield* Ref.make(true)
      const { store } = yield* switchableStore
      const working = countingSource("shared-outage", fetches)
      const outage = new TokenError.TemporarilyUnavailable({ endpoint: "https://shared-outage.example/token", reason: "ServerError", status: 503 })
      const source: TokenSource.TokenSource = {
        ...working,
        fetch: (previous) =>
          Effect.flatMap(Ref.get(failing), (fails) =>
            fails
              ? Ref.update(fetches, (count) => count + 1).pipe(Effect.andThen(Effect.sleep("1 second")), Effect.andThen(Effect.fail(outage)))
              : working.fetch(previous))
      }
      const all = yield* Effect.all(
        Array.from({ length: 3 }, () =>
          TokenProvider.make(source, { backgroundRefresh: false, retry: Schedule.recurs(0) }).pipe(
            Effect.provideService(TokenStore.TokenStore, store)
          ))
      )
      const attempt = Effect.forEach(all, (provider) => Effect.exit(provider.get), { concurrency: "unbounded" })
      const exits = yield* stepUntilDone(yield* Effect.forkChild(attempt), "50 millis")
      // One request for the three; each failed as the endpoint did.
      expect(yield* Ref.get(fetches)).toBe(1)
      for (const exit of exits) expect(Exit.isFailure(exit) && String(exit.cause)).toContain("TemporarilyUnavailable")
      expect(yield* storeEvents("shared-outage", "sharedFailure")).toBe(2)
      // Within the marker's second: no request at all.
      expect((yield* attempt).every(Exit.isFailure)).toBe(true)
      expect(yield* Ref.get(fetches)).toBe(1)
      // Once it expires, the next attempt is one request again, and the endpoint is back.
      yield* TestClock.adjust("1 second")
      yield* Ref.set(failing, false)
      expect((yield* stepUntilDone(yield* Effect.forkChild(attempt))).every(Exit.isSuccess)).toBe(true)
      expect(yield* Ref.get(fetches)).toBe(2)
    }))
})
