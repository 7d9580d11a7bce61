import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpTraceContext from "@effect/platform/HttpTraceContext"
import { Effect } from "effect"
import { displayUrl, locallyWith } from "./http.js"

/** The platform's span is never made for the requests run under it. */
const withoutPlatformSpan = locallyWith(HttpClient.currentTracerDisabledWhen, () => () => true)

/**
 * Sends a request to the authorization server (token, revocation, discovery) with `client`, without the
 * platform's `http.client` span: that span records `url.full` and `url.query` with the
 * query, where a configured URL may carry a secret, and the request headers. The caller's
 * own span (e.g. `TokenEndpoint.requestToken`) gets the same facts without the query
 * (`http.request.method`, `url.full`, `server.address`, `http.response.status_code`), and
 * its trace context goes to the server as the platform's would have, unless trace
 * propagation is turned off (`HttpClient.withTracerPropagation(false)`).
 * @internal
 */
export const execute = (
  client: HttpClient.HttpClient,
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> =>
  Effect.withFiberRuntime((fiber) => {
    // The caller's span, annotated directly: no span (the tracer disabled) costs nothing.
    const span = fiber.currentSpan?._tag === "Span" ? fiber.currentSpan : undefined
    if (span === undefined) return withoutPlatformSpan(client.execute(request))
    span.attribute("http.request.method", request.method)
    if (URL.canParse(request.url)) {
      const url = new URL(request.url)
      span.attribute("url.full", displayUrl(url))
      span.attribute("server.address", url.origin)
    }
    const traced = fiber.getFiberRef(HttpClient.currentTracerPropagation)
      ? HttpClientRequest.setHeaders(request, HttpTraceContext.toHeaders(span))
      : request
    return Effect.map(withoutPlatformSpan(client.execute(traced)), (response) => {
      span.attribute("http.response.status_code", response.status)
      return response
    })
  })
