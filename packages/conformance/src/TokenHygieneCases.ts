/**
 * Secret hygiene of the token side, the data both lines' end-to-end hygiene tests share: the
 * token endpoint answers (many carrying the canary tokens of {@link BearerHygieneCases} in a
 * response that is refused), a static JWT whose signature is a canary of its own, the provider's
 * server (rotation, a refused refresh token, failing revocation), and the checks that the
 * canaries did reach the server and that the capture is not vacuous. Each line runs the
 * scenarios on its own Effect, capture and token server.
 */
import * as Canaries from "./BearerHygieneCases.js"
import type { Expect } from "./Expect.js"
import * as ClientSecretBasic from "@effect-bearer/kernel/ClientSecretBasic"
import type { Answer } from "./TokenEndpointAnswers.js"

export type { Expect } from "./Expect.js"

const { accessToken, clientId, clientSecret, password, refreshToken } = Canaries

/** The signature of the static JWTs: a canary of this suite's own. */
export const jwtSignature = "canary-jwt-signature-0d4b"

/** Every canary: the conformance table's and the JWT signature. */
export const canaries: ReadonlyArray<string> = [...Canaries.canaries, jwtSignature]

const base64Url = (text: string) => Buffer.from(text).toString("base64url")

/** A JWT of `claims`, signed with {@link jwtSignature}. */
export const jwt = (claims: Record<string, unknown>): string =>
  `${base64Url(JSON.stringify({ alg: "HS256", typ: "JWT" }))}.${base64Url(JSON.stringify(claims))}.${jwtSignature}`

/** A token response carrying the canary tokens. */
export const tokens = { access_token: accessToken, refresh_token: refreshToken, token_type: "Bearer", expires_in: 300 }

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Answer => ({ status, json: body, headers })
const text = (body: string, status: number, contentType = "text/plain"): Answer => ({ status, text: { body, contentType } })

/** Token endpoint answers, many carrying the canary tokens in a response that is refused. */
export const responses: ReadonlyArray<readonly [string, Answer]> = [
  ["a token", json(tokens)],
  ["a JWT token", json({ ...tokens, access_token: jwt({ exp: 600, iat: 0, sub: clientId }), expires_in: undefined })],
  ["token_type mac", json({ ...tokens, token_type: "mac" })],
  ["expires_in non-numeric", json({ ...tokens, expires_in: accessToken })],
  ["expires_in negative", json({ ...tokens, expires_in: -1 })],
  ["refresh_token not a string", json({ ...tokens, refresh_token: [refreshToken] })],
  ["scope not a string", json({ ...tokens, scope: { token: accessToken } })],
  ["access_token not a string", json({ ...tokens, access_token: [accessToken] })],
  ["truncated JSON", text(JSON.stringify(tokens).slice(0, 40), 200, "application/json")],
  ["HTML", text(`<html><body>${accessToken}</body></html>`, 200, "text/html")],
  ["over 1 MiB", text(JSON.stringify({ ...tokens, padding: "x".repeat(1024 * 1024) }), 200, "application/json")],
  ["401", json({ error: "invalid_client", error_description: "bad client" }, 401)],
  ["400 invalid_grant", json({ error: "invalid_grant" }, 400)],
  ["500 echoing the tokens", text(JSON.stringify(tokens), 500)],
  ["503 with Retry-After", json({ error: "temporarily_unavailable" }, 503, { "retry-after": "5" })],
  ["429", json({}, 429, { "retry-after": "1" })],
  ["404", text(accessToken, 404)],
  ["415", text(accessToken, 415)],
  ["302 to another host", json({}, 302, { location: "https://elsewhere.example/token" })]
]

/** The revocation endpoint refusing the token. */
export const revocationRefused: Answer = json({ error: "invalid_token" }, 400)

/**
 * The provider's server: rotation (`<canary>-N` tokens), a refused refresh token once
 * `refuseRefresh` was called, a failing revocation; then, after `failEverything`, 500s that echo
 * the tokens (the background refresh and the outage).
 */
export const providerServer = () => {
  let issued = 0
  let refreshRefused = false
  let failing = false
  return {
    answer: (path: string, form: URLSearchParams): Answer => {
      if (path === "/revoke") return json({ error: "server_error" }, 500)
      if (failing) return json(tokens, 500)
      if (form.get("grant_type") === "refresh_token" && refreshRefused) {
        return json({ error: "invalid_grant", error_description: "Token is not active" }, 400)
      }
      issued++
      return json({ ...tokens, access_token: `${accessToken}-${issued}`, refresh_token: `${refreshToken}-${issued}` })
    },
    refuseRefresh: () => void (refreshRefused = true),
    failEverything: () => void (failing = true)
  }
}

/** A server whose revocation succeeds and whose token endpoint issues the canary tokens. */
export const revokingServer = (path: string): Answer => (path === "/revoke" ? text("", 200) : json(tokens))

/**
 * The canaries did reach the server (the capture is not vacuous): `sent` holds every request's
 * Authorization header and body.
 */
export const expectSent = (expect: Expect, sent: string): void => {
  expect(sent).toContain(ClientSecretBasic.formEncode(clientSecret))
  expect(sent).toContain(ClientSecretBasic.authorization(clientId, clientSecret).slice("Basic ".length))
  expect(sent).toContain(ClientSecretBasic.formEncode(password))
  expect(sent).toContain(refreshToken)
}

/** The capture saw more than a hundred log lines, spans and errors. */
export const expectCaptured = (expect: Expect, counts: { readonly logs: number; readonly spans: number; readonly errors: number }): void => {
  expect(counts.logs).toBeGreaterThan(100)
  expect(counts.spans).toBeGreaterThan(100)
  expect(counts.errors).toBeGreaterThan(100)
}
