/**
 * The rules for URLs that credentials are sent to (a token endpoint, a revocation endpoint,
 * an issuer): absolute http(s), https unless the host is this machine, no credentials in
 * the URL; and how such a URL is shown in errors, logs and spans (never with its query).
 *
 * @since 0.1.0
 */

/**
 * Whether a URL host name is this machine (`localhost`, `127.0.0.0/8`, `[::1]`): the only
 * hosts plain http is acceptable towards.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 * @since 0.1.0
 */
export const isLoopback = (hostname: string): boolean =>
  hostname === "localhost" || hostname === "[::1]" || hostname === "::1" || /^127(?:\.\d{1,3}){3}$/.test(hostname)

/**
 * A URL as it may appear in errors, logs and spans: scheme, host, port and path, without
 * userinfo, query (where a configured URL may carry a secret) or fragment.
 *
 * @since 0.1.0
 */
export const display = (url: URL): string => `${url.origin}${url.pathname}`

/**
 * The URL without its fragment, which is never sent.
 *
 * @see https://www.rfc-editor.org/rfc/rfc9110#section-4.2.4
 * @since 0.1.0
 */
export const withoutFragment = (url: URL): string => {
  const copy = new URL(url)
  copy.hash = ""
  return copy.href
}

/**
 * Why a URL cannot receive credentials, or `Accepted` with the parsed URL. Problems are
 * checked in this order: not an absolute http(s) URL, credentials in it (and for an issuer
 * a query or fragment), plain http towards another machine.
 *
 * @since 0.1.0
 */
export type Check =
  | { readonly _tag: "Accepted"; readonly url: URL }
  | { readonly _tag: "InvalidUrl" }
  | { readonly _tag: "CarriesCredentials"; readonly url: URL }
  | { readonly _tag: "HasQueryOrFragment"; readonly url: URL }
  | { readonly _tag: "Insecure"; readonly url: URL }

const check = (raw: string, identifier: boolean): Check => {
  const url = URL.canParse(raw) ? new URL(raw) : undefined
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) return { _tag: "InvalidUrl" }
  if (url.username !== "" || url.password !== "") return { _tag: "CarriesCredentials", url }
  if (identifier && (url.search !== "" || url.hash !== "")) return { _tag: "HasQueryOrFragment", url }
  if (url.protocol === "http:" && !isLoopback(url.hostname)) return { _tag: "Insecure", url }
  return { _tag: "Accepted", url }
}

/**
 * Checks an endpoint URL that credentials will be sent to (token, revocation): absolute
 * http(s), no userinfo, https unless loopback. A query is allowed (some servers want one).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-3.2
 * @since 0.1.0
 */
export const checkEndpoint = (raw: string): Check => check(raw, false)

/**
 * Checks an issuer identifier: an endpoint URL that also has no query or fragment.
 *
 * @see https://openid.net/specs/openid-connect-discovery-1_0.html#IssuerDiscovery
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-2
 * @since 0.1.0
 */
export const checkIssuer = (raw: string): Check => check(raw, true)
