/**
 * Helpers for TestClock tests whose fibers do real I/O (EFFECT3-NOTES gotcha 12):
 * `TestClock.adjust` counts a fiber waiting on a socket as suspended and moves on, so
 * after each adjustment the test waits, in real time and bounded, for the server to
 * have seen what it expects.
 */
import { Duration, Effect, TestClock, TestServices } from "effect"

const pause = TestServices.provideLive(Effect.sleep("3 millis"))

/**
 * Waits in real time until `count` has not changed for a few polls (the I/O went quiet).
 * Slow but thorough: for asserting that something did NOT happen.
 */
export const settle = (count: Effect.Effect<number>): Effect.Effect<number> =>
  Effect.gen(function*() {
    let last = yield* count
    let quiet = 0
    const deadline = Date.now() + 3000
    while (quiet < 4 && Date.now() < deadline) {
      yield* pause
      const now = yield* count
      quiet = now === last ? quiet + 1 : 0
      last = now
    }
    return last
  })

/** Advances the TestClock by `step` at a time up to `total`, running `settle` then `afterEachStep` after each step. */
export const walk = <A, E, R>(
  total: Duration.DurationInput,
  step: Duration.DurationInput,
  settle: Effect.Effect<unknown>,
  afterEachStep: (elapsed: number) => Effect.Effect<A, E, R>
): Effect.Effect<void, E, R> =>
  Effect.gen(function*() {
    const stepMillis = Duration.toMillis(Duration.decode(step))
    const totalMillis = Duration.toMillis(Duration.decode(total))
    for (let elapsed = stepMillis; elapsed <= totalMillis; elapsed += stepMillis) {
      yield* TestClock.adjust(Duration.millis(stepMillis))
      yield* settle
      yield* afterEachStep(elapsed)
    }
  })
