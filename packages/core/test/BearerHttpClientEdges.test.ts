/**
 * The bearer client at its edges, through real HTTP on 127.0.0.1: failures of reading a
 * body never show the token, bodies the client drops are never read in full, an API that
 * refuses every fresh token does not cost a token request per call, and no call waits on
 * a token endpoint for longer than the library's bounds and the caller's `timeout`.
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { describe, expect, it } from "@effect/vitest"
import * as RefusingApiCases from "@effect-bearer/conformance/RefusingApiCases"
import {
  Cause,
  Context,
  Duration,
  Effect,
  Exit,
  Fiber,
  Layer,
  Option,
  Redacted,
  Ref,
  Schedule,
  Schema,
  Stream,
  TestClock,
} from "effect"
import { BearerHttpClient, ClientAuthentication, Grant, TokenProvider } from "@effect-bearer/core"
import * as Polling from "@effect-bearer/test-support/Polling"
import * as Capture from "./faults/support/Capture.js"
import { accessors } from "./faults/support/ResponseAccessors.js"
import { clients, withinRealTime } from "./faults/support/Outcome.js"
import * as RawTcpServer from "./faults/support/RawTcpServer.js"
import * as ApiServer from "./support/ApiServer.js"
import * as BearerBench from "./support/BearerBench.js"
import * as TestTime from "./support/TestTime.js"
import * as TokenServer from "./support/TokenServer.js"

const staticToken = "edge-static-token-4c1e"

/**
 * The authenticated client over `layer`'s HTTP client with a static token, for `origin`;
 * both live as long as the test's scope (undici's dispatcher closes with its layer).
 */
const staticClient = (origin: string, layer: Layer.Layer<HttpClient.HttpClient>) =>
  Effect.gen(function*() {
    const context = yield* Layer.build(Layer.merge(layer, TokenProvider.layerStatic(Redacted.make(staticToken))))
    const http = Context.get(context, HttpClient.HttpClient)
    const provider = Context.get(context, TokenProvider.TokenProvider)
    return yield* BearerHttpClient.make(http, provider, { origins: [origin], retry: Schedule.stop }).pipe(Effect.orDie)
  })

/**
 * Runs `read`, which must fail, prints its failure every way users print errors (and logs
 * it through each of Effect's built-in loggers), and returns the failure and every place
 * where the token showed.
 */
const readFailure = <A, E>(read: Effect.Effect<A, E>) =>
  Effect.gen(function*() {
    const capture = Capture.make()
    const exit = yield* Effect.exit(read)
    if (Exit.isSuccess(exit)) return yield* Effect.dieMessage("expected the read to fail")
    capture.recordExit("read", exit)
    yield* Effect.logError("reading the body failed", exit.cause).pipe(Effect.provide(capture.layer))
    expect(capture.counts().errors).toBeGreaterThan(0)
    return { error: Cause.squash(exit.cause), leaks: capture.leaks([staticToken]) }
  }).pipe(withinRealTime("3 seconds"))

const Project = Schema.Struct({ id: Schema.String })

describe("BearerHttpClient at the edges", () => {
  describe("a body that cannot be read", () => {
    for (const [clientName, layer] of clients) {
      it.scoped(`an HTML page read as JSON fails without the token in any printed form (${clientName})`, () =>
        Effect.gen(function*() {
          const api = yield* ApiServer.make
          yield* api.handle(() => Effect.succeed(HttpServerResponse.html("<html><body>Sign in</body></html>")))
          const client = yield* staticClient(api.origin, layer)
          const response = yield* client.get(api.url("/projects"))
          const { error, leaks } = yield* readFailure(response.json)
          expect(leaks).toEqual([])
          expect(HttpClientError.isHttpClientError(error) && error._tag).toBe("ResponseError")
          if (HttpClientError.isHttpClientError(error) && error._tag === "ResponseError") {
            expect(error.request.headers["authorization"]).toBeUndefined()
            expect(error.response.request.headers["authorization"]).toBeUndefined()
            expect(JSON.stringify(error.response)).not.toContain(staticToken)
          }
          expect((yield* readFailure(response.formData)).leaks).toEqual([])
        }))

      it.scoped(`HttpClientResponse.schemaBodyJson failing shows no token (${clientName})`, () =>
        Effect.gen(function*() {
          const api = yield* ApiServer.make
          const client = yield* staticClient(api.origin, layer)
          // Not JSON at all, then JSON of the wrong shape.
          yield* api.handle((_, index) =>
            Effect.succeed(index === 0 ? HttpServerResponse.text("<!doctype html>") : ApiServer.json({ id: 42 }))
          )
          const notJson = yield* client.get(api.url("/projects/1"))
          expect((yield* readFailure(HttpClientResponse.schemaBodyJson(Project)(notJson))).leaks).toEqual([])
          const wrongShape = yield* client.get(api.url("/projects/2"))
          expect((yield* readFailure(HttpClientResponse.schemaBodyJson(Project)(wrongShape))).leaks).toEqual([])
        }))

      it.scoped(`a connection reset in the middle of the body fails every accessor without the token (${clientName})`, () =>
        Effect.gen(function*() {
          const server = yield* RawTcpServer.make((socket) => {
            socket.write(
              "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{\"items\": [1, 2, 3,",
              () => socket.resetAndDestroy()
            )
          })
          const origin = new URL(server.tokenUrl).origin
          const client = yield* staticClient(origin, layer)
          for (const [name, read] of accessors) {
            const response = yield* client.get(`${origin}/items`)
            const { error, leaks } = yield* readFailure(read(response))
            expect([name, leaks]).toEqual([name, []])
            expect([name, HttpClientError.isHttpClientError(error) && error.request.headers["authorization"]])
              .toEqual([name, undefined])
          }
          // The token was sent, so the test proves the request carried it.
          expect((yield* server.received).every((text) => text.includes(`Bearer ${staticToken}`))).toBe(true)
        }))
    }
  })

  describe("bodies the client drops", () => {
    it.scoped("an endless 401 body is not read in full before the replay", () =>
      Effect.gen(function*() {
        const { api, bearer, tokenRequests } = yield* setup("endless-401")
        const written = yield* Ref.make(0)
        const chunk = new Uint8Array(64 * 1024).fill(120)
        // 256 MiB on offer: far more than any cap, and finite, so a regression ends too.
        const endless = Stream.repeatEffect(Effect.as(Ref.update(written, (n) => n + chunk.length), chunk)).pipe(
          Stream.take(4096)
        )
        yield* api.handle((request) =>
          Effect.succeed(
            ApiServer.bearerTokenOf(request) === "tok-1"
              ? HttpServerResponse.stream(endless, {
                status: 401,
                headers: { "www-authenticate": "Bearer error=\"invalid_token\"" },
                contentType: "text/plain"
              })
              : ApiServer.json({ ok: true })
          )
        )
        const client = yield* bearer()
        // The TestClock does not move: only the byte cap can end the read.
        expect((yield* client.get(api.url("/x"))).status).toBe(200)
        expect(yield* tokenRequests).toBe(2)
        expect(yield* Ref.get(written)).toBeLessThan(32 * 1024 * 1024)
      }).pipe(Effect.provide(TokenServer.layer)))
  })

  describe("an API that refuses every fresh token", () => {
    for (const refusing of RefusingApiCases.cases) {
      it.scoped(refusing.name, () =>
        Effect.flatMap(BearerBench.make(refusing.provider), (bench) => Effect.promise(() => refusing.run(bench, expect))).pipe(
          Effect.provide(TokenServer.layer)
        ))
    }
  })

  it.scoped("a token the API repeats URL-encoded in its challenge is removed from the error in every printed form", () =>
    Effect.gen(function*() {
      const token = "tok+1/=="
      const tokenServer = yield* TokenServer.TokenServer
      const { api, bearer } = yield* setup("echoes-encoded-token")
      yield* tokenServer.handle(() => Effect.succeed(TokenServer.tokenResponse(token)))
      yield* api.handle((request) =>
        Effect.succeed(ApiServer.unauthorized(
          `Bearer error="invalid_token", error_uri="https://api.example/errors?token=${encodeURIComponent(ApiServer.bearerTokenOf(request) ?? "")}"`
        ))
      )
      const error = yield* Effect.flip((yield* bearer()).get(api.url("/x")))
      const capture = Capture.make()
      capture.recordError("error", error)
      expect(capture.leaks([token, encodeURIComponent(token)])).toEqual([])
    }).pipe(Effect.provide(TokenServer.layer)))

  it.scoped("a token the API repeats in its challenge never reaches the platform's http.client span", () => {
    // The platform's span records every response header; `WWW-Authenticate` is redacted there like `Authorization`.
    const capture = Capture.make()
    return Effect.gen(function*() {
      const { api, bearer } = yield* setup("echoes-token-in-span")
      yield* api.handle((request) =>
        Effect.succeed(ApiServer.unauthorized(
          `Bearer error="invalid_token", error_description="token ${ApiServer.bearerTokenOf(request)} is bad"`
        ))
      )
      capture.recordExit("exit", yield* Effect.exit((yield* bearer()).get(api.url("/x"))))
      expect(capture.leaks(["tok-1", "tok-2"]).filter((leak) => leak.startsWith("span http.client"))).toEqual([])
      // The header is there, redacted: the span still shows that the API sent a challenge.
      expect(capture.all().some((captured) => captured.source.startsWith("span http.client") && captured.text.includes("www-authenticate"))).toBe(true)
    }).pipe(Effect.provide(capture.layer), Effect.provide(TokenServer.layer))
  })

  describe("waiting on the token endpoint", () => {
    for (
      const [what, retryAfter] of [
        ["Retry-After: 86400", "86400"],
        ["an HTTP date a year ahead", new Date(Date.UTC(2100, 0, 1)).toUTCString()]
      ] as const
    ) {
      it.scoped(`a 429 with ${what} fails the call at once with TemporarilyUnavailable and its retryAfter`, () =>
        Effect.gen(function*() {
          const tokenServer = yield* TokenServer.TokenServer
          const { api, bearer } = yield* setup(`retry-after-${retryAfter.length}`)
          yield* tokenServer.handle(() =>
            Effect.succeed(TokenServer.json({ error: "slow_down" }, { status: 429, headers: { "retry-after": retryAfter } }))
          )
          const client = yield* bearer()
          const fiber = yield* Effect.fork(Effect.flip(client.get(api.url("/x"))))
          // The TestClock never moves: a call that waits for the server never ends.
          yield* Polling.until(Fiber.poll(fiber), Option.isSome)
          const cause = Option.getOrUndefined(BearerHttpClient.tokenError(yield* Fiber.join(fiber)))
          expect(cause?._tag).toBe("TemporarilyUnavailable")
          const asked = cause?._tag === "TemporarilyUnavailable" ? cause.retryAfter : undefined
          expect(asked !== undefined && Duration.toSeconds(asked)).toBeGreaterThanOrEqual(86400)
          expect(yield* api.hits).toBe(0)
        }).pipe(Effect.provide(TokenServer.layer)))
    }

    it.scoped("the API's own 429 asking for a day is returned at once with the default options", () =>
      Effect.gen(function*() {
        const { api, bearer } = yield* setup("api-retry-after-day")
        yield* api.handle(() => Effect.succeed(ApiServer.status(429, { "retry-after": "86400" })))
        const client = yield* bearer()
        const fiber = yield* Effect.fork(client.get(api.url("/x")))
        yield* Polling.until(Fiber.poll(fiber), Option.isSome)
        expect((yield* Fiber.join(fiber)).status).toBe(429)
        expect(yield* api.hits).toBe(1)
      }).pipe(Effect.provide(TokenServer.layer)))

    it.scoped("the timeout option bounds the token acquisition: a silent token endpoint fails the call after it", () =>
      Effect.gen(function*() {
        const tokenServer = yield* TokenServer.TokenServer
        const { api, bearer } = yield* setup("silent-token-endpoint")
        yield* tokenServer.handle(() => Effect.as(Effect.sleep("1 hour"), TokenServer.tokenResponse("late")))
        const client = yield* bearer({ timeout: "2 seconds", retry: Schedule.stop })
        const fiber = yield* Effect.fork(Effect.flip(client.get(api.url("/x"))))
        yield* TestTime.awaitSleep("2 seconds")
        yield* TestClock.adjust("2 seconds")
        const error = yield* Fiber.join(fiber)
        expect(error._tag === "RequestError" && error.reason).toBe("Transport")
        expect(error.message).toContain("no token within 2s")
        expect(yield* api.hits).toBe(0)
      }).pipe(Effect.provide(TokenServer.layer)))
  })
})

/** A token server issuing tok-1, tok-2, ... (300 s each), a provider over it and an API. */
const setup = (name: string) =>
  Effect.gen(function*() {
    const tokenServer = yield* TokenServer.TokenServer
    const issued = yield* Ref.make(0)
    yield* tokenServer.handle(() =>
      Effect.map(Ref.updateAndGet(issued, (n) => n + 1), (n) => TokenServer.tokenResponse(`tok-${n}`))
    )
    const provider = yield* TokenProvider.fromEndpoint({
      url: tokenServer.tokenUrl,
      grant: Grant.clientCredentials,
      clientAuthentication: ClientAuthentication.clientSecretPost({ clientId: "client", clientSecret: Redacted.make("s") }),
      name,
      backgroundRefresh: false
    }).pipe(Effect.orDie)
    const api = yield* ApiServer.make
    const http = yield* HttpClient.HttpClient
    return {
      api,
      tokenRequests: Effect.map(tokenServer.requests, (all) => all.length),
      bearer: (options?: Partial<BearerHttpClient.Options>) =>
        BearerHttpClient.make(http, provider, { origins: [api.origin], ...options }).pipe(Effect.orDie)
    }
  })

