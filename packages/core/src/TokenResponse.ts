/**
 * The token endpoint's wire format: the successful response of RFC 6749 §5.1 and the
 * error response of §5.2, validated field by field so each failure has a name.
 *
 * @since 0.1.0
 */
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
export interface Invalid {
  readonly reason: "MissingAccessToken" | "UnsupportedTokenType" | "InvalidExpiresIn" | "InvalidField"
  /** What is wrong, never quoting a value that could be a secret. */
  readonly detail: string
}

/**
 * The characters a token may have, per kind.
 *
 * An access token is visible ASCII, `%x21-7E`. This relaxes RFC 6750 §2.1's `b64token`
 * (letters, digits, `-._~+/`, then `=` padding), which servers in the wild do not all keep
 * to (opaque tokens with `:`, `%` or `!`), to exactly what an `Authorization: Bearer <token>`
 * header carries unchanged: no space (it would end the credentials), no control character
 * (CR and LF would end the header, NUL and DEL are refused by HTTP clients), no non-ASCII
 * character (not a header byte). RFC 6749 Appendix A.12 allows spaces in `access_token`; a
 * bearer token cannot have them.
 *
 * A refresh token is RFC 6749 Appendix A.17's `1*VSCHAR`, `%x20-7E`: it travels in a form
 * body, where a space is harmless, so the RFC's rule is kept as it is.
 */
const tokenSyntax = {
  access_token: {
    character: /^[\x21-\x7e]$/,
    allowed: "a bearer token is visible ASCII without spaces (RFC 6750 §2.1)"
  },
  refresh_token: {
    character: /^[\x20-\x7e]$/,
    allowed: "a refresh token is printable ASCII (RFC 6749 Appendix A.17)"
  }
} as const

/** What the character is, in words, never the character itself. */
const kindOf = (character: string): string => {
  const code = character.codePointAt(0) ?? 0
  return character === "\r" || character === "\n"
    ? "a line break"
    : character === " "
    ? "a space"
    : code < 0x20 || code === 0x7f
    ? "a control character"
    : "a non-ASCII character"
}

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
  const { allowed, character } = tokenSyntax[kind]
  const characters = Array.from(value)
  if (characters.length === 0) {
    return Either.left({ reason: kind === "access_token" ? "MissingAccessToken" : "InvalidField", detail: `${subject} is empty` })
  }
  const index = characters.findIndex((c) => !character.test(c))
  if (index === -1) return Either.right(value)
  return Either.left({
    reason: "InvalidField",
    detail: `${subject} has ${kindOf(characters[index]!)} at character ${index + 1} of ${characters.length}; ${allowed}`
  })
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

/** A lifetime in seconds: a number or a numeric string (RFC 6749 §5.1 allows neither to be ambiguous). */
const Seconds = Schema.Union(Schema.Number, Schema.NumberFromString).pipe(Schema.finite())
const decodeSeconds = Schema.decodeUnknownOption(Seconds)

const stringsOf = (u: unknown): ReadonlyArray<string> => typeof u === "string" ? [u] : []

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
 * and may be absent. `access_token` and `refresh_token` must have the syntax of
 * {@link validateTokenSyntax}. Details never quote `access_token` or `refresh_token`,
 * and the server text they quote (`token_type`) goes through `TokenError.sanitizeServerText`.
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
    yield* validateTokenSyntax("access_token", accessToken)
    const tokenType = body.token_type
    if (tokenType !== undefined && (typeof tokenType !== "string" || tokenType.toLowerCase() !== "bearer")) {
      // The server's text, without the tokens of this very response should it repeat them.
      const shown = typeof tokenType === "string"
        ? `"${TokenError.sanitizeServerText(tokenType, [accessToken, ...stringsOf(body.refresh_token)], 40)}"`
        : typeof tokenType
      return yield* Either.left<Invalid>({ reason: "UnsupportedTokenType", detail: `token_type ${shown} is not Bearer` })
    }
    const expiresIn = yield* lifetimeField(body, "expires_in", false)
    const refreshExpiresIn = yield* lifetimeField(body, "refresh_expires_in", true)
    const refreshToken = Option.filter(yield* optionalString(body, "refresh_token"), (s) => s.trim() !== "")
    if (Option.isSome(refreshToken)) yield* validateTokenSyntax("refresh_token", refreshToken.value)
    const scope = Array.isArray(body.scope) && body.scope.every((s) => typeof s === "string")
      ? Option.some(body.scope.join(" "))
      : yield* optionalString(body, "scope")
    return {
      access_token: accessToken,
      token_type: "Bearer" as const,
      expires_in: expiresIn,
      refresh_token: refreshToken,
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
