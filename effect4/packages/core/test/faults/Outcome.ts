/**
 * What a fault test says about an outcome: a typed failure (never a success, a defect or an
 * interruption), within a bound of real time, through each of the Node HTTP clients.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Cause, Duration, Effect, Exit } from "effect"
import type { Layer } from "effect"
import { FetchHttpClient } from "effect/http"
import type { HttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import type { TokenError } from "@effect-bearer/core"
import { inspect } from "node:util"

/** The typed error of `exit`; anything else dies with a description of what happened. */
export const typedFailure = <A, E>(exit: Exit.Exit<A, E>): Effect.Effect<E> => {
  if (Exit.isSuccess(exit)) return Effect.die(new Error(`expected a typed failure, got a success: ${String(exit.value)}`))
  const failure = exit.cause.reasons.find(Cause.isFailReason)
  if (failure === undefined || Cause.hasDies(exit.cause) || Cause.hasInterrupts(exit.cause)) {
    return Effect.die(new Error(`expected a typed failure, got ${Cause.pretty(exit.cause)}`))
  }
  return Effect.succeed(failure.error)
}

/** Dies when `effect` has not finished after `limit` of real time, whatever clock it runs on. */
export const withinRealTime = (limit: Duration.Input) => <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.raceFirst(
    effect,
    TestClock.withLive(Effect.sleep(limit)).pipe(Effect.andThen(Effect.die(new Error(`did not finish within ${Duration.format(Duration.fromInputUnsafe(limit))} of real time (a hang)`))))
  )

/** The fields of a token error that the fault tables compare, `retryAfter` in seconds. */
export const fieldsOf = (error: TokenError.TokenError) => ({
  _tag: error._tag,
  endpoint: error.endpoint,
  status: error.status,
  error: error.error,
  ...("reason" in error ? { reason: error.reason } : {}),
  ...("retryAfter" in error && error.retryAfter !== undefined ? { retryAfterSeconds: Duration.toSeconds(error.retryAfter) } : {}),
  ...("detail" in error ? { detail: error.detail } : {}),
  ...("location" in error && error.location !== undefined ? { location: error.location } : {})
})

/** The three Node HTTP clients a user may provide; the token endpoint must behave the same with each. */
export const clients: ReadonlyArray<readonly [name: string, layer: Layer.Layer<HttpClient.HttpClient>]> = [
  ["undici", NodeHttpClient.layerUndici],
  ["node:http", NodeHttpClient.layerNodeHttp],
  ["fetch", FetchHttpClient.layer]
]

/** Every form in which a failure is printed: the exit's cause pretty and as a string, the error as string, JSON and inspected. */
export const printedForms = (exit: Exit.Exit<unknown, unknown>, error: unknown): ReadonlyArray<string> => [
  ...(Exit.isFailure(exit) ? [Cause.pretty(exit.cause), String(exit.cause)] : []),
  String(error),
  JSON.stringify(error) ?? "",
  inspect(error, { depth: 10 }),
  error instanceof Error ? `${error.message}\n${error.stack ?? ""}` : ""
]
