/**
 * HTTP glue for requests to the authorization server on Effect 4's `effect/http`: a bounded
 * body read, fetch told not to follow redirects (`FetchHttpClient.RequestInit` is a plain
 * service in Effect 4, so it is provided around the request: no FiberRef swap is needed), and
 * the request sent without the platform's `http.client` span (`HttpClient.TracerDisabledWhen`),
 * whose `url.full` would show a query; the caller's own span gets the same facts without it.
 */
import { Context, Effect, Option, Stream, Tracer } from "effect"
import { FetchHttpClient, HttpClient, HttpClientRequest, HttpTraceContext } from "effect/http"
import type { HttpClientError, HttpClientResponse } from "effect/http"
import * as Url from "@effect-bearer/kernel/Url"

/**
 * The body's declared length, when it is one plain number and the body is not encoded (a
 * decompressing client may deliver more than a compressed body's Content-Length).
 */
const declaredLength = (response: HttpClientResponse.HttpClientResponse): number | undefined => {
  const length = response.headers["content-length"]
  const encoding = response.headers["content-encoding"]
  return length !== undefined && /^\d{1,15}$/.test(length) && (encoding === undefined || encoding === "identity")
    ? Number(length)
    : undefined
}

/** Reads the body as text; `None` once over `limit` bytes (the stream is then cancelled). */
export const readBody = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number
): Effect.Effect<Option.Option<string>, HttpClientError.HttpClientError> => {
  const length = declaredLength(response)
  const read = length !== undefined && length <= limit ? Effect.map(response.text, Option.some) : readChunks(response, limit)
  // fetch has no body at all for a 204; the Node clients give an empty one.
  return Effect.catchIf(read, (error) => error.reason._tag === "EmptyBodyError", () => Effect.succeed(Option.some("")))
}

const readChunks = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number
): Effect.Effect<Option.Option<string>, HttpClientError.HttpClientError> =>
  Effect.suspend(() => {
    const chunks: Array<Uint8Array> = []
    let size = 0
    return Stream.runForEachWhile(response.stream, (bytes) =>
      Effect.sync(() => {
        size += bytes.length
        chunks.push(bytes)
        return size <= limit
      })).pipe(
        Effect.map(() => {
          if (size > limit) return Option.none()
          const all = new Uint8Array(size)
          let offset = 0
          for (const bytes of chunks) {
            all.set(bytes, offset)
            offset += bytes.length
          }
          return Option.some(new TextDecoder().decode(all))
        })
      )
  })

/** Runs `effect` with fetch told not to follow redirects; the Node clients never do. */
export const withoutRedirects = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.withFiber((fiber) =>
    Effect.provideService(effect, FetchHttpClient.RequestInit, {
      ...Context.getOrUndefined(fiber.context, FetchHttpClient.RequestInit),
      redirect: "manual"
    })
  )

const never = () => true

/** A URL as a span shows it (without userinfo, query or fragment) and its origin; the last one is kept (the door sends to few). */
const shownUrl = (() => {
  let last: string | undefined
  let shown: { readonly full: string; readonly origin: string } | undefined
  return (raw: string) => {
    if (raw !== last) {
      last = raw
      const url = URL.canParse(raw) ? new URL(raw) : undefined
      shown = url === undefined ? undefined : { full: Url.display(url), origin: url.origin }
    }
    return shown
  }
})()

/**
 * Sends `request` without the platform's span. The caller's span, when there is one, gets the
 * method, the URL without userinfo, query or fragment, the origin and the status, and its trace
 * context goes to the server unless propagation is off (`HttpClient.TracerPropagationEnabled`).
 * Everything it reads is the fiber's context, read in one step.
 */
export const executeUntraced = (
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError, HttpClient.HttpClient> =>
  Effect.withFiber((fiber) => {
    const client = Context.get(fiber.context as Context.Context<HttpClient.HttpClient>, HttpClient.HttpClient)
    const untraced = (sent: HttpClientRequest.HttpClientRequest) =>
      Effect.provideService(client.execute(sent), HttpClient.TracerDisabledWhen, never)
    const parent = Context.getOrUndefined(fiber.context, Tracer.ParentSpan)
    if (parent?._tag !== "Span") return untraced(request)
    const span = parent
    span.attribute("http.request.method", request.method)
    const shown = shownUrl(request.url)
    if (shown !== undefined) {
      span.attribute("url.full", shown.full)
      span.attribute("server.address", shown.origin)
    }
    const propagate = fiber.getRef(HttpClient.TracerPropagationEnabled)
    return Effect.map(untraced(propagate ? HttpClientRequest.setHeaders(request, HttpTraceContext.toHeaders(span)) : request), (response) => {
      span.attribute("http.response.status_code", response.status)
      return response
    })
  })
