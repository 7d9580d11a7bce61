/**
 * One request through the underlying client, bounded by the `timeout` option, and the
 * dropping of a response body the client replaces.
 */
import * as BearerTrace from "@effect-bearer/kernel/BearerTrace"
import { Duration, Effect, Stream } from "effect"
import { HttpClientError } from "effect/http"
import type { HttpClient, HttpClientRequest, HttpClientResponse } from "effect/http"
import { withoutRedirects } from "../http.js"
import { callersError, withRequest } from "./callerResponse.js"
import type { Settings } from "./options.js"
import type { Trace } from "./tracing.js"

/**
 * Sends one request through the underlying client. A request that carries the token never
 * follows a redirect inside the underlying client (fetch would, with the header): the 3xx
 * comes back, and `HttpClient.followRedirects` on top sends each hop through the origin
 * check again. Failures name the request without the token; the status goes to `trace`.
 */
export const send = (
  client: HttpClient.HttpClient,
  original: HttpClientRequest.HttpClientRequest,
  request: HttpClientRequest.HttpClientRequest,
  carriesToken: boolean,
  trace: Trace
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  const sent = carriesToken ? withoutRedirects(client.execute(request)) : client.execute(request)
  return Effect.mapBoth(sent, {
    onSuccess: (response) => {
      trace.status = response.status
      return withRequest(response, original)
    },
    onFailure: (error) => callersError(error, original)
  })
}

/**
 * Bounds one step by the `timeout` option; its failure is a `TransportError` (transient)
 * naming the caller's request and what the step was waiting for. Without a timeout the
 * step runs as it is (no fiber race).
 */
export const bounded = <A>(
  settings: Settings,
  request: HttpClientRequest.HttpClientRequest,
  trace: Trace,
  effect: Effect.Effect<A, HttpClientError.HttpClientError>
): Effect.Effect<A, HttpClientError.HttpClientError> => {
  const timeout = settings.timeout
  if (timeout === undefined) return effect
  return Effect.timeoutOrElse(effect, {
    duration: timeout,
    orElse: () =>
      Effect.fail(
        new HttpClientError.HttpClientError({
          reason: new HttpClientError.TransportError({
            request,
            description: BearerTrace.timeoutDescription(trace, Duration.format(timeout))
          })
        })
      )
  })
}

/**
 * The most bytes of a body read only to be dropped: a small body is read to its end so
 * that its connection can be reused; a larger one is cancelled, which closes the
 * connection instead of reading on.
 */
export const discardLimit = 64 * 1024

/**
 * Drops the body of a response the library replaces (a 401 before its replay, a
 * transient answer before a retry): at most {@link discardLimit} bytes are read, for at
 * most a second (a server that drips its body gets its connection closed), then the rest
 * is cancelled. Never fails: a body that cannot be read is as good as read.
 */
export const discard = (response: HttpClientResponse.HttpClientResponse): Effect.Effect<void> => {
  let size = 0
  const read = Stream.runDrain(Stream.takeWhile(response.stream, (bytes) => {
    size += bytes.length
    return size <= discardLimit
  }))
  return Effect.ignore(Effect.timeout(read, Duration.seconds(1)))
}
