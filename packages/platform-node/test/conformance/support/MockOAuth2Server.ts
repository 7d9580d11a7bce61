/**
 * oauth2-mock-server 7.2.1 on 127.0.0.1 port 0: a third-party token endpoint that
 * supports the password and refresh_token grants (which oidc-provider does not). Its
 * `beforeResponse` hook records each token request and lets a test shape the answer:
 * the token lifetime, a refresh token's lifetime, or a refused refresh token.
 */
import { Context, Effect, Layer } from "effect"
import type { IncomingMessage } from "node:http"
import { OAuth2Server } from "oauth2-mock-server"
import type { MutableResponse } from "oauth2-mock-server"

/** One token request as the mock server received it. */
export interface TokenRequest {
  readonly form: Readonly<Record<string, string>>
  readonly authorization: string | undefined
}

/** How the next answers are shaped. */
export interface Behaviour {
  /** `expires_in` of the access tokens; default: the server's own (3600 s). */
  readonly expiresIn?: number
  /** Keycloak's `refresh_expires_in`, added when set. */
  readonly refreshExpiresIn?: number
  /** Answer refresh_token grants with 400 invalid_grant. */
  readonly refuseRefreshTokens?: boolean
}

export class MockOAuth2Server extends Context.Tag("conformance/MockOAuth2Server")<MockOAuth2Server, {
  readonly issuer: string
  readonly tokenUrl: string
  readonly requests: Effect.Effect<ReadonlyArray<TokenRequest>>
  /** The grant types of the requests so far, in order. */
  readonly grantTypes: Effect.Effect<ReadonlyArray<string>>
  /** The refresh tokens handed out so far, in order. */
  readonly refreshTokens: Effect.Effect<ReadonlyArray<string>>
  readonly behave: (behaviour: Behaviour) => Effect.Effect<void>
  /** Forgets the requests recorded and the behaviour set so far. */
  readonly reset: Effect.Effect<void>
}>() {}

interface ParsedRequest extends IncomingMessage {
  readonly body?: Record<string, string>
}

const make = Effect.gen(function*() {
  let requests: Array<TokenRequest> = []
  let refreshTokens: Array<string> = []
  let behaviour: Behaviour = {}

  const server = yield* Effect.acquireRelease(
    Effect.promise(async () => {
      const server = new OAuth2Server()
      await server.issuer.keys.generate("RS256")
      await server.start(0, "127.0.0.1")
      return server
    }),
    (server) => Effect.promise(() => server.stop())
  )
  server.service.on("beforeResponse", (response: MutableResponse, request: ParsedRequest) => {
    const form = request.body ?? {}
    requests.push({ form, authorization: request.headers.authorization })
    if (response.body === "") return
    if (form["grant_type"] === "refresh_token" && behaviour.refuseRefreshTokens === true) {
      response.statusCode = 400
      response.body = { error: "invalid_grant", error_description: "Token is not active" }
      return
    }
    if (behaviour.expiresIn !== undefined) response.body["expires_in"] = behaviour.expiresIn
    if (behaviour.refreshExpiresIn !== undefined) response.body["refresh_expires_in"] = behaviour.refreshExpiresIn
    const refreshToken = response.body["refresh_token"]
    if (typeof refreshToken === "string") refreshTokens.push(refreshToken)
  })
  const issuer = server.issuer.url ?? `http://127.0.0.1:${server.address().port}`
  return MockOAuth2Server.of({
    issuer,
    tokenUrl: `${issuer}/token`,
    requests: Effect.sync(() => [...requests]),
    grantTypes: Effect.sync(() => requests.map((request) => request.form["grant_type"] ?? "")),
    refreshTokens: Effect.sync(() => [...refreshTokens]),
    behave: (next) =>
      Effect.sync(() => {
        behaviour = next
      }),
    reset: Effect.sync(() => {
      requests = []
      refreshTokens = []
      behaviour = {}
    })
  })
})

/** A mock server for each use of the layer. */
export const layer: Layer.Layer<MockOAuth2Server> = Layer.scoped(MockOAuth2Server, make)
