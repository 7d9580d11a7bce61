import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpTraceContext from "@effect/platform/HttpTraceContext"
import { Effect } from "effect"
import { displayUrl, locallyWithAll, manualRedirects } from "./http.js"

/**
 * The platform's span is never made for the requests run under it, and fetch never follows
 * a redirect (the door's requests carry credentials): both in one swap of the fiber's refs.
 */
const asTheDoor = locallyWithAll([
  { fiberRef: HttpClient.currentTracerDisabledWhen, update: () => () => true },
  manualRedirects
])

/** The URLs the door sent to (configured ones: a handful), as its spans show them. */
const shownUrls = new Map<string, { readonly full: string; readonly origin: string } | undefined>()

/** `url` as a span shows it (no userinfo, query or fragment) and its origin; parsed once per URL. */
const shownUrl = (url: string) => {
  if (!shownUrls.has(url)) {
    // Bounded whatever the URLs: a program that sends to ever new ones parses again.
    if (shownUrls.size >= 64) shownUrls.clear()
    shownUrls.set(url, URL.canParse(url) ? { full: displayUrl(new URL(url)), origin: new URL(url).origin } : undefined)
  }
  return shownUrls.get(url)
}

/**
 * Sends a request to the authorization server (token, revocation, discovery) with `client`,
 * never following a redirect, and without the platform's `http.client` span: that span records `url.full` and `url.query` with the
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
    if (span === undefined) return asTheDoor(client.execute(request))
    span.attribute("http.request.method", request.method)
    const shown = shownUrl(request.url)
    if (shown !== undefined) {
      span.attribute("url.full", shown.full)
      span.attribute("server.address", shown.origin)
    }
    const traced = fiber.getFiberRef(HttpClient.currentTracerPropagation)
      ? HttpClientRequest.setHeaders(request, HttpTraceContext.toHeaders(span))
      : request
    return Effect.map(asTheDoor(client.execute(traced)), (response) => {
      span.attribute("http.response.status_code", response.status)
      return response
    })
  })
