/**
 * The token endpoint's wire format: the successful response of RFC 6749 §5.1 and the
 * error response of §5.2, validated field by field so each failure has a name.
 *
 * @since 0.1.0
 */
import { Either, Option, Schema } from "effect"

/**
 * A successful token response as it travels (snake_case, as in RFC 6749 §5.1).
 * `refresh_expires_in` is Keycloak's (UP42 account) lifetime of the refresh token.
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenResponse {
  readonly access_token: string
  readonly token_type: "Bearer"
  readonly expires_in: Option.Option<number>
  readonly refresh_token: Option.Option<string>
  readonly refresh_expires_in: Option.Option<number>
  readonly scope: Option.Option<string>
}

/**
 * An error response (RFC 6749 §5.2).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ErrorResponse = Schema.Struct({
  error: Schema.String,
  error_description: Schema.optional(Schema.String),
  error_uri: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type ErrorResponse = typeof ErrorResponse.Type

/**
 * Why a body is not a token response; the names match `InvalidTokenResponse.reason`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Invalid {
  readonly reason: "MissingAccessToken" | "UnsupportedTokenType" | "InvalidExpiresIn" | "InvalidField"
  /** What is wrong, never quoting a value that could be a secret. */
  readonly detail: string
}

/** A lifetime in seconds: a number or a numeric string (RFC 6749 §5.1 allows neither to be ambiguous). */
const Seconds = Schema.Union(Schema.Number, Schema.NumberFromString).pipe(Schema.finite())
const decodeSeconds = Schema.decodeUnknownOption(Seconds)

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null && !Array.isArray(u)

const optionalString = (body: Record<string, unknown>, field: string): Either.Either<Option.Option<string>, Invalid> => {
  const value = body[field]
  if (value === undefined || value === null) return Either.right(Option.none())
  if (typeof value === "string") return Either.right(Option.some(value))
  return Either.left({ reason: "InvalidField", detail: `${field} is not a string` })
}

/**
 * Validates a decoded JSON body as a token response.
 *
 * `token_type` is compared case-insensitively and defaults to Bearer when absent (several
 * servers omit it); `expires_in` may be a number or a numeric string, must be positive,
 * and may be absent. Details never quote `access_token` or `refresh_token`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @since 0.1.0
 * @category decoding
 */
export const validate = (body: unknown): Either.Either<TokenResponse, Invalid> =>
  Either.gen(function*() {
    if (!isObject(body)) {
      return yield* Either.left<Invalid>({ reason: "InvalidField", detail: "the body is not a JSON object" })
    }
    const accessToken = body.access_token
    if (accessToken === undefined || accessToken === null) {
      return yield* Either.left<Invalid>({ reason: "MissingAccessToken", detail: "there is no access_token" })
    }
    if (typeof accessToken !== "string") {
      return yield* Either.left<Invalid>({ reason: "InvalidField", detail: "access_token is not a string" })
    }
    if (accessToken.trim() === "") {
      return yield* Either.left<Invalid>({ reason: "MissingAccessToken", detail: "access_token is empty" })
    }
    const tokenType = body.token_type
    if (tokenType !== undefined && (typeof tokenType !== "string" || tokenType.toLowerCase() !== "bearer")) {
      const shown = typeof tokenType === "string" ? `"${tokenType.slice(0, 40)}"` : typeof tokenType
      return yield* Either.left<Invalid>({ reason: "UnsupportedTokenType", detail: `token_type ${shown} is not Bearer` })
    }
    const expiresIn = yield* lifetimeField(body, "expires_in", false)
    const refreshExpiresIn = yield* lifetimeField(body, "refresh_expires_in", true)
    const refreshToken = yield* optionalString(body, "refresh_token")
    const scope = Array.isArray(body.scope) && body.scope.every((s) => typeof s === "string")
      ? Option.some(body.scope.join(" "))
      : yield* optionalString(body, "scope")
    return {
      access_token: accessToken,
      token_type: "Bearer" as const,
      expires_in: expiresIn,
      refresh_token: Option.filter(refreshToken, (s) => s.trim() !== ""),
      refresh_expires_in: refreshExpiresIn,
      scope
    }
  })

/**
 * A lifetime field in seconds. Keycloak sends `refresh_expires_in: 0` for refresh tokens
 * that do not expire, so for that field zero means "no lifetime given".
 */
const lifetimeField = (
  body: Record<string, unknown>,
  field: string,
  zeroMeansNone: boolean
): Either.Either<Option.Option<number>, Invalid> => {
  const raw = body[field]
  if (raw === undefined || raw === null) return Either.right(Option.none())
  const seconds = decodeSeconds(raw)
  if (Option.isNone(seconds) || seconds.value < 0) {
    return Either.left({ reason: "InvalidExpiresIn", detail: `${field} is not a non-negative number of seconds` })
  }
  if (seconds.value === 0) {
    return zeroMeansNone
      ? Either.right(Option.none())
      : Either.left({ reason: "InvalidExpiresIn", detail: `${field} is 0: the token would be expired on arrival` })
  }
  return Either.right(seconds)
}

/**
 * Reads an RFC 6749 §5.2 error body when there is one.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeErrorResponse: (body: unknown) => Option.Option<ErrorResponse> = Schema.decodeUnknownOption(
  ErrorResponse
)
