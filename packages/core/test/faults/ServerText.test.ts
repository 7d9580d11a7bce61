/**
 * What a server controls never reaches an error, a message or a span as it was sent:
 * `error`, `error_description`, `error_uri`, `token_type` and a discovery document's
 * `issuer` are cut to 200 characters, stripped of terminal escapes and control characters,
 * and never repeat a credential of the request (client secret, password, refresh token, the
 * token being revoked, the Basic header); the token, revocation and discovery URLs' queries
 * (where a secret may be configured) appear in no span. All through real HTTP on 127.0.0.1
 * with canary values, looked for in every way errors and spans are printed. The canaries, the
 * refusals and what to check of them are the conformance ServerTextCases, run by both lines.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as ServerText from "@effect-bearer/conformance/ServerTextCases"
import { Cause, Effect, Exit, Redacted, Tracer } from "effect"
import {
  BearerHttpClient,
  ClientAuthentication,
  Grant,
  OpenIdDiscovery,
  TokenEndpoint,
  TokenError,
  TokenProvider
} from "@effect-bearer/core"
import * as TokenServer from "../support/TokenServer.js"
import { printedForms } from "./support/Capture.js"
import { typedFailure, withinRealTime } from "./support/Outcome.js"

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
    const server = yield* TokenServer.TokenServer
    yield* server.handle(() => Effect.succeed(TokenServer.json(refused.body, { status: refused.status })))
    const endpoint = yield* TokenEndpoint.make({
      url: server.tokenUrl,
      clientAuthentication: refused.clientAuthentication === "basic" ? basic : post
    })
    const exit = yield* Effect.exit(TokenEndpoint.requestToken(endpoint, grants[refused.grant]))
    const error = yield* typedFailure(exit)
    return { error, printed: printedForms(exit, error) }
  })

const run = <A, E>(effect: Effect.Effect<A, E, TokenServer.TokenServer | HttpClient.HttpClient>) =>
  effect.pipe(Effect.provide(TokenServer.layer), withinRealTime("10 seconds"))

describe("TokenError.sanitizeServerText", () => {
  for (const rule of ServerText.sanitizeCases) {
    it(rule.name, () => rule.run((text, secrets) => TokenError.sanitizeServerText(text, secrets), expect))
  }
})

describe("server text in token endpoint errors", () => {
  for (const refused of ServerText.refusalCases) {
    it.effect(refused.name, () => run(Effect.map(refusal(refused), (seen) => refused.check(seen, expect))))
  }

  it.effect(ServerText.revocationRefusal.name, () =>
    run(Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      yield* server.handle(() =>
        Effect.succeed(TokenServer.json(ServerText.revocationRefusal.body, { status: ServerText.revocationRefusal.status }))
      )
      const endpoint = yield* TokenEndpoint.make({ url: server.tokenUrl, revocationUrl: `${server.origin}/revoke`, clientAuthentication: post })
      const exit = yield* Effect.exit(TokenEndpoint.revokeToken(endpoint, Redacted.make(revokedToken), "refresh_token"))
      const error = yield* typedFailure(exit)
      ServerText.revocationRefusal.check({ error, printed: printedForms(exit, error) }, expect)
    })))

  it.effect(ServerText.hostileIssuer.name, () =>
    run(Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      yield* server.handle(() => Effect.succeed(TokenServer.json(ServerText.hostileIssuer.body(server.tokenUrl))))
      ServerText.hostileIssuer.check(yield* typedFailure(OpenIdDiscovery.discover(server.origin)), expect)
    })))
})

describe("server text in the bearer client's errors", () => {
  it.scoped("an API's WWW-Authenticate error_description of 5,000 characters is cut to 200 in the Expired error", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      const challenge = `Bearer error="invalid_token", error_description="${"w".repeat(5_000)}"`
      yield* server.handle((request) =>
        Effect.succeed(
          request.path === "/token"
            ? TokenServer.tokenResponse(`fresh-${Math.random()}`)
            : TokenServer.json({ error: "invalid_token" }, { status: 401, headers: { "www-authenticate": challenge } })
        )
      )
      const provider = yield* TokenProvider.fromEndpoint({ url: server.tokenUrl, grant: Grant.clientCredentials, clientAuthentication: post })
      const bearer = yield* BearerHttpClient.make(yield* HttpClient.HttpClient, provider, { origins: [server.origin] })
      const error = yield* typedFailure(bearer.get(`${server.origin}/api/data`))
      expect(error.cause).toMatchObject({
        _tag: "Expired",
        reason: "RejectedByResource",
        error: "invalid_token",
        errorDescription: `${"w".repeat(199)}…`
      })
    }).pipe(Effect.provide(TokenServer.layer), withinRealTime("10 seconds")))
})

/** A tracer that keeps every span, and everything an exporter would send of each. */
const recordingTracer = Effect.map(Effect.tracer, (native) => {
  const spans: Array<Tracer.Span> = []
  const tracer = Tracer.make({
    context: native.context,
    span: (name, parent, context, links, startTime, kind, options) => {
      const span = native.span(name, parent, context, links, startTime, kind, options)
      spans.push(span)
      return span
    }
  })
  const texts = () =>
    spans.flatMap((span) => [
      span.name,
      ...[...span.attributes].map(([key, value]) => `${key}=${String(value)}`),
      span.status._tag === "Ended" && Exit.isFailure(span.status.exit) ? Cause.pretty(span.status.exit.cause) : ""
    ])
  return { spans, tracer, texts }
})

describe("URL queries in spans", () => {
  it.effect("a secret in the token and revocation URLs' query reaches the server but no span", () =>
    run(Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      const { spans, texts, tracer } = yield* recordingTracer
      yield* server.handle((request) =>
        Effect.succeed(request.path.startsWith("/revoke") ? TokenServer.text("", 200) : TokenServer.tokenResponse("a-token"))
      )
      yield* Effect.gen(function*() {
        const endpoint = yield* TokenEndpoint.make({
          url: `${server.tokenUrl}?tenant=${queryCanary}`,
          revocationUrl: `${server.origin}/revoke?tenant=${queryCanary}`,
          clientAuthentication: post
        })
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
        spanTexts: texts(),
        tokenSpan: tokenSpan && { attributes: Object.fromEntries(tokenSpan.attributes), traceId: tokenSpan.traceId },
        revokeSpanUrl: spans.find((span) => span.name === "TokenEndpoint.revokeToken")?.attributes.get("url.full")
      }, expect)
    })))

  it.effect("a discovery of an issuer with a query puts the query in no span", () =>
    run(Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      const { texts, tracer } = yield* recordingTracer
      yield* server.handle(() => Effect.succeed(TokenServer.text("not found", 404)))
      const exit = yield* Effect.exit(OpenIdDiscovery.discover(`${server.origin}?key=${queryCanary}`).pipe(Effect.withTracer(tracer)))
      expect(Exit.isFailure(exit)).toBe(true)
      ServerText.checkDiscoverySpans({ paths: (yield* server.requests).map((request) => request.path), spanTexts: texts() }, expect)
    })))
})
