/**
 * The README's core example, run against a local token server and API: if this test
 * breaks, the README is lying.
 */
import { describe, expect, it } from "@effect/vitest"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Effect, Layer, Redacted } from "effect"
import { BearerHttpClient, ClientAuthentication, Grant, TokenProvider } from "@effect-bearer/core"
import * as TokenServer from "./support/TokenServer.js"

describe("README", () => {
  it.scoped("core example: a provider layer, a token, an authenticated request", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      yield* server.handle((request) =>
        Effect.succeed(
          request.path === "/token"
            ? TokenServer.tokenResponse("fresh-token", { expires_in: 3600 })
            : request.headers["authorization"] === "Bearer fresh-token"
            ? TokenServer.json({ collections: [] })
            : HttpServerResponse.empty({ status: 401 })
        )
      )
      // --- as in the README, with the local server's URLs ---
      const Tokens = TokenProvider.layer({
        url: server.tokenUrl,
        grant: Grant.clientCredentials,
        clientAuthentication: ClientAuthentication.clientSecretPost({
          clientId: "my-client",
          clientSecret: Redacted.make("my-secret")
        }),
        defaultLifetime: "1 hour"
      })
      const Api = BearerHttpClient.layer({ origins: [server.origin] }).pipe(Layer.provideMerge(Tokens))

      const program = Effect.gen(function*() {
        const token = yield* TokenProvider.get
        const client = yield* HttpClient.HttpClient
        const response = yield* client.get(`${server.origin}/collections`)
        return { expiresAt: token.expiresAt, status: response.status }
      })
      // ---
      const result = yield* program.pipe(Effect.provide(Api))
      expect(result.status).toBe(200)
      expect(result.expiresAt).toBe(3_600_000)
      expect((yield* server.requests).map((r) => r.path)).toEqual(["/token", "/collections"])
    }).pipe(Effect.provide(TokenServer.layer)))
})
