/**
 * The span of one call of the bearer client and what it records: whether the token went,
 * a 401 and its recovery, the attempts, the final status and the outcome.
 */
import { Cause, Effect, Exit } from "effect"
import type { HttpClientError, HttpClientRequest } from "effect/http"
import { tokenError } from "./tokenFailure.js"

/** What happened during one call, for its span; the steps write it as they go. */
export interface Trace {
  tokenAttached: boolean
  unauthorized: boolean
  recovered: boolean
  attempts: number
  status: number | undefined
  /** What the current step waits for, for the message of a timeout. */
  waitingFor: "token" | "response"
}

/** A trace before the first step. */
export const makeTrace = (): Trace => ({
  tokenAttached: false,
  unauthorized: false,
  recovered: false,
  attempts: 0,
  status: undefined,
  waitingFor: "response"
})

/**
 * The `bearer.outcome` of a call: `Success`, the `TokenError`'s tag, the HTTP failure's
 * reason (`TransportError`, `StatusCodeError`, ...), `Interrupted` or `Defect`.
 */
const outcome = <A>(exit: Exit.Exit<A, HttpClientError.HttpClientError>): string => {
  if (Exit.isSuccess(exit)) return "Success"
  const error = Cause.findErrorOption(exit.cause)
  if (error._tag === "Some") return tokenError(error.value)?._tag ?? error.value.reason._tag
  return Cause.hasInterruptsOnly(exit.cause) ? "Interrupted" : "Defect"
}

/**
 * Runs one call in its `BearerHttpClient.execute` span (the `span` option), recorded from
 * `trace` on the span itself when the call ends.
 */
export const traced = <A>(
  providerName: string,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  trace: Trace,
  call: Effect.Effect<A, HttpClientError.HttpClientError>
): Effect.Effect<A, HttpClientError.HttpClientError> =>
  Effect.useSpan("BearerHttpClient.execute", {
    attributes: {
      "bearer.provider": providerName,
      "http.request.method": request.method,
      "server.address": url.origin,
      "url.path": url.pathname
    }
  }, (span) =>
    Effect.onExit(Effect.withParentSpan(call, span), (exit) =>
      Effect.sync(() => {
        span.attribute("bearer.token_attached", trace.tokenAttached)
        span.attribute("bearer.unauthorized", trace.unauthorized)
        span.attribute("bearer.recovered_from_401", trace.recovered)
        span.attribute("bearer.attempts", trace.attempts)
        span.attribute("bearer.outcome", outcome(exit))
        if (trace.status !== undefined) span.attribute("http.response.status_code", trace.status)
      })))
