/**
 * One request through the underlying client, bounded by the `timeout` option, and the
 * dropping of a response body the client replaces.
 */
import * as BearerTrace from "@effect-bearer/kernel/BearerTrace"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Duration, Effect, FiberRef, Option } from "effect"
import * as Headers from "@effect/platform/Headers"
import { discardBody, type Local, locallyWithAll, manualRedirects } from "../http.js"
import { callersError, withRequest } from "./callerResponse.js"
import type { Settings } from "./options.js"
import type { Trace } from "./tracing.js"

/** Each list of redacted header names a request ran with, with `WWW-Authenticate` added. */
const withChallengeByNames = new WeakMap<ReadonlyArray<string | RegExp>, ReadonlyArray<string | RegExp>>()

/**
 * The platform's `http.client` span records the response's headers: a server may repeat the
 * token in `WWW-Authenticate` (RFC 6750 §3), so that header is redacted there like `Authorization`.
 * Without a tracer there is no span, and nothing to change.
 */
const redactedChallenge: Local<ReadonlyArray<string | RegExp>> = {
  fiberRef: Headers.currentRedactedNames,
  update: (names, fiber) => {
    if (!fiber.getFiberRef(FiberRef.currentTracerEnabled)) return names
    let withChallenge = withChallengeByNames.get(names)
    if (withChallenge === undefined) withChallengeByNames.set(names, withChallenge = [...names, "www-authenticate"])
    return withChallenge
  }
}

/** What a request carrying the token runs under, set and restored in one step: no redirects, no echoed token in the span. */
const withTokenGuards = locallyWithAll([manualRedirects, redactedChallenge])

/**
 * Sends one request through the underlying client. A request that carries the token
 * never follows a redirect inside the underlying client (fetch would, with the header):
 * the 3xx comes back, and `HttpClient.followRedirects` on top sends each hop through the
 * origin check again; and its platform span redacts `WWW-Authenticate`. Failures name the
 * request without the token; the status goes to `trace`.
 */
export const send = (
  client: HttpClient.HttpClient,
  original: HttpClientRequest.HttpClientRequest,
  request: HttpClientRequest.HttpClientRequest,
  carriesToken: boolean,
  trace: Trace
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  const sent = carriesToken ? withTokenGuards(client.execute(request)) : client.execute(request)
  // `mapBoth` in one step: each outcome is returned as it is, not through one more `sync`.
  return Effect.matchEffect(sent, {
    onSuccess: (response) => {
      trace.status = response.status
      return Effect.succeed(withRequest(response, original))
    },
    onFailure: (error) => Effect.fail(error.request === original ? error : callersError(error, original))
  })
}

/**
 * Bounds one step by the `timeout` option; its failure names the caller's request and
 * what the step was waiting for. Without a timeout the step runs as it is (no fiber race).
 */
export const bounded = <A>(
  settings: Settings,
  request: HttpClientRequest.HttpClientRequest,
  trace: Trace,
  effect: Effect.Effect<A, HttpClientError.HttpClientError>
): Effect.Effect<A, HttpClientError.HttpClientError> => {
  if (Option.isNone(settings.timeout)) return effect
  const timeout = settings.timeout.value
  return Effect.timeoutFail(effect, {
    duration: timeout,
    onTimeout: () =>
      new HttpClientError.RequestError({
        request,
        reason: "Transport",
        description: BearerTrace.timeoutDescription(trace, Duration.format(timeout))
      })
  })
}

/**
 * Drops the body of a response the library replaces (a 401 before its replay, a
 * transient answer before a retry): at most `discardLimit` bytes are read, for at most a
 * second (a server that drips its body gets its connection closed), then the rest is
 * cancelled. Nothing the server sends can make it read on.
 */
export const discard = (response: HttpClientResponse.HttpClientResponse): Effect.Effect<void> =>
  Effect.ignore(Effect.timeout(discardBody(response), Duration.seconds(1)))
