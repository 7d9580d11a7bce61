/**
 * What a fault test needs to say about an outcome: it is a typed failure (never a
 * defect, never an interruption), and it did not hang.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Cause, Duration, Effect, Exit, Option, TestServices } from "effect"
import type { Layer } from "effect"
import type { TokenError } from "@effect-bearer/core"

/**
 * The typed error `effect` failed with. A success, a defect or an interruption dies with
 * a description of what happened instead, which fails the test.
 */
export const typedFailure = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<E, never, R> =>
  Effect.flatMap(Effect.exit(effect), (exit) => {
    if (Exit.isSuccess(exit)) return Effect.dieMessage(`expected a typed failure, got a success: ${String(exit.value)}`)
    const failure = Cause.failureOption(exit.cause)
    if (Option.isNone(failure) || Cause.isDie(exit.cause) || Cause.isInterrupted(exit.cause)) {
      return Effect.dieMessage(`expected a typed failure, got ${Cause.pretty(exit.cause)}`)
    }
    return Effect.succeed(failure.value)
  })

/**
 * Fails the test when `effect` has not finished after `limit` of real time, whatever
 * clock the effect itself runs on (the TestClock in `it.effect`).
 */
export const withinRealTime = (limit: Duration.DurationInput) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  TestServices.provideWithLive(effect, (self) =>
    Effect.timeoutFail(self, {
      duration: limit,
      onTimeout: () => new Error(`did not finish within ${Duration.format(Duration.decode(limit))} of real time (a hang)`)
    }).pipe(Effect.orDie))

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
  ["node:http", NodeHttpClient.layer],
  ["fetch", FetchHttpClient.layer]
]
