/**
 * Waiting for real I/O in a test: polls on the real clock (whatever the TestClock does), a few
 * milliseconds at a time, for a bounded time.
 */
import { Effect } from "effect"

const pause = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 5)))

/** Waits until `condition` holds; the test dies after `withinMillis` of real time (default 5 s). */
export const eventually = <E, R>(condition: Effect.Effect<boolean, E, R>, withinMillis = 5_000): Effect.Effect<void, E, R> =>
  Effect.gen(function*() {
    const deadline = Date.now() + withinMillis
    while (!(yield* condition)) {
      if (Date.now() > deadline) return yield* Effect.die(new Error(`condition not met within ${withinMillis} ms of real time`))
      yield* pause
    }
  })
