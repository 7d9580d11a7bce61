/**
 * The token endpoint's wire format (RFC 6749 §5.1 and §5.2): the rules are the kernel's
 * `TokenResponse`; this module gives them Effect 4's `Result`, `Option` and `Schema`.
 *
 * @since 4.0.0
 */
import * as Wire from "@effect-bearer/kernel/TokenResponse"
import { Option, Redacted, Result, Schema } from "effect"
import * as TokenError from "./TokenError.js"

/**
 * A successful token response (snake_case, as on the wire).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @since 4.0.0
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
 * An error response.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @since 4.0.0
 * @category schemas
 */
export const ErrorResponse = Schema.Struct({
  error: Schema.String,
  error_description: Schema.optional(Schema.String),
  error_uri: Schema.optional(Schema.String)
})

/**
 * @since 4.0.0
 * @category models
 */
export type ErrorResponse = typeof ErrorResponse.Type

/**
 * Why a body is not a token response (`InvalidTokenResponse.reason` and `detail`).
 *
 * @since 4.0.0
 * @category models
 */
export type Invalid = Wire.Invalid

/**
 * A token's syntax by the kernel's rule (visible ASCII for an access token, RFC 6749 A.17
 * for a refresh token); the failure never quotes the token. (Effect 4: `Result`, not `Either`.)
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 * @since 4.0.0
 * @category decoding
 */
export const validateTokenSyntax = (
  kind: "access_token" | "refresh_token",
  value: string,
  subject: string = kind
): Result.Result<string, Invalid> => {
  const invalid = Wire.checkTokenSyntax(kind, value, subject)
  return invalid === undefined ? Result.succeed(value) : Result.fail(invalid)
}

/**
 * Why a user's static token cannot be sent, as an `InvalidTokenResponse` at `static:<name>`.
 *
 * @since 4.0.0
 * @category decoding
 */
export const staticTokenError = (
  value: Redacted.Redacted<string>,
  name: string
): Option.Option<TokenError.InvalidTokenResponse> => {
  const invalid = Wire.checkTokenSyntax("access_token", Redacted.value(value), "the static token")
  return invalid === undefined
    ? Option.none()
    : Option.some(new TokenError.InvalidTokenResponse({ endpoint: `static:${name}`, ...invalid }))
}

/**
 * A decoded JSON body validated as a token response by the kernel's rules.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @since 4.0.0
 * @category decoding
 */
export const validate = (body: unknown): Result.Result<TokenResponse, Invalid> => {
  const result = Wire.validate(body)
  if (result._tag === "Failure") return Result.fail(result.invalid)
  const { response } = result
  return Result.succeed({
    access_token: response.access_token,
    token_type: "Bearer" as const,
    expires_in: Option.fromNullishOr(response.expires_in),
    refresh_token: Option.fromNullishOr(response.refresh_token),
    refresh_expires_in: Option.fromNullishOr(response.refresh_expires_in),
    scope: Option.fromNullishOr(response.scope)
  })
}

/**
 * The RFC 6749 §5.2 error body, when the body is one.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @since 4.0.0
 * @category decoding
 */
export const decodeErrorResponse = (body: unknown): Option.Option<ErrorResponse> =>
  Option.fromNullishOr(Wire.decodeErrorResponse(body))
