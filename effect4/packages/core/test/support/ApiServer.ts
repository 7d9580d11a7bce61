/**
 * A real resource server on 127.0.0.1 (port 0) for the authenticated client's tests:
 * each test scripts its answers and reads back what it received, headers included.
 * Several can run at once (an API and a "foreign" origin), each in the test's scope.
 */
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import type { Scope } from "effect"
import { Effect, Ref } from "effect"
import { HttpServer, HttpServerRequest, HttpServerResponse } from "effect/http"
import { createServer } from "node:http"

/** One request as the server saw it. */
export interface RecordedRequest {
  readonly method: string
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** Answers the `index`-th request (0-based); it may sleep on the test's clock. */
export type Handler = (request: RecordedRequest, index: number) => Effect.Effect<HttpServerResponse.HttpServerResponse>

export interface ApiServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string
  /** `http://127.0.0.1:PORT{path}` */
  readonly url: (path: string) => string
  readonly requests: Effect.Effect<ReadonlyArray<RecordedRequest>>
  readonly hits: Effect.Effect<number>
  readonly handle: (handler: Handler) => Effect.Effect<void>
}

/** A JSON response, by default 200. */
export const json = (body: unknown, options?: { readonly status?: number; readonly headers?: Record<string, string> }) =>
  HttpServerResponse.jsonUnsafe(body, { status: options?.status ?? 200, headers: options?.headers ?? {} })

/** A bare status with headers, e.g. a 503 with `Retry-After`. */
export const status = (code: number, headers: Record<string, string> = {}) =>
  HttpServerResponse.text(`status ${code}`, { status: code, headers })

/** A 401 with an RFC 6750 §3 Bearer challenge. */
export const unauthorized = (
  challenge = "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The access token expired\""
) => status(401, { "www-authenticate": challenge })

/** The bearer token a request carried, if any. */
export const bearerTokenOf = (request: RecordedRequest): string | undefined => {
  const header = request.headers["authorization"]
  return header?.startsWith("Bearer ") ? header.slice("Bearer ".length) : undefined
}

/** An API that answers 200 to requests whose bearer token `accepts` likes, 401 to others. */
export const bearerApi = (accepts: (token: string) => Effect.Effect<boolean>): Handler => (request) => {
  const token = bearerTokenOf(request)
  if (token === undefined) return Effect.succeed(unauthorized("Bearer realm=\"api\""))
  return Effect.map(accepts(token), (ok) => ok ? json({ ok: true, path: request.path }) : unauthorized())
}

/** A server answering 200 `{ ok: true }` until a test scripts something else. */
export const make: Effect.Effect<ApiServer, never, Scope.Scope> = Effect.gen(function*() {
  const requests = yield* Ref.make<ReadonlyArray<RecordedRequest>>([])
  const handler = yield* Ref.make<Handler>(() => Effect.succeed(json({ ok: true })))
  const server = yield* NodeHttpServer.make(() => createServer(), { port: 0, host: "127.0.0.1" }).pipe(Effect.orDie)
  const app = Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const body = yield* Effect.orElseSucceed(request.text, () => "")
    // A plain record: Effect 4's headers print `authorization` as `<redacted>`, and tests read what was sent.
    const recorded: RecordedRequest = { method: request.method, path: request.url, headers: { ...request.headers }, body }
    const index = yield* Ref.modify(requests, (all) => [all.length, [...all, recorded]])
    return yield* (yield* Ref.get(handler))(recorded, index)
  })
  yield* server.serve(app)
  const origin = HttpServer.formatAddress(server.address)
  return {
    origin,
    url: (path) => `${origin}${path}`,
    requests: Ref.get(requests),
    hits: Effect.map(Ref.get(requests), (all) => all.length),
    handle: (next) => Ref.set(handler, next)
  }
})
