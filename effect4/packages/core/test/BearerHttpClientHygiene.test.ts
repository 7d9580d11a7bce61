/**
 * Secret hygiene of the bearer client, end to end: canary secrets, passwords and tokens go
 * to a token endpoint and an API that fail in every way the version-free table
 * `@effect-bearer/conformance/BearerHygieneCases` lists; every outcome of every response
 * accessor is printed every way users print errors (`String`, `JSON.stringify`,
 * `util.inspect`, `console.error`, `Cause.pretty`, `Effect.logError` through each built-in
 * logger, the error's `request` and `response` themselves), on each HTTP client; no canary
 * may appear. The bearer parts of the Effect 3 line's `SecretHygiene` suite.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Redacted, Schedule } from "effect"
import { HttpClient } from "effect/http"
import * as Cases from "@effect-bearer/conformance/BearerHygieneCases"
import { BearerHttpClient, ClientAuthentication, Grant, TokenProvider } from "@effect-bearer/core"
import * as ApiServer from "./support/ApiServer.js"
import * as Capture from "./support/Capture.js"
import { accessorsAndSchema as accessors, clients } from "./support/HttpClients.js"
import * as RawTcpServer from "./support/RawTcpServer.js"
import * as TokenServer from "./support/TokenServer.js"

const secret = Redacted.make(Cases.clientSecret)
const authentications = {
  client_secret_basic: ClientAuthentication.clientSecretBasic({ clientId: Cases.clientId, clientSecret: secret }),
  client_secret_post: ClientAuthentication.clientSecretPost({ clientId: Cases.clientId, clientSecret: secret })
}
const grants = {
  password: Grant.password({ username: "someone@example.com", password: Redacted.make(Cases.password) }),
  refresh_token: Grant.refreshToken(Redacted.make(Cases.refreshToken))
}

/** A reply of the table as this line's server response, for the `index`-th request. */
const respond = (reply: Cases.Reply, request: ApiServer.RecordedRequest, index: number) =>
  "answer" in reply
    ? TokenServer.fromAnswer(reply.answer)
    : "fromRequestBody" in reply
    ? TokenServer.fromAnswer(reply.fromRequestBody(request.body))
    : "issue" in reply
    ? TokenServer.fromAnswer(Cases.issued(index))
    : TokenServer.json({ unexpected: request.path }, { status: 500 })

/**
 * Serves `reply` at `path` of the server, or starts a raw TCP server for it; returns the
 * URL and what that endpoint received (headers and bodies, as text).
 */
const serve = (server: ApiServer.ApiServer, path: string, reply: Cases.Reply) =>
  "resetMidBody" in reply
    ? Effect.map(RawTcpServer.make(RawTcpServer.resetMidBody(reply.resetMidBody)), (tcp) => ({
      url: `${tcp.origin}${path}`,
      received: Effect.map(tcp.received, (all) => all.join("\n"))
    }))
    : Effect.succeed({
      url: server.url(path),
      received: Effect.map(server.requests, (all) =>
        all.filter((r) => r.path.startsWith(path)).map((r) => `${JSON.stringify(r.headers)} ${r.body}`).join("\n"))
    })

describe("secret hygiene of the bearer client", () => {
  it.effect("an API that accepts the token, one that refuses every token, another origin: no canary anywhere", () => {
    const capture = Capture.make()
    return Effect.gen(function*() {
      const server = yield* ApiServer.make
      yield* server.handle((request, index) =>
        Effect.succeed(
          request.path.startsWith("/api/open")
            ? ApiServer.json({ ok: true })
            : request.path.startsWith("/api")
            ? ApiServer.json({ error: "invalid_token" }, {
              status: 401,
              headers: { "www-authenticate": "Bearer error=\"invalid_token\"" }
            })
            : TokenServer.fromAnswer(Cases.issued(index))
        )
      )
      const provider = yield* TokenProvider.fromEndpoint({
        url: server.url("/token"),
        grant: Grant.clientCredentials,
        clientAuthentication: authentications.client_secret_post
      })
      const client = yield* BearerHttpClient.make(yield* HttpClient.HttpClient, provider, { origins: [server.origin] })
      // Whole exits: responses and errors carry the caller's request, never the header.
      for (
        const [name, url] of [
          ["bearer client against an API that accepts the token", server.url("/api/open")],
          ["bearer client against an API that refuses every token", server.url("/api/data")],
          ["bearer client sending to another origin", `http://localhost:${new URL(server.origin).port}/api/data`]
        ] as const
      ) {
        const exit = yield* Effect.exit(client.get(url))
        capture.recordExit(name, exit)
        yield* Effect.logWarning(name, Exit.isFailure(exit) ? exit.cause : "no failure")
      }
      // The canaries did travel (the capture is not vacuous).
      const sent = (yield* server.requests).map((r) => `${r.headers["authorization"] ?? ""} ${r.body}`).join("\n")
      expect(sent).toContain(Cases.clientSecretForms[0])
      expect(sent).toContain(`Bearer ${Cases.accessToken}-`)
      expect(capture.counts().errors).toBeGreaterThan(0)
      expect(capture.counts().logs).toBeGreaterThan(0)
      expect(capture.counts().spans).toBeGreaterThan(0)
      expect(capture.leaks(Cases.canaries)).toEqual([])
    }).pipe(Effect.provide(Layer.merge(capture.layer, NodeHttpClient.layerUndici)))
  })
})

describe.each(clients)("secret hygiene of every printed error, through the %s client", (_, clientLayer) => {
  for (const mode of Cases.failureModes) {
    it.live(`${mode.name}: no canary appears in any printed form of any accessor's outcome`, () => {
      const capture = Capture.make()
      const issues = "issue" in mode.tokenEndpoint
      return Effect.gen(function*() {
        const server = yield* ApiServer.make
        yield* server.handle((request, index) =>
          Effect.sync(() => respond(request.path.startsWith("/token") ? mode.tokenEndpoint : mode.api, request, index))
        )
        const tokenEndpoint = yield* serve(server, "/token", mode.tokenEndpoint)
        const api = yield* serve(server, "/api/items", mode.api)
        // Where the token endpoint issues tokens (the API faults), the first grant is enough:
        // its refresh after a 401 sends an issued refresh token.
        for (const { clientAuthentication, grant, name } of issues ? Cases.grantsAndMethods.slice(0, 1) : Cases.grantsAndMethods) {
          const provider = yield* TokenProvider.fromEndpoint({
            url: tokenEndpoint.url,
            grant: grants[grant],
            clientAuthentication: authentications[clientAuthentication],
            retry: Schedule.recurs(0),
            backgroundRefresh: false,
            timeout: "2 seconds"
          })
          const client = yield* BearerHttpClient.make(yield* HttpClient.HttpClient, provider, {
            origins: [new URL(api.url).origin],
            retry: Schedule.recurs(0)
          })
          yield* capture.recordAndLog(`${name} provider.get`, yield* Effect.exit(provider.get))
          for (const [index, [accessorName, read]] of accessors.entries()) {
            const exit = yield* Effect.exit(Effect.flatMap(client.get(api.url), read))
            if (!issues && index > 0) {
              // A token endpoint fault fails the call before there is a response, so every
              // accessor fails alike: the first is printed in full, the others by what they say.
              capture.recordExitMessages(`${name} ${accessorName}`, exit)
              expect(Exit.isFailure(exit)).toBe(true)
            } else {
              yield* capture.recordAndLog(`${name} ${accessorName}`, exit)
            }
          }
        }
        // The canaries did travel (the capture is not vacuous): the credentials to the token
        // endpoint, and the issued tokens to the API when the token endpoint issued any.
        const sentToTokenEndpoint = yield* tokenEndpoint.received
        for (const sent of Cases.sentCredentials(issues)) expect(sentToTokenEndpoint).toContain(sent)
        if (issues) expect(yield* api.received).toContain(`Bearer ${Cases.accessToken}-`)
        expect(capture.counts().errors).toBeGreaterThan(0)
        expect(capture.counts().logs).toBeGreaterThan(0)
        const leaks = capture.leaks(Cases.canaries)
        expect({ leaks: leaks.length, first: leaks.slice(0, 10) }).toEqual({ leaks: 0, first: [] })
      }).pipe(Effect.scoped, Effect.provide(Layer.merge(capture.layer, clientLayer)))
    })
  }
})
