/**
 * The token endpoint's wire format: the successful response of RFC 6749 §5.1 and the
 * error response of §5.2, validated field by field so each failure has a name. The rules
 * are the kernel's `TokenResponse`; this module gives them `Either`, `Option` and `Schema`.
 *
 * @since 0.1.0
 */
import * as Wire from "@effect-bearer/kernel/TokenResponse"
import { Either, Option, Redacted, Schema } from "effect"
import * as TokenError from "./TokenError.js"

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
export type Invalid = Wire.Invalid

/**
 * Checks the syntax of a token without ever quoting it: an access token is visible ASCII
 * (`%x21-7E`, a relaxation of RFC 6750 §2.1's `b64token` that is exactly what an
 * `Authorization` header carries: no space, control or non-ASCII character), a refresh
 * token is RFC 6749 Appendix A.17's `%x20-7E`. A token outside its rule would make the
 * request that carries it fail later, with the token in the failure; it is refused on
 * arrival instead. `subject` names the token in the detail (default: the field name).
 *
 * @example
 * import { TokenResponse } from "@effect-bearer/core"
 *
 * TokenResponse.validateTokenSyntax("access_token", "ey.J.w\r\n")
 * // Either.left({ reason: "InvalidField", detail: "access_token has a line break at character 7 of 8; …" })
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc6749#appendix-A.17
 * @since 0.1.0
 * @category decoding
 */
export const validateTokenSyntax = (
  kind: "access_token" | "refresh_token",
  value: string,
  subject: string = kind
): Either.Either<string, Invalid> => {
  const invalid = Wire.checkTokenSyntax(kind, value, subject)
  return invalid === undefined ? Either.right(value) : Either.left(invalid)
}

/**
 * Why a token given by the user (`TokenSource.fromToken`, a console token) cannot be sent
 * as a bearer token, by the rule of {@link validateTokenSyntax}: an `InvalidTokenResponse`
 * whose `endpoint` is `static:<name>`, naming the kind of character but never the token.
 * `None` when the token can be sent.
 *
 * @since 0.1.0
 * @category decoding
 */
export const staticTokenError = (
  value: Redacted.Redacted<string>,
  name: string
): Option.Option<TokenError.InvalidTokenResponse> =>
  Either.match(validateTokenSyntax("access_token", Redacted.value(value), "the static token"), {
    onLeft: (invalid) => Option.some(new TokenError.InvalidTokenResponse({ endpoint: `static:${name}`, ...invalid })),
    onRight: () => Option.none()
  })

/**
 * Validates a decoded JSON body as a token response.
 *
 * `token_type` is compared case-insensitively and defaults to Bearer when absent (several
 * servers omit it); `expires_in` may be a number or a numeric string, must be positive,
 * and may be absent. `access_token` and `refresh_token` must have the syntax of
 * {@link validateTokenSyntax}. Details never quote `access_token` or `refresh_token`,
 * and the server text they quote (`token_type`) goes through `TokenError.sanitizeServerText`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @since 0.1.0
 * @category decoding
 */
export const validate = (body: unknown): Either.Either<TokenResponse, Invalid> => {
  const result = Wire.validate(body)
  if (result._tag === "Failure") return Either.left(result.invalid)
  const response = result.response
  return Either.right({
    access_token: response.access_token,
    token_type: "Bearer" as const,
    expires_in: Option.fromNullable(response.expires_in),
    refresh_token: Option.fromNullable(response.refresh_token),
    refresh_expires_in: Option.fromNullable(response.refresh_expires_in),
    scope: Option.fromNullable(response.scope)
  })
}

/**
 * Reads an RFC 6749 §5.2 error body when there is one.
 *
 * @since 0.1.0
 * @category decoding
 */
export const decodeErrorResponse = (body: unknown): Option.Option<ErrorResponse> =>
  Option.fromNullable(Wire.decodeErrorResponse(body))
