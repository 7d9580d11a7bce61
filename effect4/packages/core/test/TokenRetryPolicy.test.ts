import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Option, Ref, Schedule } from "effect"
import { TestClock } from "effect/testing"
import { TokenRetry } from "@effect-bearer/core"
import * as TestTime from "./support/TestTime.js"

/** A failure of any type, as the bearer client's HTTP failures are to the policy. */
interface Failure {
  readonly retryable: boolean
  readonly retryAfter?: Duration.Duration
}

const policy: TokenRetry.RetryAfterPolicy<Failure> = {
  while: (failure) => failure.retryable,
  retryAfter: (failure) => Option.fromUndefinedOr(failure.retryAfter),
  maximumRetryAfter: "30 seconds"
}

/** Fails with `failures` in turn, then succeeds with the number of attempts. */
const attempts = (failures: ReadonlyArray<Failure>) =>
  Effect.map(Ref.make(0), (count) =>
    Ref.updateAndGet(count, (n) => n + 1).pipe(Effect.flatMap((n) => n <= failures.length ? Effect.fail(failures[n - 1]!) : Effect.succeed(n))))

/** The attempt retried on `schedule` under the policy, in a fiber; `9 s` then `1 s` later. */
const retriedAfter = (failure: Failure, schedule: Schedule.Schedule<unknown, Failure>, before: Duration.Input, at: Duration.Input) =>
  Effect.gen(function*() {
    const attempt = yield* attempts([failure])
    const fiber = yield* Effect.forkChild(Effect.retry(attempt, TokenRetry.honourRetryAfter(schedule, policy)))
    yield* TestTime.adjust(before)
    expect(fiber.pollUnsafe()).toBeUndefined()
    yield* TestClock.adjust(at)
    expect(yield* Fiber.join(fiber)).toBe(2)
  })

describe("TokenRetry.honourRetryAfter", () => {
  it.effect("waits at least the server's Retry-After before the next attempt", () =>
    retriedAfter({ retryable: true, retryAfter: Duration.seconds(10) }, Schedule.recurs(3), "9 seconds", "1 second"))

  it.effect("keeps the schedule's own delay when it is longer than the Retry-After", () =>
    retriedAfter({ retryable: true, retryAfter: Duration.seconds(1) }, Schedule.spaced("5 seconds"), "4 seconds", "1 second"))

  it.effect("gives the failure back at once when the Retry-After is longer than the maximum, never a clamped wait", () =>
    Effect.gen(function*() {
      const tooLong: Failure = { retryable: true, retryAfter: Duration.seconds(31) }
      expect(yield* Effect.flip(Effect.retry(yield* attempts([tooLong]), TokenRetry.honourRetryAfter(Schedule.recurs(3), policy)))).toBe(tooLong)
    }))

  it.effect("retries nothing the policy's while refuses", () =>
    Effect.gen(function*() {
      const final: Failure = { retryable: false }
      expect(yield* Effect.flip(Effect.retry(yield* attempts([final]), TokenRetry.honourRetryAfter(Schedule.recurs(3), policy)))).toBe(final)
    }))

  it.effect("until: no wait starts that would end at or after the deadline", () =>
    Effect.gen(function*() {
      const attempt = yield* attempts([{ retryable: true }, { retryable: true }, { retryable: true }])
      const fiber = yield* Effect.forkChild(Effect.flip(Effect.retry(attempt, TokenRetry.until(Schedule.spaced("4 seconds"), 10_000))))
      yield* TestTime.adjust("8 seconds")
      expect(yield* Fiber.join(fiber)).toEqual({ retryable: true })
    }))
})

describe("TokenRetry.retryAfterFromHeader", () => {
  const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT")
  it("reads delay-seconds and HTTP-dates relative to now", () => {
    expect(Option.map(TokenRetry.retryAfterFromHeader("120", now), Duration.toMillis)).toEqual(Option.some(120_000))
    expect(Option.map(TokenRetry.retryAfterFromHeader("Wed, 21 Oct 2015 07:29:00 GMT", now), Duration.toMillis)).toEqual(Option.some(60_000))
  })

  it("is None without a readable header", () => {
    expect(TokenRetry.retryAfterFromHeader(undefined, now)).toEqual(Option.none())
    expect(TokenRetry.retryAfterFromHeader("soon", now)).toEqual(Option.none())
  })
})
