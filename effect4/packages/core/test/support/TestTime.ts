/**
 * Time in the v4 tests. Effect 4's `TestClock.adjust` runs the fibers its wake-ups start until
 * they suspend, but a fiber forked just before has to be given turns to reach its first sleep.
 */
import { Duration, Effect } from "effect"
import { TestClock } from "effect/testing"

/** Lets the runnable fibers run for a number of turns; the clock does not move. */
export const settle: Effect.Effect<void> = Effect.gen(function*() {
  for (let turn = 0; turn < 100; turn++) yield* Effect.yieldNow
})

/** `TestClock.adjust` once the fibers forked before have had their turns. */
export const adjust = (duration: Duration.Input): Effect.Effect<void> => Effect.andThen(settle, TestClock.adjust(duration))

/** Waits in real time (for real I/O, e.g. a loopback request), `millis` at most, until `done` holds. */
export const eventually = (done: Effect.Effect<boolean>, millis = 5_000): Effect.Effect<void> =>
  Effect.gen(function*() {
    const until = Date.now() + millis
    while (!(yield* done)) {
      if (Date.now() > until) return yield* Effect.die(new Error("the condition did not hold in time"))
      yield* Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 2)))
    }
  })
