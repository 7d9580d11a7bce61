/**
 * What a 401 that blames the token earns: the token is replaced and the request replayed
 * once; a token the API refused when it was fresh earns no new token. Only a 401 pays for
 * anything here. The error's fields and the log lines are the kernel's `ResourceRefusal`.
 */
import * as BearerChallenge from "@effect-bearer/kernel/BearerChallenge"
import * as ResourceRefusal from "@effect-bearer/kernel/ResourceRefusal"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Effect, Metric, Redacted } from "effect"
import * as AccessToken from "../../AccessToken.js"
import * as TokenError from "../../TokenError.js"
import * as TokenMetrics from "../../TokenMetrics.js"
import type * as TokenProvider from "../../TokenProvider.js"
import { displayUrl } from "../http.js"
import { isReplayable } from "./retry.js"
import { discard } from "./send.js"
import { fromTokenError } from "./tokenFailure.js"
import type { Trace } from "./tracing.js"

/**
 * What one client remembers between calls: the last token the API refused although it
 * had just been issued. A 401 to that token earns no new token (one would be refused
 * too, at the price of a token request per call): replays resume with the next token the
 * provider issues by its own lifecycle (expiry, background refresh, `refresh`).
 */
export interface Memory {
  refusedWhenFresh: AccessToken.AccessToken | undefined
}

/** Whether this response is a 401 whose challenge blames the token (RFC 6750 §3.1), so that a fresh token may help. */
export const blamesToken = (response: HttpClientResponse.HttpClientResponse): boolean =>
  response.status === 401 && BearerChallenge.blamesToken(response.headers["www-authenticate"])

/**
 * After a 401 that blames the token: replace the token and replay the request once. A
 * token the API already refused when it was fresh is not replaced (a new one would be
 * refused too): the call fails at once unless the provider has a newer token anyway.
 */
export const recover = (
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
          ? messages.notReplayedStillRefused
          : messages.notReplayed
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
          messages.stillRefused
        ).pipe(Effect.annotateLogs(annotations))
      }
      return yield* Effect.fail(expired(request, url, response, [token], refusedWhenFresh))
    }
    yield* Effect.logInfo(messages.replaying).pipe(
      Effect.annotateLogs(annotations)
    )
    const replayed = yield* exchange(fresh)
    if (replayed.status === 401) {
      // Remembered only when the API blames the token itself, not its scope for this request.
      if (blamesToken(replayed)) memory.refusedWhenFresh = fresh
      yield* recordUnauthorized(provider, "Expired")
      yield* Effect.logWarning(
        messages.refusedFresh
      ).pipe(Effect.annotateLogs(annotations))
      return yield* Effect.fail(expired(request, url, replayed, [token, fresh], false))
    }
    trace.recovered = true
    yield* recordUnauthorized(provider, "Replayed")
    return replayed
  })

const messages = ResourceRefusal.messages

const recordUnauthorized = (provider: TokenProvider.Service, outcome: "Replayed" | "Expired" | "NotReplayable") =>
  Metric.increment(
    Metric.tagged(Metric.tagged(TokenMetrics.unauthorizedResponses, "provider", provider.name), "outcome", outcome)
  )

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
      ...ResourceRefusal.errorFields(response.headers["www-authenticate"], sent.map((token) => Redacted.value(token.value))),
      ...(refusedBefore ? { hint: ResourceRefusal.refusesFreshTokens } : {})
    }),
    response
  )
