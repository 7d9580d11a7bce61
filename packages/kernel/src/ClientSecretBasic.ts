/**
 * The `client_secret_basic` client authentication header, built as RFC 6749 requires:
 * the id and secret are form-encoded before Base64 (which generic Basic helpers skip).
 *
 * @since 0.1.0
 */
import * as Base64 from "./Base64.js"

/**
 * `application/x-www-form-urlencoded` encoding of one value: spaces become `+`,
 * reserved and non-ASCII characters `%XX`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#appendix-B
 * @since 0.1.0
 */
export const formEncode = (value: string): string => new URLSearchParams([["", value]]).toString().slice(1)

/**
 * The `Authorization` header value: `Basic base64(urlencode(id) ":" urlencode(secret))`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @since 0.1.0
 */
export const authorization = (clientId: string, clientSecret: string): string =>
  `Basic ${Base64.encode(`${formEncode(clientId)}:${formEncode(clientSecret)}`)}`
