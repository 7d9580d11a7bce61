/**
 * The closed union of token errors, as `Schema.TaggedError` classes of Effect 4: the same tags,
 * fields and messages as the Effect 3 line (the messages and the server-text rules are the
 * kernel's `ErrorMessage` and `ServerText`), so a program matches on them alike in both lines.
 * No field ever holds a client secret, a password or a token.
 *
 * Over 300 lines on purpose: the union is read as a whole, its classes with their field docs.
 *
 * @since 4.0.0
 */
import * as ErrorMessage from "@effect-bearer/kernel/ErrorMessage"
import * as Provider from "@effect-bearer/kernel/Provider"
import * as ServerText from "@effect-bearer/kernel/ServerText"
import { Duration, Redacted, Schema } from "effect"

/**
 * How many characters of a server-controlled text an error keeps (longer ones end in `…`).
 *
 * @since 4.0.0
 * @category server text
 */
export const maximumServerTextLength = ServerText.maximumLength

/**
 * The kernel's `ServerText.sanitize` with `Redacted` secrets: credentials become `<redacted>`,
 * control and formatting characters go, the text is capped at `maximumLength`.
 *
 * @since 4.0.0
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

/** The endpoint, status and RFC 6749 §5.2 fields every error from an authorization server carries. */
const EndpointFields = {
  /** The token endpoint URL, without userinfo, query or fragment. */
  endpoint: Schema.String,
  /** The HTTP status of the response, when there was one. */
  status: Schema.optional(Schema.Number),
  /** RFC 6749 §5.2 `error`. */
  error: Schema.optional(Schema.String),
  /** RFC 6749 §5.2 `error_description`. */
  errorDescription: Schema.optional(Schema.String),
  /** RFC 6749 §5.2 `error_uri`. */
  errorUri: Schema.optional(Schema.String),
  /** The provider's documented advice for this failure. */
  hint: Schema.optional(Schema.String)
}

/**
 * The server refused the client or the grant (401; 400 `invalid_client`, `invalid_grant`,
 * `unauthorized_client`): the credentials must change.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @since 4.0.0
 * @category errors
 */
export class InvalidCredentials extends Schema.TaggedError<InvalidCredentials>("effect-bearer/InvalidCredentials")(
  "InvalidCredentials",
  {
    ...EndpointFields,
    /** The grant refused: `client_credentials`, `password` or `refresh_token`. */
    grantType: Schema.String,
    /** The client id used; identifiers are not secrets. */
    clientId: Schema.optional(Schema.String)
  }
) {
  override get message(): string {
    return ErrorMessage.invalidCredentials(this)
  }
}

/**
 * The request went, or would go, to the wrong place: 404/405, a redirect, plain http off
 * loopback, an invalid URL, a token about to leave for a foreign origin.
 *
 * @since 4.0.0
 * @category errors
 */
export class WrongHost extends Schema.TaggedError<WrongHost>("effect-bearer/WrongHost")("WrongHost", {
  ...EndpointFields,
  reason: Schema.Literals(["NotFound", "Redirect", "InsecureEndpoint", "InvalidUrl", "ForeignOrigin"]),
  /** A redirect's target origin, or the foreign origin refused. */
  location: Schema.optional(Schema.String)
}) {
  override get message(): string {
    return ErrorMessage.wrongHost(this)
  }
}

/**
 * HTTP 415 from the token endpoint.
 *
 * @since 4.0.0
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
 * The token expired and could not be renewed, or an API refused a fresh one.
 *
 * @since 4.0.0
 * @category errors
 */
export class Expired extends Schema.TaggedError<Expired>("effect-bearer/Expired")("Expired", {
  ...EndpointFields,
  reason: Schema.Literals(["AccessToken", "RefreshToken", "RejectedByResource"]),
  /** When the token expired (or would have), epoch milliseconds. */
  expiredAt: Schema.optional(Schema.Number)
}) {
  override get message(): string {
    return ErrorMessage.expired(this)
  }
}

/**
 * The server refused the request for a reason other than the credentials (`invalid_request`,
 * `invalid_scope`, `unsupported_grant_type`, 403, another 4xx): the request must change.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @since 4.0.0
 * @category errors
 */
export class InvalidRequest extends Schema.TaggedError<InvalidRequest>("effect-bearer/InvalidRequest")(
  "InvalidRequest",
  { ...EndpointFields, grantType: Schema.String }
) {
  override get message(): string {
    return ErrorMessage.invalidRequest(this)
  }
}

/**
 * The endpoint could not answer now (transport, timeout, 5xx, 408, 429): a later attempt may
 * succeed; `retryAfter` is the server's `Retry-After`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3
 * @since 4.0.0
 * @category errors
 */
export class TemporarilyUnavailable extends Schema.TaggedError<TemporarilyUnavailable>(
  "effect-bearer/TemporarilyUnavailable"
)("TemporarilyUnavailable", {
  ...EndpointFields,
  reason: Schema.Literals(["Transport", "Timeout", "ServerError", "RateLimited"]),
  /** The server's `Retry-After`, when it sent one. */
  retryAfter: Schema.optional(Schema.Duration)
}) {
  override get message(): string {
    return ErrorMessage.temporarilyUnavailable(
      this,
      this.retryAfter !== undefined ? Duration.format(this.retryAfter) : undefined
    )
  }
}

/**
 * A success that is no valid token response or discovery document, or (endpoint
 * `static:<name>`) a static token no `Authorization` header can carry.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @since 4.0.0
 * @category errors
 */
export class InvalidTokenResponse extends Schema.TaggedError<InvalidTokenResponse>(
  "effect-bearer/InvalidTokenResponse"
)("InvalidTokenResponse", {
  ...EndpointFields,
  reason: Schema.Literals(["NotJson", "MissingAccessToken", "UnsupportedTokenType", "InvalidExpiresIn", "InvalidField", "TooLarge"]),
  /** What was wrong, quoting no value of the response. */
  detail: Schema.String
}) {
  override get message(): string {
    return ErrorMessage.invalidTokenResponse(this)
  }
}

/**
 * Configuration that cannot work, found when a layer is built; names the setting, never its value.
 *
 * @since 4.0.0
 * @category errors
 */
export class InvalidConfiguration extends Schema.TaggedError<InvalidConfiguration>(
  "effect-bearer/InvalidConfiguration"
)("InvalidConfiguration", {
  /** The setting at fault, e.g. `clientSecret` or `HYDROSAT_CLIENT_ID`. */
  setting: Schema.String,
  /** What is wrong and how to fix it, without the value. */
  problem: Schema.String
}) {
  override get message(): string {
    return ErrorMessage.invalidConfiguration(this)
  }
}

/**
 * Any failure of a token request.
 *
 * @since 4.0.0
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
 * The schema of the union (Effect 4's `Schema.Union` takes an array).
 *
 * @since 4.0.0
 * @category schemas
 */
export const TokenError = Schema.Union([
  InvalidCredentials,
  WrongHost,
  UnsupportedMediaType,
  Expired,
  InvalidRequest,
  TemporarilyUnavailable,
  InvalidTokenResponse
])

/**
 * The tags of the union, the kernel's list.
 *
 * @since 4.0.0
 * @category models
 */
export const tags = Provider.errorTags satisfies ReadonlyArray<TokenError["_tag"]>

/** A union member without a kernel tag fails to compile. */
type EveryTagListed = [Exclude<TokenError["_tag"], Provider.ErrorTag>] extends [never] ? true : never
const everyTagListed: EveryTagListed = true
void everyTagListed

/**
 * Whether a value is one of the token errors.
 *
 * @since 4.0.0
 * @category guards
 */
export const isTokenError: (u: unknown) => u is TokenError = Schema.is(TokenError)

/**
 * Whether a later attempt of the same request may succeed: only `TemporarilyUnavailable`.
 *
 * @since 4.0.0
 * @category guards
 */
export const isRetryable = (error: TokenError): error is TemporarilyUnavailable =>
  error._tag === "TemporarilyUnavailable"
