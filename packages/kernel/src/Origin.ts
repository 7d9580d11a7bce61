/**
 * Origins (RFC 6454) a bearer token may be sent to: checking the configured allow-list, and
 * deciding where a request's URL stands against it. Both sides go through the WHATWG URL
 * parser, so that the comparison is between serialised origins: host names are lower
 * cased and IDNs in punycode, `127.1` is `127.0.0.1`, IPv6 addresses are compressed, the
 * default port is dropped and userinfo is never part of an origin. Anything the parser
 * does not make equal (a trailing dot, another port) is another origin, which never gets
 * the token.
 *
 * @since 0.1.0
 */
import * as Url from "./Url.js"

/**
 * Why a configured origin cannot be used, or `Accepted` with its serialised form. Checked
 * in this order: not an absolute URL, not http(s), more than an origin (userinfo, path,
 * query or fragment), plain http towards another machine.
 *
 * @since 0.1.0
 */
export type Check =
  | Extract<Url.Check, { readonly _tag: "Accepted" | "InvalidUrl" | "Insecure" }>
  | { readonly _tag: "UnsupportedScheme" | "NotAnOrigin"; readonly url: URL }

/**
 * Checks one configured origin: `https://host[:port]`, or `http://` towards this machine
 * only ({@link Url.isLoopback}). The result's `url.origin` is the form requests are compared by.
 *
 * @example
 * import { Origin } from "@effect-bearer/kernel"
 *
 * Origin.check("https://API.example.com:443")._tag // "Accepted", url.origin "https://api.example.com"
 * Origin.check("https://api.example.com/v2")._tag // "NotAnOrigin"
 * Origin.check("http://api.example.com")._tag // "Insecure"
 *
 * @see https://www.rfc-editor.org/rfc/rfc6454#section-4
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-5.3
 * @since 0.1.0
 */
export const check = (raw: string): Check => {
  // The endpoint rules (absolute http(s), no userinfo, https unless loopback), narrowed to an origin.
  const checked = Url.checkEndpoint(raw)
  switch (checked._tag) {
    case "InvalidUrl":
      return URL.canParse(raw) ? { _tag: "UnsupportedScheme", url: new URL(raw) } : checked
    case "CarriesCredentials":
    case "HasQueryOrFragment":
      return { _tag: "NotAnOrigin", url: checked.url }
    case "Insecure":
    case "Accepted":
      return isOriginOnly(checked.url) ? checked : { _tag: "NotAnOrigin", url: checked.url }
  }
}

/** Whether a URL is scheme, host and port only (its path `/`, which the parser gives a URL without one). */
const isOriginOnly = (url: URL): boolean => url.pathname === "/" && url.search === "" && url.hash === ""

/**
 * The checked origins a token is for, ready for {@link destination}.
 *
 * @since 0.1.0
 */
export interface AllowList {
  /** `URL.origin` of each allowed origin. */
  readonly origins: ReadonlySet<string>
  /** Host names allowed over https, to recognise the same host over plain http. */
  readonly secureHostnames: ReadonlySet<string>
}

/**
 * The allow-list of accepted origins (the `url` of each `Accepted` {@link check}).
 *
 * @since 0.1.0
 */
export const allowList = (accepted: Iterable<URL>): AllowList => {
  const origins = new Set<string>()
  const secureHostnames = new Set<string>()
  for (const url of accepted) {
    origins.add(url.origin)
    if (url.protocol === "https:") secureHostnames.add(url.hostname)
  }
  return { origins, secureHostnames }
}

/**
 * Where a request's URL stands: `Allowed` (exactly an allowed origin: the token goes),
 * `InsecureDowngrade` (plain http to a host allowed over https, loopback aside: a mistake
 * worth an error rather than a request without the token), or `Foreign` (anything else).
 * One set lookup for an allowed origin.
 *
 * @example
 * import { Origin } from "@effect-bearer/kernel"
 *
 * const allowed = Origin.allowList([new URL("https://api.example.com")])
 * Origin.destination(allowed, new URL("https://api.example.com/projects")) // "Allowed"
 * Origin.destination(allowed, new URL("https://api.example.com@evil.example/")) // "Foreign"
 * Origin.destination(allowed, new URL("http://api.example.com/projects")) // "InsecureDowngrade"
 *
 * @see https://www.rfc-editor.org/rfc/rfc6454#section-5
 * @since 0.1.0
 */
export const destination = (allowed: AllowList, url: URL): "Allowed" | "InsecureDowngrade" | "Foreign" => {
  if (allowed.origins.has(url.origin)) return "Allowed"
  if (url.protocol === "http:" && !Url.isLoopback(url.hostname) && allowed.secureHostnames.has(url.hostname)) {
    return "InsecureDowngrade"
  }
  return "Foreign"
}
