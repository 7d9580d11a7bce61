/**
 * The Effect 3 line's bench for the conformance RefusingApiCases: a bearer client for `api` and
 * its token endpoint's request count, each operation run on the test's own runtime (its
 * TestClock, its scope, its HTTP client).
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as RefusingApiCases from "@effect-bearer/conformance/RefusingApiCases"
import { Effect, Either, Option, Runtime, TestClock } from "effect"
import { BearerHttpClient } from "@effect-bearer/core"
import * as Capture from "../faults/support/Capture.js"
import * as ApiServer from "./ApiServer.js"

/** The bench over `client` (a bearer client for `api`'s origin) and `tokenRequests` (its token endpoint's count). */
export const make = (parts: {
  readonly api: ApiServer.ApiServer
  readonly client: HttpClient.HttpClient
  readonly tokenRequests: Effect.Effect<number>
}): Effect.Effect<RefusingApiCases.Bench> =>
  Effect.map(Effect.runtime<never>(), (runtime): RefusingApiCases.Bench => {
    const { api, client, tokenRequests } = parts
    const run = Runtime.runPromise(runtime)
    return {
      answer: (respond) =>
        run(api.handle((request, index) => {
          const answer = respond({ token: ApiServer.bearerTokenOf(request), index })
          return Effect.succeed(answer.status === 200 ? ApiServer.json({ ok: true }) : ApiServer.unauthorized(answer.challenge))
        })),
      get: (path) =>
        run(Effect.map(Effect.either(client.get(api.url(path))), (result): RefusingApiCases.Outcome => {
          if (Either.isRight(result)) return { _tag: "Response", status: result.right.status }
          const capture = Capture.make()
          capture.recordError(path, result.left)
          return { _tag: "Failure", cause: Option.getOrUndefined(BearerHttpClient.tokenError(result.left)), leaks: capture.leaks }
        })),
      tokenRequests: () => run(tokenRequests),
      hits: () => run(api.hits),
      sentTokens: () => run(Effect.map(api.requests, (all) => all.map(ApiServer.bearerTokenOf))),
      adjustClock: (millis) => run(TestClock.adjust(millis))
    }
  })
