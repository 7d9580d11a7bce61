/**
 * The bearer client assembled: for each request, the origin policy decides whether the
 * token goes, then the send path (token, exchange, the one replay a 401 earns) runs under
 * the retry and inside the call's span. Each concern lives in `./bearer/`: `options`,
 * `originPolicy`, `retry`, `send`, `unauthorized`, `callerResponse` (the token-free
 * response and failures), `tokenFailure` and `tracing`. The happy path is an origin lookup,
 * a token read and one exchange; the retry and 401 machinery is built only on failure.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Cause, Effect, Either } from "effect"
import type * as AccessToken from "../AccessToken.js"
import type { Options } from "../BearerHttpClient.js"
import type * as TokenError from "../TokenError.js"
import * as TokenMetrics from "../TokenMetrics.js"
import type * as TokenProvider from "../TokenProvider.js"
import { type Settings, validate } from "./bearer/options.js"
import { requestUrl, route } from "./bearer/originPolicy.js"
import { withRetry } from "./bearer/retry.js"
import { bounded, send } from "./bearer/send.js"
import { fromTokenError } from "./bearer/tokenFailure.js"
import { makeTrace, traced, type Trace } from "./bearer/tracing.js"
import { blamesToken, type Memory, recover } from "./bearer/unauthorized.js"

/** @internal */
export { defaultRetry } from "./bearer/options.js"

/** @internal */
export { tokenError } from "./bearer/tokenFailure.js"

/** @internal */
export const unauthorizedResponses = TokenMetrics.unauthorizedResponses

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
  const execute = (request: HttpClientRequest.HttpClientRequest) => {
    const trace = makeTrace()
    const call = decide({ client, provider, settings, memory, request, trace })
    if (!settings.span) return call
    // A request refused for its URL fails before its span, as it did before it had one.
    const parsed = requestUrl(request)
    return Either.isLeft(parsed) ? call : traced(provider.name, request, parsed.right, trace, call)
  }
  return HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
    (request) => Effect.flatMap(request, execute),
    Effect.succeed
  )
}

/** What one call through the bearer client works with: the client's parts and this request's. */
interface Call {
  readonly client: HttpClient.HttpClient
  readonly provider: TokenProvider.Service
  readonly settings: Settings
  readonly memory: Memory
  readonly request: HttpClientRequest.HttpClientRequest
  readonly trace: Trace
}

const decide = (
  call: Call
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  const { client, request, settings, trace } = call
  const decision = route(settings, request)
  switch (decision) {
    case "WithToken":
      return withRetry(settings, request, trace, sendWithToken(call))
    case "WithoutToken":
      return withRetry(settings, request, trace, bounded(settings, request, trace, send(client, request, request, false, trace)))
  }
  return Effect.fail(decision._tag === "RequestError" ? decision : fromTokenError(request, decision))
}

/**
 * One exchange with the token, and the one replay a 401 earns. The `timeout` bounds the
 * exchange with the token acquisition that precedes it, and the 401's recovery (new
 * token and replay) as a whole. The same effect runs again for each retry.
 */
const sendWithToken = (
  { client, memory, provider, request, settings, trace }: Call
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  /** The provider's token, then `use` it; a failure to get one names the caller's request and the 401 that asked for it. */
  const withToken = <A>(
    use: (token: AccessToken.AccessToken) => Effect.Effect<A, HttpClientError.HttpClientError>,
    response?: HttpClientResponse.HttpClientResponse
  ) => {
    trace.waitingFor = "token"
    // `Effect.mapError` and `Effect.flatMap` in one step.
    return Effect.matchCauseEffect(provider.get, {
      onFailure: (cause) =>
        Either.match(Cause.failureOrCause(cause), {
          onLeft: (error) => Effect.fail(fromTokenError(request, error, response)),
          onRight: Effect.failCause
        }),
      onSuccess: use
    })
  }
  const exchange = (token: AccessToken.AccessToken) => {
    trace.tokenAttached = true
    trace.waitingFor = "response"
    return send(client, request, HttpClientRequest.bearerToken(request, token.value), true, trace)
  }
  // The token of the attempt that runs (the attempts of one call run one after another);
  // each attempt, the retry's included, waits for its own.
  let token: AccessToken.AccessToken
  const first = Effect.suspend(() =>
    withToken((got) => {
      token = got
      return exchange(got)
    })
  )
  return Effect.flatMap(bounded(settings, request, trace, first), (response) => {
    if (!blamesToken(response)) return Effect.succeed(response)
    const url = Either.getOrThrow(requestUrl(request))
    return bounded(
      settings,
      request,
      trace,
      recover(provider, memory, request, url, trace, token, response, (response) => withToken(Effect.succeed, response), exchange)
    )
  })
}
