/**
 * What a server controls never reaches an error, a message or a span as it was sent, written once
 * for both lines: the canary credentials (and their encoded forms) no printed text may hold, the
 * token endpoint refusals whose `error`, `error_description`, `error_uri` and `token_type` must come
 * out cut to 200 characters, without escapes or control characters and without a credential, the
 * revocation and discovery refusals, `TokenError.sanitizeServerText`'s own rules, and what the spans
 * of requests to URLs with a secret in their query must (not) say. Each line's
 * `test/faults/ServerText.test.ts` makes the requests through real HTTP and hands what it saw here.
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 */
import * as ClientSecretBasic from "@effect-bearer/kernel/ClientSecretBasic"
import type { Expect } from "./Expect.js"

export type { Expect } from "./Expect.js"

/** The client id of every request. */
export const clientId = "server-text-client"
/** The client secret; reserved characters, so that its form-encoded and URL-encoded forms differ from it. */
export const clientSecret = "canary-secret-2c9e:+ é/="
/** The resource owner's password of the password grant. */
export const password = "canary-password-8a1f&x=1"
/** The refresh token of the refresh grant. */
export const refreshToken = "canary-refresh-token-6d07"
/** The token being revoked. */
export const revokedToken = "canary-revoked-token-b3e5"
/** The access token a malformed answer carries. */
export const accessToken = "canary-access-token-e41a"
/** A secret in the token, revocation and discovery URLs' query. */
export const queryCanary = "canary-query-secret-77f0"
/** The credentials of the Basic header (RFC 6749 §2.3.1), without `Basic `. */
export const basicCredentials = ClientSecretBasic.authorization(clientId, clientSecret).slice("Basic ".length)

/** The raw canaries and their encoded forms: none may appear anywhere. */
export const canaries: ReadonlyArray<string> = [
  "canary-secret-2c9e",
  ClientSecretBasic.formEncode(clientSecret),
  encodeURIComponent(clientSecret),
  basicCredentials,
  "canary-password-8a1f",
  refreshToken,
  revokedToken,
  accessToken,
  queryCanary
]

/** Each canary found in `texts`, with the start of the text it was found in; `[]` when none leaked. */
export const leaksIn = (texts: ReadonlyArray<string>): ReadonlyArray<string> =>
  texts.flatMap((text) => canaries.filter((canary) => text.includes(canary)).map((canary) => `${canary} in ${text.slice(0, 200)}`))

/** C0 controls (ESC, CR, LF, NUL, BEL…), DEL, C1 controls, bidirectional overrides and isolates, zero-width space. */
export const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b]/

/** `TokenError.sanitizeServerText` of a line, its secrets given as plain strings. */
export type Sanitize = (text: string, secrets?: ReadonlyArray<string>) => string

/** One rule of `TokenError.sanitizeServerText` (the kernel's rules, reached through the core). */
export interface SanitizeCase {
  readonly name: string
  readonly run: (sanitize: Sanitize, expect: Expect) => void
}

/** `TokenError.sanitizeServerText`'s rules. */
export const sanitizeCases: ReadonlyArray<SanitizeCase> = [
  {
    name: "removes terminal escapes and control characters, and puts line breaks on one line",
    run: (sanitize, expect) =>
      expect(sanitize("\u001b[31mred\u001b[0m\r\nnext\u0000\u0007 \u001b]8;;https://evil\u0007link\u001b]8;;\u0007")).toBe("red next link")
  },
  {
    name: "removes bidirectional overrides and zero-width characters that make a text read otherwise",
    run: (sanitize, expect) => expect(sanitize("abc\u202edcba\u200b\u2066x\u2069\u009b31m")).toBe("abcdcbax")
  },
  {
    name: "cuts a long text to 200 characters ending in an ellipsis, without splitting a character",
    run: (sanitize, expect) => {
      const cut = sanitize("😀".repeat(500))
      expect(Array.from(cut).length).toBe(200)
      expect(cut.endsWith("😀…")).toBe(true)
    }
  },
  {
    name: "replaces each credential, as is, form-encoded and URL-encoded, by <redacted>, and removes escapes",
    run: (sanitize, expect) => {
      expect(sanitize("a s3 cr&t b s3+cr%26t c s3%20cr%26t", ["s3 cr&t"])).toBe("a <redacted> b <redacted> c <redacted>")
      expect(sanitize("a s3 cr&t b s3+cr%26t c s3%20cr%26t\u001b[31m\r\nd", ["s3 cr&t"])).toBe("a <redacted> b <redacted> c <redacted> d")
    }
  },
  {
    name: "finds a credential that control characters split",
    run: (sanitize, expect) => expect(sanitize("key s3\u001b[0mcret", ["s3cret"])).toBe("key <redacted>")
  },
  {
    name: "changes nothing when applied again",
    run: (sanitize, expect) => {
      const once = sanitize(`x\r\n${"y".repeat(300)}`)
      expect(sanitize(once)).toBe(once)
    }
  }
]

/** The fields of a line's `TokenError` the cases read (`String(error)` and JSON of it too). */
export interface ErrorView {
  readonly _tag: string
  readonly message: string
  readonly error?: string | undefined
  readonly errorDescription?: string | undefined
  readonly errorUri?: string | undefined
  readonly reason?: string | undefined
  readonly detail?: string | undefined
}

/** A refused request as a line saw it: the typed error and every form in which it is printed. */
export interface Refusal {
  readonly error: ErrorView
  readonly printed: ReadonlyArray<string>
}

/** One token request refused with `body` and `status`: what the error must say and not say. */
export interface RefusalCase {
  readonly name: string
  readonly body: unknown
  readonly status: number
  /** `client_secret_basic` or `client_secret_post` (RFC 6749 §2.3.1), with {@link clientId} and {@link clientSecret}. */
  readonly clientAuthentication: "basic" | "post"
  /** The client credentials grant, the password grant with {@link password}, or a refresh with {@link refreshToken}. */
  readonly grant: "clientCredentials" | "password" | "refreshToken"
  readonly check: (refusal: Refusal, expect: Expect) => void
}

/** The token endpoint's refusals. */
export const refusalCases: ReadonlyArray<RefusalCase> = [
  {
    name: "an error_description repeating the client secret, the password and the Basic header says <redacted> instead",
    body: {
      error: "invalid_client",
      error_description: `secret ${clientSecret} (${ClientSecretBasic.formEncode(clientSecret)}) password ${password} basic ${basicCredentials} for ${clientId}`
    },
    status: 401,
    clientAuthentication: "basic",
    grant: "password",
    check: ({ error, printed }, expect) => {
      expect(error._tag).toBe("InvalidCredentials")
      expect(error.errorDescription).toBe(`secret <redacted> (<redacted>) password <redacted> basic <redacted> for ${clientId}`)
      expect(leaksIn(printed)).toEqual([])
    }
  },
  {
    name: "an error_description repeating the refresh token of a refresh grant says <redacted> instead",
    body: { error: "invalid_grant", error_description: `refresh token ${refreshToken} is not active` },
    status: 400,
    clientAuthentication: "post",
    grant: "refreshToken",
    check: ({ error, printed }, expect) => {
      expect(error.errorDescription).toBe("refresh token <redacted> is not active")
      expect(leaksIn(printed)).toEqual([])
    }
  },
  {
    name: "error, error_description and error_uri lose terminal escapes, control characters and line breaks",
    body: {
      error: "invalid_request\u001b[2J\r\n",
      error_description: "bad\u001b[31m request\r\nX-Injected: yes\u0000\u0007\u202eevil",
      error_uri: "https://docs.example/\u001b]8;;https://evil\u0007errors\r\n"
    },
    status: 400,
    clientAuthentication: "post",
    grant: "clientCredentials",
    check: ({ error, printed }, expect) => {
      expect(error).toMatchObject({
        _tag: "InvalidRequest",
        error: "invalid_request",
        errorDescription: "bad request X-Injected: yesevil",
        errorUri: "https://docs.example/errors"
      })
      for (const text of [error.message, String(error), JSON.stringify(error)]) {
        expect(controlCharacters.test(text)).toBe(false)
        expect(text).not.toContain("\\u001b")
      }
      expect(leaksIn(printed)).toEqual([])
    }
  },
  {
    name: "a 10,000-character error_description is cut to 200 characters, and so is the message's share of it",
    body: { error: "x".repeat(10_000), error_description: "d".repeat(10_000), error_uri: "u".repeat(10_000) },
    status: 400,
    clientAuthentication: "post",
    grant: "clientCredentials",
    check: ({ error }, expect) => {
      for (const field of [error.error, error.errorDescription, error.errorUri]) {
        expect(field?.length).toBe(200)
        expect(field?.endsWith("…")).toBe(true)
      }
      expect(error.message.length).toBeLessThan(1_000)
    }
  },
  {
    name: "a 200 answer whose token_type repeats the access token and the client secret quotes neither",
    body: { access_token: accessToken, token_type: `mac ${accessToken} ${clientSecret}`.slice(0, 40) },
    status: 200,
    clientAuthentication: "post",
    grant: "clientCredentials",
    check: ({ error, printed }, expect) => {
      expect(error).toMatchObject({ _tag: "InvalidTokenResponse", reason: "UnsupportedTokenType" })
      expect(leaksIn(printed)).toEqual([])
    }
  }
]

/** The revocation refusal (RFC 7009 §2.2.1) of {@link revokedToken}, by client_secret_post, with a 400. */
export const revocationRefusal = {
  name: "a revocation refusal repeating the revoked token says <redacted> instead",
  body: { error: "invalid_request", error_description: `cannot revoke ${revokedToken}\r\n` },
  status: 400,
  check: ({ error, printed }: Refusal, expect: Expect): void => {
    expect(error).toMatchObject({ errorDescription: "cannot revoke <redacted>" })
    expect(leaksIn(printed)).toEqual([])
  }
} as const

/** A discovery document (OpenID Connect Discovery 1.0 §4.3) naming another, hostile issuer. */
export const hostileIssuer = {
  name: "a discovery document naming another issuer is quoted without escapes, line breaks or more than 200 characters",
  body: (tokenUrl: string) => ({ issuer: `https://evil.example/\u001b[31m\r\n${"i".repeat(5_000)}`, token_endpoint: tokenUrl }),
  check: (error: ErrorView, expect: Expect): void => {
    expect(error).toMatchObject({ _tag: "InvalidTokenResponse", reason: "InvalidField" })
    const detail = error._tag === "InvalidTokenResponse" ? error.detail ?? "" : ""
    expect(detail).toMatch(/^the OpenID configuration names issuer https:\/\/evil\.example\/ i+…, not /)
    expect(detail.length).toBeLessThan(300)
    expect(controlCharacters.test(error.message)).toBe(false)
  }
} as const

/** What a line saw of a token request, a revocation and a refused token request to URLs with {@link queryCanary} in their query. */
export interface QuerySpans {
  /** The token server's origin; the token URL is `${origin}/token`. */
  readonly origin: string
  /** The paths (with their queries) the server received, in order. */
  readonly paths: ReadonlyArray<string>
  /** The first request's `traceparent` header. */
  readonly traceparent: string | undefined
  /** Everything an exporter would send of each span. */
  readonly spanTexts: ReadonlyArray<string>
  /** The attributes and trace id of the `TokenEndpoint.requestToken` span. */
  readonly tokenSpan: { readonly attributes: Record<string, unknown>; readonly traceId: string } | undefined
  /** The `url.full` attribute of the `TokenEndpoint.revokeToken` span. */
  readonly revokeSpanUrl: unknown
}

/** The token and revocation URLs' query reaches the server but no span; the library's own spans say the rest. */
export const checkQuerySpans = (seen: QuerySpans, expect: Expect): void => {
  // The query did go to the server (the test is not vacuous).
  expect(seen.paths).toEqual([`/token?tenant=${queryCanary}`, `/revoke?tenant=${queryCanary}`, `/token?tenant=${queryCanary}`])
  expect(seen.spanTexts.length).toBeGreaterThan(0)
  expect(leaksIn(seen.spanTexts)).toEqual([])
  // The library's own spans say what the platform's did, without the query.
  expect(seen.tokenSpan?.attributes ?? {}).toMatchObject({
    "http.request.method": "POST",
    "url.full": `${seen.origin}/token`,
    "server.address": seen.origin,
    "http.response.status_code": 200
  })
  expect(seen.revokeSpanUrl).toBe(`${seen.origin}/revoke`)
  // The trace context still reaches the authorization server, from the library's span.
  expect(seen.traceparent).toContain(seen.tokenSpan?.traceId)
}

/** A discovery of an issuer with {@link queryCanary} in its query: the query reaches the server but no span. */
export const checkDiscoverySpans = (seen: { readonly paths: ReadonlyArray<string>; readonly spanTexts: ReadonlyArray<string> }, expect: Expect): void => {
  expect(seen.paths).toEqual([`/?key=${queryCanary}/.well-known/openid-configuration`])
  expect(seen.spanTexts.length).toBeGreaterThan(0)
  expect(leaksIn(seen.spanTexts)).toEqual([])
}
