/**
 * HTTP glue for requests to the authorization server on Effect 4's `effect/http`: a bounded
 * body read, fetch told not to follow redirects (`FetchHttpClient.RequestInit` is a plain
 * service in Effect 4, so it is provided around the request: no FiberRef swap is needed), and
 * the request sent without the platform's `http.client` span (`HttpClient.TracerDisabledWhen`),
 * whose `url.full` would show a query; the caller's own span gets the same facts without it.
 */
import { Effect, Option, Stream } from "effect"
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
  Effect.flatMap(Effect.serviceOption(FetchHttpClient.RequestInit), (init) =>
    Effect.provideService(effect, FetchHttpClient.RequestInit, {
      ...Option.getOrElse(init, () => ({})),
      redirect: "manual"
    }))

const never = () => true

/**
 * Sends `request` without the platform's span. The caller's span, when there is one, gets the
 * method, the URL without userinfo, query or fragment, the origin and the status, and its trace
 * context goes to the server unless propagation is off (`HttpClient.TracerPropagationEnabled`).
 */
export const executeUntraced = (
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const span = Option.getOrUndefined(yield* Effect.option(Effect.currentSpan))
    const untraced = (sent: HttpClientRequest.HttpClientRequest) =>
      Effect.provideService(client.execute(sent), HttpClient.TracerDisabledWhen, never)
    if (span === undefined) return yield* untraced(request)
    span.attribute("http.request.method", request.method)
    if (URL.canParse(request.url)) {
      const url = new URL(request.url)
      span.attribute("url.full", Url.display(url))
      span.attribute("server.address", url.origin)
    }
    const propagate = yield* HttpClient.TracerPropagationEnabled
    const response = yield* untraced(propagate ? HttpClientRequest.setHeaders(request, HttpTraceContext.toHeaders(span)) : request)
    span.attribute("http.response.status_code", response.status)
    return response
  })
