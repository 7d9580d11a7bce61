/**
 * A token with characters a bearer token cannot have (the rows of
 * `@effect-bearer/conformance/TokenSyntaxCases`) is refused on arrival as `InvalidTokenResponse`,
 * through each Node HTTP client, and a static one when the provider hands it out; neither the
 * error nor anything printed from it quotes the token. (The bearer client's side is its own suite.)
 */
import { describe, expect, it } from "@effect/vitest"
import * as TokenSyntaxCases from "@effect-bearer/conformance/TokenSyntaxCases"
import { Effect, Redacted } from "effect"
import { ClientAuthentication, Grant, TokenEndpoint, TokenProvider } from "@effect-bearer/core"
import * as TokenServer from "../support/TokenServer.js"
import { clients, printedForms, typedFailure, withinRealTime } from "./Outcome.js"

const credentials = ClientAuthentication.clientSecretPost({ clientId: "syntax-client", clientSecret: Redacted.make("syntax-secret") })

const tokenRequestAnswered = (body: ReturnType<typeof TokenServer.tokenResponse>) =>
  Effect.gen(function*() {
    const server = yield* TokenServer.make
    yield* server.handle(() => Effect.succeed(body))
    const endpoint = yield* Effect.orDie(TokenEndpoint.make({ url: server.tokenUrl, clientAuthentication: credentials }))
    const exit = yield* Effect.exit(TokenEndpoint.requestToken(endpoint, Grant.clientCredentials))
    const error = yield* typedFailure(exit)
    for (const text of printedForms(exit, error)) expect(text).not.toContain(TokenSyntaxCases.canary)
    return error
  })

describe.each(clients)("a token a bearer header cannot carry, through the %s client", (_, client) => {
  for (const { kind, name, token } of TokenSyntaxCases.cases) {
    it.effect(`an access_token with ${name} is refused as InvalidTokenResponse without quoting the token`, () =>
      Effect.gen(function*() {
        const error = yield* tokenRequestAnswered(TokenServer.tokenResponse(token))
        expect(error).toMatchObject({ _tag: "InvalidTokenResponse", reason: "InvalidField", status: 200 })
        expect(error._tag === "InvalidTokenResponse" && error.detail).toMatch(new RegExp(`^access_token has ${kind} at character \\d+ of \\d+;`))
      }).pipe(withinRealTime("10 seconds"), Effect.provide(client)))
  }

  it.effect("a refresh_token with a CR LF is refused as InvalidTokenResponse without quoting it", () =>
    Effect.gen(function*() {
      const error = yield* tokenRequestAnswered(TokenServer.tokenResponse("good-token", { refresh_token: TokenSyntaxCases.badRefreshToken.token }))
      expect(error).toMatchObject({ _tag: "InvalidTokenResponse", reason: "InvalidField", detail: expect.stringMatching(TokenSyntaxCases.badRefreshToken.detail) })
    }).pipe(withinRealTime("10 seconds"), Effect.provide(client)))
})

describe("a static token a bearer header cannot carry", () => {
  for (const { name, token } of TokenSyntaxCases.cases) {
    it.effect(`with ${name}: the provider fails with a typed error naming the static token, quoting nothing`, () =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(TokenProvider.get)
        const error = yield* typedFailure(exit)
        expect(error).toMatchObject({ _tag: "InvalidTokenResponse", reason: "InvalidField", endpoint: "static:console" })
        for (const text of printedForms(exit, error)) expect(text).not.toContain(TokenSyntaxCases.canary)
      }).pipe(Effect.provide(TokenProvider.layerStatic(Redacted.make(token), { name: "console" }))))
  }
})
