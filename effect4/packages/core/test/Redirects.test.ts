/**
 * A token endpoint or discovery document that redirects must not make the client send its
 * credentials anywhere else: every 3xx is `WrongHost` (`Redirect`) naming where it pointed,
 * and the redirect target, a raw TCP server that records every byte, receives nothing,
 * whichever HTTP client is in use (fetch follows redirects by default). The cases are the
 * version-free table `@effect-bearer/conformance/RedirectCases`.
 */
import { describe, expect, it } from "@effect/vitest"
import { Duration, Effect, Exit, Redacted } from "effect"
import { TestClock } from "effect/testing"
import * as RedirectCases from "@effect-bearer/conformance/RedirectCases"
import { ClientAuthentication, Grant, OpenIdDiscovery, TokenEndpoint } from "@effect-bearer/core"
import type { TokenError } from "@effect-bearer/core"
import { clients } from "./support/HttpClients.js"
import * as RawTcpServer from "./support/RawTcpServer.js"
import * as TokenServer from "./support/TokenServer.js"

const secret = Redacted.make("redirect-secret")
const authentications = {
  client_secret_basic: ClientAuthentication.clientSecretBasic({ clientId: "redirected", clientSecret: secret }),
  client_secret_post: ClientAuthentication.clientSecretPost({ clientId: "redirected", clientSecret: secret })
}

/** The typed error `effect` failed with; a success, a defect or an interruption fails the test. */
const typedFailure = <A, R>(effect: Effect.Effect<A, TokenError.TokenError, R>) =>
  Effect.flatMap(Effect.exit(effect), (exit) =>
    Exit.isFailure(exit) && exit.cause.reasons.length === 1 && exit.cause.reasons[0]?._tag === "Fail"
      ? Effect.succeed(exit.cause.reasons[0].error)
      : Effect.die(new Error(`expected a typed failure, got ${String(exit)}`)))

/** Fails the test when `effect` has not finished after 10 seconds of real time (a hang). */
const withinRealTime = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  TestClock.withLive(Effect.timeoutOrElse(effect, {
    duration: Duration.seconds(10),
    orElse: () => Effect.die(new Error("did not finish within 10 seconds of real time"))
  }))

/** A target that would answer with a token: a client that followed the redirect would succeed. */
const elsewhere = (body: unknown) =>
  RawTcpServer.make((socket) => socket.end(RawTcpServer.response("200 OK", JSON.stringify(body))))

describe.each(clients)("redirects from the token endpoint through the %s client", (_, client) => {
  for (const { clientAuthentication, status, target } of RedirectCases.tokenEndpointRedirects) {
    it.effect(`${status} to ${target} with ${clientAuthentication} → WrongHost (Redirect), nothing sent there`, () =>
      Effect.gen(function*() {
        const server = yield* TokenServer.make
        const other = yield* elsewhere({ access_token: "stolen", token_type: "Bearer" })
        const location = RedirectCases.targetUrl(target, other.tokenUrl, server.tokenUrl)
        yield* server.handle((request) =>
          Effect.succeed(
            request.path === "/token"
              ? TokenServer.json({}, { status, headers: { location } })
              : TokenServer.tokenResponse("stolen")
          )
        )
        const endpoint = yield* TokenEndpoint.make({
          url: server.tokenUrl,
          clientAuthentication: authentications[clientAuthentication]
        })
        const error = yield* typedFailure(TokenEndpoint.requestToken(endpoint, Grant.clientCredentials))
        expect(error).toMatchObject({
          _tag: "WrongHost",
          reason: "Redirect",
          status,
          endpoint: server.tokenUrl,
          location: new URL(location).origin
        })
        expect(error.message).toContain(new URL(location).origin)
        expect(yield* other.received).toEqual([])
        expect((yield* server.requests).map((r) => `${r.method} ${r.path}`)).toEqual(["POST /token"])
      }).pipe(Effect.provide(client), withinRealTime))
  }

  it.effect("a 302 without a Location header → WrongHost (Redirect) without a location", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.make
      yield* server.handle(() => Effect.succeed(TokenServer.status(302)))
      const endpoint = yield* TokenEndpoint.make({ url: server.tokenUrl, clientAuthentication: authentications.client_secret_basic })
      const error = yield* typedFailure(TokenEndpoint.requestToken(endpoint, Grant.clientCredentials))
      expect(error).toMatchObject({ _tag: "WrongHost", reason: "Redirect", status: 302 })
      expect(error).not.toHaveProperty("location")
    }).pipe(Effect.provide(client), withinRealTime))
})

describe.each(clients)("redirects from the discovery document through the %s client", (_, client) => {
  for (const status of RedirectCases.discoveryRedirectStatuses) {
    it.effect(`${status} to another host → WrongHost (Redirect), nothing sent there`, () =>
      Effect.gen(function*() {
        const server = yield* TokenServer.make
        const other = yield* elsewhere({ issuer: server.origin, token_endpoint: server.tokenUrl })
        const location = RedirectCases.targetUrl("another host", other.tokenUrl, server.tokenUrl)
        yield* server.handle(() => Effect.succeed(TokenServer.json({}, { status, headers: { location } })))
        const error = yield* typedFailure(OpenIdDiscovery.discover(server.origin))
        expect(error).toMatchObject({
          _tag: "WrongHost",
          reason: "Redirect",
          status,
          endpoint: OpenIdDiscovery.documentUrl(server.origin),
          location: new URL(location).origin
        })
        expect(yield* other.received).toEqual([])
        expect((yield* server.requests).map((r) => `${r.method} ${r.path}`)).toEqual(["GET /.well-known/openid-configuration"])
      }).pipe(Effect.provide(client), withinRealTime))
  }
})
