/**
 * Which failures of the bearer client are retried, and how: the user's schedule under the
 * library's one `Retry-After` policy (`TokenRetry.honourRetryAfter`), for replayable
 * requests only, idempotent ones unless the server said it did not act.
 */
import * as RetrySafety from "@effect-bearer/kernel/RetrySafety"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import type { Schedule } from "effect"
import { Effect, Option } from "effect"
import * as TokenRetry from "../../TokenRetry.js"
import type { Settings } from "./options.js"
import { discard } from "./send.js"
import { tokenError } from "./tokenFailure.js"
import type { Trace } from "./tracing.js"

/** Marks the ResponseError standing for a transient status while the retry decides. */
class RetryableStatus {}

const isRetryableStatus = (status: number) =>
  status === 408 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504

/**
 * 408 and 429 say that the server did not act on the request, so any request may be
 * sent again; after a 5xx, a timeout or a broken connection it may have (the kernel's `RetrySafety`).
 */
const wasNotProcessed = (error: HttpClientError.HttpClientError) =>
  error._tag === "ResponseError" && RetrySafety.wasNotProcessed(error.response.status)

const isTransient = (error: HttpClientError.HttpClientError): boolean =>
  Option.isNone(tokenError(error)) &&
  (error._tag === "RequestError"
    ? error.reason === "Transport"
    : error.cause instanceof RetryableStatus)

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

/** A transient status as the failure the schedule sees. */
const transientStatus = (request: HttpClientRequest.HttpClientRequest, response: HttpClientResponse.HttpClientResponse) =>
  new HttpClientError.ResponseError({ request, response, reason: "StatusCode", cause: new RetryableStatus() })

/**
 * Retries transient failures of replayable requests on the user's schedule, waiting at
 * least a `Retry-After` up to `maximumRetryAfter` (beyond it the answer is returned at
 * once). A request that is not idempotent is sent again only when the server said it did
 * not act on it (408, 429). A transient status that outlives the schedule is returned as
 * the response it is. The attempt is `trace.attempts` 1.
 */
export const withRetry = (
  settings: Settings,
  request: HttpClientRequest.HttpClientRequest,
  trace: Trace,
  attempt: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  trace.attempts = 1
  // The retry machinery is built only once an attempt has failed: most requests succeed at once.
  if (!isReplayable(request)) return attempt
  return Effect.matchEffect(attempt, {
    onSuccess: (response) =>
      isRetryableStatus(response.status)
        ? retry(settings, request, trace, attempt, transientStatus(request, response))
        : Effect.succeed(response),
    onFailure: (error) => retry(settings, request, trace, attempt, error)
  })
}

/**
 * The retries after a first failure. It is handed to the schedule as if `Effect.retry`
 * had seen it, so delays and counts are those of the user's schedule.
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
    isRetryableStatus(response.status) ? Effect.fail(transientStatus(request, response)) : Effect.succeed(response))
  const remember = (error: HttpClientError.HttpClientError) =>
    Effect.sync(() => {
      previous = error
    })
  const retried = Effect.retry(
    Effect.suspend(() => {
      if (previous === undefined) {
        previous = first
        return Effect.fail(first)
      }
      // The schedule chose to send again: the previous answer is dropped, its body too.
      trace.attempts++
      return Effect.zipRight(discardDropped(previous), Effect.tapError(classified, remember))
    }),
    retrySchedule(settings, request)
  )
  return Effect.catchIf(
    retried,
    (error): error is HttpClientError.ResponseError =>
      error._tag === "ResponseError" && error.cause instanceof RetryableStatus,
    (error) => Effect.succeed(error.response)
  )
}

/** The body of a transient answer that a retry replaces, read up to the discard limit. */
const discardDropped = (error: HttpClientError.HttpClientError): Effect.Effect<void> =>
  error._tag === "ResponseError" && error.cause instanceof RetryableStatus ? discard(error.response) : Effect.void

/** The `Retry-After` of a failure that is a response, read by the kernel's parser through `TokenRetry`. */
const retryAfter = (error: HttpClientError.HttpClientError, now: number) =>
  error._tag === "ResponseError" ? TokenRetry.retryAfterFromHeader(error.response.headers["retry-after"], now) : Option.none()

/** The user's schedule under the library's one `Retry-After` policy (`TokenRetry.honourRetryAfter`). */
const retrySchedule = (
  settings: Settings,
  request: HttpClientRequest.HttpClientRequest
): Schedule.Schedule<unknown, HttpClientError.HttpClientError> =>
  TokenRetry.honourRetryAfter(settings.retry, {
    while: (error) => isTransient(error) && (wasNotProcessed(error) || settings.idempotent(request)),
    retryAfter,
    maximumRetryAfter: settings.maximumRetryAfter
  })
