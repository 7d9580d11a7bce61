/**
 * The bearer client through real HTTP on 127.0.0.1: where the token goes, redirects, the
 * one replay a 401 earns, bounded retries honouring `Retry-After`, what it records, and its
 * layer. The Effect 4 port of the Effect 3 line's suite of the same name.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import * as Observability from "@effect-bearer/conformance/BearerObservability"
import * as RetryCases from "@effect-bearer/conformance/RetryCases"
import * as TokenDestinationCases from "@effect-bearer/conformance/TokenDestinationCases"
import * as UnauthorizedCases from "@effect-bearer/conformance/UnauthorizedCases"
import { Clock, Duration, Effect, Exit, Fiber, Layer, Option, Redacted, Ref, Schedule, Stream } from "effect"
import { FetchHttpClient, HttpClient, HttpClientRequest } from "effect/http"
import type { HttpClientError } from "effect/http"
import { TestClock } from "effect/testing"
import { BearerHttpClient, TokenProvider } from "@effect-bearer/core"
import * as ApiServer from "./support/ApiServer.js"
import * as BearerBench from "./support/BearerBench.js"
import * as BearerSetup from "./support/BearerSetup.js"
import * as ManualClock from "./support/ManualClock.js"
import * as Recording from "./support/Recording.js"

const setup = BearerSetup.make
const undici = Effect.provide(NodeHttpClient.layerUndici)

const causeOf = (error: HttpClientError.HttpClientError) => Option.getOrUndefined(BearerHttpClient.tokenError(error))

/** Runs `body` with a clock whose sleeps it can see (`awaitSleep`) and move (`adjust`). */
const withManualClock = <A, E, R>(body: (clock: ManualClock.ManualClock) => Effect.Effect<A, E, R>) =>
  Effect.suspend(() => {
    const manual = ManualClock.make()
    return Effect.provideService(body(manual), Clock.Clock, manual.clock)
  })

const { secondsUntilExpiry, tokenRequests, unauthorizedResponses } = Observability.metricNames

describe("BearerHttpClient", () => {
  describe("where the token goes", () => {
    for (const destination of TokenDestinationCases.cases) {
      it.effect(destination.name, () =>
        Effect.flatMap(BearerBench.make(destination.provider), (bench) => Effect.promise(() => destination.run(bench, expect))).pipe(undici))
    }

    it.effect("keeps the token off requests to the API's own host over plain http", () =>
      Effect.gen(function*() {
        const { http, provider } = yield* setup("plain-http")
        const sent = yield* Ref.make(0)
        const counting = HttpClient.tapRequest(http, () => Ref.update(sent, (n) => n + 1))
        const client = yield* BearerHttpClient.make(counting, provider, { origins: ["https://api.example.com"] })
        const error = yield* Effect.flip(client.get("http://api.example.com/projects?page=2"))
        const cause = causeOf(error)
        expect(cause?._tag === "WrongHost" && cause.reason).toBe("InsecureEndpoint")
        expect(cause?.endpoint).toBe("http://api.example.com/projects")
        expect(yield* Ref.get(sent)).toBe(0)
      }).pipe(undici))

    it.effect("checks the final URL when a base URL is prepended on top (data-last make)", () =>
      Effect.gen(function*() {
        const { api, http, provider } = yield* setup("prepend")
        const client = (yield* http.pipe(BearerHttpClient.make(provider, { origins: [api.origin] }))).pipe(
          HttpClient.mapRequest(HttpClientRequest.prependUrl(api.origin))
        )
        expect((yield* client.get("/projects")).status).toBe(200)
        const [received] = yield* api.requests
        expect(received?.path).toBe("/projects")
        expect(received?.headers["authorization"]).toBe("Bearer tok-1")
      }).pipe(undici))
  })

  describe("redirects", () => {
    const fetchClient = Effect.provide(HttpClient.HttpClient, FetchHttpClient.layer)

    it.effect("returns a redirect to another origin instead of letting fetch follow it with the token", () =>
      Effect.gen(function*() {
        const { api, bearer, foreign } = yield* setup("redirect-fetch")
        yield* api.handle(() => Effect.succeed(ApiServer.status(302, { location: foreign.url("/elsewhere") })))
        const client = yield* bearer({}, yield* fetchClient)
        const response = yield* client.get(api.url("/moved"))
        expect(response.status).toBe(302)
        expect(response.headers["location"]).toBe(foreign.url("/elsewhere"))
        expect(yield* foreign.hits).toBe(0)
        const [received] = yield* api.requests
        expect(received?.headers["authorization"]).toBe("Bearer tok-1")
      }).pipe(undici))

    it.effect("HttpClient.followRedirects on top follows to another origin without the token", () =>
      Effect.gen(function*() {
        const { api, bearer, foreign } = yield* setup("redirect-follow-foreign")
        yield* api.handle(() => Effect.succeed(ApiServer.status(302, { location: foreign.url("/elsewhere") })))
        const client = (yield* bearer({}, yield* fetchClient)).pipe(HttpClient.followRedirects(3))
        const response = yield* client.get(api.url("/moved"))
        expect(response.status).toBe(200)
        const received = yield* foreign.requests
        expect(received.map((r) => r.path)).toEqual(["/elsewhere"])
        expect(received[0]?.headers["authorization"]).toBeUndefined()
      }).pipe(undici))

    it.effect("HttpClient.followRedirects on top keeps the token on a same-origin redirect", () =>
      Effect.gen(function*() {
        const { api, bearer } = yield* setup("redirect-follow-same")
        yield* api.handle((request) =>
          Effect.succeed(
            request.path === "/old"
              ? ApiServer.status(301, { location: "/new" })
              : ApiServer.json({ path: request.path }, { status: request.headers["authorization"] ? 200 : 401 })
          )
        )
        const client = (yield* bearer({}, yield* fetchClient)).pipe(HttpClient.followRedirects(3))
        const response = yield* client.get(api.url("/old"))
        expect(response.status).toBe(200)
        const received = yield* api.requests
        expect(received.map((r) => [r.path, r.headers["authorization"]])).toEqual([
          ["/old", "Bearer tok-1"],
          ["/new", "Bearer tok-1"]
        ])
      }).pipe(undici))
  })

  describe("a 401", () => {
    for (const unauthorized of UnauthorizedCases.cases) {
      it.effect(unauthorized.name, () =>
        Effect.flatMap(BearerBench.make(unauthorized.provider), (bench) => Effect.promise(() => unauthorized.run(bench, expect))).pipe(undici))
    }

    it.effect("a provider with nothing newer (a static token) fails with Expired without a pointless replay", () =>
      Effect.gen(function*() {
        const api = yield* ApiServer.make
        yield* api.handle(() => Effect.succeed(ApiServer.unauthorized()))
        const provider = yield* TokenProvider.TokenProvider
        const client = yield* BearerHttpClient.make(yield* HttpClient.HttpClient, provider, { origins: [api.origin] })
        const error = yield* Effect.flip(client.get(api.url("/x")))
        expect(causeOf(error)?._tag).toBe("Expired")
        expect(yield* api.hits).toBe(1)
      }).pipe(Effect.provide(TokenProvider.layerStatic(Redacted.make("static-token"))), undici))

    it.effect("withTokenErrors puts Expired in the error channel for catchTag", () =>
      Effect.gen(function*() {
        const { api, bearer } = yield* setup("typed-errors")
        yield* api.handle(() => Effect.succeed(ApiServer.unauthorized()))
        const client = BearerHttpClient.withTokenErrors(yield* bearer())
        const outcome = yield* client.get(api.url("/x")).pipe(
          Effect.as("response"),
          Effect.catchTag("Expired", (error) => Effect.succeed(`expired: ${error.reason}`))
        )
        expect(outcome).toBe("expired: RejectedByResource")
      }).pipe(undici))
  })

  describe("retries", () => {
    for (const retry of RetryCases.cases) {
      it.effect(retry.name, () =>
        Effect.flatMap(BearerBench.make(retry.provider), (bench) => Effect.promise(() => retry.run(bench, expect))).pipe(undici))
    }

    it.effect("the default schedule is bounded: 1 try and 3 retries, then the last 503 is returned", () =>
      Effect.gen(function*() {
        const { api, bearer } = yield* setup("retry-bounded")
        yield* api.handle(() => Effect.succeed(ApiServer.status(503)))
        const client = yield* bearer()
        const fiber = yield* Effect.forkChild(client.get(api.url("/down")))
        // Move the clock until the call gives up; an unbounded retry would never end.
        while (fiber.pollUnsafe() === undefined) {
          yield* TestClock.adjust("10 seconds")
          yield* TestClock.withLive(Effect.sleep("5 millis"))
        }
        expect((yield* Fiber.join(fiber)).status).toBe(503)
        expect(yield* api.hits).toBe(4)
      }).pipe(undici))

    it.effect("honours Retry-After on a 429", () =>
      withManualClock((clock) =>
        Effect.gen(function*() {
          const { api, bearer } = yield* setup("retry-after")
          yield* api.handle((_, index) =>
            Effect.succeed(index === 0 ? ApiServer.status(429, { "retry-after": "7" }) : ApiServer.json({ ok: true }))
          )
          const client = yield* bearer({ retry: Schedule.recurs(3) })
          const fiber = yield* Effect.forkChild(client.get(api.url("/limited")))
          yield* clock.awaitSleep("7 seconds")
          yield* clock.adjust(Duration.millis(6_999))
          expect(yield* api.hits).toBe(1)
          expect(fiber.pollUnsafe()).toBeUndefined()
          yield* clock.adjust(Duration.millis(1))
          expect((yield* Fiber.join(fiber)).status).toBe(200)
          expect(yield* api.hits).toBe(2)
        })
      ).pipe(undici))

    it.effect("a timeout is transient: the request is sent again", () =>
      withManualClock((clock) =>
        Effect.gen(function*() {
          const { api, bearer } = yield* setup("timeout")
          yield* api.handle((_, index) =>
            index === 0
              ? Effect.as(Effect.sleep("1 hour"), ApiServer.json({ late: true }))
              : Effect.succeed(ApiServer.json({ ok: true }))
          )
          const client = yield* bearer({ retry: Schedule.recurs(1), timeout: "5 seconds" })
          const fiber = yield* Effect.forkChild(client.get(api.url("/slow")))
          yield* clock.awaitSleep("1 hour") // the server is answering late...
          yield* clock.awaitSleep("5 seconds") // ...and the client is waiting for it
          yield* clock.adjust("5 seconds")
          expect((yield* Fiber.join(fiber)).status).toBe(200)
          expect(yield* api.hits).toBe(2)
          // The server's late answer ends, so that the server can close.
          yield* clock.adjust("1 hour")
        })
      ).pipe(undici))

    it.effect("a transport failure is retried on the schedule, then reported as a TransportError", () =>
      Effect.gen(function*() {
        const { http, provider } = yield* setup("transport")
        const sent = yield* Ref.make(0)
        const counting = HttpClient.tapRequest(http, () => Ref.update(sent, (n) => n + 1))
        // Port 9 (discard) on loopback: nothing listens, the connection is refused.
        const client = yield* BearerHttpClient.make(counting, provider, {
          origins: ["http://127.0.0.1:9"],
          retry: Schedule.recurs(2)
        })
        const error = yield* Effect.flip(client.get("http://127.0.0.1:9/x"))
        expect(error.reason._tag).toBe("TransportError")
        // The error names the request as the caller built it, without the token.
        expect(error.request.headers["authorization"]).toBeUndefined()
        expect(yield* Ref.get(sent)).toBe(3)
      }).pipe(undici))
  })

  describe("observability", () => {
    it.effect("records a span per request (the span option) with the provider, the 401 recovery and the outcome", () =>
      Effect.gen(function*() {
        const { spans, tracer } = Recording.tracer()
        yield* Effect.gen(function*() {
          const { api, bearerWithRevokedToken } = yield* setup("traced")
          const client = yield* bearerWithRevokedToken({ span: true })
          yield* client.get(api.url("/after-revocation?page=2"))
          yield* api.handle(() => Effect.succeed(ApiServer.unauthorized()))
          yield* Effect.flip(client.get(api.url("/refused")))
        }).pipe(
          Effect.withTracer(tracer),
          // Effect 4 records headers on its spans only when told to: record them all.
          Effect.provideService(HttpClient.TracerHeaderFilter, () => true)
        )
        const exchanges = spans.filter((span) => span.kind === "client" && span.name === "GET")
        Observability.checkTracedRequests({
          requestSpans: spans.filter((span) => span.name === "BearerHttpClient.execute").map((span) => Object.fromEntries(span.attributes)),
          tokenRequestSpans: spans.filter((span) => span.name === "TokenEndpoint.requestToken").length,
          exchangeAuthorizations: exchanges.map((span) => String(span.attributes.get("http.request.header.authorization"))),
          spanTexts: spans.map(Recording.describeSpan)
        }, expect)
      }).pipe(undici))

    it.effect("records no span of its own by default: the exchanges and the token requests keep theirs", () =>
      Effect.gen(function*() {
        const { spans, tracer } = Recording.tracer()
        yield* Effect.gen(function*() {
          const { api, bearer } = yield* setup("untraced")
          const client = yield* bearer()
          yield* client.get(api.url("/warm"))
        }).pipe(Effect.withTracer(tracer))
        Observability.checkUntracedRequest({
          requestSpans: spans.filter((span) => span.name === "BearerHttpClient.execute").length,
          tokenRequestSpans: spans.filter((span) => span.name === "TokenEndpoint.requestToken").length,
          exchangeSpans: spans.filter((span) => span.kind === "client" && span.name === "GET").length
        }, expect)
      }).pipe(undici))

    it.effect("logs the 401 recovery and the final refusal, without the token", () =>
      Effect.gen(function*() {
        const { layer, lines } = Recording.logger()
        yield* Effect.gen(function*() {
          const { api, bearerWithRevokedToken } = yield* setup("logged")
          const client = yield* bearerWithRevokedToken()
          yield* client.get(api.url("/x"))
          yield* api.handle(() => Effect.succeed(ApiServer.unauthorized()))
          yield* Effect.flip(client.get(api.url("/y")))
        }).pipe(Effect.provide(layer))
        Observability.checkRecoveryLogs(lines, expect)
      }).pipe(undici))

    it.effect("records the core token metrics and the 401 outcomes, with no secret in any label", () =>
      Effect.gen(function*() {
        const { api, bearerWithRevokedToken, revoke } = yield* setup("metered")
        const client = yield* bearerWithRevokedToken()
        yield* client.get(api.url("/x"))
        const upload = HttpClientRequest.post(api.url("/upload")).pipe(
          HttpClientRequest.bodyStream(Stream.make(new TextEncoder().encode("data")))
        )
        yield* revoke("tok-2")
        yield* client.execute(upload)
        const provider = { provider: "metered" }
        Observability.checkMetrics({
          successfulTokenRequests: yield* Recording.metricValue(tokenRequests, { ...provider, outcome: "Success" }),
          clientCredentialsTokenRequests: yield* Recording.metricValue(tokenRequests, { ...provider, grant_type: "client_credentials" }),
          replayed: yield* Recording.metricValue(unauthorizedResponses, { ...provider, outcome: "Replayed" }),
          notReplayable: yield* Recording.metricValue(unauthorizedResponses, { ...provider, outcome: "NotReplayable" }),
          secondsUntilExpiry: [yield* Recording.metricValue(secondsUntilExpiry, provider)],
          labels: yield* Recording.metricLabels
        }, expect)
      }).pipe(undici))
  })

  describe("layer", () => {
    it.effect("provides HttpClient.HttpClient from the TokenProvider and the underlying client", () =>
      Effect.gen(function*() {
        const api = yield* ApiServer.make
        yield* api.handle(ApiServer.bearerApi((token) => Effect.succeed(token === "static-token")))
        const AuthenticatedHttp = BearerHttpClient.layer({ origins: [api.origin] }).pipe(
          Layer.provide(TokenProvider.layerStatic(Redacted.make("static-token"))),
          Layer.provide(NodeHttpClient.layerUndici)
        )
        const response = yield* Effect.flatMap(HttpClient.HttpClient, (client) => client.get(api.url("/x"))).pipe(
          Effect.provide(AuthenticatedHttp)
        )
        expect(response.status).toBe(200)
        const [received] = yield* api.requests
        expect(received?.headers["authorization"]).toBe("Bearer static-token")
      }))

    it.effect("fails to build with InvalidConfiguration when the options cannot work", () =>
      Effect.gen(function*() {
        const exit = yield* Effect.exit(
          Layer.build(
            BearerHttpClient.layer({ origins: ["https://api.example.com/v1"] }).pipe(
              Layer.provide(TokenProvider.layerStatic(Redacted.make("static-token"))),
              Layer.provide(NodeHttpClient.layerUndici)
            )
          )
        )
        expect(Exit.isFailure(exit) && Exit.findErrorOption(exit)).toMatchObject({ value: { _tag: "InvalidConfiguration" } })
      }))
  })
})
