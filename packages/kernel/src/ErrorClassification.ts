/**
 * Which error an authorization server's failed answer is: its HTTP status and RFC 6749
 * §5.2 `error` code mapped to a tag of the library's error union (`TokenError`) and its
 * reason. The Effect side builds the error from it; this module only decides.
 *
 * @since 0.1.0
 */

/**
 * The error a failed answer maps to: a tag of the `TokenError` union and its reason.
 *
 * @since 0.1.0
 */
export type Classification =
  | { readonly tag: "InvalidCredentials" }
  | { readonly tag: "WrongHost"; readonly reason: "NotFound" | "Redirect" }
  | { readonly tag: "UnsupportedMediaType" }
  | { readonly tag: "InvalidRequest" }
  | { readonly tag: "TemporarilyUnavailable"; readonly reason: "ServerError" | "RateLimited" }
  | { readonly tag: "InvalidTokenResponse"; readonly reason: "InvalidField"; readonly detail: string }

/**
 * RFC 6749 §5.2 codes that say the client or the grant was refused (RFC 6749 §4.1.2.1's
 * `access_denied` too): the credentials must change.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @since 0.1.0
 */
export const credentialErrors: ReadonlyArray<string> = ["invalid_client", "invalid_grant", "unauthorized_client", "access_denied"]

/**
 * RFC 6749 §4.1.2.1 codes that say the server cannot answer now: retrying later may work.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1
 * @since 0.1.0
 */
export const unavailableErrors: ReadonlyArray<string> = ["temporarily_unavailable", "server_error"]

const unavailable = (status: number): Classification => ({
  tag: "TemporarilyUnavailable",
  reason: status === 429 ? "RateLimited" : "ServerError"
})

const isSuccess = (status: number) => status >= 200 && status < 300

/** A 3xx, or the status 0 of fetch's opaque answer to a redirect it was told not to follow. */
const isRedirect = (status: number) => (status >= 300 && status < 400) || status === 0

/** 429 Too Many Requests, 408 Request Timeout and every 5xx: the server cannot answer now. */
const isTransient = (status: number) => status === 429 || status === 408 || status >= 500

/**
 * The error for a token or revocation endpoint's answer that is not a success. The §5.2
 * `error` code, when the body had one, refines the status: it says whose fault it is (a
 * 2xx carrying an error code is a refusal, whatever its status says). Otherwise the status
 * alone decides: 401 refused credentials; 404, 405, 410 the wrong place; 415 the body's
 * media type; a 3xx (or fetch's opaque redirect, status 0) a redirect never followed; 408,
 * 429, 5xx temporarily unavailable; another 4xx a refused request; anything else is not a
 * token response.
 *
 * @example
 * import { ErrorClassification } from "@effect-bearer/kernel"
 *
 * ErrorClassification.tokenEndpoint(400, "invalid_grant") // { tag: "InvalidCredentials" }
 * ErrorClassification.tokenEndpoint(503) // { tag: "TemporarilyUnavailable", reason: "ServerError" }
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @since 0.1.0
 */
export const tokenEndpoint = (status: number, error?: string | undefined): Classification => {
  if (error !== undefined) {
    if (credentialErrors.includes(error)) return { tag: "InvalidCredentials" }
    if (unavailableErrors.includes(error)) return unavailable(status)
    if (isSuccess(status)) return { tag: "InvalidRequest" }
  }
  if (status === 401) return { tag: "InvalidCredentials" }
  if (status === 404 || status === 405 || status === 410) return { tag: "WrongHost", reason: "NotFound" }
  if (status === 415) return { tag: "UnsupportedMediaType" }
  if (isRedirect(status)) return { tag: "WrongHost", reason: "Redirect" }
  if (isTransient(status)) return unavailable(status)
  if (status >= 400) return { tag: "InvalidRequest" }
  return { tag: "InvalidTokenResponse", reason: "InvalidField", detail: `HTTP ${status} is not a token response` }
}

/**
 * The error for a metadata document's answer (OpenID discovery, RFC 8414), or `undefined`
 * for a success: 408, 429, 5xx temporarily unavailable; a 3xx (or status 0) a redirect never followed;
 * any other status means there is no document there.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.2
 * @since 0.1.0
 */
export const metadataDocument = (status: number): Classification | undefined => {
  if (isTransient(status)) return unavailable(status)
  if (isRedirect(status)) return { tag: "WrongHost", reason: "Redirect" }
  if (!isSuccess(status)) return { tag: "WrongHost", reason: "NotFound" }
  return undefined
}
