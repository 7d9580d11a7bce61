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

/**
 * The `Authorization` header value as `curl -u "id:secret"` sends it:
 * `Basic base64(id ":" secret)`, without the form-encoding. For servers that take the
 * credentials as they are (UP42 projects, whose documented client is curl): the same
 * header as {@link authorization} unless the id or secret holds a reserved character.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7617#section-2
 * @since 0.1.0
 */
export const authorizationAsIs = (clientId: string, clientSecret: string): string =>
  `Basic ${Base64.encode(`${clientId}:${clientSecret}`)}`

/**
 * Decodes one `application/x-www-form-urlencoded` value: `+` is a space, `%XX` a UTF-8
 * byte. `undefined` when an escape is malformed.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#appendix-B
 * @since 0.1.0
 */
export const formDecode = (value: string): string | undefined => {
  try {
    return decodeURIComponent(value.replace(/\+/g, " "))
  } catch {
    return undefined
  }
}

/** Padded Base64 (RFC 4648 §4), as the `Basic` scheme carries it. */
const paddedBase64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/

/** The id and secret of a Basic header, each passed through `decode`. */
const credentialsOf = (
  header: string | undefined,
  decode: (value: string) => string | undefined
): { readonly clientId: string; readonly clientSecret: string } | undefined => {
  const encoded = header === undefined ? undefined : /^Basic\s+(\S+)\s*$/i.exec(header)?.[1]
  if (encoded === undefined || !paddedBase64.test(encoded)) return undefined
  // Base64 and base64url differ only in these two characters.
  const decoded = Base64.decodeUrlToText(encoded.replace(/\+/g, "-").replace(/\//g, "_"))
  const colon = decoded === undefined ? -1 : decoded.indexOf(":")
  if (decoded === undefined || colon < 0) return undefined
  const clientId = decode(decoded.slice(0, colon))
  const clientSecret = decode(decoded.slice(colon + 1))
  return clientId === undefined || clientSecret === undefined ? undefined : { clientId, clientSecret }
}

/**
 * The client credentials an `Authorization: Basic …` header carries, form-decoded: the
 * inverse of {@link authorization}. `undefined` when the header is absent, not `Basic`,
 * not padded Base64 of UTF-8, has no `:`, or has a malformed escape.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @since 0.1.0
 */
export const parse = (
  header: string | undefined
): { readonly clientId: string; readonly clientSecret: string } | undefined => credentialsOf(header, formDecode)

/**
 * The credentials of a Basic header as they are (no form-decoding): the inverse of
 * {@link authorizationAsIs}, as a server that takes `curl -u` reads them.
 *
 * @see https://www.rfc-editor.org/rfc/rfc7617#section-2
 * @since 0.1.0
 */
export const parseAsIs = (
  header: string | undefined
): { readonly clientId: string; readonly clientSecret: string } | undefined => credentialsOf(header, (value) => value)
