/**
 * The Effect 4 line's bench for the conformance cases on the bearer client (RefusingApiCases,
 * UnauthorizedCases): `BearerSetup`'s client and servers, each operation run on the test's own
 * context (its TestClock, its scope, its HTTP client).
 */
import * as Bench from "@effect-bearer/conformance/BearerBench"
import { Effect, Option, Result, Schedule, Stream } from "effect"
import type { Scope } from "effect"
import { HttpBody, HttpClientRequest } from "effect/http"
import type { HttpClient, HttpClientError, HttpClientResponse } from "effect/http"
import { TestClock } from "effect/testing"
import { BearerHttpClient } from "@effect-bearer/core"
import * as ApiServer from "./ApiServer.js"
import * as BearerSetup from "./BearerSetup.js"
import * as Capture from "./Capture.js"

/** The API's response for a plain-data answer. */
const response = (answer: Bench.ApiAnswer) =>
  answer.status === 200
    ? ApiServer.json({ ok: true })
    : answer.status === 401
    ? ApiServer.unauthorized(answer.challenge)
    : ApiServer.status(answer.status, answer.retryAfter === undefined ? {} : { "retry-after": answer.retryAfter })

/** The line's client options for plain-data ones. */
const clientOptions = (options: Bench.ClientOptions) => Bench.clientOptions(options, Schedule.recurs)

/** The bench of provider `name`, living as long as the test's scope. */
export const make = (name: string): Effect.Effect<Bench.Bench, never, Scope.Scope | HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const { api, bearer, bearerWithRevokedToken, foreign, http, provider, revoke, tokenEndpoint, tokenRequests } = yield* BearerSetup.make(name)
    const run = Effect.runPromiseWith(yield* Effect.context<never>())
    const outcome = (path: string, call: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>) =>
      run(Effect.map(Effect.result(call), (result): Bench.Outcome => {
        if (Result.isSuccess(result)) return { _tag: "Response", status: result.success.status }
        const capture = Capture.make()
        capture.recordError(path, result.failure)
        return {
          _tag: "Failure",
          cause: Option.getOrUndefined(BearerHttpClient.tokenError(result.failure)),
          message: result.failure.message,
          statusError: result.failure.reason._tag === "StatusCodeError",
          invalidUrl: result.failure.reason._tag === "InvalidUrlError",
          responseStatus: result.failure.response?.status,
          leaks: capture.leaks
        }
      }))
    const wrap = (client: HttpClient.HttpClient): Bench.Client => ({
      get: (path) => outcome(path, client.get(path.startsWith("http") ? path : api.url(path))),
      post: (path, body) => outcome(path, client.post(api.url(path), { body: HttpBody.text(body) })),
      upload: (path, chunks, method = "POST") =>
        outcome(path, client.execute(HttpClientRequest.make(method)(api.url(path)).pipe(
          HttpClientRequest.bodyStream(Stream.fromIterable(chunks.map((chunk) => new TextEncoder().encode(chunk))))
        )))
    })
    return {
      answer: (respond) =>
        run(api.handle((request, index) => {
          return Effect.succeed(response(respond(Bench.requestOf(request, index))))
        })),
      client: (options = {}) => run(Effect.map(bearer(clientOptions(options)), wrap)),
      refusal: (options) =>
        run(Effect.map(Effect.result(BearerHttpClient.make(http, provider, { origins: [api.origin], ...clientOptions(options) })), (result) =>
          Result.isFailure(result) ? result.failure : undefined)),
      clientWithRevokedToken: () => run(Effect.map(bearerWithRevokedToken(), wrap)),
      refuseTokens: () => run(tokenEndpoint.handle(() => Effect.succeed(ApiServer.json({ error: "invalid_client" }, { status: 401 })))),
      revoke: (token) => run(revoke(token)),
      apiUrl: api.url,
      tokenRequests: () => run(tokenRequests),
      hits: () => run(api.hits),
      requests: () => run(Effect.map(api.requests, (all) => all.map(Bench.requestOf))),
      foreign: { origin: foreign.origin, url: foreign.url, requests: () => run(Effect.map(foreign.requests, (all) => all.map(Bench.requestOf))) },
      adjustClock: (millis) => run(TestClock.adjust(millis))
    }
  })
