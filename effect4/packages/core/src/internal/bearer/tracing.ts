/**
 * The span of one call of the bearer client (the `span` option): the kernel's `BearerTrace`
 * attributes, recorded on the span itself when the call ends.
 */
import * as BearerTrace from "@effect-bearer/kernel/BearerTrace"
import { Cause, Effect, Exit, Option } from "effect"
import type { HttpClientError, HttpClientRequest } from "effect/http"
import { tokenError } from "./tokenFailure.js"

/** What happened during one call, for its span; the steps write it as they go. */
export type Trace = BearerTrace.Trace

/** The `bearer.outcome` of a call: `Success`, the `TokenError`'s tag, the reason's tag, `Interrupted` or `Defect`. */
const outcome = <A>(exit: Exit.Exit<A, HttpClientError.HttpClientError>): string => {
  if (Exit.isSuccess(exit)) return "Success"
  const error = Cause.findErrorOption(exit.cause)
  if (Option.isSome(error)) return tokenError(error.value)?._tag ?? error.value.reason._tag
  return Cause.hasInterruptsOnly(exit.cause) ? "Interrupted" : "Defect"
}

/** Runs one call in its `BearerHttpClient.execute` span. */
export const traced = <A>(
  providerName: string,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  trace: Trace,
  call: Effect.Effect<A, HttpClientError.HttpClientError>
): Effect.Effect<A, HttpClientError.HttpClientError> =>
  Effect.useSpan(
    "BearerHttpClient.execute",
    { attributes: BearerTrace.startAttributes(providerName, request.method, url) },
    (span) =>
      Effect.onExit(Effect.withParentSpan(call, span), (exit) =>
        Effect.sync(() => {
          for (const [key, value] of Object.entries(BearerTrace.endAttributes(trace, outcome(exit)))) {
            span.attribute(key, value)
          }
        }))
  )
