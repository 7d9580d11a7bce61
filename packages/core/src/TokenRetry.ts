/**
 * Retry schedules for token requests: only `TemporarilyUnavailable` is retried, a
 * server's `Retry-After` is honoured, and every default is bounded.
 *
 * @since 0.1.0
 */
import { Duration, Schedule } from "effect"
import * as TokenError from "./TokenError.js"

/**
 * The longest `Retry-After` believed; a server asking for more gets this.
 *
 * @since 0.1.0
 * @category constants
 */
export const maximumRetryAfter: Duration.Duration = Duration.minutes(5)

/**
 * Wraps a schedule so that it retries only retryable errors and waits at least the
 * server's `Retry-After` (capped at {@link maximumRetryAfter}).
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
  schedule: Schedule.Schedule<Out, TokenError.TokenError, R>
): Schedule.Schedule<[Out, TokenError.TokenError], TokenError.TokenError, R> =>
  Schedule.intersect(schedule, Schedule.identity<TokenError.TokenError>()).pipe(
    Schedule.whileInput(TokenError.isRetryable),
    Schedule.modifyDelay(([, error], delay) =>
      TokenError.isRetryable(error) && error.retryAfter !== undefined
        ? Duration.max(delay, Duration.min(error.retryAfter, maximumRetryAfter))
        : delay
    )
  )

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
 * wait at most 60 s. The refresh bounds it by the current token's expiry.
 *
 * @since 0.1.0
 * @category schedules
 */
export const backgroundRefresh: Schedule.Schedule<unknown, TokenError.TokenError> = transient(
  Schedule.exponential("1 second").pipe(
    Schedule.jittered,
    Schedule.modifyDelay((_, delay) => Duration.min(delay, Duration.seconds(60)))
  )
)
