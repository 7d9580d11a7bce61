/**
 * The library's one waiting policy, on Effect 4's step-function schedules: only
 * `TemporarilyUnavailable` is retried, a `Retry-After` is waited for up to a bound (a longer
 * one gives the error back at once), and an acquisition never starts a wait ending past its
 * deadline. Effect 4's `HttpClient.retryTransient` already stretches a delay to `Retry-After`
 * for HTTP failures, but it has no bound and knows nothing of token errors, hence
 * {@link honourRetryAfter}, written the same way (`Schedule.fromStep` over `Schedule.toStep`).
 *
 * @since 4.0.0
 */
import * as RetryAfter from "@effect-bearer/kernel/RetryAfter"
import { Cause, Duration, Effect, Option, Schedule } from "effect"
import * as TokenError from "./TokenError.js"

/**
 * The longest `Retry-After` an acquisition waits for.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 * @since 4.0.0
 * @category constants
 */
export const maximumRetryAfter: Duration.Duration = Duration.seconds(30)

/**
 * The default bound on one acquisition, every attempt and wait included.
 *
 * @since 4.0.0
 * @category constants
 */
export const defaultAcquisitionTimeout: Duration.Duration = Duration.seconds(30)

/**
 * Options of {@link transient}.
 *
 * @since 4.0.0
 * @category models
 */
export interface TransientOptions {
  /** The longest `Retry-After` waited for. Default: {@link maximumRetryAfter}. */
  readonly maximumRetryAfter?: Duration.Input | undefined
}

/**
 * Which failures {@link honourRetryAfter} retries, and each one's `Retry-After`.
 *
 * @since 4.0.0
 * @category models
 */
export interface RetryAfterPolicy<In> {
  /** Whether this failure may be retried at all. */
  readonly while: (input: In) => boolean
  /** The server's `Retry-After` for it; `now` is the clock's epoch milliseconds. */
  readonly retryAfter: (input: In, now: number) => Option.Option<Duration.Duration>
  /** A longer `Retry-After` stops retrying. */
  readonly maximumRetryAfter: Duration.Input
}

/**
 * `schedule`, going on only while `policy.while` accepts the failure and its `Retry-After` is
 * within the bound, each delay at least that `Retry-After`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 * @since 4.0.0
 * @category schedules
 */
export const honourRetryAfter = <Out, In, E, R>(
  schedule: Schedule.Schedule<Out, In, E, R>,
  policy: RetryAfterPolicy<In>
): Schedule.Schedule<Out, In, E, R> => {
  const bound = Duration.toMillis(policy.maximumRetryAfter)
  return Schedule.fromStep(Effect.map(Schedule.toStep(schedule), (step) => (now: number, input: In) =>
    Effect.flatMap(step(now, input), ([output, delay]) => {
      if (!policy.while(input)) return Cause.done(output)
      const wait = policy.retryAfter(input, now)
      if (Option.isNone(wait)) return Effect.succeed([output, delay] as [Out, Duration.Duration])
      if (Duration.toMillis(wait.value) > bound) return Cause.done(output)
      return Effect.succeed([output, Duration.max(delay, wait.value)] as [Out, Duration.Duration])
    })))
}

/**
 * `schedule` retrying only retryable token errors, honouring their `Retry-After` up to
 * `maximumRetryAfter`.
 *
 * @since 4.0.0
 * @category schedules
 */
export const transient = <Out, E, R>(
  schedule: Schedule.Schedule<Out, TokenError.TokenError, E, R>,
  options?: TransientOptions
): Schedule.Schedule<Out, TokenError.TokenError, E, R> =>
  honourRetryAfter(schedule, {
    while: TokenError.isRetryable,
    retryAfter: (error) => TokenError.isRetryable(error) ? Option.fromUndefinedOr(error.retryAfter) : Option.none(),
    maximumRetryAfter: options?.maximumRetryAfter ?? maximumRetryAfter
  })

/**
 * A `Retry-After` header as a wait from `now` (delay-seconds or an HTTP-date, the kernel's parser).
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 * @since 4.0.0
 * @category Retry-After
 */
export const retryAfterFromHeader = (header: string | undefined, now: number): Option.Option<Duration.Duration> =>
  Option.map(Option.fromNullishOr(RetryAfter.parse(header, now)), Duration.millis)

/**
 * `schedule` stopped before any wait that would end at or after `deadline` (epoch milliseconds).
 *
 * @since 4.0.0
 * @category schedules
 */
export const until = <Out, In, E, R>(
  schedule: Schedule.Schedule<Out, In, E, R>,
  deadline: number
): Schedule.Schedule<Out, In, E, R> =>
  Schedule.fromStep(Effect.map(Schedule.toStep(schedule), (step) => (now: number, input: In) =>
    Effect.flatMap(step(now, input), ([output, delay]) =>
      now + Duration.toMillis(delay) < deadline
        ? Effect.succeed([output, delay] as [Out, Duration.Duration])
        : Cause.done(output))))

/**
 * Retries `effect` on `schedule`, never starting a wait that ends past `deadline`. The
 * schedule starts only at the first failure, which it is handed as its first input, so a
 * first attempt that succeeds costs no schedule.
 *
 * @since 4.0.0
 * @category combinators
 */
export const retryUntil = <A, R, E2, R2>(
  effect: Effect.Effect<A, TokenError.TokenError, R>,
  schedule: Schedule.Schedule<unknown, TokenError.TokenError, E2, R2>,
  deadline: number
): Effect.Effect<A, TokenError.TokenError | E2, R | R2> =>
  Effect.catch(effect, (first) => {
    let replayed = false
    const attempt = Effect.suspend(() => {
      if (replayed) return effect
      replayed = true
      return Effect.fail(first)
    })
    return Effect.retry(attempt, until(schedule, deadline))
  })

/**
 * The default acquisition: up to 2 retries after about 200 ms and 400 ms (jittered).
 *
 * @since 4.0.0
 * @category schedules
 */
export const acquisition: Schedule.Schedule<unknown, TokenError.TokenError> = transient(
  Schedule.exponential("200 millis").pipe(Schedule.jittered, Schedule.upTo({ times: 2 }))
)

/**
 * The background refresh's backoff: exponential from 1 s, jittered, at most 60 s unless the
 * server asks for more (any `Retry-After` is honoured: nobody waits on it).
 *
 * @since 4.0.0
 * @category schedules
 */
export const backgroundRefresh: Schedule.Schedule<unknown, TokenError.TokenError> = transient(
  Schedule.exponential("1 second").pipe(
    Schedule.jittered,
    Schedule.modifyDelay(({ duration }) => Effect.succeed(Duration.min(duration, Duration.seconds(60))))
  ),
  { maximumRetryAfter: Duration.infinity }
)
