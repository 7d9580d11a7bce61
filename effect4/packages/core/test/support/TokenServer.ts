/**
 * A token endpoint on 127.0.0.1 (port 0) whose answers each test scripts, recording every
 * request with its form; built on `ApiServer`. Tests reach it through the real HTTP stack
 * (`NodeHttpClient.layerUndici`, see {@link layerClient}).
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import type { Scope } from "effect"
import { Deferred, Effect, Stream } from "effect"
import { HttpServerResponse } from "effect/http"
import * as ApiServer from "./ApiServer.js"

/** One request as the server saw it, with its form body parsed. */
export interface RecordedRequest extends ApiServer.RecordedRequest {
  readonly form: URLSearchParams
}

/** Answers one request; it may sleep on the test's clock. */
export type Handler = (request: RecordedRequest, index: number) => Effect.Effect<HttpServerResponse.HttpServerResponse>

export interface TokenServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string
  /** `http://127.0.0.1:PORT/token` */
  readonly tokenUrl: string
  readonly url: (path: string) => string
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  /** The refresh tokens received, in order. */
  readonly refreshTokens: Effect.Effect<ReadonlyArray<string | null>>
  readonly handle: (handler: Handler) => Effect.Effect<void>
  /**
   * An answer that never comes while the test runs (Effect 4's Node server waits for its
   * handlers when it closes, so a bare `Effect.never` would hold the test's scope open).
   */
  readonly never: Effect.Effect<HttpServerResponse.HttpServerResponse>
}

export const json = ApiServer.json
export const status = ApiServer.status

/** A token response as RFC 6749 §5.1 describes it (300 s unless `extra` says). */
export const tokenResponse = (accessToken: string, extra: Record<string, unknown> = {}) =>
  json({ access_token: accessToken, token_type: "Bearer", expires_in: 300, ...extra })

const withForm = (request: ApiServer.RecordedRequest): RecordedRequest => ({ ...request, form: new URLSearchParams(request.body) })

/** A server answering `default-token` until a test scripts something else. */
export const make: Effect.Effect<TokenServer, never, Scope.Scope> = Effect.gen(function*() {
  const server = yield* ApiServer.make
  // Added after the server: runs before the server closes, ending the answers that never come.
  const closing = yield* Deferred.make<void>()
  yield* Effect.addFinalizer(() => Deferred.succeed(closing, undefined))
  const handle = (handler: Handler) => server.handle((request, index) => handler(withForm(request), index))
  yield* handle(() => Effect.succeed(tokenResponse("default-token")))
  const requests = Effect.map(server.requests, (all) => all.map(withForm))
  return {
    origin: server.origin,
    tokenUrl: server.url("/token"),
    url: server.url,
    requests,
    refreshTokens: Effect.map(requests, (all) =>
      all.filter((r) => r.form.get("grant_type") === "refresh_token").map((r) => r.form.get("refresh_token"))),
    handle,
    never: Effect.as(Deferred.await(closing), status(503))
  }
})

/** The HTTP client every test uses against its servers. */
export const layerClient = NodeHttpClient.layerUndici

/** A version-free answer of `@effect-bearer/conformance` as this line's server response. */
export const fromAnswer = (answer: {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  readonly json?: unknown
  readonly text?: { readonly body: string; readonly contentType: string }
  readonly chunked?: { readonly chunkBytes: number; readonly chunks: number; readonly contentType: string }
}): HttpServerResponse.HttpServerResponse =>
  answer.chunked !== undefined
    ? HttpServerResponse.stream(
      Stream.fromIterable(Array.from({ length: answer.chunked.chunks }, () => new TextEncoder().encode(" ".repeat(answer.chunked!.chunkBytes)))),
      { status: answer.status, contentType: answer.chunked.contentType, headers: { ...answer.headers } }
    )
    : answer.json !== undefined
    ? json(answer.json, { status: answer.status, headers: { ...answer.headers } })
    : answer.text !== undefined
    ? HttpServerResponse.text(answer.text.body, { status: answer.status, contentType: answer.text.contentType, headers: { ...answer.headers } })
    : HttpServerResponse.empty({ status: answer.status, headers: { ...answer.headers } })
