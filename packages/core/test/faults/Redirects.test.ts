/**
 * A token endpoint that redirects must not make the client send its credentials
 * anywhere else: every 3xx is `WrongHost` (`Redirect`) naming where it pointed, and
 * the redirect target, a raw TCP server that records every byte, receives nothing,
 * whichever Node HTTP client is in use (fetch follows redirects by default).
 */
import { describe, expect, it } from "@effect/vitest"
import * as RedirectCases from "@effect-bearer/conformance/RedirectCases"
import { Effect, Redacted } from "effect"
import { ClientAuthentication, Grant, OpenIdDiscovery, TokenEndpoint } from "@effect-bearer/core"
import * as TokenServer from "../support/TokenServer.js"
import { clients, fieldsOf, typedFailure, withinRealTime } from "./support/Outcome.js"
import * as RawTcpServer from "./support/RawTcpServer.js"

const secret = Redacted.make("redirect-secret")
const clientAuthentications = {
  client_secret_basic: ClientAuthentication.clientSecretBasic({ clientId: "redirected", clientSecret: secret }),
  client_secret_post: ClientAuthentication.clientSecretPost({ clientId: "redirected", clientSecret: secret })
} as const

describe.each(clients)("redirects from the token endpoint through the %s client", (_, client) => {
  // RedirectCases: 307 and 308 would resend the POST body, client_secret and all.
  for (const { clientAuthentication: method, status, target } of RedirectCases.tokenEndpointRedirects) {
    it.scoped(`${status} to ${target} with ${method} → WrongHost (Redirect), nothing sent there`, () =>
      Effect.gen(function*() {
        const server = yield* TokenServer.TokenServer
        // The target would answer with a token: a client that followed would succeed.
        const elsewhere = yield* RawTcpServer.make((socket) =>
          socket.end(RawTcpServer.response("200 OK", JSON.stringify({ access_token: "stolen", token_type: "Bearer" })))
        )
        const location = RedirectCases.targetUrl(target, elsewhere.tokenUrl, server.tokenUrl)
        yield* server.handle((request) =>
          Effect.succeed(
            request.path === "/token"
              ? TokenServer.json({}, { status, headers: { location } })
              : TokenServer.tokenResponse("stolen")
          )
        )
        const endpoint = yield* TokenEndpoint.make({ url: server.tokenUrl, clientAuthentication: clientAuthentications[method] })
        const error = yield* typedFailure(TokenEndpoint.requestToken(endpoint, Grant.clientCredentials))
        expect(fieldsOf(error)).toMatchObject({
          _tag: "WrongHost",
          reason: "Redirect",
          status,
          endpoint: server.tokenUrl,
          location: new URL(location).origin
        })
        expect(error.message).toContain(new URL(location).origin)
        expect(yield* elsewhere.received).toEqual([])
        expect((yield* server.requests).map((r) => `${r.method} ${r.path}`)).toEqual(["POST /token"])
      }).pipe(Effect.provide(client), Effect.provide(TokenServer.layer), withinRealTime("10 seconds")))
  }

  it.scoped("a 302 without a Location header → WrongHost (Redirect) without a location", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      yield* server.handle(() => Effect.succeed(TokenServer.text("moved", 302)))
      const endpoint = yield* TokenEndpoint.make({ url: server.tokenUrl, clientAuthentication: clientAuthentications.client_secret_basic })
      const error = yield* typedFailure(TokenEndpoint.requestToken(endpoint, Grant.clientCredentials))
      expect(fieldsOf(error)).toMatchObject({ _tag: "WrongHost", reason: "Redirect", status: 302 })
      expect(error).not.toHaveProperty("location")
    }).pipe(Effect.provide(client), Effect.provide(TokenServer.layer), withinRealTime("10 seconds")))
})

describe.each(clients)("redirects from the discovery document through the %s client", (_, client) => {
  for (const status of RedirectCases.discoveryRedirectStatuses) {
    it.scoped(`${status} to another host → WrongHost (Redirect), nothing sent there`, () =>
      Effect.gen(function*() {
        const server = yield* TokenServer.TokenServer
        const elsewhere = yield* RawTcpServer.make((socket) =>
          socket.end(RawTcpServer.response("200 OK", JSON.stringify({ issuer: server.origin, token_endpoint: server.tokenUrl })))
        )
        const location = elsewhere.tokenUrl.replace("127.0.0.1", "localhost")
        yield* server.handle(() => Effect.succeed(TokenServer.json({}, { status, headers: { location } })))
        const error = yield* typedFailure(OpenIdDiscovery.discover(server.origin))
        expect(fieldsOf(error)).toMatchObject({
          _tag: "WrongHost",
          reason: "Redirect",
          status,
          endpoint: OpenIdDiscovery.documentUrl(server.origin),
          location: new URL(location).origin
        })
        expect(yield* elsewhere.received).toEqual([])
        expect((yield* server.requests).map((r) => `${r.method} ${r.path}`)).toEqual(["GET /.well-known/openid-configuration"])
      }).pipe(Effect.provide(client), Effect.provide(TokenServer.layer), withinRealTime("10 seconds")))
  }
})
