/**
 * The randomised test of the token cache (the scenario, its server model and its checks are the
 * conformance TokenCacheScenario, shared with the Effect 3 line): seeded scenarios run over the
 * real stack above the HTTP client (TokenEndpoint, TokenSource, TokenProvider on
 * `Effect.cachedInvalidateWithTTL`), the server an in-process `HttpClient` and time a hand-moved
 * clock, so no real time passes and the clock alone decides what happens when. (Effect 4's
 * property tests take `effect/Arbitrary`; the seeded generator keeps the Effect 3 line's
 * fast-check scenarios, each run reproducible by its seed.)
 */
import { describe, expect, it } from "@effect/vitest"
import { Cause, Clock, Duration, Effect, Exit, Redacted } from "effect"
import { HttpClient, HttpClientResponse } from "effect/http"
import { AccessToken, ClientAuthentication, Grant, TokenProvider } from "@effect-bearer/core"
import * as TokenCacheScenario from "@effect-bearer/conformance/TokenCacheScenario"
import * as ManualClock from "./support/ManualClock.js"
import * as TestTime from "./support/TestTime.js"

type Manual = ManualClock.ManualClock

/** Runs `effect` to its end, moving the clock to each next wake-up while it waits. */
const drive = <A, E>(manual: Manual, effect: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const fiber = yield* Effect.forkChild(effect)
    for (let step = 0; step < 1_000; step++) {
      yield* TestTime.settle
      const done = fiber.pollUnsafe()
      if (done !== undefined) return done
      const next = Math.min(...manual.wakeUps())
      yield* manual.adjust(Number.isFinite(next) ? Math.max(0, next - manual.now()) : 1)
    }
    return yield* Effect.die(new Error("the operation never finished"))
  })

const served = (exit: Exit.Exit<AccessToken.AccessToken, unknown>): TokenCacheScenario.Served<AccessToken.AccessToken> =>
  Exit.isSuccess(exit)
    ? { _tag: "Token", token: exit.value, value: Redacted.value(exit.value.value), expiresAt: exit.value.expiresAt }
    : { _tag: "Failed", defect: Cause.hasDies(exit.cause) || Cause.hasInterrupts(exit.cause) }

const scenario = (scenario: TokenCacheScenario.Scenario, manual: Manual) =>
  Effect.gen(function*() {
    const server = TokenCacheScenario.makeServer(
      { _tag: "Ok", lifetimeSeconds: scenario.first },
      scenario.refreshOnly ? TokenCacheScenario.initialRefreshToken : undefined
    )
    const client = HttpClient.make((request) =>
      Effect.map(Clock.currentTimeMillis, (now) => {
        const answer = server.answer(request.body._tag === "Uint8Array" ? new TextDecoder().decode(request.body.body) : "", now)
        return HttpClientResponse.fromWeb(request, new Response(JSON.stringify(answer.body), { status: answer.status, headers: answer.headers }))
      })
    )
    const provider = yield* TokenProvider.fromEndpoint({
      url: "http://127.0.0.1:1/token",
      grant: scenario.refreshOnly
        ? Grant.refreshToken(Redacted.make(TokenCacheScenario.initialRefreshToken))
        : Grant.password({ username: "me@example.com", password: Redacted.make("pw") }),
      clientAuthentication: ClientAuthentication.publicClient("app")
    }).pipe(Effect.provideService(HttpClient.HttpClient, client), Effect.orDie)
    const run = Effect.runPromiseWith(yield* Effect.context<never>())
    yield* Effect.promise(() =>
      TokenCacheScenario.run(scenario, server, {
        get: () => run(Effect.map(drive(manual, provider.get), served)),
        refresh: () => run(Effect.map(drive(manual, provider.refresh), served)),
        invalidate: (token) => run(provider.invalidate(token)),
        advance: (millis) => run(manual.adjust(millis)),
        now: manual.now,
        minimumExpiryMarginMillis: Duration.toMillis(AccessToken.minimumExpiryMargin)
      }, expect)
    )
  })

describe("TokenProvider, randomised", () => {
  for (let seed = 1; seed <= 50; seed++) {
    it.effect(`seed ${seed}: never serves a dead token, never resends a refresh token, settles to one request per usable lifetime`, () =>
      Effect.suspend(() => {
        const manual = ManualClock.make(TokenCacheScenario.start)
        return Effect.scoped(scenario(TokenCacheScenario.seeded(seed), manual)).pipe(Effect.provideService(Clock.Clock, manual.clock))
      }))
  }
})
