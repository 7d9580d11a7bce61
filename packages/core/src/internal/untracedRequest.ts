import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpTraceContext from "@effect/platform/HttpTraceContext"
import { Effect, FiberRef, Option } from "effect"
import { displayUrl } from "./http.js"

/**
 * Sends a request to the authorization server (token, revocation, discovery) without the
 * platform's `http.client` span: that span records `url.full` and `url.query` with the
 * query, where a configured URL may carry a secret, and the request headers. The caller's
 * own span (e.g. `TokenEndpoint.requestToken`) gets the same facts without the query
 * (`http.request.method`, `url.full`, `server.address`, `http.response.status_code`), and
 * its trace context goes to the server as the platform's would have, unless trace
 * propagation is turned off (`HttpClient.withTracerPropagation(false)`).
 * @internal
 */
export const execute = (
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const client = HttpClient.withTracerDisabledWhen(yield* HttpClient.HttpClient, () => true)
    const url = URL.canParse(request.url) ? new URL(request.url) : undefined
    yield* Effect.annotateCurrentSpan({
      "http.request.method": request.method,
      ...(url !== undefined ? { "url.full": displayUrl(url), "server.address": url.origin } : {})
    })
    const span = yield* Effect.option(Effect.currentSpan)
    const propagate = yield* FiberRef.get(HttpClient.currentTracerPropagation)
    const traced = propagate && Option.isSome(span)
      ? HttpClientRequest.setHeaders(request, HttpTraceContext.toHeaders(span.value))
      : request
    const response = yield* client.execute(traced)
    yield* Effect.annotateCurrentSpan("http.response.status_code", response.status)
    return response
  })
