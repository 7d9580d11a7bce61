/**
 * The span of one call of the bearer client (the `span` option): the kernel's `BearerTrace`
 * attributes (whether the token went, a 401 and its recovery, the attempts, the final
 * status), and the outcome, recorded on the span itself when the call ends.
 */
import * as BearerTrace from "@effect-bearer/kernel/BearerTrace"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Cause, Effect, Exit, Option } from "effect"
import { tokenError } from "./tokenFailure.js"

/** What happened during one call, for its span; the steps write it as they go (the kernel's `BearerTrace`). */
export type Trace = BearerTrace.Trace

/** A trace before the first step. */
export const makeTrace: () => Trace = BearerTrace.make

/** The `bearer.outcome` of a call: `Success`, the `TokenError`'s tag, the HTTP failure's reason, `Interrupted` or `Defect`. */
const outcome = <A>(exit: Exit.Exit<A, HttpClientError.HttpClientError>): string =>
  Exit.match(exit, {
    onSuccess: () => "Success",
    onFailure: (cause) =>
      Option.match(Cause.failureOption(cause), {
        onSome: (error) => Option.match(tokenError(error), { onSome: (e) => e._tag, onNone: () => error.reason }),
        onNone: () => (Cause.isInterruptedOnly(cause) ? "Interrupted" : "Defect")
      })
  })

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
  // No call-site stack trace: capturing one costs more than the rest of the span.
  Effect.useSpan("BearerHttpClient.execute", {
    captureStackTrace: false,
    attributes: BearerTrace.startAttributes(providerName, request.method, url)
  }, (span) =>
    Effect.onExit(Effect.withParentSpan(call, span), (exit) =>
      Effect.sync(() => {
        for (const [key, value] of Object.entries(BearerTrace.endAttributes(trace, outcome(exit)))) {
          span.attribute(key, value)
        }
      })))
