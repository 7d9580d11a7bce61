/**
 * Which failures of the bearer client are retried, and how: Effect 4's
 * `HttpClient.retryTransient` (which statuses and errors are transient, a `Retry-After` as
 * the least delay) on the user's schedule, bounded by the library's policy: a `Retry-After`
 * beyond `maximumRetryAfter` is answered at once, token failures are never retried, a
 * request the server may have acted on is sent again only when idempotent, and a body that
 * cannot be sent twice never is.
 */
import * as RetryAfter from "@effect-bearer/kernel/RetryAfter"
import * as RetrySafety from "@effect-bearer/kernel/RetrySafety"
import { Duration, Effect, Result, Schedule } from "effect"
import { Headers, HttpClient, HttpClientError } from "effect/http"
import type { HttpClientRequest, HttpClientResponse } from "effect/http"
import type { Settings } from "./options.js"
import { discard } from "./send.js"
import { tokenError } from "./tokenFailure.js"
import type { Trace } from "./tracing.js"

/** Marks the failure standing for a transient status while the retry decides. */
class TransientStatus {}

const isTransientStatus = (error: HttpClientError.HttpClientError) => error.reason.cause instanceof TransientStatus

/**
 * A body that can be sent twice: bytes, text, forms. A `Stream` body (and a raw body
 * that is not plain data) may be consumed by the first attempt, so it is never re-sent.
 */
export const isReplayable = (request: HttpClientRequest.HttpClientRequest): boolean => {
  const body = request.body
  switch (body._tag) {
    case "Empty":
    case "Uint8Array":
    case "FormData":
      return true
    case "Raw":
      return typeof body.body === "string" || body.body instanceof Uint8Array || body.body instanceof ArrayBuffer ||
        body.body instanceof URLSearchParams || (typeof Blob !== "undefined" && body.body instanceof Blob)
    case "Stream":
      return false
  }
}

/** A transient status as the failure `retryTransient` sees (a `StatusCodeError` it counts as transient). */
const transientStatus = (request: HttpClientRequest.HttpClientRequest, response: HttpClientResponse.HttpClientResponse) =>
  new HttpClientError.HttpClientError({
    reason: new HttpClientError.StatusCodeError({ request, response, cause: new TransientStatus() })
  })

/**
 * Retries transient failures of replayable requests on the user's schedule. A transient
 * status that outlives the schedule is returned as the response it is. The first attempt
 * is `trace.attempts` 1; the retry machinery is built only once it has failed.
 */
export const withRetry = (
  settings: Settings,
  request: HttpClientRequest.HttpClientRequest,
  trace: Trace,
  attempt: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  trace.attempts = 1
  if (!isReplayable(request)) return attempt
  return Effect.matchEffect(attempt, {
    onSuccess: (response) =>
      HttpClient.isTransientResponse(response)
        ? retry(settings, request, trace, attempt, transientStatus(request, response))
        : Effect.succeed(response),
    onFailure: (error) => retry(settings, request, trace, attempt, error)
  })
}

/**
 * The retries after a first failure, through `retryTransient` over a client whose first
 * answer is that failure, so that delays and counts are those of the user's schedule.
 */
const retry = (
  settings: Settings,
  request: HttpClientRequest.HttpClientRequest,
  trace: Trace,
  attempt: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>,
  first: HttpClientError.HttpClientError
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  let previous: HttpClientError.HttpClientError | undefined
  const classified = Effect.flatMap(attempt, (response) =>
    HttpClient.isTransientResponse(response)
      ? Effect.fail(transientStatus(request, response))
      : Effect.succeed(response))
  const attempts = HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
    () =>
      Effect.suspend(() => {
        if (previous === undefined) {
          previous = first
          return Effect.fail(first)
        }
        // The schedule chose to send again: the previous answer is dropped, its body too.
        trace.attempts++
        const dropped = previous
        return Effect.andThen(
          isTransientStatus(dropped) && dropped.response !== undefined ? discard(dropped.response) : Effect.void,
          Effect.tapError(classified, (error) =>
            Effect.sync(() => {
              previous = error
            }))
        )
      }),
    Effect.succeed
  )
  const retried = HttpClient.retryTransient(attempts, { retryOn: "errors-only", schedule: policy(settings, request) })
  return Effect.catchIf(
    retried.execute(request),
    isTransientStatus,
    (error) => Effect.succeed(error.response!)
  )
}

/**
 * The user's schedule, going on only for failures the library retries: no token failure,
 * a request that is idempotent or that the server did not act on (408, 429), and no
 * `Retry-After` (read by the kernel's parser) beyond `maximumRetryAfter`.
 */
const policy = (
  settings: Settings,
  request: HttpClientRequest.HttpClientRequest
): Schedule.Schedule<unknown, HttpClientError.HttpClientError> => {
  const maximum = Duration.toMillis(settings.maximumRetryAfter)
  return Schedule.while(settings.retry, ({ input, now }) => {
    if (tokenError(input) !== undefined) return false
    const response = input.response
    if (!(response !== undefined && RetrySafety.wasNotProcessed(response.status)) && !settings.idempotent(request)) {
      return false
    }
    const wait = requestedWait(response?.headers["retry-after"], now)
    return wait === undefined || wait <= maximum
  })
}

/**
 * The wait a `Retry-After` asks for, in milliseconds: the longer of the kernel's reading
 * and Effect's (which sets `retryTransient`'s delay), so that no reading either parser
 * accepts can make the client wait past `maximumRetryAfter`.
 */
const requestedWait = (header: string | undefined, now: number): number | undefined => {
  if (header === undefined) return undefined
  const byKernel = RetryAfter.parse(header, now)
  const parsed = Headers.parseRetryAfter(header)
  const byEffect = Result.isSuccess(parsed) ? Duration.toMillis(Headers.retryAfterDelay(parsed.success, now)) : undefined
  return byKernel === undefined ? byEffect : byEffect === undefined ? byKernel : Math.max(byKernel, byEffect)
}
