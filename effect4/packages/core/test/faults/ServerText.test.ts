/**
 * What a server controls never reaches an error, a message or a span as it was sent: `error`,
 * `error_description`, `error_uri`, `token_type` and a discovery document's `issuer` are cut to
 * 200 characters, stripped of terminal escapes and control characters, and never repeat a
 * credential of the request; the token, revocation and discovery URLs' queries appear in no span
 * (Effect 4: the platform's span is off for these requests, the library's own spans say the
 * same without the query). Real HTTP on 127.0.0.1 with canary values. The canaries, the refusals
 * and what to check of them are the conformance ServerTextCases, run by both lines.
 */
import { describe, expect, it } from "@effect/vitest"
import * as ServerText from "@effect-bearer/conformance/ServerTextCases"
import { Effect, Exit, Redacted } from "effect"
import { ClientAuthentication, Grant, OpenIdDiscovery, TokenEndpoint, TokenError } from "@effect-bearer/core"
import * as Recording from "../support/Recording.js"
import * as TokenServer from "../support/TokenServer.js"
import { printedForms, typedFailure, withinRealTime } from "./Outcome.js"

const { clientId, clientSecret, queryCanary, revokedToken } = ServerText

const basic = ClientAuthentication.clientSecretBasic({ clientId, clientSecret: Redacted.make(clientSecret) })
const post = ClientAuthentication.clientSecretPost({ clientId, clientSecret: Redacted.make(clientSecret) })
const grants = {
  clientCredentials: Grant.clientCredentials,
  password: Grant.password({ username: "someone@example.com", password: Redacted.make(ServerText.password) }),
  refreshToken: Grant.refreshToken(Redacted.make(ServerText.refreshToken))
}

/** A token request answered with the case's body and status; the typed error and everything printed of it. */
const refusal = (refused: ServerText.RefusalCase) =>
  Effect.gen(function*() {
    const server = yield* TokenServer.make
    yield* server.handle(() => Effect.succeed(TokenServer.json(refused.body, { status: refused.status })))
    const endpoint = yield* Effect.orDie(TokenEndpoint.make({ url: server.tokenUrl, clientAuthentication: refused.clientAuthentication === "basic" ? basic : post }))
    const exit = yield* Effect.exit(TokenEndpoint.requestToken(endpoint, grants[refused.grant]))
    const error = yield* typedFailure(exit)
    return { error, printed: printedForms(exit, error) }
  }).pipe(withinRealTime("10 seconds"), Effect.provide(TokenServer.layerClient))

describe("TokenError.sanitizeServerText (the kernel's rules through the core)", () => {
  for (const rule of ServerText.sanitizeCases) {
    it(rule.name, () => rule.run((text, secrets) => TokenError.sanitizeServerText(text, secrets), expect))
  }
})

describe("server text in token endpoint errors", () => {
  for (const refused of ServerText.refusalCases) {
    it.effect(refused.name, () => Effect.map(refusal(refused), (seen) => refused.check(seen, expect)))
  }

  it.effect(ServerText.revocationRefusal.name, () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.make
      yield* server.handle(() => Effect.succeed(TokenServer.json(ServerText.revocationRefusal.body, { status: ServerText.revocationRefusal.status })))
      const endpoint = yield* Effect.orDie(TokenEndpoint.make({ url: server.tokenUrl, revocationUrl: `${server.origin}/revoke`, clientAuthentication: post }))
      const exit = yield* Effect.exit(TokenEndpoint.revokeToken(endpoint, Redacted.make(revokedToken), "refresh_token"))
      const error = yield* typedFailure(exit)
      ServerText.revocationRefusal.check({ error, printed: printedForms(exit, error) }, expect)
    }).pipe(Effect.provide(TokenServer.layerClient)))

  it.effect(ServerText.hostileIssuer.name, () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.make
      yield* server.handle(() => Effect.succeed(TokenServer.json(ServerText.hostileIssuer.body(server.tokenUrl))))
      ServerText.hostileIssuer.check(yield* typedFailure(yield* Effect.exit(OpenIdDiscovery.discover(server.origin))), expect)
    }).pipe(Effect.provide(TokenServer.layerClient)))
})

describe("URL queries in spans", () => {
  it.effect("a secret in the token and revocation URLs' query reaches the server but no span", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.make
      const { spans, tracer } = Recording.tracer()
      yield* server.handle((request) => Effect.succeed(request.path.startsWith("/revoke") ? TokenServer.fromAnswer({ status: 200 }) : TokenServer.tokenResponse("a-token")))
      yield* Effect.gen(function*() {
        const endpoint = yield* Effect.orDie(TokenEndpoint.make({
          url: `${server.tokenUrl}?tenant=${queryCanary}`,
          revocationUrl: `${server.origin}/revoke?tenant=${queryCanary}`,
          clientAuthentication: post
        }))
        yield* TokenEndpoint.requestToken(endpoint, Grant.clientCredentials)
        yield* TokenEndpoint.revokeToken(endpoint, Redacted.make(revokedToken), "access_token")
        // A refusal too: its span ends in a failure, whose cause is exported.
        yield* server.handle(() => Effect.succeed(TokenServer.json({ error: "invalid_client" }, { status: 401 })))
        yield* Effect.exit(TokenEndpoint.requestToken(endpoint, Grant.clientCredentials))
      }).pipe(Effect.withTracer(tracer))
      const requests = yield* server.requests
      const tokenSpan = spans.find((span) => span.name === "TokenEndpoint.requestToken")
      ServerText.checkQuerySpans({
        origin: server.origin,
        paths: requests.map((request) => request.path),
        traceparent: requests[0]?.headers["traceparent"],
        spanTexts: spans.map(Recording.describeSpan),
        tokenSpan: tokenSpan && { attributes: Object.fromEntries(tokenSpan.attributes), traceId: tokenSpan.traceId },
        revokeSpanUrl: spans.find((span) => span.name === "TokenEndpoint.revokeToken")?.attributes.get("url.full")
      }, expect)
    }).pipe(withinRealTime("10 seconds"), Effect.provide(TokenServer.layerClient)))

  it.effect("a discovery of an issuer with a query puts the query in no span", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.make
      const { spans, tracer } = Recording.tracer()
      yield* server.handle(() => Effect.succeed(TokenServer.fromAnswer({ status: 404, text: { body: "not found", contentType: "text/plain" } })))
      const exit = yield* Effect.exit(OpenIdDiscovery.discover(`${server.origin}?key=${queryCanary}`).pipe(Effect.withTracer(tracer)))
      expect(Exit.isFailure(exit)).toBe(true)
      ServerText.checkDiscoverySpans({ paths: (yield* server.requests).map((request) => request.path), spanTexts: spans.map(Recording.describeSpan) }, expect)
    }).pipe(withinRealTime("10 seconds"), Effect.provide(TokenServer.layerClient)))
})
