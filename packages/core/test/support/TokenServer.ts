/**
 * A real HTTP server on 127.0.0.1 (port 0) whose answers each test scripts, and which
 * records every request it receives. Tests talk to it through the real HTTP stack.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Context, Effect, Layer, Ref, Stream } from "effect"
import type { Answer } from "@effect-bearer/conformance/TokenEndpointAnswers"
import * as LoopbackServer from "@effect-bearer/test-support/LoopbackServer"

/** One request as the server saw it. */
export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly form: URLSearchParams
}

/** Answers one request; it may sleep (on the test's clock) or fail the connection. */
export type Handler = (request: RecordedRequest) => Effect.Effect<HttpServerResponse.HttpServerResponse>

export class TokenServer extends Context.Tag("test/TokenServer")<TokenServer, {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string
  /** `http://127.0.0.1:PORT/token` */
  readonly tokenUrl: string
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  /** The refresh tokens received (`grant_type=refresh_token`), in order. */
  readonly refreshTokens: Effect.Effect<ReadonlyArray<string | null>>
  readonly handle: (handler: Handler) => Effect.Effect<void>
}>() {}

/** A JSON response, by default 200. */
export const json = (body: unknown, options?: { readonly status?: number; readonly headers?: Record<string, string> }) =>
  HttpServerResponse.unsafeJson(body, { status: options?.status ?? 200, headers: options?.headers ?? {} })

/** A text response with a content type. */
export const text = (body: string, status: number, contentType = "text/plain") =>
  HttpServerResponse.text(body, { status, contentType })

/** A token response as RFC 6749 §5.1 describes it. */
export const tokenResponse = (accessToken: string, extra: Record<string, unknown> = {}) =>
  json({ access_token: accessToken, token_type: "Bearer", expires_in: 300, ...extra })

/** A response made from a conformance table's plain-data answer (`@effect-bearer/conformance/TokenEndpointAnswers`). */
export const fromAnswer = (answer: Answer): HttpServerResponse.HttpServerResponse => {
  const headers = { ...answer.headers }
  if (answer.chunked !== undefined) {
    const chunk = new TextEncoder().encode(" ".repeat(answer.chunked.chunkBytes))
    return HttpServerResponse.stream(
      Stream.repeatValue(chunk).pipe(Stream.take(answer.chunked.chunks)),
      { status: answer.status, contentType: answer.chunked.contentType, headers }
    )
  }
  if (answer.json !== undefined) return json(answer.json, { status: answer.status, headers })
  if (answer.text !== undefined) {
    return HttpServerResponse.text(answer.text.body, { status: answer.status, contentType: answer.text.contentType, headers })
  }
  return HttpServerResponse.empty({ status: answer.status, headers })
}

const make = Effect.gen(function*() {
  const requests = yield* Ref.make<ReadonlyArray<RecordedRequest>>([])
  const handler = yield* Ref.make<Handler>(() => Effect.succeed(tokenResponse("default-token")))
  const app = Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const body = yield* Effect.orElseSucceed(request.text, () => "")
    const recorded: RecordedRequest = {
      method: request.method,
      path: request.url,
      headers: request.headers,
      body,
      form: new URLSearchParams(body)
    }
    yield* Ref.update(requests, (all) => [...all, recorded])
    return yield* (yield* Ref.get(handler))(recorded)
  })
  yield* HttpServer.serveEffect(app)
  const server = yield* HttpServer.HttpServer
  const origin = HttpServer.formatAddress(server.address)
  return TokenServer.of({
    origin,
    tokenUrl: `${origin}/token`,
    requests: Ref.get(requests),
    refreshTokens: Effect.map(Ref.get(requests), (all) =>
      all.filter((r) => r.form.get("grant_type") === "refresh_token").map((r) => r.form.get("refresh_token"))),
    handle: (next) => Ref.set(handler, next)
  })
})

/** The server and an undici `HttpClient`; build it inside each test so state is fresh. */
export const layer: Layer.Layer<TokenServer | HttpClient.HttpClient> = LoopbackServer.layer(Layer.scoped(TokenServer, make))
