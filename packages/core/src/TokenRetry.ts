/**
 * Retry schedules for token requests, and the one waiting policy of the library: only
 * `TemporarilyUnavailable` is retried; a server's `Retry-After` is waited for when it
 * is at most {@link maximumRetryAfter}, and a server asking for longer gets its
 * `TemporarilyUnavailable` (with `retryAfter`) back at once, never a clamped wait; one
 * acquisition takes at most {@link defaultAcquisitionTimeout} (see `TokenProvider`'s
 * `acquisitionTimeout`) and never starts a wait that would end past its deadline. The
 * background refresh, on which nobody waits, honours any `Retry-After` that ends before
 * the current token expires.
 *
 * @since 0.1.0
 */
import * as RetryAfter from "@effect-bearer/kernel/RetryAfter"
import { Clock, Duration, Effect, Option, Schedule } from "effect"
import * as TokenError from "./TokenError.js"

/**
 * The longest `Retry-After` an acquisition waits for; a server asking for more gets its
 * error back at once, with its `retryAfter`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 * @since 0.1.0
 * @category constants
 */
export const maximumRetryAfter: Duration.Duration = Duration.seconds(30)

/**
 * The default bound on the total time of one token acquisition (every attempt and every
 * wait between them), whatever the schedule and the server say.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultAcquisitionTimeout: Duration.Duration = Duration.seconds(30)

/**
 * Options of {@link transient}.
 *
 * @since 0.1.0
 * @category models
 */
export interface TransientOptions {
  /** The longest `Retry-After` waited for; longer stops retrying. Default: {@link maximumRetryAfter}. */
  readonly maximumRetryAfter?: Duration.DurationInput | undefined
}

/**
 * Wraps a schedule so that it retries only retryable errors, waits at least the
 * server's `Retry-After`, and stops at once when the server asks to wait longer than
 * `maximumRetryAfter` (default {@link maximumRetryAfter}).
 *
 * @example
 * import { Effect, Schedule } from "effect"
 * import { TokenProvider, TokenRetry } from "@effect-bearer/core"
 *
 * const patient = TokenProvider.get.pipe(
 *   Effect.retry(TokenRetry.transient(Schedule.spaced("2 seconds").pipe(Schedule.compose(Schedule.recurs(5)))))
 * )
 *
 * @since 0.1.0
 * @category schedules
 */
export const transient = <Out, R>(
  schedule: Schedule.Schedule<Out, TokenError.TokenError, R>,
  options?: TransientOptions
): Schedule.Schedule<[Out, TokenError.TokenError], TokenError.TokenError, R> =>
  honourRetryAfter(schedule, {
    while: TokenError.isRetryable,
    retryAfter: (error) => TokenError.isRetryable(error) ? Option.fromNullable(error.retryAfter) : Option.none(),
    maximumRetryAfter: options?.maximumRetryAfter ?? maximumRetryAfter
  })

/**
 * Options of {@link honourRetryAfter}: which failures are retried, and the `Retry-After`
 * each one carries.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryAfterPolicy<In> {
  /** Whether this failure may be retried at all. */
  readonly while: (input: In) => boolean
  /** The server's `Retry-After` for this failure; `now` is the `Clock`'s epoch milliseconds. */
  readonly retryAfter: (input: In, now: number) => Option.Option<Duration.Duration>
  /** The longest `Retry-After` waited for; a longer one stops retrying. */
  readonly maximumRetryAfter: Duration.DurationInput
}

/**
 * The library's one `Retry-After` policy, for any failure type (token errors here, HTTP
 * responses in `BearerHttpClient`): `schedule` goes on only while `policy.while` accepts
 * the failure and its `Retry-After` is at most `policy.maximumRetryAfter` (a server asking
 * for longer gets its failure back at once, never a clamped wait), and each delay is at
 * least the server's `Retry-After`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 * @since 0.1.0
 * @category schedules
 */
export const honourRetryAfter = <Out, In, R>(
  schedule: Schedule.Schedule<Out, In, R>,
  policy: RetryAfterPolicy<In>
): Schedule.Schedule<[Out, In], In, R> => {
  const bound = Duration.decode(policy.maximumRetryAfter)
  return Schedule.intersect(schedule, Schedule.identity<In>()).pipe(
    Schedule.whileInputEffect((input: In) =>
      Effect.map(Clock.currentTimeMillis, (now) =>
        policy.while(input) &&
        Option.match(policy.retryAfter(input, now), {
          onNone: () => true,
          onSome: (wait) => Duration.lessThanOrEqualTo(wait, bound)
        }))
    ),
    Schedule.modifyDelayEffect(([, input], delay) =>
      Effect.map(Clock.currentTimeMillis, (now) =>
        Option.match(policy.retryAfter(input, now), {
          onNone: () => delay,
          onSome: (wait) => Duration.max(delay, wait)
        }))
    )
  )
}

/**
 * A response's `Retry-After` header as a wait from `now` (epoch milliseconds, from
 * `Clock`): delay-seconds or an HTTP-date; `None` when absent or unreadable.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 * @since 0.1.0
 * @category Retry-After
 */
export const retryAfterFromHeader = (header: string | undefined, now: number): Option.Option<Duration.Duration> =>
  Option.map(Option.fromNullable(RetryAfter.parse(header, now)), Duration.millis)

/**
 * Retries `effect` on `schedule`, but never starts a wait that would end after
 * `deadline` (epoch milliseconds, from `Clock`): the last error is returned at once
 * instead. The schedule's own limits (including {@link transient}'s) still apply.
 *
 * @since 0.1.0
 * @category combinators
 */
export const retryUntil = <A, R, R2>(
  effect: Effect.Effect<A, TokenError.TokenError, R>,
  schedule: Schedule.Schedule<unknown, TokenError.TokenError, R2>,
  deadline: number
): Effect.Effect<A, TokenError.TokenError, R | R2> =>
  // As `Effect.retry`, but the schedule's driver is made only after a first failure: most requests succeed at once.
  Effect.catchAll(effect, (first) =>
    Effect.flatMap(
      Schedule.driver(schedule.pipe(
        Schedule.delays,
        Schedule.checkEffect((_, delay) => Effect.map(Clock.currentTimeMillis, (now) => now + Duration.toMillis(delay) < deadline))
      )),
      (driver) => {
        const retried = (error: TokenError.TokenError): Effect.Effect<A, TokenError.TokenError, R | R2> =>
          Effect.matchEffect(driver.next(error), {
            onFailure: () => Effect.fail(error),
            onSuccess: () => Effect.catchAll(effect, retried)
          })
        return retried(first)
      }
    ))

/**
 * The default for one acquisition: up to 2 retries after 200 ms and 400 ms (jittered).
 *
 * @since 0.1.0
 * @category schedules
 */
export const acquisition: Schedule.Schedule<unknown, TokenError.TokenError> = transient(
  Schedule.exponential("200 millis").pipe(Schedule.jittered, Schedule.intersect(Schedule.recurs(2)))
)

/**
 * The default backoff of the background refresh: exponential from 1 s, jittered, each
 * wait at most 60 s unless the server's `Retry-After` asks for more (nobody waits on the
 * background refresh, so any `Retry-After` is honoured). The refresh stops when a wait
 * would end after the current token's expiry.
 *
 * @since 0.1.0
 * @category schedules
 */
export const backgroundRefresh: Schedule.Schedule<unknown, TokenError.TokenError> = transient(
  Schedule.exponential("1 second").pipe(
    Schedule.jittered,
    Schedule.modifyDelay((_, delay) => Duration.min(delay, Duration.seconds(60)))
  ),
  { maximumRetryAfter: Duration.infinity }
)
