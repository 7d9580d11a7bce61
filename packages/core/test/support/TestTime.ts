/**
 * TestClock helpers. @effect/vitest does not register forked fibers with the TestClock,
 * so `TestClock.adjust` cannot wait for a fiber that has not reached its sleep yet.
 */
import { Chunk, Duration, Effect, TestClock, TestServices } from "effect"

/** Lets other fibers run until some fiber sleeps on the TestClock; the clock does not move. */
export const untilSleeping: Effect.Effect<void> = Effect.gen(function*() {
  for (let turn = 0; turn < 10_000; turn++) {
    if (Chunk.isNonEmpty(yield* TestClock.sleeps())) return
    yield* Effect.yieldNow()
  }
  return yield* Effect.dieMessage("no fiber started sleeping on the TestClock")
})

/** `TestClock.adjust`, once a fiber is sleeping on the TestClock. */
export const adjustWhenSleeping = (duration: Duration.DurationInput): Effect.Effect<void> =>
  Effect.zipRight(untilSleeping, TestClock.adjust(duration))

/**
 * Waits for a condition that depends on real I/O (a socket answering), polling in real
 * time for at most `within`; the TestClock does not move.
 */
export const eventually = (condition: Effect.Effect<boolean>, within: Duration.DurationInput = "5 seconds") =>
  Effect.gen(function*() {
    const deadline = Date.now() + Duration.toMillis(Duration.decode(within))
    while (!(yield* condition)) {
      if (Date.now() > deadline) return yield* Effect.dieMessage("condition not met in time")
      yield* TestServices.provideLive(Effect.sleep("5 millis"))
    }
  })
