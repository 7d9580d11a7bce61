/**
 * A clock moved by hand whose sleeps a test can see: Effect 4's `TestClock` has no list of
 * sleeps, and a test of a wait that starts only after real I/O (a response arrived, then a
 * `Retry-After` or a timeout began) must know the wait began before it moves the time.
 * Install it with `Effect.provideService(Clock.Clock, manual.clock)`.
 */
import { Clock, Duration, Effect } from "effect"

interface Sleeper {
  readonly at: number
  readonly wake: () => void
}

export interface ManualClock {
  readonly clock: Clock.Clock
  /** Moves the time by `duration`, waking each sleeper due on the way at its own instant. */
  readonly adjust: (duration: Duration.Input) => Effect.Effect<void>
  /** Waits, in real time (at most 5 s), until some fiber sleeps until `delay` from now. */
  readonly awaitSleep: (delay: Duration.Input) => Effect.Effect<void>
  /** The instants the sleeping fibers wake at. */
  readonly wakeUps: () => ReadonlyArray<number>
  /** The clock's time. */
  readonly now: () => number
}

/** Lets every runnable fiber run. */
const settle = Effect.gen(function*() {
  for (let turn = 0; turn < 50; turn++) yield* Effect.yieldNow
})

const realPause = Effect.promise(() => new Promise<void>((resolve) => setTimeout(resolve, 2)))

export const make = (start = 0): ManualClock => {
  let now = start
  const sleepers: Array<Sleeper> = []
  const clock: Clock.Clock = {
    currentTimeMillisUnsafe: () => now,
    currentTimeMillis: Effect.sync(() => now),
    currentTimeNanosUnsafe: () => BigInt(Math.floor(now)) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(Math.floor(now)) * 1_000_000n),
    monotonicTimeNanosUnsafe: () => BigInt(Math.floor(now)) * 1_000_000n,
    monotonicTimeNanos: Effect.sync(() => BigInt(Math.floor(now)) * 1_000_000n),
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
  const adjust = (duration: Duration.Input) =>
    Effect.gen(function*() {
      const target = now + Duration.toMillis(Duration.fromInputUnsafe(duration))
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
  const awaitSleep = (delay: Duration.Input) =>
    Effect.gen(function*() {
      const at = now + Duration.toMillis(Duration.fromInputUnsafe(delay))
      for (let turn = 0; turn < 1000; turn++) {
        if (sleepers.some((sleeper) => sleeper.at === at)) return
        yield* realPause
      }
      return yield* Effect.die(
        new Error(`no fiber started sleeping until ${at} (now ${now}; sleeping until ${sleepers.map((sleeper) => sleeper.at).join(", ")})`)
      )
    })
  return { clock, adjust, awaitSleep, wakeUps: () => sleepers.map((sleeper) => sleeper.at), now: () => now }
}
