/**
 * What the bearer client shows a telemetry backend, written once for both lines: the attributes of
 * its own request spans (the `span` option), the spans of the token requests and HTTP exchanges
 * underneath, the log lines of a 401 recovery and of a final refusal, and the token and 401 metrics
 * -- none holding a token or the client secret. Each line's `test/BearerHttpClient.test.ts` runs the
 * requests with its own recording tracer, logger and metric snapshot and hands what they kept here.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3
 */
import type { Expect } from "./Expect.js"

export type { Expect } from "./Expect.js"

/** The client secret of the observed clients' token endpoint; it must reach no span, log line or label. */
export const clientSecret = "client-secret-never-logged"

/** Which of the tokens (`tok-1`, `tok-2`, `tok-3`) and the {@link clientSecret} appear in `texts`. */
export const secretsIn = (texts: ReadonlyArray<string>): ReadonlyArray<string> =>
  ["tok-1", "tok-2", "tok-3", clientSecret].filter((secret) => texts.some((text) => text.includes(secret)))

/** The metrics' names, as an exporter shows them. */
export const metricNames = {
  tokenRequests: "effect_bearer_token_requests_total",
  secondsUntilExpiry: "effect_bearer_token_seconds_until_expiry",
  unauthorizedResponses: "effect_bearer_unauthorized_responses_total"
} as const

/**
 * The attributes the `BearerHttpClient.execute` spans of provider `traced` must carry: a warm-up
 * request to `/warm`, a request recovering from a revoked token, and a request refused for good.
 */
export const tracedRequestSpans: ReadonlyArray<Readonly<Record<string, unknown>>> = [
  {
    "bearer.provider": "traced",
    "url.path": "/warm",
    "bearer.token_attached": true,
    "bearer.recovered_from_401": false,
    "bearer.outcome": "Success",
    "http.response.status_code": 200
  },
  {
    "url.path": "/after-revocation",
    "bearer.unauthorized": true,
    "bearer.recovered_from_401": true,
    "bearer.outcome": "Success",
    "http.response.status_code": 200
  },
  {
    "url.path": "/refused",
    "bearer.unauthorized": true,
    "bearer.recovered_from_401": false,
    "bearer.outcome": "Expired",
    "http.response.status_code": 401
  }
]

/** What a recording tracer kept of the traced client's requests (the `span` option on). */
export interface TracedRequests {
  /** The attributes of each `BearerHttpClient.execute` span, in order. */
  readonly requestSpans: ReadonlyArray<Readonly<Record<string, unknown>>>
  /** How many `TokenEndpoint.requestToken` spans there were. */
  readonly tokenRequestSpans: number
  /** The `http.request.header.authorization` attribute of each HTTP exchange's span, as a string. */
  readonly exchangeAuthorizations: ReadonlyArray<string>
  /** Everything an exporter would send of each span. */
  readonly spanTexts: ReadonlyArray<string>
}

/** One span per request with the provider, the 401 recovery and the outcome; the layers underneath traced too; no secret. */
export const checkTracedRequests = (seen: TracedRequests, expect: Expect): void => {
  expect(seen.requestSpans.length).toBe(tracedRequestSpans.length)
  tracedRequestSpans.forEach((expected, index) => expect(seen.requestSpans[index]).toMatchObject(expected))
  // The token requests and the HTTP exchanges underneath are traced too.
  expect(seen.tokenRequestSpans).toBe(3)
  expect(seen.exchangeAuthorizations.length).toBeGreaterThanOrEqual(5)
  // The platform records request headers on its spans: the Authorization header is there, redacted.
  expect(seen.exchangeAuthorizations).toContain("<redacted>")
  expect(secretsIn(seen.spanTexts)).toEqual([])
}

/** Without the `span` option: no span of the client's own; one token request span, the exchanges' spans. */
export const checkUntracedRequest = (seen: { readonly requestSpans: number; readonly tokenRequestSpans: number; readonly exchangeSpans: number }, expect: Expect): void => {
  expect(seen.requestSpans).toBe(0)
  expect(seen.tokenRequestSpans).toBe(1)
  expect(seen.exchangeSpans).toBeGreaterThanOrEqual(1)
}

/** One log line as a backend would get it. */
export interface LogLine {
  /** The line's level as the line's logger names it (`INFO` on Effect 3, `Info` on Effect 4). */
  readonly level: string
  readonly message: string
  readonly annotations: Readonly<Record<string, unknown>>
}

/** Provider `logged`'s requests to `/x` (recovering from a revoked token) and `/y` (refused for good): what its log says. */
export const checkRecoveryLogs = (lines: ReadonlyArray<LogLine>, expect: Expect): void => {
  const recovery = lines.filter((line) => line.message.includes("replaying the request once"))
  expect(recovery.map((line) => [line.level.toLowerCase(), line.annotations["provider"]])).toEqual([["info", "logged"], ["info", "logged"]])
  expect(String(recovery[0]?.annotations["endpoint"])).toMatch(/\/x$/)
  expect(String(recovery[1]?.annotations["endpoint"])).toMatch(/\/y$/)
  expect(lines.filter((line) => line.message.includes("refused a freshly issued token")).length).toBe(1)
  expect(secretsIn(lines.map((line) => JSON.stringify(line)))).toEqual([])
}

/** The metric values of provider `metered` after a request recovering from a revoked token, then a stream upload refused (not replayable). */
export interface MeteredRequests {
  /** `tokenRequests` with `outcome: Success`. */
  readonly successfulTokenRequests: number
  /** `tokenRequests` with `grant_type: client_credentials`. */
  readonly clientCredentialsTokenRequests: number
  /** `unauthorizedResponses` with `outcome: Replayed`. */
  readonly replayed: number
  /** `unauthorizedResponses` with `outcome: NotReplayable`. */
  readonly notReplayable: number
  /** The values of the `secondsUntilExpiry` gauge for the provider. */
  readonly secondsUntilExpiry: ReadonlyArray<unknown>
  /** Every label of every metric, as `<name> <key>=<value>`. */
  readonly labels: ReadonlyArray<string>
}

/** The core token metrics and the 401 outcomes, with no secret in any label. */
export const checkMetrics = (seen: MeteredRequests, expect: Expect): void => {
  expect(seen.successfulTokenRequests).toBe(2)
  expect(seen.clientCredentialsTokenRequests).toBe(2)
  expect(seen.replayed).toBe(1)
  expect(seen.notReplayable).toBe(1)
  // Set when a token is stored (the TestClock has not moved: the full 300 s are left).
  expect(seen.secondsUntilExpiry).toContain(300)
  expect(seen.labels.length).toBeGreaterThan(0)
  expect(secretsIn(seen.labels)).toEqual([])
}
