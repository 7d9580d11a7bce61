/**
 * Time in the v4 tests. Effect 4's `TestClock.adjust` runs the fibers its wake-ups start until
 * they suspend, but a fiber forked just before has to be given turns to reach its first sleep.
 */
import type { Clock } from "effect"
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

/**
 * A clock moved by hand for property tests that move time thousands of times with no real time
 * at all: `adjust` wakes each sleeper due on the way at its own instant and lets the runnable
 * fibers run `turns` times after each; `wakeUps` are the instants fibers sleep until. Install it
 * with `Effect.provideService(Clock.Clock, manual.clock)`.
 */
export const makeManualClock = (start: number, turns = 60) => {
  let now = start
  const sleepers: Array<{ readonly at: number; readonly wake: () => void }> = []
  const nanos = () => BigInt(Math.floor(now)) * 1_000_000n
  const clock: Clock.Clock = {
    currentTimeMillisUnsafe: () => now,
    currentTimeMillis: Effect.sync(() => now),
    currentTimeNanosUnsafe: nanos,
    currentTimeNanos: Effect.sync(nanos),
    monotonicTimeNanosUnsafe: nanos,
    monotonicTimeNanos: Effect.sync(nanos),
    sleep: (duration) =>
      Effect.callback<void>((resume) => {
        const sleeper = { at: now + Duration.toMillis(duration), wake: () => resume(Effect.void) }
        sleepers.push(sleeper)
        return Effect.sync(() => {
          const index = sleepers.indexOf(sleeper)
          if (index >= 0) sleepers.splice(index, 1)
        })
      })
  }
  const settleTurns = Effect.gen(function*() {
    for (let turn = 0; turn < turns; turn++) yield* Effect.yieldNow
  })
  const adjust = (millis: number): Effect.Effect<void> =>
    Effect.gen(function*() {
      const target = now + millis
      yield* settleTurns
      while (true) {
        const due = sleepers.filter((sleeper) => sleeper.at <= target).sort((a, b) => a.at - b.at)[0]
        if (due === undefined) break
        sleepers.splice(sleepers.indexOf(due), 1)
        now = Math.max(now, due.at)
        due.wake()
        yield* settleTurns
      }
      now = target
      yield* settleTurns
    })
  return { clock, adjust, settle: settleTurns, wakeUps: () => sleepers.map((sleeper) => sleeper.at), now: () => now }
}
