/**
 * The closed union of errors a token request can fail with.
 *
 * Every error names the token endpoint (never with credentials in it), the HTTP
 * status and the RFC 6749 §5.2 fields where there were any, and a `message` that
 * says what to do next. No field ever holds a client secret, a password or a token,
 * and the server's own texts are capped and cleaned ({@link sanitizeServerText}).
 * The messages and the cleaning rules are the kernel's (`ErrorMessage`, `ServerText`).
 *
 * Over 300 lines on purpose: the closed union is read as a whole, its eight classes with
 * their field docs in one file, as users match on them.
 *
 * @since 0.1.0
 */
import * as ErrorMessage from "@effect-bearer/kernel/ErrorMessage"
import * as Provider from "@effect-bearer/kernel/Provider"
import * as ServerText from "@effect-bearer/kernel/ServerText"
import { Duration, Redacted, Schema } from "effect"

/**
 * How much of a server-controlled text an error keeps, in characters; longer texts end in `…`.
 *
 * @since 0.1.0
 * @category server text
 */
export const maximumServerTextLength = ServerText.maximumLength

/**
 * Makes a text the server controls (`error_description`, `error`, `error_uri`, `token_type`,
 * an `issuer`…) safe to put in an error, a log line or a terminal: every credential in
 * `secrets` (as is, form-encoded or URL-encoded) is replaced by `<redacted>`, terminal escape
 * sequences, control, zero-width and bidirectional formatting characters are removed, line
 * breaks become spaces, and the result is cut to `maximumLength` characters (default
 * {@link maximumServerTextLength}), ending in `…` when cut. Applying it again without
 * secrets changes nothing. The rules are the kernel's `ServerText.sanitize`.
 *
 * @example
 * import { Redacted } from "effect"
 * import { TokenError } from "@effect-bearer/core"
 *
 * TokenError.sanitizeServerText("bad secret s3cr3t\r\n\u001b[31mretry", [Redacted.make("s3cr3t")])
 * // "bad secret <redacted> retry"
 *
 * @since 0.1.0
 * @category server text
 */
export const sanitizeServerText = (
  text: string,
  secrets: ReadonlyArray<Redacted.Redacted<string> | string> = [],
  maximumLength: number = maximumServerTextLength
): string =>
  ServerText.sanitize(
    text,
    secrets.map((secret) => typeof secret === "string" ? secret : Redacted.value(secret)),
    maximumLength
  )

/**
 * Fields shared by every error that came from (or was about) a token endpoint.
 * `error`, `errorDescription` and `errorUri` are the RFC 6749 §5.2 error response, as
 * {@link sanitizeServerText} leaves them: at most 200 characters, on one line, without
 * control characters, and without any credential of the request.
 */
const EndpointFields = {
  /** The token endpoint URL, without userinfo, query or fragment. */
  endpoint: Schema.String,
  /** The HTTP status of the response, when there was one. */
  status: Schema.optional(Schema.Number),
  /** RFC 6749 §5.2 `error` code, e.g. `invalid_client`. */
  error: Schema.optional(Schema.String),
  /** RFC 6749 §5.2 `error_description`. */
  errorDescription: Schema.optional(Schema.String),
  /** RFC 6749 §5.2 `error_uri`. */
  errorUri: Schema.optional(Schema.String),
  /** What this provider's documentation says about the failure, when it says something. */
  hint: Schema.optional(Schema.String)
}

/**
 * The authorization server rejected the client or the grant: HTTP 401, or 400 with
 * `invalid_client`, `invalid_grant` or `unauthorized_client` (RFC 6749 §5.2).
 * Retrying will not help; the credentials must change.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidCredentials extends Schema.TaggedError<InvalidCredentials>("effect-bearer/InvalidCredentials")(
  "InvalidCredentials",
  {
    ...EndpointFields,
    /** The grant that was refused: `client_credentials`, `password` or `refresh_token`. */
    grantType: Schema.String,
    /** The client id (or UP42 project id) that was used; identifiers are not secrets. */
    clientId: Schema.optional(Schema.String)
  }
) {
  override get message(): string {
    return ErrorMessage.invalidCredentials(this)
  }
}

/**
 * The request went to the wrong place: a 404 or 405 from the token endpoint, a redirect,
 * an endpoint that is not https (loopback aside), or a token about to be sent to an
 * origin it was not issued for.
 *
 * @since 0.1.0
 * @category errors
 */
export class WrongHost extends Schema.TaggedError<WrongHost>("effect-bearer/WrongHost")("WrongHost", {
  ...EndpointFields,
  reason: Schema.Literal("NotFound", "Redirect", "InsecureEndpoint", "InvalidUrl", "ForeignOrigin"),
  /** For a redirect, the origin it pointed to; for `ForeignOrigin`, the origin refused. */
  location: Schema.optional(Schema.String)
}) {
  override get message(): string {
    return ErrorMessage.wrongHost(this)
  }
}

/**
 * HTTP 415 from the token endpoint: the request was not sent as
 * `application/x-www-form-urlencoded`, or the server could not read the grant from it.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnsupportedMediaType extends Schema.TaggedError<UnsupportedMediaType>(
  "effect-bearer/UnsupportedMediaType"
)("UnsupportedMediaType", {
  ...EndpointFields,
  /** The Content-Type the request was sent with. */
  contentType: Schema.String
}) {
  override get message(): string {
    return ErrorMessage.unsupportedMediaType(this)
  }
}

/**
 * The token expired and could not be renewed, or a resource server still answered 401
 * with a freshly issued token.
 *
 * @since 0.1.0
 * @category errors
 */
export class Expired extends Schema.TaggedError<Expired>("effect-bearer/Expired")("Expired", {
  ...EndpointFields,
  reason: Schema.Literal("AccessToken", "RefreshToken", "RejectedByResource"),
  /** When the token expired (or would have), in epoch milliseconds. */
  expiredAt: Schema.optional(Schema.Number)
}) {
  override get message(): string {
    return ErrorMessage.expired(this)
  }
}

/**
 * The authorization server understood the request and refused it for a reason other
 * than the credentials: 400 `invalid_request`, `invalid_scope`, `unsupported_grant_type`,
 * 403, or another 4xx. The request needs changing; retrying will not help.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidRequest extends Schema.TaggedError<InvalidRequest>("effect-bearer/InvalidRequest")(
  "InvalidRequest",
  {
    ...EndpointFields,
    grantType: Schema.String
  }
) {
  override get message(): string {
    return ErrorMessage.invalidRequest(this)
  }
}

/**
 * The token endpoint could not answer now: a transport failure, a timeout, a 5xx,
 * 408 or 429. Retrying later may succeed; `retryAfter` is the server's `Retry-After`.
 *
 * @since 0.1.0
 * @category errors
 */
export class TemporarilyUnavailable extends Schema.TaggedError<TemporarilyUnavailable>(
  "effect-bearer/TemporarilyUnavailable"
)("TemporarilyUnavailable", {
  ...EndpointFields,
  reason: Schema.Literal("Transport", "Timeout", "ServerError", "RateLimited"),
  /** The server's `Retry-After`, when it sent one. */
  retryAfter: Schema.optional(Schema.DurationFromSelf)
}) {
  override get message(): string {
    return ErrorMessage.temporarilyUnavailable(
      this,
      this.retryAfter !== undefined ? Duration.format(this.retryAfter) : undefined
    )
  }
}

/**
 * A success response that is not a valid token response (RFC 6749 §5.1) or discovery
 * document: not JSON, an HTML page, no `access_token`, a token with characters a bearer
 * token cannot have, a `token_type` other than Bearer, an unusable `expires_in`, or a body
 * too large. With `endpoint` `static:<name>`, a static token given by the user that cannot
 * be sent (see `TokenSource.fromToken`).
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidTokenResponse extends Schema.TaggedError<InvalidTokenResponse>(
  "effect-bearer/InvalidTokenResponse"
)("InvalidTokenResponse", {
  ...EndpointFields,
  reason: Schema.Literal(
    "NotJson",
    "MissingAccessToken",
    "UnsupportedTokenType",
    "InvalidExpiresIn",
    "InvalidField",
    "TooLarge"
  ),
  /** What was wrong, without any value from the response. */
  detail: Schema.String
}) {
  override get message(): string {
    return ErrorMessage.invalidTokenResponse(this)
  }
}

/**
 * Configuration that cannot work, found when a layer is built rather than at the first
 * request: an empty client id or secret, a missing setting, an unusable option. It names
 * the setting and the values it may take, never the value it holds: that may be a secret
 * set in the wrong place.
 *
 * @since 0.1.0
 * @category errors
 */
export class InvalidConfiguration extends Schema.TaggedError<InvalidConfiguration>(
  "effect-bearer/InvalidConfiguration"
)("InvalidConfiguration", {
  /** The setting at fault, e.g. `clientSecret` or `HYDROSAT_CLIENT_ID`. */
  setting: Schema.String,
  /** What is wrong with it and how to fix it, without its value. */
  problem: Schema.String
}) {
  override get message(): string {
    return ErrorMessage.invalidConfiguration(this)
  }
}

/**
 * Any failure of a token request.
 *
 * @since 0.1.0
 * @category models
 */
export type TokenError =
  | InvalidCredentials
  | WrongHost
  | UnsupportedMediaType
  | Expired
  | InvalidRequest
  | TemporarilyUnavailable
  | InvalidTokenResponse

/**
 * The schema of the union, for decoding errors that crossed a process boundary.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TokenError: Schema.Union<
  [
    typeof InvalidCredentials,
    typeof WrongHost,
    typeof UnsupportedMediaType,
    typeof Expired,
    typeof InvalidRequest,
    typeof TemporarilyUnavailable,
    typeof InvalidTokenResponse
  ]
> = Schema.Union(
  InvalidCredentials,
  WrongHost,
  UnsupportedMediaType,
  Expired,
  InvalidRequest,
  TemporarilyUnavailable,
  InvalidTokenResponse
)

/**
 * The tags of the union, for exit codes, metrics and exhaustive tables.
 *
 * @since 0.1.0
 * @category models
 */
export const tags = Provider.errorTags satisfies ReadonlyArray<TokenError["_tag"]>

/** The kernel's tag list names every member of the union: a new member without a kernel tag fails to compile. */
type EveryTagListed = [Exclude<TokenError["_tag"], Provider.ErrorTag>] extends [never] ? true : never
const everyTagListed: EveryTagListed = true
void everyTagListed

/**
 * Whether a value is one of the token errors.
 *
 * @since 0.1.0
 * @category guards
 */
export const isTokenError: (u: unknown) => u is TokenError = Schema.is(TokenError)

/**
 * Whether retrying the same request later may succeed. Only `TemporarilyUnavailable` is:
 * the user errors (credentials, host, media type, expiry, request) never are.
 *
 * @example
 * import { Effect, Schedule } from "effect"
 * import { TokenError, TokenProvider } from "@effect-bearer/core"
 *
 * const token = TokenProvider.get.pipe(
 *   Effect.retry({ schedule: Schedule.exponential("1 second"), times: 3, while: TokenError.isRetryable })
 * )
 *
 * @since 0.1.0
 * @category guards
 */
export const isRetryable = (error: TokenError): error is TemporarilyUnavailable =>
  error._tag === "TemporarilyUnavailable"
