/**
 * A token a server repeats back (in `WWW-Authenticate`, in an error body), removed from the
 * printed form of its response. Both Effect lines' bearer clients print responses with it.
 *
 * @since 0.1.0
 */
import * as ServerText from "./ServerText.js"

/**
 * The token of an `Authorization: Bearer <token>` header value, if it is one.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-2.1
 * @since 0.1.0
 */
export const fromAuthorization = (header: string | undefined): string | undefined =>
  /^bearer\s+(\S+)/i.exec(header ?? "")?.[1]

/**
 * `value` with every occurrence of `token` in its strings (as is, form-encoded or URL-encoded,
 * as `ServerText.sanitize` finds it) replaced by `<redacted>`: strings,
 * arrays, plain objects and records without a constructor (such as printed headers: Effect 3's
 * `Headers` sit on a prototype-less prototype). Anything else (class instances, `Redacted`
 * values) is returned as it is.
 *
 * @since 0.1.0
 */
export const remove = (value: unknown, token: string): unknown => {
  if (typeof value === "string") return ServerText.redactSecrets(value, [token])
  if (Array.isArray(value)) return value.map((item) => remove(item, token))
  if (typeof value === "object" && value !== null) {
    const prototype = Object.getPrototypeOf(value)
    if (prototype === Object.prototype || prototype === null || (value as { readonly constructor?: unknown }).constructor === undefined) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, remove(item, token)]))
    }
  }
  return value
}
