import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Fiber, Option, Ref, Schedule, TestClock } from "effect"
import { TokenRetry } from "@effect-bearer/core"

/** A failure of any type, as the bearer client's HTTP failures are to the policy. */
interface Failure {
  readonly retryable: boolean
  readonly retryAfter?: Duration.Duration
}

const policy = (maximumRetryAfter: Duration.DurationInput = "30 seconds"): TokenRetry.RetryAfterPolicy<Failure> => ({
  while: (failure) => failure.retryable,
  retryAfter: (failure) => Option.fromNullable(failure.retryAfter),
  maximumRetryAfter
})

/** Fails with `failures` in turn, then succeeds with the number of attempts. */
const attempts = (failures: ReadonlyArray<Failure>) =>
  Effect.map(Ref.make(0), (count) =>
    Ref.updateAndGet(count, (n) => n + 1).pipe(
      Effect.flatMap((n) => n <= failures.length ? Effect.fail(failures[n - 1]!) : Effect.succeed(n))
    ))

describe("TokenRetry.honourRetryAfter", () => {
  it.effect("waits at least the server's Retry-After before the next attempt", () =>
    Effect.gen(function*() {
      const attempt = yield* attempts([{ retryable: true, retryAfter: Duration.seconds(10) }])
      const fiber = yield* Effect.fork(Effect.retry(attempt, TokenRetry.honourRetryAfter(Schedule.recurs(3), policy())))
      yield* TestClock.adjust("9 seconds")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(fiber)).toBe(2)
    }))

  it.effect("keeps the schedule's own delay when it is longer than the Retry-After", () =>
    Effect.gen(function*() {
      const attempt = yield* attempts([{ retryable: true, retryAfter: Duration.seconds(1) }])
      const fiber = yield* Effect.fork(
        Effect.retry(attempt, TokenRetry.honourRetryAfter(Schedule.spaced("5 seconds"), policy()))
      )
      yield* TestClock.adjust("4 seconds")
      expect(Option.isNone(yield* Fiber.poll(fiber))).toBe(true)
      yield* TestClock.adjust("1 second")
      expect(yield* Fiber.join(fiber)).toBe(2)
    }))

  it.effect("gives the failure back at once when the Retry-After is longer than the maximum, never a clamped wait", () =>
    Effect.gen(function*() {
      const tooLong: Failure = { retryable: true, retryAfter: Duration.seconds(31) }
      const attempt = yield* attempts([tooLong])
      expect(yield* Effect.flip(Effect.retry(attempt, TokenRetry.honourRetryAfter(Schedule.recurs(3), policy())))).toBe(tooLong)
    }))

  it.effect("retries nothing the policy's while refuses", () =>
    Effect.gen(function*() {
      const final: Failure = { retryable: false }
      const attempt = yield* attempts([final])
      expect(yield* Effect.flip(Effect.retry(attempt, TokenRetry.honourRetryAfter(Schedule.recurs(3), policy())))).toBe(final)
    }))
})

describe("TokenRetry.retryAfterFromHeader", () => {
  const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT")

  it("reads delay-seconds and HTTP-dates relative to now", () => {
    expect(TokenRetry.retryAfterFromHeader("120", now)).toEqual(Option.some(Duration.seconds(120)))
    expect(TokenRetry.retryAfterFromHeader("Wed, 21 Oct 2015 07:29:00 GMT", now)).toEqual(Option.some(Duration.minutes(1)))
  })

  it("is None without a readable header", () => {
    expect(TokenRetry.retryAfterFromHeader(undefined, now)).toEqual(Option.none())
    expect(TokenRetry.retryAfterFromHeader("soon", now)).toEqual(Option.none())
  })
})
