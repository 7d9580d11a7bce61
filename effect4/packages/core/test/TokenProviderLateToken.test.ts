/**
 * A token that arrives already past its usable time: the conformance LateTokenCases (shared with
 * the Effect 3 line) over `TokenProvider.make` and a slow source, on the TestClock.
 */
import { describe, expect, it } from "@effect/vitest"
import { Clock, Duration, Effect, Redacted, Ref, Schedule } from "effect"
import { AccessToken, TokenProvider } from "@effect-bearer/core"
import type { TokenSource } from "@effect-bearer/core"
import * as LateTokenCases from "@effect-bearer/conformance/LateTokenCases"
import { valueOf } from "./support/CountingSource.js"
import * as TestTime from "./support/TestTime.js"

/** Fetch N takes `latency(N)` and yields `tok-N`, valid for `lifetime` from when it was asked for. */
const slowSource = (row: LateTokenCases.Case) =>
  Effect.gen(function*() {
    const count = yield* Ref.make(0)
    const source: TokenSource.TokenSource = {
      name: "test",
      grantType: "client_credentials",
      fetch: () =>
        Effect.gen(function*() {
          const issuedAt = yield* Clock.currentTimeMillis
          const n = yield* Ref.updateAndGet(count, (all) => all + 1)
          yield* Effect.sleep(Duration.millis(row.latencyMillis(n)))
          return AccessToken.make({ value: Redacted.make(`tok-${n}`), issuedAt, lifetime: Duration.seconds(row.lifetimeSeconds) })
        })
    }
    return { source, fetches: Ref.get(count) }
  })

describe("TokenProvider with a token that arrives past its usable time", () => {
  for (const row of LateTokenCases.cases) {
    it.effect(row.name, () =>
      Effect.gen(function*() {
        const { fetches, source } = yield* slowSource(row)
        const provider = yield* TokenProvider.make(source, {
          retry: Schedule.recurs(0),
          backgroundRefresh: row.backgroundRefresh ? { at: 0.8, jitter: 0 } : false
        })
        const run = Effect.runPromiseWith(yield* Effect.context<never>())
        yield* Effect.promise(() =>
          LateTokenCases.run(row, {
            get: () =>
              run(Effect.match(provider.get, {
                onSuccess: (token) => ({ _tag: "Token" as const, value: valueOf(token), usableUntil: AccessToken.usableUntil(token, Duration.seconds(1)) }),
                onFailure: (error) => ({ _tag: "Failed" as const, error })
              })),
            advance: (millis) => run(TestTime.adjust(Duration.millis(millis))),
            now: () => run(Clock.currentTimeMillis),
            fetches: () => run(fetches)
          }, expect)
        )
      }))
  }
})
