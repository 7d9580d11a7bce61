/**
 * One row per way a token endpoint can answer badly (after golang.org/x/oauth2's tables), as
 * plain data both lines' fault suites run against a real server on 127.0.0.1 (Effect 3:
 * `packages/core/test/faults/TokenEndpointFaults.test.ts`;
 * Effect 4: `effect4/packages/core/test/faults/TokenEndpointFaults.test.ts`). `http` rows run
 * through each Node HTTP client; `validation` rows are the same whatever the client. Every
 * failure must be its typed error (fields matched, `absent` fields missing), never a defect or
 * a hang, after exactly one request; every success a token of the given lifetime.
 */
import type { Answer } from "./TokenEndpointAnswers.js"

/** A failure row: the answer and the error's expected fields (`retryAfterSeconds` for its `retryAfter`). */
export interface FailureRow {
  readonly name: string
  readonly answer: Answer
  readonly expected: Readonly<Record<string, unknown>>
  /** Fields the error must not have, e.g. no `retryAfter` from a garbled header. */
  readonly absent?: ReadonlyArray<string>
}

/** A success row: the token's value, lifetime in seconds, and where the lifetime came from. */
export interface SuccessRow {
  readonly name: string
  readonly answer: Answer
  readonly value: string
  readonly lifetimeSeconds: number
  readonly lifetimeSource: "expires_in" | "jwt" | "default"
}

const MiB = 1024 * 1024

/** A JSON token response padded with spaces to exactly `bytes` bytes. */
export const paddedTokenBody = (bytes: number): string => {
  const body = JSON.stringify({ access_token: "padded-token", token_type: "Bearer", expires_in: 300 })
  return body + " ".repeat(bytes - body.length)
}

const html = "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>"
const text = (status: number, body: string, contentType = "text/plain", headers?: Record<string, string>): Answer =>
  headers === undefined ? { status, text: { body, contentType } } : { status, text: { body, contentType }, headers }
const json = (body: unknown, status = 200, headers?: Record<string, string>): Answer =>
  headers === undefined ? { status, json: body } : { status, json: body, headers }
const fails = (name: string, answer: Answer, expected: Record<string, unknown>, absent?: ReadonlyArray<string>): FailureRow =>
  absent === undefined ? { name, answer, expected } : { name, answer, expected, absent }
const serverError = (status: number, extra: Record<string, unknown> = {}) => ({ _tag: "TemporarilyUnavailable", reason: "ServerError", status, ...extra })
const invalid = (reason: string, detail?: string) => ({ _tag: "InvalidTokenResponse", reason, status: 200, ...(detail === undefined ? {} : { detail }) })
const token = (name: string, answer: Answer, value: string, lifetimeSeconds: number, lifetimeSource: SuccessRow["lifetimeSource"] = "expires_in"): SuccessRow =>
  ({ name, answer, value, lifetimeSeconds, lifetimeSource })

/**
 * `answer` for a clock that reads `start` (whole seconds) when the row runs: its HTTP-date
 * headers (a `Retry-After` date is written for a clock at 0) moved by `start`.
 */
export const answerAt = (answer: Answer, start: number): Answer => {
  if (answer.headers === undefined || start === 0) return answer
  const headers = Object.fromEntries(Object.entries(answer.headers).map(([name, value]) => {
    const date = /^\d+$/.test(value) ? Number.NaN : Date.parse(value)
    return [name, Number.isNaN(date) ? value : new Date(date + start).toUTCString()]
  }))
  return { ...answer, headers }
}

/** Statuses, headers and bodies: what each HTTP client might handle differently. */
export const httpFailures: ReadonlyArray<FailureRow> = [
  fails("500 with a plain-text body", text(500, "Internal Server Error"), serverError(500), ["retryAfter"]),
  fails("500 with an RFC 6749 server_error body", json({ error: "server_error", error_description: "database down" }, 500), serverError(500, { error: "server_error" })),
  fails("502 with an HTML error page", text(502, html, "text/html"), serverError(502)),
  fails("503 with Retry-After in seconds", text(503, "maintenance", "text/plain", { "retry-after": "120" }), serverError(503, { retryAfterSeconds: 120 })),
  fails("503 with Retry-After as an HTTP date (30 s after the clock's start)", text(503, "maintenance", "text/plain", { "retry-after": new Date(30_000).toUTCString() }), serverError(503, { retryAfterSeconds: 30 })),
  fails("503 with a Retry-After that is neither seconds nor a date", text(503, "maintenance", "text/plain", { "retry-after": "soon" }), serverError(503), ["retryAfter"]),
  fails("429 with Retry-After", json({ error: "temporarily_unavailable" }, 429, { "retry-after": "7" }), { _tag: "TemporarilyUnavailable", reason: "RateLimited", status: 429, retryAfterSeconds: 7 }),
  fails("429 without a body", { status: 429, headers: { "retry-after": "3" } }, { _tag: "TemporarilyUnavailable", reason: "RateLimited", status: 429, retryAfterSeconds: 3 }),
  fails("500 with a body over 1 MiB", text(500, "x".repeat(2 * MiB)), serverError(500)),
  fails("200 with an HTML page", text(200, html, "text/html"), invalid("NotJson", "the body is an HTML page, not JSON")),
  fails("200 with truncated JSON", text(200, `{"access_token":"abc","token_type":"Bea`, "application/json"), invalid("NotJson", "the body is not valid JSON")),
  fails("an empty 200", { status: 200 }, invalid("NotJson")),
  fails("a 200 body over 1 MiB with a Content-Length", text(200, paddedTokenBody(MiB + 1), "application/json"), invalid("TooLarge", `the body is larger than ${MiB} bytes`)),
  fails("a 200 body over 1 MiB, chunked without a Content-Length", { status: 200, chunked: { chunkBytes: 64 * 1024, chunks: 64, contentType: "application/json" } }, invalid("TooLarge"))
]

/** Token response validation: the same whatever the client. */
export const validationFailures: ReadonlyArray<FailureRow> = [
  fails("200 with JSON that is not an object", json(["access_token", "abc"]), invalid("InvalidField", "the body is not a JSON object")),
  fails("200 with JSON null", text(200, "null", "application/json"), invalid("InvalidField")),
  fails("200 with an invalid_client error field", json({ error: "invalid_client", error_description: "unknown client" }), { _tag: "InvalidCredentials", status: 200, error: "invalid_client" }),
  fails("200 with a temporarily_unavailable error field", json({ error: "temporarily_unavailable" }), serverError(200, { error: "temporarily_unavailable" })),
  fails("access_token missing", json({ token_type: "Bearer", expires_in: 300 }), invalid("MissingAccessToken", "there is no access_token")),
  fails("access_token null", json({ access_token: null, token_type: "Bearer" }), invalid("MissingAccessToken")),
  fails("access_token empty", json({ access_token: "", token_type: "Bearer", expires_in: 300 }), invalid("MissingAccessToken", "access_token is empty")),
  fails("access_token only whitespace", json({ access_token: "  \t ", token_type: "Bearer", expires_in: 300 }), invalid("MissingAccessToken", "access_token is empty")),
  fails("access_token a number", json({ access_token: 12345, token_type: "Bearer", expires_in: 300 }), invalid("InvalidField", "access_token is not a string")),
  fails("access_token an object", json({ access_token: { value: "abc" }, token_type: "Bearer", expires_in: 300 }), invalid("InvalidField", "access_token is not a string")),
  fails("expires_in negative", json({ access_token: "abc", token_type: "Bearer", expires_in: -60 }), invalid("InvalidExpiresIn")),
  fails("expires_in zero", json({ access_token: "abc", token_type: "Bearer", expires_in: 0 }), invalid("InvalidExpiresIn")),
  fails("expires_in \"0\"", json({ access_token: "abc", token_type: "Bearer", expires_in: "0" }), invalid("InvalidExpiresIn")),
  fails("expires_in non-numeric", json({ access_token: "abc", token_type: "Bearer", expires_in: "soon" }), invalid("InvalidExpiresIn")),
  fails("expires_in a numeric string that overflows to Infinity", json({ access_token: "abc", token_type: "Bearer", expires_in: "1e400" }), invalid("InvalidExpiresIn")),
  fails("expires_in a boolean", json({ access_token: "abc", token_type: "Bearer", expires_in: true }), invalid("InvalidExpiresIn")),
  fails("token_type mac", json({ access_token: "abc", token_type: "mac", expires_in: 300 }), invalid("UnsupportedTokenType", "token_type \"mac\" is not Bearer")),
  fails("token_type DPoP", json({ access_token: "abc", token_type: "DPoP", expires_in: 300 }), invalid("UnsupportedTokenType")),
  fails("token_type not a string", json({ access_token: "abc", token_type: 1, expires_in: 300 }), invalid("UnsupportedTokenType", "token_type number is not Bearer")),
  fails("refresh_token not a string", json({ access_token: "abc", token_type: "Bearer", expires_in: 300, refresh_token: 7 }), invalid("InvalidField", "refresh_token is not a string"))
]

/** Successes each HTTP client must read alike. */
export const httpSuccesses: ReadonlyArray<SuccessRow> = [
  token("a token response labelled text/plain", text(200, JSON.stringify({ access_token: "plain", token_type: "Bearer", expires_in: 60 })), "plain", 60),
  token("a body of exactly 1 MiB", text(200, paddedTokenBody(MiB), "application/json"), "padded-token", 300)
]

/** Successes of validation (the default lifetime is 5 minutes, the maximum 365 days). */
export const validationSuccesses: ReadonlyArray<SuccessRow> = [
  token("expires_in huge: capped at the maximum lifetime (365 days)", json({ access_token: "huge", token_type: "Bearer", expires_in: 1e12 }), "huge", 365 * 86_400),
  token("expires_in the largest double: capped at the maximum lifetime", json({ access_token: "largest", token_type: "Bearer", expires_in: Number.MAX_VALUE }), "largest", 365 * 86_400),
  token("expires_in a numeric string", json({ access_token: "numeric", token_type: "Bearer", expires_in: "300" }), "numeric", 300),
  token("expires_in absent: the default lifetime", json({ access_token: "no-expiry", token_type: "Bearer" }), "no-expiry", 300, "default"),
  token("token_type in lower case", json({ access_token: "lower", token_type: "bearer", expires_in: 60 }), "lower", 60),
  token("token_type absent", json({ access_token: "untyped", expires_in: 60 }), "untyped", 60)
]
