/**
 * Every provider against every fault of the local provider server: the fault injected on
 * the token endpoint, and the error a token request must fail with (its tag and fields),
 * never a defect. Plain data: each line's `faults.test.ts` iterates it, turning `fault` into
 * its `LocalProviderServer.Fault` (times in milliseconds here) and `retryAfterSeconds` into
 * its `Duration`.
 */

/** The provider ids of the local provider server, as its records name them. */
export type ProviderId = "up42-project" | "up42-account" | "bitquery" | "hydrosat" | "oauth2"

/** Every provider the table runs for. */
export const providers: ReadonlyArray<ProviderId> = ["up42-project", "up42-account", "bitquery", "hydrosat", "oauth2"]

/** A fault as `@effect-bearer/local-provider-server` takes it (times in milliseconds). */
export type Fault =
  | { readonly _tag: "Status"; readonly status: number; readonly retryAfter?: number | undefined }
  | { readonly _tag: "Html" | "TruncatedJson" | "EmptyBody" | "MissingAccessToken" | "UnsupportedTokenType" }

/** The error a row must end in: its tag and the fields that identify it. */
export interface ExpectedError {
  readonly _tag: string
  readonly reason?: string | undefined
  readonly status?: number | undefined
  /** The `retryAfter` the error carries, in seconds (each line compares its own `Duration`). */
  readonly retryAfterSeconds?: number | undefined
}

/** One fault and the error it must become. */
export interface Row {
  readonly name: string
  readonly fault: Fault
  readonly error: ExpectedError
}

const row = (name: string, fault: Fault, error: ExpectedError): Row => ({ name, fault, error })
const status = (code: number): Fault => ({ _tag: "Status", status: code })

/** The faults, one a line. */
export const table: ReadonlyArray<Row> = [
  row("500", status(500), { _tag: "TemporarilyUnavailable", reason: "ServerError", status: 500 }),
  row("503", status(503), { _tag: "TemporarilyUnavailable", reason: "ServerError", status: 503 }),
  row("429 with Retry-After", { _tag: "Status", status: 429, retryAfter: 30_000 }, {
    _tag: "TemporarilyUnavailable",
    reason: "RateLimited",
    status: 429,
    retryAfterSeconds: 30
  }),
  row("401", status(401), { _tag: "InvalidCredentials", status: 401 }),
  row("404", status(404), { _tag: "WrongHost", reason: "NotFound", status: 404 }),
  row("415", status(415), { _tag: "UnsupportedMediaType", status: 415 }),
  row("an HTML page", { _tag: "Html" }, { _tag: "InvalidTokenResponse", reason: "NotJson" }),
  row("truncated JSON", { _tag: "TruncatedJson" }, { _tag: "InvalidTokenResponse", reason: "NotJson" }),
  row("an empty body", { _tag: "EmptyBody" }, { _tag: "InvalidTokenResponse", reason: "NotJson" }),
  row("no access token", { _tag: "MissingAccessToken" }, { _tag: "InvalidTokenResponse", reason: "MissingAccessToken" }),
  row("a token_type other than Bearer", { _tag: "UnsupportedTokenType" }, {
    _tag: "InvalidTokenResponse",
    reason: "UnsupportedTokenType"
  })
]

/** The error fields a row expects, without `retryAfterSeconds` (compared separately). */
export const expectedFields = (error: ExpectedError): Readonly<Record<string, unknown>> => {
  const { retryAfterSeconds: _, ...fields } = error
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined))
}
