/**
 * The deadline of the acquisition a token request runs in. A provider over a source whose only
 * waits are exchanges with the authorization server (one built on a token endpoint, or a static
 * token) sets it in the fetch's fiber instead of wrapping the fetch in a timeout of its own:
 * each exchange then ends at the sooner of its own timeout and this deadline (the retry schedule
 * already starts no wait past it), so a token request runs under one timer, not two (each
 * Effect 3 timeout forks two fibers). Failing at the deadline is the acquisition's own timeout
 * error, as the wrapping timeout's was.
 */
import { Clock, Duration, Effect, FiberRef, GlobalValue } from "effect"
import type * as TokenError from "../TokenError.js"

/** When the acquisition ends (epoch milliseconds on the `Clock`), and the error it ends with. */
export interface AcquisitionDeadline {
  readonly at: number
  readonly timedOut: () => TokenError.TemporarilyUnavailable
}

/** The acquisition a request runs in; none outside a provider's fetch. */
export const currentDeadline: FiberRef.FiberRef<AcquisitionDeadline | undefined> = GlobalValue.globalValue(
  Symbol.for("@effect-bearer/core/internal/acquisitionDeadline/currentDeadline"),
  () => FiberRef.unsafeMake<AcquisitionDeadline | undefined>(undefined)
)

/** Sources whose every wait is an exchange bounded by {@link bounded}: the provider sets the deadline around them. */
export const honouredBy = new WeakSet<object>()

/** Marks `source` as one whose every wait is bounded by the deadline ({@link honouredBy}). */
export const honoured = <A extends object>(source: A): A => {
  honouredBy.add(source)
  return source
}

/**
 * `exchange` bounded by `timeout` (failing with `timedOut`) and by the acquisition's deadline, when
 * one is set and comes first (or at the same instant: the acquisition's bound wins, as it did as the
 * outer timeout). Nothing runs once the deadline has passed.
 */
export const bounded = <A, E, R, E2>(
  exchange: Effect.Effect<A, E, R>,
  timeout: Duration.Duration,
  timedOut: () => E2
): Effect.Effect<A, E | E2 | TokenError.TemporarilyUnavailable, R> => {
  const ownTimeout: Effect.Effect<A, E | E2 | TokenError.TemporarilyUnavailable, R> = Effect.timeoutFail(exchange, {
    duration: timeout,
    onTimeout: timedOut
  })
  return Effect.flatMap(FiberRef.get(currentDeadline), (deadline) =>
    deadline === undefined ? ownTimeout : Effect.flatMap(Clock.currentTimeMillis, (now) => {
      const left = deadline.at - now
      if (left > Duration.toMillis(timeout)) return ownTimeout
      if (left <= 0) return Effect.fail(deadline.timedOut())
      return Effect.timeoutFail(exchange, { duration: Duration.millis(left), onTimeout: deadline.timedOut })
    }))
}
