/**
 * What a token endpoint may answer, and the token error each answer must become: the table
 * both lines' `TokenEndpoint` suites run (Effect 3: `packages/core/test/TokenEndpoint.test.ts`,
 * Effect 4: `effect4/packages/core/test/TokenEndpoint.test.ts`). An answer is plain data (a
 * status, headers, a body and its type) that each line's test server turns into a response;
 * `expected` is matched against the error's fields, `retryAfterSeconds` against its
 * `retryAfter` duration.
 */

/** A response as plain data. */
export interface Answer {
  readonly status: number
  readonly headers?: Readonly<Record<string, string>>
  /** A JSON body (sent as `application/json`). */
  readonly json?: unknown
  /** A text body with its content type. */
  readonly text?: { readonly body: string; readonly contentType: string }
  /** A body of `chunks` chunks of `chunkBytes` spaces, streamed without a Content-Length. */
  readonly chunked?: { readonly chunkBytes: number; readonly chunks: number; readonly contentType: string }
}

/** One row: an answer and the error's expected fields. */
export interface Failure {
  readonly name: string
  readonly answer: Answer
  readonly expected: Readonly<Record<string, unknown>>
  /** The `Retry-After` the error must carry, in seconds. */
  readonly retryAfterSeconds?: number
}

const row = (name: string, answer: Answer, expected: Record<string, unknown>, retryAfterSeconds?: number): Failure =>
  retryAfterSeconds === undefined ? { name, answer, expected } : { name, answer, expected, retryAfterSeconds }
const json = (status: number, body: unknown): Answer => ({ status, json: body })
const text = (status: number, body: string, contentType = "text/plain"): Answer => ({ status, text: { body, contentType } })

/** Each answer a token request may fail with, one a line. */
export const failures: ReadonlyArray<Failure> = [
  row("InvalidCredentials for 401", { status: 401 }, { _tag: "InvalidCredentials", status: 401, clientId: "client", grantType: "client_credentials" }),
  row("InvalidCredentials for 400 invalid_client", json(400, { error: "invalid_client", error_description: "Client authentication failed" }), { _tag: "InvalidCredentials", status: 400, error: "invalid_client", errorDescription: "Client authentication failed" }),
  row("InvalidCredentials for 400 invalid_grant", json(400, { error: "invalid_grant" }), { _tag: "InvalidCredentials", error: "invalid_grant" }),
  row("InvalidCredentials for 400 unauthorized_client", json(400, { error: "unauthorized_client" }), { _tag: "InvalidCredentials", error: "unauthorized_client" }),
  row("InvalidRequest for 400 invalid_scope", json(400, { error: "invalid_scope" }), { _tag: "InvalidRequest", error: "invalid_scope", status: 400 }),
  row("InvalidRequest for a 200 that carries an RFC 6749 §5.2 error", json(200, { error: "invalid_scope" }), { _tag: "InvalidRequest", status: 200, error: "invalid_scope" }),
  row("WrongHost for 404", text(404, "Not Found"), { _tag: "WrongHost", reason: "NotFound", status: 404 }),
  row("UnsupportedMediaType for 415", { status: 415 }, { _tag: "UnsupportedMediaType", status: 415, contentType: "application/x-www-form-urlencoded" }),
  row("TemporarilyUnavailable for 500", text(500, "boom"), { _tag: "TemporarilyUnavailable", reason: "ServerError", status: 500 }),
  row("TemporarilyUnavailable with Retry-After for 503", { status: 503, headers: { "retry-after": "7" } }, { _tag: "TemporarilyUnavailable", reason: "ServerError", status: 503 }, 7),
  row("TemporarilyUnavailable (RateLimited) for 429", { status: 429, headers: { "retry-after": "2" } }, { _tag: "TemporarilyUnavailable", reason: "RateLimited", status: 429 }, 2),
  row("InvalidTokenResponse for invalid JSON", text(200, "{\"access_token\": ", "application/json"), { _tag: "InvalidTokenResponse", reason: "NotJson", detail: "the body is not valid JSON" }),
  row("InvalidTokenResponse for an HTML body", text(200, "<html><body>Login</body></html>", "text/html"), { _tag: "InvalidTokenResponse", reason: "NotJson", detail: "the body is an HTML page, not JSON" }),
  row("InvalidTokenResponse for a missing access_token", json(200, { token_type: "Bearer", expires_in: 300 }), { _tag: "InvalidTokenResponse", reason: "MissingAccessToken" }),
  row("InvalidTokenResponse for an unknown token_type", json(200, { access_token: "t", token_type: "mac" }), { _tag: "InvalidTokenResponse", reason: "UnsupportedTokenType", detail: "token_type \"mac\" is not Bearer" }),
  row("InvalidTokenResponse for expires_in 0", json(200, { access_token: "t", token_type: "Bearer", expires_in: 0 }), { _tag: "InvalidTokenResponse", reason: "InvalidExpiresIn" }),
  row("WrongHost for a redirect, naming only the target's origin", { status: 302, headers: { location: "https://elsewhere.example/token?x=1" } }, { _tag: "WrongHost", reason: "Redirect", status: 302, location: "https://elsewhere.example" })
]

/** The client secret no endpoint may reach unencoded: reserved, percent, space and non-Latin-1 characters. */
export const awkwardSecret = "p:a+s%s w ü€"

/** `awkwardSecret` and the id `my client` as RFC 6749 §2.3.1's form encoding writes them before Base64. */
export const awkwardBasicCredentials = "my+client:p%3Aa%2Bs%25s+w+%C3%BC%E2%82%AC"

/** The password grant's body for `me@example.com` and `awkwardSecret` from the public client `up42-api`. */
export const awkwardPasswordBody =
  "client_id=up42-api&grant_type=password&username=me%40example.com&password=p%3Aa%2Bs%25s+w+%C3%BC%E2%82%AC"
