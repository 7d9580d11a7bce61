/**
 * TestClock helpers. @effect/vitest does not register forked fibers with the TestClock,
 * so `TestClock.adjust` cannot wait for a fiber that has not reached its sleep yet.
 */
import { Chunk, Clock, Duration, Effect, TestClock } from "effect"
import * as Polling from "@effect-bearer/test-support/Polling"

/** Lets other fibers run until some fiber sleeps on the TestClock; the clock does not move. */
export const untilSleeping: Effect.Effect<void> = Effect.gen(function*() {
  for (let turn = 0; turn < 10_000; turn++) {
    if (Chunk.isNonEmpty(yield* TestClock.sleeps())) return
    yield* Effect.yieldNow()
  }
  return yield* Effect.dieMessage("no fiber started sleeping on the TestClock")
})

/**
 * Waits, in real time, until some fiber sleeps on the TestClock until `delay` from now:
 * for a sleep that starts only once real I/O has happened (a response arrived).
 */
export const awaitSleep = (delay: Duration.DurationInput): Effect.Effect<void> =>
  Effect.flatMap(Clock.currentTimeMillis, (now) => {
    const wakeAt = now + Duration.toMillis(delay)
    return Polling.eventually(Effect.map(TestClock.sleeps(), (sleeps) => Chunk.some(sleeps, (at) => at === wakeAt)))
  })

/**
 * Moves the TestClock on to its next whole second (HTTP dates have no finer unit) and
 * returns that time: for tests that read times relative to their start, whatever time
 * the TestClock had when they began.
 */
export const wholeSecond: Effect.Effect<number> = Effect.gen(function*() {
  const now = yield* Clock.currentTimeMillis
  if (now % 1000 !== 0) yield* TestClock.adjust(1000 - (now % 1000))
  return yield* Clock.currentTimeMillis
})

/** `TestClock.adjust`, once a fiber is sleeping on the TestClock. */
export const adjustWhenSleeping = (duration: Duration.DurationInput): Effect.Effect<void> =>
  Effect.zipRight(untilSleeping, TestClock.adjust(duration))

/**
 * A clock moved by hand, for property-based tests that move time thousands of times.
 * `TestClock.adjust` waits on real timers (`setTimeout`) at every wake-up to see that
 * the fibers are suspended, which costs milliseconds per move; this one wakes sleepers
 * in order and lets the runnable fibers run `turns` times before the next one, with no
 * real time at all. Install it with `Effect.withClock(manual.clock)`.
 */
export const makeManualClock = (start: number, turns = 60) => {
  let now = start
  const sleepers: Array<{ readonly at: number; readonly wake: () => void }> = []
  const clock: Clock.Clock = {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: () => now,
    currentTimeMillis: Effect.sync(() => now),
    unsafeCurrentTimeNanos: () => BigInt(Math.floor(now)) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(Math.floor(now)) * 1_000_000n),
    sleep: (duration) =>
      Effect.async<void>((resume) => {
        const sleeper = { at: now + Duration.toMillis(duration), wake: () => resume(Effect.void) }
        sleepers.push(sleeper)
        return Effect.sync(() => {
          const index = sleepers.indexOf(sleeper)
          if (index >= 0) sleepers.splice(index, 1)
        })
      })
  }
  /** Lets every runnable fiber run. */
  const settle = Effect.gen(function*() {
    for (let turn = 0; turn < turns; turn++) yield* Effect.yieldNow()
  })
  /** Moves the time by `millis`, waking each sleeper due on the way at its own instant. */
  const adjust = (millis: number): Effect.Effect<void> =>
    Effect.gen(function*() {
      const target = now + millis
      yield* settle
      while (true) {
        const due = sleepers.filter((sleeper) => sleeper.at <= target).sort((a, b) => a.at - b.at)[0]
        if (due === undefined) break
        sleepers.splice(sleepers.indexOf(due), 1)
        now = Math.max(now, due.at)
        due.wake()
        yield* settle
      }
      now = target
      yield* settle
    })
  /** The instants at which fibers sleep until. */
  const wakeUps = () => sleepers.map((sleeper) => sleeper.at)
  return { clock, adjust, settle, wakeUps, now: () => now }
}
