/**
 * A token that arrives already past its usable time (its lifetime counts from when the request
 * was sent, and the answer was slow): a reader that joined the background refresh's late answer
 * fetches a token of its own, a reader's own late answer is a timeout, and the background
 * refresh may take until the token it replaces expires (it is not abandoned at `acquisitionTimeout`).
 */
import { describe, expect, it } from "@effect/vitest"
import { Clock, Duration, Effect, Fiber, Redacted, Ref, Schedule } from "effect"
import { TestClock } from "effect/testing"
import { AccessToken, TokenProvider } from "@effect-bearer/core"
import type { TokenSource } from "@effect-bearer/core"
import { valueOf } from "./support/CountingSource.js"
import * as TestTime from "./support/TestTime.js"

/** Fetch N takes `latency(N)` and yields `tok-N`, valid for `lifetime` from when it was asked for. */
const slowSource = (latency: (fetch: number) => Duration.Input, lifetime: Duration.Input = "10 seconds") =>
  Effect.gen(function*() {
    const count = yield* Ref.make(0)
    const source: TokenSource.TokenSource = {
      name: "test",
      grantType: "client_credentials",
      fetch: () =>
        Effect.gen(function*() {
          const issuedAt = yield* Clock.currentTimeMillis
          const n = yield* Ref.updateAndGet(count, (all) => all + 1)
          yield* Effect.sleep(latency(n))
          return AccessToken.make({ value: Redacted.make(`tok-${n}`), issuedAt, lifetime })
        })
    }
    return { source, fetches: Ref.get(count) }
  })
const once = { retry: Schedule.recurs(0) }

describe("TokenProvider with a token that arrives past its usable time", () => {
  it.effect("a reader that joined the background refresh's late answer fetches a token of its own", () =>
    Effect.gen(function*() {
      // tok-1 at 0 s, usable until 9 s; the background refresh asks at 8 s and hears at 17.5 s,
      // for a token usable until 17 s: no token for a reader, who asks again at once.
      const { fetches, source } = yield* slowSource((n) => (n === 2 ? "9500 millis" : 0))
      const provider = yield* TokenProvider.make(source, { ...once, backgroundRefresh: { at: 0.8, jitter: 0 } })
      expect(valueOf(yield* provider.get)).toBe("tok-1")
      yield* TestTime.adjust("10 seconds") // the background refresh is on the wire since 8 s
      const reader = yield* Effect.forkChild(provider.get)
      yield* TestTime.adjust("7500 millis")
      const token = yield* Fiber.join(reader)
      expect(valueOf(token)).toBe("tok-3")
      expect(yield* Clock.currentTimeMillis).toBeLessThan(AccessToken.usableUntil(token, Duration.seconds(1)))
      expect(yield* fetches).toBe(3)
    }))

  it.effect("a reader's own answer that arrives past its usable time is a timeout, not a token", () =>
    Effect.gen(function*() {
      const { source } = yield* slowSource(() => "9500 millis")
      const provider = yield* TokenProvider.make(source, { ...once, backgroundRefresh: false })
      const reader = yield* Effect.forkChild(Effect.flip(provider.get))
      yield* TestTime.adjust("9500 millis")
      expect(yield* Fiber.join(reader)).toMatchObject({ _tag: "TemporarilyUnavailable", reason: "Timeout" })
    }))

  it.effect("the background refresh is not abandoned after acquisitionTimeout: it may take until the token it replaces expires", () =>
    Effect.gen(function*() {
      // tok-1: 300 s from 0 s, renewed at 240 s by a fetch that takes 40 s (acquisitionTimeout: 30 s).
      const { fetches, source } = yield* slowSource((n) => (n === 2 ? "40 seconds" : 0), "300 seconds")
      const provider = yield* TokenProvider.make(source, { ...once, backgroundRefresh: { at: 0.8, jitter: 0 } })
      expect(valueOf(yield* provider.get)).toBe("tok-1")
      yield* TestTime.adjust("240 seconds")
      yield* TestTime.adjust("45 seconds")
      expect(valueOf(yield* provider.get)).toBe("tok-2")
      expect(yield* fetches).toBe(2)
    }))

  it.effect("a reader that joins a slow background refresh waits acquisitionTimeout at most; the refresh goes on", () =>
    Effect.gen(function*() {
      // tok-1: an hour (usable until 3540 s), renewed at 2880 s by a fetch that takes 700 s.
      const { fetches, source } = yield* slowSource((n) => (n === 2 ? "700 seconds" : 0), "3600 seconds")
      const provider = yield* TokenProvider.make(source, { ...once, backgroundRefresh: { at: 0.8, jitter: 0 } })
      yield* provider.get
      yield* TestTime.adjust("3541 seconds")
      const reader = yield* Effect.forkChild(Effect.flip(provider.get))
      yield* TestTime.adjust("30 seconds")
      expect(yield* Fiber.join(reader)).toMatchObject({ _tag: "TemporarilyUnavailable", reason: "Timeout" })
      yield* TestClock.adjust("10 seconds") // 3581 s: the refresh answered at 3580 s
      expect(valueOf(yield* provider.get)).toBe("tok-2")
      expect(yield* fetches).toBe(2)
    }))
})
