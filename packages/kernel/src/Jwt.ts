/**
 * Reading a JWT access token (RFC 7519) without verifying it: a client needs only `exp`
 * and `iat` to know when to fetch the next token; verifying the signature is the
 * resource server's job. The one place that decodes a compact JWS in this project.
 *
 * @since 0.1.0
 */
import * as Base64 from "./Base64.js"
import * as Json from "./Json.js"

/**
 * The claims of a JWT: `exp` and `iat` are NumericDate seconds, kept only when they are
 * finite numbers.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-4.1
 * @since 0.1.0
 */
export interface Claims {
  readonly exp?: number | undefined
  readonly iat?: number | undefined
  readonly [claim: string]: unknown
}

/**
 * The decoded header and claims of a compact JWS; the signature is neither checked nor kept.
 *
 * @since 0.1.0
 */
export interface Decoded {
  readonly header: Readonly<Record<string, unknown>>
  readonly claims: Claims
}

const jsonPart = (part: string | undefined): Record<string, unknown> | undefined => {
  if (part === undefined || part === "") return undefined
  const text = Base64.decodeUrlToText(part)
  if (text === undefined) return undefined
  const value = Json.parse(text)
  return Json.isRecord(value) ? value : undefined
}

const numericDate = (value: unknown): number | undefined =>
  typeof value === "number" && Number.isFinite(value) ? value : undefined

/**
 * The claims of a compact JWS (`header.payload.signature`), or `undefined` when the
 * value is not a JWT (opaque tokens such as Bitquery's `ory_at_…`).
 *
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-7.1
 * @since 0.1.0
 */
export const decodeClaims = (token: string): Claims | undefined => {
  const parts = token.split(".")
  if (parts.length !== 3) return undefined
  const claims = jsonPart(parts[1])
  if (claims === undefined) return undefined
  return { ...claims, exp: numericDate(claims.exp), iat: numericDate(claims.iat) }
}

/**
 * The header and claims of a compact JWS, or `undefined` when either part is not a JSON object.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7515#section-7.1
 * @since 0.1.0
 */
export const decode = (token: string): Decoded | undefined => {
  const claims = decodeClaims(token)
  if (claims === undefined) return undefined
  const header = jsonPart(token.split(".")[0])
  return header === undefined ? undefined : { header, claims }
}

/**
 * The lifetime, in milliseconds, a JWT was issued with: `exp - iat` when `iat` is there
 * (independent of the local clock), else `exp - now`; `undefined` without `exp` or once expired.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7519#section-4.1.4
 * @since 0.1.0
 */
export const lifetimeMillis = (claims: Claims, now: number): number | undefined => {
  if (claims.exp === undefined) return undefined
  const millis = claims.iat !== undefined && claims.exp > claims.iat
    ? (claims.exp - claims.iat) * 1000
    : claims.exp * 1000 - now
  return millis > 0 ? millis : undefined
}
