/**
 * Secret hygiene of the bearer client's printed errors: canary credentials, and each way a
 * token endpoint or an API can fail a call, as plain data. Both lines' hygiene suites run
 * the table (Effect 3: `packages/core/test/SecretHygiene.test.ts`, Effect 4:
 * `effect4/packages/core/test/BearerHttpClientHygiene.test.ts`): for each mode, through each
 * HTTP client, every response accessor's outcome is printed every way users print errors,
 * and no canary may appear.
 */
import * as Base64 from "@effect-bearer/kernel/Base64"
import * as ClientSecretBasic from "@effect-bearer/kernel/ClientSecretBasic"
import type { Answer } from "./TokenEndpointAnswers.js"

// Reserved characters and non-ASCII, so the form-encoded and Base64 forms differ from the raw ones.
export const clientId = "hygiene-client"
export const clientSecret = "canary-secret-7f3a:+% é/="
export const password = "canary-password-5b2d 8e4f&x=1"
export const accessToken = "canary-access-token-91c6"
export const refreshToken = "canary-refresh-token-3e8a"

/** The encoded forms the client secret travels in: form body, URL, and the `client_secret_basic` header value. */
export const clientSecretForms: ReadonlyArray<string> = [
  ClientSecretBasic.formEncode(clientSecret),
  encodeURIComponent(clientSecret),
  ClientSecretBasic.authorization(clientId, clientSecret).slice("Basic ".length)
]

/** Every form in which a secret could escape. Prefixes catch derived tokens and encodings. */
export const canaries: ReadonlyArray<string> = [
  "canary-secret-7f3a",
  "canary-password-5b2d",
  "canary-access-token-91c6",
  "canary-refresh-token-3e8a",
  ...clientSecretForms,
  ClientSecretBasic.formEncode(password),
  Base64.encode(`${clientId}:${clientSecret}`)
]

/** What the token endpoint received in each mode: these prove that the canaries did travel. */
export const sentCredentials = (tokensIssued: boolean): ReadonlyArray<string> => [
  ClientSecretBasic.formEncode(password),
  ClientSecretBasic.authorization(clientId, clientSecret).slice("Basic ".length),
  ...(tokensIssued ? [] : [refreshToken, ClientSecretBasic.formEncode(clientSecret)])
]

const tokens = { access_token: accessToken, refresh_token: refreshToken, token_type: "Bearer", expires_in: 300 }
const refusedTokens = JSON.stringify({ ...tokens, access_token: `${accessToken}-refused`, refresh_token: `${refreshToken}-refused` })
const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Answer => ({ status, headers, json: body })
const text = (body: string, status: number, contentType = "text/plain"): Answer => ({ status, text: { body, contentType } })

/**
 * How a test server answers: an answer, one made from the request's body, the `n`-th fresh
 * canary tokens (`issue`), or a response whose connection a raw TCP server resets halfway
 * through its body.
 */
export type Reply =
  | { readonly answer: Answer }
  | { readonly fromRequestBody: (body: string) => Answer }
  | { readonly issue: true }
  | { readonly resetMidBody: { readonly status: string; readonly body: string } }

/** Fresh canary tokens, numbered so that every issued token is a different string. */
export const issued = (n: number): Answer =>
  json({ ...tokens, access_token: `${accessToken}-${n}`, refresh_token: `${refreshToken}-${n}` })

const issue: Reply = { issue: true }
const answer = (reply: Answer): Reply => ({ answer: reply })

/** One way a call fails: what the token endpoint and the API answer. */
export interface FailureMode {
  readonly name: string
  readonly tokenEndpoint: Reply
  readonly api: Reply
}

/** Token endpoint faults (the call fails before any response) and API faults (the call or its body read fails). */
export const failureModes: ReadonlyArray<FailureMode> = [
  ...([
    ["401 invalid_client, repeating the client secret", answer(json({ error: "invalid_client", error_description: `unknown secret ${clientSecret}` }, 401))],
    ["400 invalid_grant, repeating the password or refresh token it was sent", { fromRequestBody: (body: string) => json({ error: "invalid_grant", error_description: `${new URLSearchParams(body).get(body.includes("password=") ? "password" : "refresh_token")} is not valid` }, 400) }],
    ["404 with tokens in its body", answer(text(refusedTokens, 404))],
    ["415 with tokens in its body", answer(text(refusedTokens, 415))],
    ["429 with Retry-After", answer(json({ error: "slow_down" }, 429, { "retry-after": "1" }))],
    ["503 with tokens in its body", answer(text(refusedTokens, 503, "application/json"))],
    ["200 HTML holding a token", answer(text(`<html><body>${accessToken}-html</body></html>`, 200, "text/html"))],
    ["200 bad JSON holding tokens", answer(text(refusedTokens.slice(0, -3), 200, "application/json"))],
    ["200 over 1 MiB holding tokens", answer(text(JSON.stringify({ ...JSON.parse(refusedTokens), padding: "x".repeat(1024 * 1024) }), 200, "application/json"))],
    ["a connection reset in the middle of a token response", { resetMidBody: { status: "200 OK", body: refusedTokens } }]
  ] as const).map(([name, tokenEndpoint]): FailureMode => ({ name: `token endpoint: ${name}`, tokenEndpoint, api: answer(json({ ok: true })) })),
  {
    name: "API: 401 to the token and to the fresh token",
    tokenEndpoint: issue,
    api: answer(json({ error: "invalid_token" }, 401, { "www-authenticate": "Bearer error=\"invalid_token\"" }))
  },
  {
    name: "API: a 200 HTML body where JSON was expected",
    tokenEndpoint: issue,
    api: answer(text("<html><body>Service maintenance</body></html>", 200, "text/html"))
  },
  {
    name: "API: a connection reset in the middle of the body",
    tokenEndpoint: issue,
    api: { resetMidBody: { status: "200 OK", body: JSON.stringify({ ok: true, items: "y".repeat(2000) }) } }
  }
]

/** The grants whose credentials travel to the token endpoint, each with a client authentication. */
export const grantsAndMethods = [
  { name: "password grant, client_secret_basic", grant: "password", clientAuthentication: "client_secret_basic" },
  { name: "refresh_token grant, client_secret_post", grant: "refresh_token", clientAuthentication: "client_secret_post" }
] as const
