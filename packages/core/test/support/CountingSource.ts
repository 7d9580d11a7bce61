import { Clock, Duration, Effect, Redacted, Ref } from "effect"
import { AccessToken } from "@effect-bearer/core"
import type { TokenError, TokenSource } from "@effect-bearer/core"

/**
 * A source whose every fetch takes `latency` (or fetch N's) on the clock and yields `tok-N` valid for
 * `lifetime`, or the error `failures` says for fetch N. It records when each fetch began.
 */
export const make = (options: {
  readonly lifetime: Duration.DurationInput
  /** Each fetch's time on the clock: one for all, or fetch N's. */
  readonly latency?: Duration.DurationInput | ((fetch: number) => Duration.DurationInput)
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
