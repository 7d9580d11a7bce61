/**
 * The Effect 3 line's bench for the conformance cases on the bearer client (RefusingApiCases,
 * UnauthorizedCases): `BearerSetup`'s client and servers, each operation run on the test's own
 * runtime (its TestClock, its scope, its HTTP client).
 */
import * as HttpBody from "@effect/platform/HttpBody"
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Bench from "@effect-bearer/conformance/BearerBench"
import type { Scope } from "effect"
import { Effect, Either, Option, Runtime, Schedule, Stream, TestClock } from "effect"
import { BearerHttpClient } from "@effect-bearer/core"
import * as Capture from "../faults/support/Capture.js"
import * as ApiServer from "./ApiServer.js"
import * as BearerSetup from "./BearerSetup.js"
import * as TokenServer from "./TokenServer.js"

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
export const make = (
  name: string
): Effect.Effect<Bench.Bench, never, Scope.Scope | TokenServer.TokenServer | HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const { api, bearer, bearerWithRevokedToken, foreign, http, provider, revoke, tokenRequests } = yield* BearerSetup.make(name)
    const tokenServer = yield* TokenServer.TokenServer
    const run = Runtime.runPromise(yield* Effect.runtime<never>())
    const outcome = (path: string, call: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError>) =>
      run(Effect.map(Effect.either(call), (result): Bench.Outcome => {
        if (Either.isRight(result)) return { _tag: "Response", status: result.right.status }
        const capture = Capture.make()
        capture.recordError(path, result.left)
        return {
          _tag: "Failure",
          cause: Option.getOrUndefined(BearerHttpClient.tokenError(result.left)),
          message: result.left.message,
          statusError: result.left._tag === "ResponseError",
          invalidUrl: result.left._tag === "RequestError" && result.left.reason === "InvalidUrl",
          responseStatus: result.left._tag === "ResponseError" ? result.left.response.status : undefined,
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
        run(Effect.map(Effect.either(BearerHttpClient.make(http, provider, { origins: [api.origin], ...clientOptions(options) })), (result) =>
          Either.isLeft(result) ? result.left : undefined)),
      clientWithRevokedToken: () => run(Effect.map(bearerWithRevokedToken(), wrap)),
      refuseTokens: () => run(tokenServer.handle(() => Effect.succeed(TokenServer.json({ error: "invalid_client" }, { status: 401 })))),
      revoke: (token) => run(revoke(token)),
      apiUrl: api.url,
      tokenRequests: () => run(tokenRequests),
      hits: () => run(api.hits),
      requests: () => run(Effect.map(api.requests, (all) => all.map(Bench.requestOf))),
      foreign: { origin: foreign.origin, url: foreign.url, requests: () => run(Effect.map(foreign.requests, (all) => all.map(Bench.requestOf))) },
      adjustClock: (millis) => run(TestClock.adjust(millis))
    }
  })
