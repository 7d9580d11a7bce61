/**
 * The local provider server's wire helpers: the request as handlers see it, and the
 * JSON, text and RFC 6749 §5.2 error responses they answer with.
 *
 * @internal
 */
import type { WireRequest, WireResponse } from "../LocalProviderServer.js"

/** A request, read once: its path, its body as text and as a form, and when it arrived on the server's clock. */
export interface Incoming {
  readonly method: string
  /** As received: path and query. */
  readonly url: string
  readonly path: string
  /** Names in lower case. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly form: URLSearchParams
  readonly now: number
  /** Aborts when the client went away. */
  readonly signal: AbortSignal | undefined
}

/** What every handler answers. */
export type Response = WireResponse

/** Reads a request as it arrives at `now`. */
export const readIncoming = (request: WireRequest, now: number, signal: AbortSignal | undefined): Incoming => ({
  method: request.method,
  url: request.url,
  path: new URL(request.url, "http://localhost").pathname,
  headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value])),
  body: request.body,
  form: new URLSearchParams(request.body),
  now,
  signal
})

/** Token responses are never cached (RFC 6749 §5.1). */
export const noStore = { "cache-control": "no-store", pragma: "no-cache" }

/** A response whose body is `text` of that content type. */
export const text = (
  body: string,
  status: number,
  contentType: string,
  headers: Readonly<Record<string, string>> = {}
): Response => ({ status, headers: { ...headers, "content-type": contentType }, body })

/** A response without a body. */
export const empty = (status: number, headers: Readonly<Record<string, string>> = {}): Response => ({
  status,
  headers,
  body: ""
})

/** A JSON response. */
export const json = (body: unknown, status = 200, headers: Readonly<Record<string, string>> = {}): Response =>
  text(JSON.stringify(body), status, "application/json", headers)

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
