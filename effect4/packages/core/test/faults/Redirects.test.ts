/**
 * A token endpoint or discovery document that redirects must not make the client send its
 * credentials anywhere else: every 3xx is `WrongHost` (`Redirect`) naming where it pointed,
 * and the target, a raw TCP server recording every byte, receives nothing, whichever Node
 * HTTP client is in use (fetch follows redirects unless told not to).
 */
import { describe, expect, it } from "@effect/vitest"
import * as RawTcpServer from "@effect-bearer/conformance/RawTcpServer"
import { Effect, Redacted } from "effect"
import { ClientAuthentication, Grant, OpenIdDiscovery, TokenEndpoint } from "@effect-bearer/core"
import * as TokenServer from "../support/TokenServer.js"
import { clients, fieldsOf, typedFailure, withinRealTime } from "./Outcome.js"
import * as RawTcp from "./RawTcp.js"

const secret = Redacted.make("redirect-secret")
const basic = ["client_secret_basic", ClientAuthentication.clientSecretBasic({ clientId: "redirected", clientSecret: secret })] as const
const post = ["client_secret_post", ClientAuthentication.clientSecretPost({ clientId: "redirected", clientSecret: secret })] as const

/** Where a redirect may point: another host of this machine, or the same origin. */
const targets = [
  { name: "another host", url: (target: string) => target.replace("127.0.0.1", "localhost") },
  { name: "the same origin, another path", url: (_: string, self: string) => self.replace("/token", "/elsewhere") }
] as const

describe.each(clients)("redirects from the token endpoint through the %s client", (_, client) => {
  // 307 and 308 would resend the POST body, client_secret and all: every status with
  // client_secret_post to both targets, and client_secret_basic's header for the two.
  const cases = [
    ...[301, 302, 303, 307, 308].flatMap((status) => targets.map((target) => [status, post, target] as const)),
    ...[307, 308].map((status) => [status, basic, targets[0]] as const)
  ]
  for (const [status, [method, clientAuthentication], target] of cases) {
    it.effect(`${status} to ${target.name} with ${method} → WrongHost (Redirect), nothing sent there`, () =>
      Effect.gen(function*() {
        const server = yield* TokenServer.make
        // The target would answer with a token: a client that followed would succeed.
        const elsewhere = yield* RawTcp.make((socket) =>
          socket.end(RawTcpServer.response("200 OK", JSON.stringify({ access_token: "stolen", token_type: "Bearer" })))
        )
        const location = target.url(elsewhere.tokenUrl, server.tokenUrl)
        yield* server.handle((request) =>
          Effect.succeed(request.path === "/token" ? TokenServer.json({}, { status, headers: { location } }) : TokenServer.tokenResponse("stolen"))
        )
        const endpoint = yield* Effect.orDie(TokenEndpoint.make({ url: server.tokenUrl, clientAuthentication }))
        const error = yield* typedFailure(yield* Effect.exit(TokenEndpoint.requestToken(endpoint, Grant.clientCredentials)))
        expect(fieldsOf(error)).toMatchObject({ _tag: "WrongHost", reason: "Redirect", status, endpoint: server.tokenUrl, location: new URL(location).origin })
        expect(error.message).toContain(new URL(location).origin)
        expect(yield* elsewhere.received).toEqual([])
        expect((yield* server.requests).map((r) => `${r.method} ${r.path}`)).toEqual(["POST /token"])
      }).pipe(withinRealTime("10 seconds"), Effect.provide(client)))
  }

  it.effect("a 302 without a Location header → WrongHost (Redirect) without a location", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.make
      yield* server.handle(() => Effect.succeed(TokenServer.fromAnswer({ status: 302, text: { body: "moved", contentType: "text/plain" } })))
      const endpoint = yield* Effect.orDie(TokenEndpoint.make({ url: server.tokenUrl, clientAuthentication: basic[1] }))
      const error = yield* typedFailure(yield* Effect.exit(TokenEndpoint.requestToken(endpoint, Grant.clientCredentials)))
      expect(fieldsOf(error)).toMatchObject({ _tag: "WrongHost", reason: "Redirect", status: 302 })
      expect(error).not.toHaveProperty("location")
    }).pipe(withinRealTime("10 seconds"), Effect.provide(client)))
})

describe.each(clients)("redirects from the discovery document through the %s client", (_, client) => {
  for (const status of [301, 302, 307, 308]) {
    it.effect(`${status} to another host → WrongHost (Redirect), nothing sent there`, () =>
      Effect.gen(function*() {
        const server = yield* TokenServer.make
        const elsewhere = yield* RawTcp.make((socket) =>
          socket.end(RawTcpServer.response("200 OK", JSON.stringify({ issuer: server.origin, token_endpoint: server.tokenUrl })))
        )
        const location = elsewhere.tokenUrl.replace("127.0.0.1", "localhost")
        yield* server.handle(() => Effect.succeed(TokenServer.json({}, { status, headers: { location } })))
        const error = yield* typedFailure(yield* Effect.exit(OpenIdDiscovery.discover(server.origin)))
        expect(fieldsOf(error)).toMatchObject({
          _tag: "WrongHost",
          reason: "Redirect",
          status,
          endpoint: OpenIdDiscovery.documentUrl(server.origin),
          location: new URL(location).origin
        })
        expect(yield* elsewhere.received).toEqual([])
        expect((yield* server.requests).map((r) => `${r.method} ${r.path}`)).toEqual(["GET /.well-known/openid-configuration"])
      }).pipe(withinRealTime("10 seconds"), Effect.provide(client)))
  }
})
