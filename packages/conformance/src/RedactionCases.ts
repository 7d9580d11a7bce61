/**
 * Secrets never print, written once for both lines: the canaries a test gives as the client
 * secret, the password and the tokens; the failing token endpoints of a lifecycle (each echoing
 * the request, secrets included, back in its answer) with the error each must end in; and the
 * answers of a refresh token refused, then of a background refresh refused. Each line runs the
 * lifecycle on its own provider and logger and checks every printed form (its own formatter's
 * among them) with {@link expectNoCanary}.
 */
import type { Expect } from "./Expect.js"
import * as PrintedForms from "./PrintedForms.js"
import type { Answer } from "./TokenEndpointAnswers.js"

export type { Expect } from "./Expect.js"

/** The secrets of the lifecycle: none may be in an error, a cause or a log line. */
export const canaries = {
  clientSecret: "canary-client-secret-4d1f",
  password: "canary-password-9b2e",
  accessToken: "canary-access-token-77aa",
  refreshToken: "canary-refresh-token-31cc"
} as const

/** Every printed form of `value` this module knows (message, `String`, JSON, `inspect`, and an error's stack). */
export const printedForms = (value: unknown): ReadonlyArray<string> => [
  ...PrintedForms.of(value),
  value instanceof Error ? value.stack ?? "" : ""
]

/** Checks that no canary is in any of `texts`. */
export const expectNoCanary = (expect: Expect, texts: Iterable<string>): void => {
  for (const text of texts) {
    for (const canary of Object.values(canaries)) expect(text).not.toContain(canary)
  }
}

/** One failing endpoint: its answer to a request whose body is `body`, and the error's tag. */
export interface Failure {
  readonly status: number
  readonly answer: (body: string) => Answer
  readonly tag: string
}

const refused = (status: number): Failure => ({
  status,
  answer: (body) => ({ status, json: { error: "invalid_grant", error_description: "no", echoed: body } }),
  tag: "InvalidCredentials"
})

/** The failing endpoints, in order (the provider retries once). */
export const failures: ReadonlyArray<Failure> = [
  ...[401, 400, 404, 415, 429, 500, 503].map(refused),
  { status: 302, answer: (body) => ({ status: 302, headers: { location: `https://evil.example/${body}` } }), tag: "WrongHost" },
  // echoes the secrets back in a body that is not a token response
  { status: 200, answer: (body) => ({ status: 200, json: { token_type: "mac", echoed: body, access_token: canaries.accessToken } }), tag: "InvalidTokenResponse" }
]

/** A password grant answered with the canary tokens; a refresh token refused (400, echoing the request). */
export const refreshRefused = (form: URLSearchParams, body: string): Answer =>
  form.get("grant_type") === "password"
    ? { status: 200, json: { access_token: canaries.accessToken, token_type: "Bearer", expires_in: 300, refresh_token: canaries.refreshToken } }
    : { status: 400, json: { error: "invalid_grant", echoed: body } }

/** Every later request refused as `invalid_client` (401, echoing the request): the background refresh fails. */
export const clientRefused = (body: string): Answer => ({ status: 401, json: { error: "invalid_client", echoed: body } })

/** The log lines the lifecycle must have written (each checked free of canaries). */
export const expectedLogs = ["Background token refresh failed", "Token request failed"] as const
