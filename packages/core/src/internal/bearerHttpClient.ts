import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import { Cause, Duration, Effect, Either, Exit, Inspectable, Metric, Option, Schedule, Stream } from "effect"
import * as AccessToken from "../AccessToken.js"
import type { Options } from "../BearerHttpClient.js"
import * as TokenError from "../TokenError.js"
import * as TokenMetrics from "../TokenMetrics.js"
import type * as TokenProvider from "../TokenProvider.js"
import * as TokenRetry from "../TokenRetry.js"
import * as Challenge from "./bearerChallenge.js"
import { discardBody, displayUrl, isLoopback, parseRetryAfter, withoutRedirects } from "./http.js"

/** Options, checked and normalised once when the client is made. */
interface Settings {
  /** `URL.origin` of each allowed origin (lower case host, default port omitted). */
  readonly origins: ReadonlySet<string>
  /** Host names served over https among the allowed origins, to recognise an http downgrade. */
  readonly secureHostnames: ReadonlySet<string>
  readonly onForeignOrigin: "sendWithoutToken" | "fail"
  readonly retry: Schedule.Schedule<unknown, HttpClientError.HttpClientError>
  readonly idempotent: (request: HttpClientRequest.HttpClientRequest) => boolean
  readonly timeout: Option.Option<Duration.Duration>
  readonly maximumRetryAfter: Duration.Duration
}

/** @internal */
export const defaultRetry: Schedule.Schedule<unknown, HttpClientError.HttpClientError> = Schedule.exponential(
  "200 millis"
).pipe(Schedule.jittered, Schedule.intersect(Schedule.recurs(3)))

/** @internal */
export const unauthorizedResponses = TokenMetrics.unauthorizedResponses

const invalidConfiguration = (setting: string, problem: string) =>
  new TokenError.InvalidConfiguration({ setting, problem })

const validate = (
  options: Options
): Effect.Effect<Settings, TokenError.InvalidConfiguration | TokenError.WrongHost> =>
  Effect.gen(function*() {
    if (options.origins.length === 0) {
      return yield* invalidConfiguration("origins", "list at least one origin the token is for, e.g. https://api.example.com")
    }
    const origins = new Set<string>()
    const secureHostnames = new Set<string>()
    for (const [index, origin] of options.origins.entries()) {
      const setting = `origins[${index}]`
      let url: URL
      try {
        url = new URL(origin)
      } catch {
        // The value itself is not repeated: a mistyped URL may hold credentials.
        return yield* invalidConfiguration(setting, "is not an absolute URL; write an origin such as https://api.example.com")
      }
      if (url.protocol !== "https:" && url.protocol !== "http:") {
        return yield* invalidConfiguration(setting, `uses ${url.protocol}; an origin is https://host[:port]`)
      }
      if (url.username !== "" || url.password !== "" || url.pathname !== "/" || url.search !== "" || url.hash !== "") {
        return yield* invalidConfiguration(
          setting,
          `must be an origin only (scheme, host and port, no path or query), e.g. ${url.origin}`
        )
      }
      if (url.protocol === "http:" && !isLoopback(url.hostname)) {
        return yield* new TokenError.WrongHost({ endpoint: url.origin, reason: "InsecureEndpoint" })
      }
      origins.add(url.origin)
      if (url.protocol === "https:") secureHostnames.add(url.hostname)
    }
    const timeout = Duration.decode(options.timeout ?? Duration.infinity)
    if (!Duration.greaterThan(timeout, Duration.zero)) {
      return yield* invalidConfiguration("timeout", "must be longer than zero")
    }
    const maximumRetryAfter = Duration.decode(options.maximumRetryAfter ?? TokenRetry.maximumRetryAfter)
    return {
      origins,
      secureHostnames,
      onForeignOrigin: options.onForeignOrigin ?? "sendWithoutToken",
      retry: options.retry ?? defaultRetry,
      idempotent: options.idempotent ?? isIdempotentMethod,
      timeout: Duration.isFinite(timeout) ? Option.some(timeout) : Option.none(),
      maximumRetryAfter
    }
  })

/** @internal */
export const make = (
  client: HttpClient.HttpClient,
  provider: TokenProvider.Service,
  options: Options
): Effect.Effect<HttpClient.HttpClient, TokenError.InvalidConfiguration | TokenError.WrongHost> =>
  Effect.map(validate(options), (settings) => authorize(client, provider, settings))

/**
 * The token check runs in the postprocess step, on the final request: request mappings
 * a user adds on top (`HttpClient.mapRequest(HttpClientRequest.prependUrl(...))`) run
 * first, and every hop of `HttpClient.followRedirects` on top goes through it again.
 */
const authorize = (
  client: HttpClient.HttpClient,
  provider: TokenProvider.Service,
  settings: Settings
): HttpClient.HttpClient => {
  const memory: Memory = { refusedWhenFresh: undefined }
  return HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
    (request) => Effect.flatMap(request, (request) => execute(client, provider, settings, memory, request)),
    Effect.succeed
  )
}

/**
 * What one client remembers between calls: the last token the API refused although it
 * had just been issued. A 401 to that token earns no new token (one would be refused
 * too, at the price of a token request per call): replays resume with the next token the
 * provider issues by its own lifecycle (expiry, background refresh, `refresh`).
 */
interface Memory {
  refusedWhenFresh: AccessToken.AccessToken | undefined
}

/** Marks the ResponseError standing for a transient status while the retry decides. */
class RetryableStatus {}

/** What happened during one call, for its span. */
interface Trace {
  tokenAttached: boolean
  unauthorized: boolean
  recovered: boolean
  attempts: number
  status: number | undefined
  /** What the current step waits for, for the message of a timeout. */
  waitingFor: "token" | "response"
}

/** RFC 9110 §9.2.2: requests with these methods may be sent again without a new effect. */
const isIdempotentMethod = (request: HttpClientRequest.HttpClientRequest) =>
  request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS" ||
  request.method === "PUT" || request.method === "DELETE"

/**
 * 408 and 429 say that the server did not act on the request, so any request may be
 * sent again; after a 5xx, a timeout or a broken connection it may have.
 */
const wasNotProcessed = (error: HttpClientError.HttpClientError) =>
  error._tag === "ResponseError" && (error.response.status === 408 || error.response.status === 429)

const isRetryableStatus = (status: number) =>
  status === 408 || status === 429 || status === 500 || status === 502 || status === 503 || status === 504

/** The TokenError a failure stands for, when it stands for one. */
export const tokenError = (error: HttpClientError.HttpClientError): Option.Option<TokenError.TokenError> =>
  TokenError.isTokenError(error.cause) ? Option.some(error.cause) : Option.none()

const isTransient = (error: HttpClientError.HttpClientError): boolean =>
  Option.isNone(tokenError(error)) &&
  (error._tag === "RequestError"
    ? error.reason === "Transport"
    : error.cause instanceof RetryableStatus)

/**
 * A body that can be sent twice: bytes, text, forms. A `Stream` body (and a raw body
 * that is not plain data) may be consumed by the first attempt, so it is never re-sent.
 */
const isReplayable = (request: HttpClientRequest.HttpClientRequest): boolean => {
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

/**
 * A token failure as an `HttpClientError`, so that the client can be the program's
 * `HttpClient`; the `TokenError` is the `cause`. The reasons keep `retryTransient`
 * (and this client's own retry) away from everything but an unreachable token endpoint.
 */
const fromTokenError = (
  request: HttpClientRequest.HttpClientRequest,
  error: TokenError.TokenError,
  response?: HttpClientResponse.HttpClientResponse
): HttpClientError.HttpClientError =>
  response !== undefined
    ? new HttpClientError.ResponseError({
      request,
      response,
      reason: "StatusCode",
      cause: error,
      description: error.message
    })
    : new HttpClientError.RequestError({
      request,
      reason: error._tag === "WrongHost"
        ? "InvalidUrl"
        : error._tag === "TemporarilyUnavailable"
        ? "Transport"
        : "Encode",
      cause: error,
      description: error.message
    })

const execute = (
  client: HttpClient.HttpClient,
  provider: TokenProvider.Service,
  settings: Settings,
  memory: Memory,
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> =>
  Effect.suspend(() => {
    const parsed = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
    if (Either.isLeft(parsed)) {
      return Effect.fail(
        new HttpClientError.RequestError({
          request,
          reason: "InvalidUrl",
          cause: parsed.left,
          description:
            "an absolute URL is needed to decide whether the token may be sent: prepend base URLs on top of the authenticated client, not underneath it"
        })
      )
    }
    const url = parsed.right
    const trace: Trace = {
      tokenAttached: false,
      unauthorized: false,
      recovered: false,
      attempts: 0,
      status: undefined,
      waitingFor: "response"
    }
    return decide(client, provider, settings, memory, request, url, trace).pipe(
      Effect.onExit((exit) =>
        Effect.annotateCurrentSpan({
          "bearer.token_attached": trace.tokenAttached,
          "bearer.unauthorized": trace.unauthorized,
          "bearer.recovered_from_401": trace.recovered,
          "bearer.attempts": trace.attempts,
          "bearer.outcome": Exit.match(exit, {
            onSuccess: () => "Success",
            onFailure: (cause) =>
              Option.match(Cause.failureOption(cause), {
                onSome: (error) => Option.match(tokenError(error), { onSome: (e) => e._tag, onNone: () => error.reason }),
                onNone: () => (Cause.isInterruptedOnly(cause) ? "Interrupted" : "Defect")
              })
          }),
          ...(trace.status !== undefined ? { "http.response.status_code": trace.status } : {})
        })
      ),
      // No call-site stack trace: capturing one costs more than the rest of the span.
      Effect.withSpan("BearerHttpClient.execute", {
        captureStackTrace: false,
        attributes: {
          "bearer.provider": provider.name,
          "http.request.method": request.method,
          "server.address": url.origin,
          "url.path": url.pathname
        }
      })
    )
  })

const decide = (
  client: HttpClient.HttpClient,
  provider: TokenProvider.Service,
  settings: Settings,
  memory: Memory,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  trace: Trace
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  if (settings.origins.has(url.origin)) {
    return withRetry(
      settings,
      request,
      trace,
      Effect.suspend(() => {
        trace.attempts++
        return sendWithToken(client, provider, settings, memory, request, url, trace)
      })
    )
  }
  if (url.protocol === "http:" && !isLoopback(url.hostname) && settings.secureHostnames.has(url.hostname)) {
    // The API's own host over plain http: a mistake worth an error, not a silent 401.
    return Effect.fail(
      fromTokenError(request, new TokenError.WrongHost({ endpoint: displayUrl(url), reason: "InsecureEndpoint" }))
    )
  }
  if (settings.onForeignOrigin === "fail") {
    return Effect.fail(
      fromTokenError(
        request,
        new TokenError.WrongHost({ endpoint: displayUrl(url), reason: "ForeignOrigin", location: url.origin })
      )
    )
  }
  return withRetry(
    settings,
    request,
    trace,
    Effect.suspend(() => {
      trace.attempts++
      return bounded(settings, request, trace, send(client, request, request, false))
    })
  )
}

/**
 * Retries transient failures of replayable requests on the user's schedule, waiting at
 * least a `Retry-After` up to `maximumRetryAfter` (beyond it the answer is returned at
 * once). A request that is not idempotent is sent again only when the server said it did
 * not act on it (408, 429). A transient status that outlives the schedule is returned as
 * the response it is.
 */
const withRetry = (
  settings: Settings,
  request: HttpClientRequest.HttpClientRequest,
  trace: Trace,
  attempt: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  const classified = Effect.flatMap(attempt, (response) => {
    trace.status = response.status
    return isRetryableStatus(response.status)
      ? Effect.fail(
        new HttpClientError.ResponseError({ request, response, reason: "StatusCode", cause: new RetryableStatus() })
      )
      : Effect.succeed(response)
  })
  // The retry machinery is built only once an attempt has failed: most requests succeed
  // at once. The first failure is handed to the schedule as if `Effect.retry` had seen it,
  // so delays and counts are those of the user's schedule.
  const retried = isReplayable(request)
    ? Effect.catchAll(classified, (first) => {
      let previous: HttpClientError.HttpClientError | undefined
      const remember = (error: HttpClientError.HttpClientError) =>
        Effect.sync(() => {
          previous = error
        })
      return Effect.retry(
        Effect.suspend(() => {
          if (previous === undefined) {
            previous = first
            return Effect.fail(first)
          }
          // The schedule chose to send again: the previous answer is dropped, its body too.
          return Effect.zipRight(discardDropped(previous), Effect.tapError(classified, remember))
        }),
        retrySchedule(settings, request)
      )
    })
    : classified
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

const retryAfter = (error: HttpClientError.HttpClientError, now: number): Option.Option<Duration.Duration> =>
  error._tag === "ResponseError" ? parseRetryAfter(error.response.headers["retry-after"], now) : Option.none()

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

/**
 * One exchange with the token, and the one replay a 401 earns. The `timeout` bounds the
 * exchange with the token acquisition that precedes it, and the 401's recovery (new
 * token and replay) as a whole.
 */
const sendWithToken = (
  client: HttpClient.HttpClient,
  provider: TokenProvider.Service,
  settings: Settings,
  memory: Memory,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  trace: Trace
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  const getToken = (response?: HttpClientResponse.HttpClientResponse) => {
    trace.waitingFor = "token"
    return Effect.mapError(provider.get, (error) => fromTokenError(request, error, response))
  }
  const exchange = (token: AccessToken.AccessToken) => {
    trace.tokenAttached = true
    trace.waitingFor = "response"
    return send(client, request, withToken(request, token), true)
  }
  let token: AccessToken.AccessToken
  const first = Effect.flatMap(getToken(), (got) => {
    token = got
    return exchange(got)
  })
  return Effect.flatMap(bounded(settings, request, trace, first), (response) => {
    trace.status = response.status
    if (response.status !== 401 || !Challenge.blamesToken(response.headers["www-authenticate"])) {
      return Effect.succeed(response)
    }
    return bounded(
      settings,
      request,
      trace,
      recover(provider, memory, request, url, trace, token, response, getToken, exchange)
    )
  })
}

/**
 * After a 401 that blames the token: replace the token and replay the request once. A
 * token the API already refused when it was fresh is not replaced (a new one would be
 * refused too): the call fails at once unless the provider has a newer token anyway.
 */
const recover = (
  provider: TokenProvider.Service,
  memory: Memory,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  trace: Trace,
  token: AccessToken.AccessToken,
  response: HttpClientResponse.HttpClientResponse,
  getToken: (
    response: HttpClientResponse.HttpClientResponse
  ) => Effect.Effect<AccessToken.AccessToken, HttpClientError.HttpClientError>,
  exchange: (token: AccessToken.AccessToken) => Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> =>
  Effect.gen(function*() {
    trace.unauthorized = true
    const annotations = { provider: provider.name, endpoint: displayUrl(url) }
    const refusedWhenFresh = memory.refusedWhenFresh !== undefined &&
      AccessToken.sameValue(memory.refusedWhenFresh, token)
    if (!refusedWhenFresh) yield* provider.invalidate(token)
    if (!isReplayable(request)) {
      yield* recordUnauthorized(provider, "NotReplayable")
      yield* Effect.logWarning(
        refusedWhenFresh
          ? "The API refused the token (401), as it did when the token was fresh; this request is not replayed because its body is a stream"
          : "The API refused the token (401); the token was replaced, but this request is not replayed because its body is a stream"
      ).pipe(Effect.annotateLogs(annotations))
      return response
    }
    yield* discard(response)
    const fresh = yield* getToken(response)
    if (AccessToken.sameValue(fresh, token)) {
      // The provider has nothing newer (a static token, a server that hands out the same
      // token again, or a token the API refused when fresh and that has not been renewed
      // yet): replaying would only be refused again.
      yield* recordUnauthorized(provider, "Expired")
      if (refusedWhenFresh) {
        yield* Effect.logDebug(
          "The API refused the token (401), as it did when the token was fresh; no new token is requested until the provider renews it"
        ).pipe(Effect.annotateLogs(annotations))
      }
      return yield* Effect.fail(expired(request, url, response, [token], refusedWhenFresh))
    }
    yield* Effect.logInfo("The API refused the token (401); replaying the request once with a fresh token").pipe(
      Effect.annotateLogs(annotations)
    )
    const replayed = yield* exchange(fresh)
    trace.status = replayed.status
    if (replayed.status === 401) {
      // Remembered only when the API blames the token itself, not its scope for this request.
      if (Challenge.blamesToken(replayed.headers["www-authenticate"])) memory.refusedWhenFresh = fresh
      yield* recordUnauthorized(provider, "Expired")
      yield* Effect.logWarning(
        "The API refused a freshly issued token (401) too; giving up, and requesting no new token for this API until the provider renews this one"
      ).pipe(Effect.annotateLogs(annotations))
      return yield* Effect.fail(expired(request, url, replayed, [token, fresh], false))
    }
    trace.recovered = true
    yield* recordUnauthorized(provider, "Replayed")
    return replayed
  })

const recordUnauthorized = (provider: TokenProvider.Service, outcome: "Replayed" | "Expired" | "NotReplayable") =>
  Metric.increment(Metric.tagged(Metric.tagged(unauthorizedResponses, "provider", provider.name), "outcome", outcome))

const withToken = (request: HttpClientRequest.HttpClientRequest, token: AccessToken.AccessToken) =>
  HttpClientRequest.bearerToken(request, token.value)

/** What the `Expired` error adds when the API refuses every fresh token, not just one. */
const refusesFreshTokens =
  "It refused the previous freshly issued token too, so no new token is requested for it until the provider renews the current one: check that the client's scope, audience and account permissions cover this API."

const expired = (
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  response: HttpClientResponse.HttpClientResponse,
  sent: ReadonlyArray<AccessToken.AccessToken>,
  refusedBefore: boolean
): HttpClientError.HttpClientError =>
  fromTokenError(
    request,
    new TokenError.Expired({
      endpoint: displayUrl(url),
      status: response.status,
      reason: "RejectedByResource",
      // The API's texts may repeat the tokens it refused.
      ...Challenge.bearerError(response.headers["www-authenticate"], sent.map((token) => token.value)),
      ...(refusedBefore ? { hint: refusesFreshTokens } : {})
    }),
    response
  )

/**
 * Drops the body of a response the library replaces (a 401 before its replay, a
 * transient answer before a retry): at most `discardLimit` bytes are read, for at most a
 * second (a server that drips its body gets its connection closed), then the rest is
 * cancelled. Nothing the server sends can make it read on.
 */
const discard = (response: HttpClientResponse.HttpClientResponse): Effect.Effect<void> =>
  Effect.ignore(Effect.timeout(discardBody(response), Duration.seconds(1)))

/**
 * Bounds one step by the `timeout` option; its failure names the caller's request and
 * what the step was waiting for.
 */
const bounded = <A>(
  settings: Settings,
  request: HttpClientRequest.HttpClientRequest,
  trace: Trace,
  effect: Effect.Effect<A, HttpClientError.HttpClientError>
): Effect.Effect<A, HttpClientError.HttpClientError> =>
  Option.match(settings.timeout, {
    onNone: () => effect,
    onSome: (timeout) =>
      Effect.timeoutFail(effect, {
        duration: timeout,
        onTimeout: () =>
          new HttpClientError.RequestError({
            request,
            reason: "Transport",
            description: `no ${trace.waitingFor} within ${Duration.format(timeout)}`
          })
      })
  })

/**
 * Sends one request through the underlying client. A request that carries the token
 * never follows a redirect inside the underlying client (fetch would, with the header):
 * the 3xx comes back, and `HttpClient.followRedirects` on top sends each hop through the
 * origin check again. Failures name the request without the token.
 */
const send = (
  client: HttpClient.HttpClient,
  original: HttpClientRequest.HttpClientRequest,
  request: HttpClientRequest.HttpClientRequest,
  carriesToken: boolean
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  const sent = carriesToken ? withoutRedirects(client.execute(request)) : client.execute(request)
  return Effect.mapBoth(sent, {
    onSuccess: (response) => withRequest(response, original),
    onFailure: (error) => error.request === original ? error : callersError(error, original)
  })
}

/**
 * The same failure as the caller may see it: naming the caller's request, without the
 * token, and the response as the caller sees it (`response`, or a {@link CallerResponse}
 * of the failure's own). A failure nested as the cause is rewritten the same way.
 */
const callersError = <E extends HttpClientError.HttpClientError>(
  error: E,
  request: HttpClientRequest.HttpClientRequest,
  response?: HttpClientResponse.HttpClientResponse
): E => {
  const cause = HttpClientError.isHttpClientError(error.cause) && error.cause.request !== request
    ? callersError(error.cause, request)
    : error.cause
  const fields = {
    request,
    ...(cause !== undefined ? { cause } : {}),
    ...(error.description !== undefined ? { description: error.description } : {})
  }
  return (error._tag === "RequestError"
    ? new HttpClientError.RequestError({ ...fields, reason: error.reason })
    : new HttpClientError.ResponseError({
      ...fields,
      response: response ?? withRequest(error.response, request),
      reason: error.reason
    })) as E
}

/**
 * The response as the caller sees it: its `request` is the caller's own, without the
 * token. @effect/platform prints a response with its request's headers, redacted only
 * inside a logger, so printing a response outside one would otherwise show the token.
 */
const withRequest = (
  response: HttpClientResponse.HttpClientResponse,
  request: HttpClientRequest.HttpClientRequest
): HttpClientResponse.HttpClientResponse =>
  response.request === request ? response : new CallerResponse(response, request)

/** `value` with every occurrence of `secret` in its strings replaced, for printing. */
const withoutText = (value: unknown, secret: string): unknown => {
  if (typeof value === "string") return value.split(secret).join("<redacted>")
  if (Array.isArray(value)) return value.map((item) => withoutText(item, secret))
  // Plain objects, and records such as `Headers` (whose prototype has no constructor).
  if (typeof value === "object" && value !== null && (value.constructor === Object || value.constructor === undefined)) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, withoutText(item, secret)]))
  }
  return value
}

/**
 * Delegates everything to the real response but `request`, the printed forms and the
 * failures of reading the body, which name this response and the caller's request
 * instead of the real ones (whose request carries the token).
 */
class CallerResponse implements HttpClientResponse.HttpClientResponse {
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly #response: HttpClientResponse.HttpClientResponse
  constructor(response: HttpClientResponse.HttpClientResponse, readonly request: HttpClientRequest.HttpClientRequest) {
    this.#response = response
  }
  get status() {
    return this.#response.status
  }
  get headers() {
    return this.#response.headers
  }
  get cookies() {
    return this.#response.cookies
  }
  get remoteAddress() {
    return this.#response.remoteAddress
  }
  get formData() {
    return Effect.mapError(this.#response.formData, this.#callersError)
  }
  get json() {
    return Effect.mapError(this.#response.json, this.#callersError)
  }
  get text() {
    return Effect.mapError(this.#response.text, this.#callersError)
  }
  get urlParamsBody() {
    return Effect.mapError(this.#response.urlParamsBody, this.#callersError)
  }
  get arrayBuffer() {
    return Effect.mapError(this.#response.arrayBuffer, this.#callersError)
  }
  get stream() {
    return Stream.mapError(this.#response.stream, this.#callersError)
  }
  readonly #callersError = (error: HttpClientError.ResponseError): HttpClientError.ResponseError =>
    callersError(error, this.request, this)
  toJSON(): unknown {
    const printed = HttpIncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
    // An API may repeat the token it was sent (in `WWW-Authenticate`, in an error body).
    const sent = /^bearer\s+(\S+)/i.exec(this.#response.request.headers["authorization"] ?? "")?.[1]
    return sent === undefined ? printed : withoutText(printed, sent)
  }
  toString(): string {
    return Inspectable.format(this)
  }
  [Inspectable.NodeInspectSymbol](): unknown {
    return this.toJSON()
  }
}

