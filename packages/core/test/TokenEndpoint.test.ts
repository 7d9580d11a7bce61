/**
 * `TokenEndpoint` through real HTTP on 127.0.0.1: what it sends, what it reads, how it fails and
 * which options it refuses. The cases are the conformance TokenEndpointCases and
 * TokenEndpointAnswers tables, run by both lines; this file builds the Effect 3 endpoint for each.
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { describe, expect, it } from "@effect/vitest"
import * as Cases from "@effect-bearer/conformance/TokenEndpointCases"
import * as Answers from "@effect-bearer/conformance/TokenEndpointAnswers"
import { Duration, Effect, Either, Option, Redacted } from "effect"
import { ClientAuthentication, Grant, TokenEndpoint, type TokenError } from "@effect-bearer/core"
import * as TokenServer from "./support/TokenServer.js"

const build = { ...ClientAuthentication, ...Grant, redact: (value: string) => Redacted.make(value) }
const optionsOf = (url: string, options: Cases.EndpointOptions): TokenEndpoint.Options => Cases.endpointOptions(build, url, options)
const grantOf = (grant: Cases.GrantSpec): Grant.Grant => Cases.grantOf(build, grant)

/** Builds an endpoint on the test server, runs one request and returns its result and what the server saw. */
const exchange = (options: Cases.EndpointOptions, grant: Cases.GrantSpec = { type: "client_credentials" }, path = "/token", extra: Partial<TokenEndpoint.Options> = {}) =>
  Effect.gen(function*() {
    const server = yield* TokenServer.TokenServer
    const endpoint = yield* TokenEndpoint.make({ ...optionsOf(`${server.origin}${path}`, options), ...extra })
    const result = yield* Effect.either(TokenEndpoint.requestToken(endpoint, grantOf(grant)))
    return { result, requests: yield* server.requests }
  })

const errorView = (error: TokenError.TokenError): Cases.ErrorView => ({
  _tag: error._tag,
  endpoint: error.endpoint,
  message: error.message,
  hint: error.hint,
  retryAfterSeconds: error._tag === "TemporarilyUnavailable" && error.retryAfter !== undefined ? Duration.toSeconds(error.retryAfter) : undefined
})

const failWith = (
  handler: TokenServer.Handler,
  options: Partial<TokenEndpoint.Options> = {}
): Effect.Effect<TokenError.TokenError, never, TokenServer.TokenServer | import("@effect/platform/HttpClient").HttpClient> =>
  Effect.gen(function*() {
    const server = yield* TokenServer.TokenServer
    yield* server.handle(handler)
    const { result } = yield* exchange({ authentication: Cases.basic("client", "secret") }, undefined, undefined, options).pipe(Effect.orDie)
    if (Either.isRight(result)) return yield* Effect.dieMessage("expected the request to fail")
    return result.left
  })

describe("TokenEndpoint.requestToken sends", () => {
  for (const sent of Cases.sendCases) {
    it.effect(sent.name, () =>
      Effect.gen(function*() {
        const { requests } = yield* exchange(sent.options, sent.grant, sent.path)
        sent.check(requests, expect)
      }).pipe(Effect.provide(TokenServer.layer)))
  }
})

describe("TokenEndpoint.requestToken reads", () => {
  for (const read of Cases.readCases) {
    it.effect(read.name, () =>
      Effect.gen(function*() {
        const server = yield* TokenServer.TokenServer
        yield* server.handle(() => Effect.succeed(TokenServer.json(read.body)))
        const { result } = yield* exchange({ authentication: Cases.basic("c", "s"), ...read.options })
        const token = Either.getOrThrow(result)
        const refresh = Option.getOrUndefined(token.refreshToken)
        read.check({
          lifetimeSeconds: Duration.toSeconds(token.lifetime),
          lifetimeSource: token.lifetimeSource,
          tokenType: token.tokenType,
          scope: Option.getOrNull(token.scope),
          refreshToken: refresh && Redacted.value(refresh.value),
          refreshLifetimeMillis: refresh && Option.getOrThrow(refresh.expiresAt) - token.issuedAt
        }, expect)
      }).pipe(Effect.provide(TokenServer.layer)))
  }
})

describe("TokenEndpoint.requestToken fails with", () => {
  for (const row of Answers.failures) {
    it.effect(row.name, () =>
      Effect.gen(function*() {
        const error = yield* failWith(() => Effect.succeed(TokenServer.fromAnswer(row.answer)))
        expect(error).toMatchObject(row.expected)
        Cases.checkFailure(row, errorView(error), expect)
      }).pipe(Effect.provide(TokenServer.layer)))
  }

  it.effect(Cases.noContent.name, () =>
    Effect.gen(function*() {
      const error = yield* failWith(() => Effect.succeed(HttpServerResponse.empty({ status: Cases.noContent.answer.status }))).pipe(
        Effect.provide(FetchHttpClient.layer)
      )
      expect(error).toMatchObject(Cases.noContent.expected)
    }).pipe(Effect.provide(TokenServer.layer)))

  it.effect(Cases.hinted.name, () =>
    Effect.gen(function*() {
      const error = yield* failWith(() => Effect.succeed(HttpServerResponse.empty({ status: Cases.hinted.answer.status })), { hints: Cases.hinted.hints })
      Cases.hinted.check(errorView(error), expect)
    }).pipe(Effect.provide(TokenServer.layer)))

  it.effect(Cases.nothingListens.name, () =>
    Effect.gen(function*() {
      const endpoint = yield* TokenEndpoint.make(optionsOf(Cases.nothingListens.url, { authentication: Cases.basic("c", "s") }))
      expect(yield* Effect.flip(TokenEndpoint.requestToken(endpoint, Grant.clientCredentials))).toMatchObject(Cases.nothingListens.expected)
    }).pipe(Effect.provide(TokenServer.layer)))
})

describe("TokenEndpoint.make refuses", () => {
  for (const refusal of Cases.refuseCases) {
    it.effect(refusal.name, () =>
      Effect.forEach(refusal.refused, ({ check, options, url }) =>
        Effect.map(Effect.flip(TokenEndpoint.make(optionsOf(url, options))), (error) => check(error, expect))))
  }

  it.effect("accepts https anywhere and http on loopback", () =>
    Effect.forEach(Cases.acceptedUrls, (url) =>
      Effect.map(TokenEndpoint.make(optionsOf(url, { authentication: Cases.basic("c", "s") })), (endpoint) =>
        expect(endpoint.url).toBe(new URL(url).href))))
})
