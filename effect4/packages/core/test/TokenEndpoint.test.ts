/**
 * `TokenEndpoint` through real HTTP on 127.0.0.1: what it sends, what it reads, how it fails and
 * which options it refuses. The cases are the conformance TokenEndpointCases and
 * TokenEndpointAnswers tables, run by both lines; this file builds the Effect 4 endpoint for each.
 */
import { describe, expect, it } from "@effect/vitest"
import * as Cases from "@effect-bearer/conformance/TokenEndpointCases"
import * as Answers from "@effect-bearer/conformance/TokenEndpointAnswers"
import { Duration, Effect, Option, Redacted, Result } from "effect"
import { FetchHttpClient } from "effect/http"
import { ClientAuthentication, Grant, TokenEndpoint, type TokenError } from "@effect-bearer/core"
import * as TokenServer from "./support/TokenServer.js"

const build = { ...ClientAuthentication, ...Grant, redact: (value: string) => Redacted.make(value) }
const optionsOf = (url: string, options: Cases.EndpointOptions): TokenEndpoint.Options => Cases.endpointOptions(build, url, options)
const grantOf = (grant: Cases.GrantSpec): Grant.Grant => Cases.grantOf(build, grant)

/** An endpoint on a fresh test server answering with `handler`; one request; its result and what the server saw. */
const exchange = (
  options: Cases.EndpointOptions,
  { extra = {}, grant = { type: "client_credentials" }, handler, path = "/token" }: {
    readonly grant?: Cases.GrantSpec
    readonly path?: string
    readonly handler?: TokenServer.Handler
    readonly extra?: Partial<TokenEndpoint.Options>
  } = {}
) =>
  Effect.gen(function*() {
    const server = yield* TokenServer.make
    if (handler !== undefined) yield* server.handle(handler)
    const endpoint = yield* TokenEndpoint.make({ ...optionsOf(`${server.origin}${path}`, options), ...extra })
    const result = yield* Effect.result(TokenEndpoint.requestToken(endpoint, grantOf(grant)))
    return { result, requests: yield* server.requests }
  }).pipe(Effect.orDie)

const errorView = (error: TokenError.TokenError): Cases.ErrorView => ({
  _tag: error._tag,
  endpoint: error.endpoint,
  message: error.message,
  hint: error.hint,
  retryAfterSeconds: error._tag === "TemporarilyUnavailable" && error.retryAfter !== undefined ? Duration.toSeconds(error.retryAfter) : undefined
})

const failWith = (handler: TokenServer.Handler, extra: Partial<TokenEndpoint.Options> = {}) =>
  Effect.flatMap(exchange({ authentication: Cases.basic("client", "secret") }, { handler, extra }), ({ result }) =>
    Result.isFailure(result) ? Effect.succeed(result.failure) : Effect.die(new Error("expected the request to fail")))

describe("TokenEndpoint.requestToken sends", () => {
  for (const sent of Cases.sendCases) {
    it.effect(sent.name, () =>
      Effect.map(exchange(sent.options, { grant: sent.grant, path: sent.path }), ({ requests }) => sent.check(requests, expect)).pipe(
        Effect.provide(TokenServer.layerClient)
      ))
  }
})

describe("TokenEndpoint.requestToken reads", () => {
  for (const read of Cases.readCases) {
    it.effect(read.name, () =>
      Effect.gen(function*() {
        const { result } = yield* exchange({ authentication: Cases.basic("c", "s"), ...read.options }, {
          handler: () => Effect.succeed(TokenServer.json(read.body))
        })
        const token = Result.getOrThrow(result)
        const refresh = Option.getOrUndefined(token.refreshToken)
        read.check({
          lifetimeSeconds: Duration.toSeconds(token.lifetime),
          lifetimeSource: token.lifetimeSource,
          tokenType: token.tokenType,
          scope: Option.getOrNull(token.scope),
          refreshToken: refresh && Redacted.value(refresh.value),
          refreshLifetimeMillis: refresh && Option.getOrThrow(refresh.expiresAt) - token.issuedAt
        }, expect)
      }).pipe(Effect.provide(TokenServer.layerClient)))
  }
})

describe("TokenEndpoint.requestToken fails with", () => {
  for (const row of Answers.failures) {
    it.effect(row.name, () =>
      Effect.gen(function*() {
        const error = yield* failWith(() => Effect.succeed(TokenServer.fromAnswer(row.answer)))
        expect(error).toMatchObject(row.expected)
        Cases.checkFailure(row, errorView(error), expect)
      }).pipe(Effect.provide(TokenServer.layerClient)))
  }

  it.effect(Cases.noContent.name, () =>
    Effect.map(failWith(() => Effect.succeed(TokenServer.fromAnswer(Cases.noContent.answer))), (error) =>
      expect(error).toMatchObject(Cases.noContent.expected)).pipe(Effect.provide(FetchHttpClient.layer)))

  it.effect(Cases.hinted.name, () =>
    Effect.map(failWith(() => Effect.succeed(TokenServer.fromAnswer(Cases.hinted.answer)), { hints: Cases.hinted.hints }), (error) =>
      Cases.hinted.check(errorView(error), expect)).pipe(Effect.provide(TokenServer.layerClient)))

  it.effect(Cases.nothingListens.name, () =>
    Effect.gen(function*() {
      const endpoint = yield* TokenEndpoint.make(optionsOf(Cases.nothingListens.url, { authentication: Cases.basic("c", "s") }))
      expect(yield* Effect.flip(TokenEndpoint.requestToken(endpoint, Grant.clientCredentials))).toMatchObject(Cases.nothingListens.expected)
    }).pipe(Effect.provide(TokenServer.layerClient)))
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
