/**
 * A source whose every fetch takes `latency` (or fetch N's) on the clock and yields `tok-N` valid for
 * `lifetime`, or the error `failures` says for fetch N; it records when each fetch began.
 */
import { Clock, Duration, Effect, Redacted, Ref } from "effect"
import { AccessToken, TokenError } from "@effect-bearer/core"
import type { TokenSource } from "@effect-bearer/core"

export const make = (options: {
  readonly lifetime: Duration.Input
  /** Each fetch's time on the clock: one for all, or fetch N's. */
  readonly latency?: Duration.Input | ((fetch: number) => Duration.Input)
  readonly failures?: ((fetch: number) => TokenError.TokenError | undefined) | undefined
}) =>
  Effect.gen(function*() {
    const started = yield* Ref.make<ReadonlyArray<number>>([])
    const source: TokenSource.TokenSource = {
      name: "test",
      grantType: "client_credentials",
      fetch: () =>
        Effect.gen(function*() {
          const now = yield* Clock.currentTimeMillis
          const n = (yield* Ref.updateAndGet(started, (all) => [...all, now])).length
          const latency = typeof options.latency === "function" ? options.latency(n) : options.latency
          if (latency !== undefined) yield* Effect.sleep(latency)
          const failure = options.failures?.(n)
          if (failure !== undefined) return yield* Effect.fail(failure)
          return AccessToken.make({ value: Redacted.make(`tok-${n}`), issuedAt: now, lifetime: options.lifetime })
        })
    }
    return { source, started: Ref.get(started), fetches: Effect.map(Ref.get(started), (all) => all.length) }
  })

/** A 503 from the token endpoint. */
export const serverError = new TokenError.TemporarilyUnavailable({ endpoint: "test", status: 503, reason: "ServerError" })

/** The token's value. */
export const valueOf = (token: AccessToken.AccessToken): string => Redacted.value(token.value)

/** Effect 3's `Duration.decode` spelled for both: milliseconds of an input. */
export const millis = (input: Duration.Input): number => Duration.toMillis(input)
