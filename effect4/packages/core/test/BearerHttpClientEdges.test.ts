/**
 * The bearer client at its edges, through real HTTP on 127.0.0.1: failures of reading a
 * body never show the token, bodies the client drops are never read in full, an API that
 * refuses every fresh token does not cost a token request per call, and no call waits on
 * a token endpoint for longer than the library's bounds and the caller's `timeout`.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as RefusingApiCases from "@effect-bearer/conformance/RefusingApiCases"
import type { Scope } from "effect"
import { Cause, Clock, Context, Duration, Effect, Exit, Fiber, Layer, Option, Redacted, Ref, Schedule, Schema, Stream } from "effect"
import { HttpClient, HttpClientError, HttpClientResponse, HttpServerResponse } from "effect/http"
import { TestClock } from "effect/testing"
import { BearerHttpClient, TokenProvider } from "@effect-bearer/core"
import * as ApiServer from "./support/ApiServer.js"
import * as BearerSetup from "./support/BearerSetup.js"
import * as BearerBench from "./support/BearerBench.js"
import * as Capture from "./support/Capture.js"
import { accessors, clients } from "./support/HttpClients.js"
import * as ManualClock from "./support/ManualClock.js"
import * as RawTcpServer from "./support/RawTcpServer.js"
import * as TestTime from "./support/TestTime.js"

const staticToken = "edge-static-token-4c1e"
const undici = Effect.provide(NodeHttpClient.layerUndici)

/** Fails the test when `effect` has not finished after `limit` of real time (a hang). */
const withinRealTime = (limit: Duration.Input) => <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  TestClock.withLive(Effect.timeoutOrElse(effect, {
    duration: limit,
    orElse: () => Effect.die(new Error(`did not finish within ${Duration.format(Duration.fromInputUnsafe(limit))} of real time`))
  }))

/**
 * The authenticated client over `layer`'s HTTP client with a static token, for `origin`;
 * both live as long as the test's scope.
 */
const staticClient = (origin: string, layer: Layer.Layer<HttpClient.HttpClient>) =>
  Effect.gen(function*() {
    const context = yield* Layer.build(Layer.merge(layer, TokenProvider.layerStatic(Redacted.make(staticToken))))
    const http = Context.get(context, HttpClient.HttpClient)
    const provider = Context.get(context, TokenProvider.TokenProvider)
    return yield* BearerHttpClient.make(http, provider, { origins: [origin], retry: Schedule.recurs(0) }).pipe(Effect.orDie)
  })

/**
 * Runs `read`, which must fail, prints its failure every way users print errors (and logs
 * it through each of Effect's built-in loggers), and returns the failure and every place
 * where the token showed.
 */
const readFailure = <A, E>(read: Effect.Effect<A, E, Scope.Scope>) =>
  Effect.gen(function*() {
    const capture = Capture.make()
    const exit = yield* Effect.exit(read)
    if (Exit.isSuccess(exit)) return yield* Effect.die(new Error("expected the read to fail"))
    capture.recordExit("read", exit)
    yield* Effect.logError("reading the body failed", exit.cause).pipe(Effect.provide(capture.layer))
    expect(capture.counts().errors).toBeGreaterThan(0)
    return { error: Cause.squash(exit.cause), leaks: capture.leaks([staticToken]) }
  }).pipe(withinRealTime("3 seconds"))

const Project = Schema.Struct({ id: Schema.String })

describe("BearerHttpClient at the edges", () => {
  describe("a body that cannot be read", () => {
    for (const [clientName, layer] of clients) {
      it.effect(`an HTML page read as JSON fails without the token in any printed form (${clientName})`, () =>
        Effect.gen(function*() {
          const api = yield* ApiServer.make
          yield* api.handle(() => Effect.succeed(HttpServerResponse.html("<html><body>Sign in</body></html>")))
          const client = yield* staticClient(api.origin, layer)
          const response = yield* client.get(api.url("/projects"))
          const { error, leaks } = yield* readFailure(response.json)
          expect(leaks).toEqual([])
          expect(HttpClientError.isHttpClientError(error) && error.reason._tag).toBe("DecodeError")
          if (HttpClientError.isHttpClientError(error)) {
            expect(error.request.headers["authorization"]).toBeUndefined()
            expect(error.response?.request.headers["authorization"]).toBeUndefined()
            expect(JSON.stringify(error.response)).not.toContain(staticToken)
          }
          expect((yield* readFailure(response.formData)).leaks).toEqual([])
        }))

      it.effect(`HttpClientResponse.schemaBodyJson failing shows no token (${clientName})`, () =>
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

      it.effect(`a connection reset in the middle of the body fails every accessor without the token (${clientName})`, () =>
        Effect.gen(function*() {
          const server = yield* RawTcpServer.make((socket) => {
            socket.write(
              "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 100000\r\n\r\n{\"items\": [1, 2, 3,",
              () => socket.resetAndDestroy()
            )
          })
          const client = yield* staticClient(server.origin, layer)
          for (const [name, read] of accessors) {
            const response = yield* client.get(`${server.origin}/items`)
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
    it.effect("an endless 401 body is not read in full before the replay", () =>
      Effect.gen(function*() {
        const { api, bearer, tokenRequests } = yield* BearerSetup.make("endless-401")
        const written = yield* Ref.make(0)
        const chunk = new Uint8Array(64 * 1024).fill(120)
        // 256 MiB on offer: far more than any cap, and finite, so a regression ends too.
        const endless = Stream.range(1, 4096).pipe(
          Stream.mapEffect(() => Effect.as(Ref.update(written, (n) => n + chunk.length), chunk))
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
      }).pipe(undici))
  })

  describe("an API that refuses every fresh token", () => {
    for (const refusing of RefusingApiCases.cases) {
      it.effect(refusing.name, () =>
        Effect.flatMap(BearerBench.make(refusing.provider), (bench) => Effect.promise(() => refusing.run(bench, expect))).pipe(undici))
    }
  })

  it.effect("a token the API repeats URL-encoded in its challenge is removed from the error in every printed form", () =>
    Effect.gen(function*() {
      const token = "tok+1/=="
      const { api, bearer, tokenEndpoint } = yield* BearerSetup.make("echoes-encoded-token")
      yield* tokenEndpoint.handle(() => Effect.succeed(ApiServer.json({ access_token: token, token_type: "Bearer", expires_in: 300 })))
      yield* api.handle((request) =>
        Effect.succeed(ApiServer.unauthorized(
          `Bearer error="invalid_token", error_uri="https://api.example/errors?token=${encodeURIComponent(ApiServer.bearerTokenOf(request) ?? "")}"`
        ))
      )
      const error = yield* Effect.flip((yield* bearer()).get(api.url("/x")))
      const capture = Capture.make()
      capture.recordError("error", error)
      expect(capture.leaks([token, encodeURIComponent(token)])).toEqual([])
    }).pipe(undici))

  describe("waiting on the token endpoint", () => {
    for (
      const [what, retryAfter] of [
        ["Retry-After: 86400", "86400"],
        ["an HTTP date a year ahead", new Date(Date.UTC(2100, 0, 1)).toUTCString()]
      ] as const
    ) {
      it.effect(`a 429 with ${what} fails the call at once with TemporarilyUnavailable and its retryAfter`, () =>
        Effect.gen(function*() {
          const { api, bearer, tokenEndpoint } = yield* BearerSetup.make(`retry-after-${retryAfter.length}`)
          yield* tokenEndpoint.handle(() =>
            Effect.succeed(ApiServer.json({ error: "slow_down" }, { status: 429, headers: { "retry-after": retryAfter } }))
          )
          const client = yield* bearer()
          const fiber = yield* Effect.forkChild(Effect.flip(client.get(api.url("/x"))))
          // The TestClock never moves: a call that waits for the server never ends.
          yield* TestTime.eventually(Effect.sync(() => fiber.pollUnsafe() !== undefined))
          const cause = Option.getOrUndefined(BearerHttpClient.tokenError(yield* Fiber.join(fiber)))
          expect(cause?._tag).toBe("TemporarilyUnavailable")
          const asked = cause?._tag === "TemporarilyUnavailable" ? cause.retryAfter : undefined
          expect(asked !== undefined && Duration.toSeconds(asked)).toBeGreaterThanOrEqual(86400)
          expect(yield* api.hits).toBe(0)
        }).pipe(undici))
    }

    it.effect("the API's own 429 asking for a day is returned at once with the default options", () =>
      Effect.gen(function*() {
        const { api, bearer } = yield* BearerSetup.make("api-retry-after-day")
        yield* api.handle(() => Effect.succeed(ApiServer.status(429, { "retry-after": "86400" })))
        const client = yield* bearer()
        const fiber = yield* Effect.forkChild(client.get(api.url("/x")))
        yield* TestTime.eventually(Effect.sync(() => fiber.pollUnsafe() !== undefined))
        expect((yield* Fiber.join(fiber)).status).toBe(429)
        expect(yield* api.hits).toBe(1)
      }).pipe(undici))

    it.effect("the timeout option bounds the token acquisition: a silent token endpoint fails the call after it", () =>
      Effect.suspend(() => {
        const clock = ManualClock.make()
        return Effect.gen(function*() {
          const { api, bearer, tokenEndpoint } = yield* BearerSetup.make("silent-token-endpoint")
          yield* tokenEndpoint.handle(() => Effect.as(Effect.sleep("1 hour"), ApiServer.json({ access_token: "late" })))
          const client = yield* bearer({ timeout: "2 seconds", retry: Schedule.recurs(0) })
          const fiber = yield* Effect.forkChild(Effect.flip(client.get(api.url("/x"))))
          yield* clock.awaitSleep("2 seconds")
          yield* clock.adjust("2 seconds")
          const error = yield* Fiber.join(fiber)
          expect(error.reason._tag).toBe("TransportError")
          expect(error.message).toContain("no token within 2s")
          expect(yield* api.hits).toBe(0)
          // The token endpoint's late answer ends, so that its server can close.
          yield* clock.adjust("1 hour")
        }).pipe(Effect.provideService(Clock.Clock, clock.clock))
      }).pipe(undici))
  })
})
