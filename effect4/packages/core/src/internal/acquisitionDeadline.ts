/**
 * The deadline of the acquisition a token request runs in. A provider over a source whose only
 * waits are exchanges with the authorization server (one built on a token endpoint) sets it
 * instead of wrapping the fetch in a timeout of its own: each exchange then ends at the sooner
 * of its own timeout and this deadline (the retry schedule already starts no wait past it), so
 * a request under an acquisition runs under one timeout, not two. Failing at the deadline is
 * the acquisition's own timeout error, as the wrapping timeout's was.
 */
import { Clock, Context, Duration, Effect } from "effect"
import type * as TokenError from "../TokenError.js"

/** When the acquisition ends (epoch milliseconds on the clock), and the error it ends with. */
export interface AcquisitionDeadline {
  readonly at: number
  readonly timedOut: () => TokenError.TemporarilyUnavailable
}

/** The acquisition a request runs in; none outside a provider's fetch. */
export const AcquisitionDeadline = Context.Reference<AcquisitionDeadline | undefined>(
  "@effect-bearer/core/AcquisitionDeadline",
  { defaultValue: () => undefined }
)

/** Sources whose every wait is an exchange bounded by {@link bounded}: the provider sets the deadline around them. */
export const honouredBy = new WeakSet<object>()

/**
 * `exchange` bounded by `timeout` (failing with `timedOut`) and by the acquisition's deadline, when
 * one is set and comes first (or at the same instant: the acquisition's bound wins, as it did as the outer timeout).
 */
export const bounded = <A, E, R>(
  exchange: Effect.Effect<A, E, R>,
  timeout: Duration.Duration,
  timedOut: () => E
): Effect.Effect<A, E | TokenError.TemporarilyUnavailable, R> =>
  Effect.withFiber((fiber) => {
    const deadline = fiber.getRef(AcquisitionDeadline)
    const left = deadline === undefined ? Infinity : deadline.at - fiber.getRef(Clock.Clock).currentTimeMillisUnsafe()
    if (deadline === undefined || left > Duration.toMillis(timeout)) {
      return Effect.timeoutOrElse(exchange, { duration: timeout, orElse: () => Effect.fail(timedOut()) })
    }
    if (left <= 0) return Effect.fail(deadline.timedOut())
    return Effect.timeoutOrElse(exchange, { duration: Duration.millis(left), orElse: () => Effect.fail(deadline.timedOut()) })
  })
