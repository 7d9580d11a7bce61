/**
 * The Effect 4 line's bench for the conformance RefusingApiCases: the `BearerSetup` client and
 * servers, each operation run on the test's own context (its TestClock, its scope, its HTTP client).
 */
import type * as RefusingApiCases from "@effect-bearer/conformance/RefusingApiCases"
import { Effect, Option, Result } from "effect"
import type { Scope } from "effect"
import type { HttpClient } from "effect/http"
import { TestClock } from "effect/testing"
import { BearerHttpClient } from "@effect-bearer/core"
import * as ApiServer from "./ApiServer.js"
import * as BearerSetup from "./BearerSetup.js"
import * as Capture from "./Capture.js"

/** The bench of provider `name`, living as long as the test's scope. */
export const make = (name: string): Effect.Effect<RefusingApiCases.Bench, never, Scope.Scope | HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const { api, bearer, tokenRequests } = yield* BearerSetup.make(name)
    const client = yield* bearer()
    const run = Effect.runPromiseWith(yield* Effect.context<never>())
    return {
      answer: (respond) =>
        run(api.handle((request, index) => {
          const answer = respond({ token: ApiServer.bearerTokenOf(request), index })
          return Effect.succeed(answer.status === 200 ? ApiServer.json({ ok: true }) : ApiServer.unauthorized(answer.challenge))
        })),
      get: (path) =>
        run(Effect.map(Effect.result(client.get(api.url(path))), (result): RefusingApiCases.Outcome => {
          if (Result.isSuccess(result)) return { _tag: "Response", status: result.success.status }
          const capture = Capture.make()
          capture.recordError(path, result.failure)
          return { _tag: "Failure", cause: Option.getOrUndefined(BearerHttpClient.tokenError(result.failure)), leaks: capture.leaks }
        })),
      tokenRequests: () => run(tokenRequests),
      hits: () => run(api.hits),
      sentTokens: () => run(Effect.map(api.requests, (all) => all.map(ApiServer.bearerTokenOf))),
      adjustClock: (millis) => run(TestClock.adjust(millis))
    }
  })
