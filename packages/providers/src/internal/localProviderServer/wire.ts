/**
 * The local provider server's wire helpers: the request as handlers see it, and the
 * JSON and RFC 6749 §5.2 error responses they answer with.
 *
 * @internal
 */
import * as HttpServerRequest from "@effect/platform/HttpServerRequest"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import { Clock, Effect } from "effect"

/** A request, read once: its body as text and as a form, and when it arrived on the server's `Clock`. */
export interface Incoming {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly form: URLSearchParams
  readonly now: number
}

/** What every handler answers. */
export type Response = HttpServerResponse.HttpServerResponse

/** Reads the current request; an unreadable body counts as empty. */
export const readIncoming: Effect.Effect<Incoming, never, HttpServerRequest.HttpServerRequest> = Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const body = yield* Effect.orElseSucceed(request.text, () => "")
  const now = yield* Clock.currentTimeMillis
  return {
    method: request.method,
    url: request.url,
    headers: { ...request.headers },
    body,
    form: new URLSearchParams(body),
    now
  }
})

/** Token responses are never cached (RFC 6749 §5.1). */
export const noStore = { "cache-control": "no-store", pragma: "no-cache" }

/** A JSON response. */
export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  HttpServerResponse.unsafeJson(body, { status, headers })

/** An RFC 6749 §5.2 error response. */
export const oauthError = (status: number, error: string, description: string, headers: Record<string, string> = {}) =>
  json({ error, error_description: description }, status, { ...noStore, ...headers })

/** The answer to a token request that is not a form. */
export const unsupportedMediaType = oauthError(
  415,
  "invalid_request",
  "Content-Type must be application/x-www-form-urlencoded, with grant_type in the body"
)

/** Whether the request body is `application/x-www-form-urlencoded`, whatever its parameters. */
export const isForm = (headers: Readonly<Record<string, string>>) =>
  (headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase() === "application/x-www-form-urlencoded"

/** The body without its `undefined` fields. */
export const definedOnly = (body: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined))

/** A lifetime as the wire carries it: whole seconds, at least one. */
export const wholeSeconds = (millis: number) => Math.max(1, Math.floor(millis / 1000))
