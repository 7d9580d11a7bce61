/**
 * Waiting for real I/O in a test. `TestClock.adjust` counts a fiber waiting on a socket
 * as suspended and moves on (EFFECT3-NOTES gotcha 12), and a live test has nothing to
 * adjust: either way a test that needs a request to have reached a server, or a fiber to
 * have finished, polls for it on the live clock, a few milliseconds at a time, for a
 * bounded time. The TestClock, if any, does not move.
 */
import { Duration, Effect, TestServices } from "effect"

/** Between two reads: short, so a test waits little longer than the I/O takes. */
const pause = TestServices.provideLive(Effect.sleep("5 millis"))

/**
 * Reads `read` until `done(value)` holds, and returns that value; the test dies after
 * `within` of real time (default 5 seconds).
 */
export const until = <A, E, R>(
  read: Effect.Effect<A, E, R>,
  done: (value: A) => boolean,
  within: Duration.DurationInput = "5 seconds"
): Effect.Effect<A, E, R> =>
  Effect.gen(function*() {
    const limit = Duration.decode(within)
    const deadline = Date.now() + Duration.toMillis(limit)
    while (true) {
      const value = yield* read
      if (done(value)) return value
      if (Date.now() > deadline) {
        return yield* Effect.dieMessage(`condition not met within ${Duration.format(limit)} of real time`)
      }
      yield* pause
    }
  })

/** {@link until} for a condition: waits until `condition` is true. */
export const eventually = <E, R>(
  condition: Effect.Effect<boolean, E, R>,
  within?: Duration.DurationInput
): Effect.Effect<void, E, R> => Effect.asVoid(until(condition, (holds) => holds, within))
