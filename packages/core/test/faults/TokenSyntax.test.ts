/**
 * A token with characters a bearer token cannot have (CR LF, NUL, a space, non-ASCII) is
 * refused on arrival as `InvalidTokenResponse`, through each of the three Node HTTP
 * clients, instead of making the API request that would carry it die later (node:http) or
 * fail with the whole token in its cause (fetch). Neither the error nor anything printed
 * from it quotes the token; the API never receives a request.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as TokenSyntaxCases from "@effect-bearer/conformance/TokenSyntaxCases"
import { Effect, Exit, Layer, Redacted } from "effect"
import { BearerHttpClient, ClientAuthentication, Grant, TokenEndpoint, TokenProvider } from "@effect-bearer/core"
import * as TokenServer from "../support/TokenServer.js"
import { printedForms } from "./support/Capture.js"
import { clients, typedFailure, withinRealTime } from "./support/Outcome.js"

const canary = TokenSyntaxCases.canary

const credentials = ClientAuthentication.clientSecretPost({ clientId: "syntax-client", clientSecret: Redacted.make("syntax-secret") })

const expectNoCanary = (exit: Exit.Exit<unknown, unknown>, error: unknown) => {
  for (const text of printedForms(exit, error)) expect(text).not.toContain(canary)
}

/** The API requests the server received (the token server doubles as the API). */
const apiRequests = (server: TokenServer.TokenServer["Type"]) =>
  Effect.map(server.requests, (requests) => requests.filter((request) => request.path.startsWith("/api")))

describe.each(clients)("a token a bearer header cannot carry, through the %s client", (_, client) => {
  for (const { kind, name, token } of TokenSyntaxCases.cases) {
    it.effect(`an access_token with ${name} is refused as InvalidTokenResponse without quoting the token`, () =>
      Effect.gen(function*() {
        const server = yield* TokenServer.TokenServer
        yield* server.handle(() => Effect.succeed(TokenServer.tokenResponse(token)))
        const endpoint = yield* TokenEndpoint.make({ url: server.tokenUrl, clientAuthentication: credentials })
        const exit = yield* Effect.exit(TokenEndpoint.requestToken(endpoint, Grant.clientCredentials))
        const error = yield* typedFailure(exit)
        expect(error).toMatchObject({ _tag: "InvalidTokenResponse", reason: "InvalidField", status: 200 })
        expect(error._tag === "InvalidTokenResponse" && error.detail).toMatch(new RegExp(`^access_token has ${kind} at character \\d+ of \\d+;`))
        expectNoCanary(exit, error)
      }).pipe(Effect.provide(Layer.merge(TokenServer.layer, client)), withinRealTime("10 seconds")))

    it.scoped(`an API call whose new token has ${name} fails with a typed error and sends nothing to the API`, () =>
      Effect.gen(function*() {
        const server = yield* TokenServer.TokenServer
        yield* server.handle((request) =>
          Effect.succeed(request.path === "/token" ? TokenServer.tokenResponse(token) : TokenServer.json({ ok: true }))
        )
        const provider = yield* TokenProvider.fromEndpoint({
          url: server.tokenUrl,
          grant: Grant.clientCredentials,
          clientAuthentication: credentials
        })
        const bearer = yield* BearerHttpClient.make(yield* HttpClient.HttpClient, provider, { origins: [server.origin] })
        const exit = yield* Effect.exit(bearer.get(`${server.origin}/api/data`))
        const error = yield* typedFailure(exit)
        expect(error.cause).toMatchObject({ _tag: "InvalidTokenResponse", reason: "InvalidField" })
        expectNoCanary(exit, error)
        expect(yield* apiRequests(server)).toEqual([])
      }).pipe(Effect.provide(Layer.merge(TokenServer.layer, client)), withinRealTime("10 seconds")))

    it.scoped(`a static token with ${name} fails with a typed error naming the static token, and sends nothing`, () =>
      Effect.gen(function*() {
        const server = yield* TokenServer.TokenServer
        const provider = yield* TokenProvider.TokenProvider
        const bearer = yield* BearerHttpClient.make(yield* HttpClient.HttpClient, provider, { origins: [server.origin] })
        const exit = yield* Effect.exit(bearer.get(`${server.origin}/api/data`))
        const error = yield* typedFailure(exit)
        expect(error.cause).toMatchObject({ _tag: "InvalidTokenResponse", reason: "InvalidField", endpoint: "static:console" })
        expect(error.message).toContain("The configured token is not usable: the static token has")
        expectNoCanary(exit, error)
        expect(yield* apiRequests(server)).toEqual([])
      }).pipe(
        Effect.provide(TokenProvider.layerStatic(Redacted.make(token), { name: "console" })),
        Effect.provide(Layer.merge(TokenServer.layer, client)),
        withinRealTime("10 seconds")
      ))
  }

  it.effect("a refresh_token with a CR LF is refused as InvalidTokenResponse without quoting it", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      yield* server.handle(() => Effect.succeed(TokenServer.tokenResponse("good-token", { refresh_token: TokenSyntaxCases.badRefreshToken.token })))
      const endpoint = yield* TokenEndpoint.make({ url: server.tokenUrl, clientAuthentication: credentials })
      const exit = yield* Effect.exit(TokenEndpoint.requestToken(endpoint, Grant.clientCredentials))
      const error = yield* typedFailure(exit)
      expect(error).toMatchObject({
        _tag: "InvalidTokenResponse",
        reason: "InvalidField",
        detail: expect.stringMatching(TokenSyntaxCases.badRefreshToken.detail)
      })
      expectNoCanary(exit, error)
    }).pipe(Effect.provide(Layer.merge(TokenServer.layer, client)), withinRealTime("10 seconds")))
})
