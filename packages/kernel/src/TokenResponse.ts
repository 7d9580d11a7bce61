/**
 * The wire rules of the token endpoint's answers: the successful response of RFC 6749
 * §5.1 (token syntax, `token_type`, lifetimes), the error response of §5.2, and telling
 * JSON from an HTML page. Plain functions over parsed JSON; the Effect side wraps them.
 *
 * @since 0.1.0
 */
import { isRecord, parse } from "./Json.js"
import * as ServerText from "./ServerText.js"

/**
 * Why a body is not a token response; the names match `InvalidTokenResponse.reason`.
 *
 * @since 0.1.0
 */
export interface Invalid {
  readonly reason: "MissingAccessToken" | "UnsupportedTokenType" | "InvalidExpiresIn" | "InvalidField"
  /** What is wrong, never quoting a value that could be a secret. */
  readonly detail: string
}

/**
 * A valid token response: `token_type` was Bearer (or absent), lifetimes are positive
 * seconds, absent fields are `undefined`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @since 0.1.0
 */
export interface Fields {
  readonly access_token: string
  readonly expires_in: number | undefined
  readonly refresh_token: string | undefined
  /** Keycloak's (UP42 account) lifetime of the refresh token. */
  readonly refresh_expires_in: number | undefined
  readonly scope: string | undefined
}

/**
 * The outcome of {@link validate}.
 *
 * @since 0.1.0
 */
export type Result =
  | { readonly _tag: "Success"; readonly response: Fields }
  | { readonly _tag: "Failure"; readonly invalid: Invalid }

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
 * What is wrong with a token's syntax, without ever quoting it, or `undefined` when it is
 * fine: an access token is visible ASCII (`%x21-7E`, what an `Authorization` header carries
 * unchanged), a refresh token `%x20-7E`. `subject` names the token in the detail.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 * @see https://www.rfc-editor.org/rfc/rfc6749#appendix-A.17
 * @since 0.1.0
 */
export const checkTokenSyntax = (
  kind: "access_token" | "refresh_token",
  value: string,
  subject: string = kind
): Invalid | undefined => {
  const { allowed, character } = tokenSyntax[kind]
  const characters = Array.from(value)
  if (characters.length === 0) {
    return { reason: kind === "access_token" ? "MissingAccessToken" : "InvalidField", detail: `${subject} is empty` }
  }
  const index = characters.findIndex((c) => !character.test(c))
  if (index === -1) return undefined
  return {
    reason: "InvalidField",
    detail: `${subject} has ${kindOf(characters[index]!)} at character ${index + 1} of ${characters.length}; ${allowed}`
  }
}

class Refused {
  constructor(readonly invalid: Invalid) {}
}

const refuse = (reason: Invalid["reason"], detail: string): never => {
  throw new Refused({ reason, detail })
}

/** A number of seconds: a finite number, or a string holding one (as `effect`'s `Number.parse` reads it). */
const seconds = (raw: unknown): number | undefined => {
  const value = typeof raw === "string" ? (raw.trim() === "" ? Number.NaN : Number(raw)) : raw
  return typeof value === "number" && Number.isFinite(value) ? value : undefined
}

/**
 * A lifetime field in seconds. Keycloak sends `refresh_expires_in: 0` for refresh tokens
 * that do not expire, so for that field zero means "no lifetime given".
 */
const lifetimeField = (body: Record<string, unknown>, field: string, zeroMeansNone: boolean): number | undefined => {
  const raw = body[field]
  if (raw === undefined || raw === null) return undefined
  const value = seconds(raw)
  if (value === undefined || value < 0) {
    return refuse("InvalidExpiresIn", `${field} is not a non-negative number of seconds`)
  }
  if (value === 0) {
    return zeroMeansNone ? undefined : refuse("InvalidExpiresIn", `${field} is 0: the token would be expired on arrival`)
  }
  return value
}

const optionalString = (body: Record<string, unknown>, field: string): string | undefined => {
  const value = body[field]
  if (value === undefined || value === null) return undefined
  return typeof value === "string" ? value : refuse("InvalidField", `${field} is not a string`)
}

const checked = (invalid: Invalid | undefined): void => {
  if (invalid !== undefined) throw new Refused(invalid)
}

const validateFields = (body: unknown): Fields => {
  if (!isRecord(body)) return refuse("InvalidField", "the body is not a JSON object")
  const accessToken = body.access_token
  if (accessToken === undefined || accessToken === null) return refuse("MissingAccessToken", "there is no access_token")
  if (typeof accessToken !== "string") return refuse("InvalidField", "access_token is not a string")
  if (accessToken.trim() === "") return refuse("MissingAccessToken", "access_token is empty")
  checked(checkTokenSyntax("access_token", accessToken))
  const tokenType = body.token_type
  if (tokenType !== undefined && (typeof tokenType !== "string" || tokenType.toLowerCase() !== "bearer")) {
    // The server's text, without the tokens of this very response should it repeat them.
    const refreshToken = typeof body.refresh_token === "string" ? [body.refresh_token] : []
    const shown = typeof tokenType === "string"
      ? `"${ServerText.sanitize(tokenType, [accessToken, ...refreshToken], 40)}"`
      : typeof tokenType
    return refuse("UnsupportedTokenType", `token_type ${shown} is not Bearer`)
  }
  const expiresIn = lifetimeField(body, "expires_in", false)
  const refreshExpiresIn = lifetimeField(body, "refresh_expires_in", true)
  const given = optionalString(body, "refresh_token")
  const refreshToken = given !== undefined && given.trim() !== "" ? given : undefined
  if (refreshToken !== undefined) checked(checkTokenSyntax("refresh_token", refreshToken))
  const scope = Array.isArray(body.scope) && body.scope.every((s) => typeof s === "string")
    ? body.scope.join(" ")
    : optionalString(body, "scope")
  return {
    access_token: accessToken,
    expires_in: expiresIn,
    refresh_token: refreshToken,
    refresh_expires_in: refreshExpiresIn,
    scope
  }
}

/**
 * Validates a parsed JSON body as a token response, field by field: `access_token` a
 * non-blank string of {@link checkTokenSyntax}'s syntax; `token_type` Bearer in any case, or
 * absent (several servers omit it); `expires_in` a positive number or numeric string, or
 * absent; `refresh_expires_in` the same, 0 meaning none; `refresh_token` and `scope` strings
 * (`scope` also a list of strings). Details never quote a token; the `token_type` they
 * quote is sanitised.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @since 0.1.0
 */
export const validate = (body: unknown): Result => {
  try {
    return { _tag: "Success", response: validateFields(body) }
  } catch (error) {
    if (error instanceof Refused) return { _tag: "Failure", invalid: error.invalid }
    throw error
  }
}

/**
 * An error response (RFC 6749 §5.2), as it travels.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @since 0.1.0
 */
export interface ErrorResponse {
  readonly error: string
  readonly error_description?: string | undefined
  readonly error_uri?: string | undefined
}

/**
 * The RFC 6749 §5.2 error response a body holds (`error` a string, `error_description`
 * and `error_uri` strings when present; other fields dropped), or `undefined`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @since 0.1.0
 */
export const decodeErrorResponse = (body: unknown): ErrorResponse | undefined => {
  if (!isRecord(body) || typeof body.error !== "string") return undefined
  const description = body.error_description
  const uri = body.error_uri
  if (!(description === undefined || typeof description === "string")) return undefined
  if (!(uri === undefined || typeof uri === "string")) return undefined
  return {
    error: body.error,
    ...("error_description" in body ? { error_description: description } : {}),
    ...("error_uri" in body ? { error_uri: uri } : {})
  }
}

/**
 * Whether a body carries an `access_token` (some servers answer 200 with a §5.2 error
 * body: without a token, the error is believed).
 *
 * @since 0.1.0
 */
export const hasAccessToken = (body: unknown): boolean => isRecord(body) && body.access_token !== undefined

/**
 * A response body as read: JSON, not JSON, or over the size limit (`text` undefined).
 *
 * @since 0.1.0
 */
export type Body =
  | { readonly _tag: "Json"; readonly value: unknown }
  | { readonly _tag: "NotJson" }
  | { readonly _tag: "TooLarge" }

/**
 * Parses a body read up to the size limit (`undefined` when it was over).
 *
 * @see https://www.rfc-editor.org/rfc/rfc8259
 * @since 0.1.0
 */
export const parseBody = (text: string | undefined): Body => {
  if (text === undefined) return { _tag: "TooLarge" }
  const value = parse(text)
  return value === undefined ? { _tag: "NotJson" } : { _tag: "Json", value }
}

/**
 * Whether a body that is not JSON is an HTML page (an error page, a login page, a proxy's
 * answer): by its `Content-Type`, or by its first character.
 *
 * @since 0.1.0
 */
export const looksLikeHtml = (text: string | undefined, contentType: string | undefined): boolean =>
  (contentType ?? "").includes("html") || (text !== undefined && text.trimStart().startsWith("<"))
