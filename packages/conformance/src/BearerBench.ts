/**
 * The bearer client's test bench as the shared cases reach it (RefusingApiCases, UnauthorizedCases,
 * RetryCases, TokenDestinationCases):
 * a token endpoint issuing `tok-1`, `tok-2`, ... (300 s each), a provider over it, an API that by
 * default accepts the tokens issued and not revoked, and the line's `BearerHttpClient` for the API.
 * Each line builds it on its test's own context (its TestClock, its scope, its HTTP client); every
 * operation resolves with plain values.
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-3.1
 */
import type { Expect } from "./Expect.js"

export type { Expect } from "./Expect.js"

/**
 * What the API answers: 200, 401 with a `WWW-Authenticate` challenge (by default an expired
 * `invalid_token`), or a transient 429 or 503 with an optional `Retry-After`.
 */
export type ApiAnswer =
  | { readonly status: 200 }
  | { readonly status: 401; readonly challenge?: string }
  | { readonly status: 429 | 503; readonly retryAfter?: string }

/** A request as the API saw it; `index` is its 0-based position. */
export interface ApiRequest {
  readonly method: string
  readonly path: string
  /** The bearer token it carried, if any. */
  readonly token: string | undefined
  readonly authorization: string | undefined
  readonly body: string
  readonly index: number
}

/** The token error a failed call carries (`BearerHttpClient.tokenError`), as plain data. */
export interface TokenErrorView {
  readonly _tag: string
  readonly reason?: string | undefined
  readonly location?: string | undefined
  readonly setting?: string | undefined
  readonly message: string
  readonly endpoint?: string | undefined
  readonly status?: number | undefined
  readonly error?: string | undefined
  readonly errorDescription?: string | undefined
}

/** A call's outcome: the API's response, or a failure with its token error and where canaries showed in its printed forms. */
export type Outcome =
  | { readonly _tag: "Response"; readonly status: number }
  | {
    readonly _tag: "Failure"
    readonly cause: TokenErrorView | undefined
    /** The `HttpClientError`'s message. */
    readonly message: string
    /** Whether the `HttpClientError` is the line's status-code error, and the response's status. */
    readonly statusError: boolean
    /** Whether the `HttpClientError` is the line's invalid-URL request error (the request was never sent). */
    readonly invalidUrl: boolean
    readonly responseStatus: number | undefined
    readonly leaks: (canaries: ReadonlyArray<string>) => ReadonlyArray<string>
  }

/** A `BearerHttpClient` for the API's origin. */
export interface Client {
  /** A GET of `path` on the API, or of an absolute URL. */
  readonly get: (pathOrUrl: string) => Promise<Outcome>
  /** A POST with a text body. */
  readonly post: (path: string, body: string) => Promise<Outcome>
  /** A POST (or `method`) whose body is a stream of `chunks` (not replayable). */
  readonly upload: (path: string, chunks: ReadonlyArray<string>, method?: "POST" | "PUT") => Promise<Outcome>
}

/** `BearerHttpClient.Options` as plain data. */
export interface ClientOptions {
  /** `origins`; the API's origin by default. */
  readonly origins?: ReadonlyArray<string>
  readonly onForeignOrigin?: "fail"
  /** `timeout`, in milliseconds. */
  readonly timeoutMillis?: number
  /** `retry: Schedule.recurs(retries)`. */
  readonly retries?: number
  /** `maximumRetryAfter`, in milliseconds. */
  readonly maximumRetryAfterMillis?: number
  /** `idempotent`: the requests whose URL ends with this suffix. */
  readonly idempotentPathSuffix?: string
}

/** A line's bench, for one case. */
export interface Bench {
  /** Scripts the API's answers. */
  readonly answer: (respond: (request: ApiRequest) => ApiAnswer) => Promise<void>
  /** A client with `options` beside the API's origin. */
  readonly client: (options?: ClientOptions) => Promise<Client>
  /** The error `BearerHttpClient.make` refuses `options` with, or `undefined` when it makes the client. */
  readonly refusal: (options: ClientOptions) => Promise<TokenErrorView | undefined>
  /** A client that got `tok-1` with a successful GET of `/warm`, after which the API revoked `tok-1`. */
  readonly clientWithRevokedToken: () => Promise<Client>
  /** The token endpoint answers every request 401 `invalid_client` (RFC 6749 §5.2). */
  readonly refuseTokens: () => Promise<void>
  /** The API stops accepting `token`. */
  readonly revoke: (token: string) => Promise<void>
  /** The API's URL of `path`. */
  readonly apiUrl: (path: string) => string
  /** Another origin, where the token must not go. */
  readonly foreign: {
    readonly origin: string
    readonly url: (path: string) => string
    readonly requests: () => Promise<ReadonlyArray<ApiRequest>>
  }
  /** How many token requests the token endpoint received. */
  readonly tokenRequests: () => Promise<number>
  /** How many requests the API received. */
  readonly hits: () => Promise<number>
  /** The requests the API received, in order. */
  readonly requests: () => Promise<ReadonlyArray<ApiRequest>>
  /** Moves the clock the client runs on (`TestClock.adjust`). */
  readonly adjustClock: (millis: number) => Promise<void>
}

/** One case on a bench; `provider` names the token provider (its metrics and logs). */
export interface Case {
  readonly name: string
  readonly provider: string
  readonly run: (bench: Bench, expect: Expect) => Promise<void>
}

/** The status of a response, `undefined` for a failure. */
export const statusOf = (outcome: Outcome): number | undefined => outcome._tag === "Response" ? outcome.status : undefined

/** The token error of a failure, `undefined` for a response. */
export const causeOf = (outcome: Outcome): TokenErrorView | undefined => outcome._tag === "Failure" ? outcome.cause : undefined

/** A line's `BearerHttpClient.Options` from plain `options`; `recurs` is the line's `Schedule.recurs`. */
export const clientOptions = <Schedule>(options: ClientOptions, recurs: (times: number) => Schedule) => {
  const { idempotentPathSuffix: suffix, maximumRetryAfterMillis, onForeignOrigin, origins, retries, timeoutMillis } = options
  return {
    ...(origins === undefined ? {} : { origins }),
    ...(onForeignOrigin === undefined ? {} : { onForeignOrigin }),
    ...(timeoutMillis === undefined ? {} : { timeout: timeoutMillis }),
    ...(retries === undefined ? {} : { retry: recurs(retries) }),
    ...(maximumRetryAfterMillis === undefined ? {} : { maximumRetryAfter: maximumRetryAfterMillis }),
    ...(suffix === undefined ? {} : { idempotent: (request: { readonly url: string }) => request.url.endsWith(suffix) })
  }
}

/** A request a line's API server recorded, as the cases see it (its bearer token read from `Authorization`). */
export const requestOf = (
  request: { readonly method: string; readonly path: string; readonly headers: Readonly<Record<string, string | undefined>>; readonly body: string },
  index: number
): ApiRequest => {
  const authorization = request.headers["authorization"]
  return {
    method: request.method,
    path: request.path,
    body: request.body,
    authorization,
    token: authorization?.startsWith("Bearer ") ? authorization.slice("Bearer ".length) : undefined,
    index
  }
}
