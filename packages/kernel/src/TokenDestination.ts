/**
 * Where a bearer client's token may go: the `origins` setting checked into an allow-list
 * (with the message that names what is wrong, never the value, which may hold
 * credentials), and each request's URL routed against it. Both Effect lines' bearer
 * clients turn the results into their own errors.
 *
 * @since 0.1.0
 */
import * as Origin from "./Origin.js"
import * as Url from "./Url.js"

/**
 * The checked `origins` setting: the allow-list, and each origin followed by `/` (a URL
 * string that starts with one is for that origin without parsing it).
 *
 * @since 0.1.0
 */
export interface Destinations {
  readonly allowList: Origin.AllowList
  readonly originPrefixes: ReadonlyArray<string>
}

/**
 * The `origins` setting checked: `Accepted`, an `InvalidConfiguration` naming the setting
 * (`origins` or `origins[i]`) and the problem, or `Insecure` for plain http to another
 * machine (a `WrongHost` `InsecureEndpoint` naming the origin).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6454#section-5
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-5.3
 * @since 0.1.0
 */
export type OriginsCheck =
  | { readonly _tag: "Accepted"; readonly destinations: Destinations }
  | { readonly _tag: "InvalidConfiguration"; readonly setting: string; readonly problem: string }
  | { readonly _tag: "Insecure"; readonly origin: string }

const problemOf = (checked: Exclude<Origin.Check, { readonly _tag: "Accepted" | "Insecure" }>): string => {
  switch (checked._tag) {
    case "InvalidUrl":
      return "is not an absolute URL; write an origin such as https://api.example.com"
    case "UnsupportedScheme":
      return `uses ${checked.url.protocol}; an origin is https://host[:port]`
    case "NotAnOrigin":
      return `must be an origin only (scheme, host and port, no path or query), e.g. ${checked.url.origin}`
  }
}

/**
 * Checks every configured origin by {@link Origin.check}, in order; the first that cannot
 * be used decides the result.
 *
 * @since 0.1.0
 */
export const checkOrigins = (origins: ReadonlyArray<string>): OriginsCheck => {
  if (origins.length === 0) {
    return {
      _tag: "InvalidConfiguration",
      setting: "origins",
      problem: "list at least one origin the token is for, e.g. https://api.example.com"
    }
  }
  const accepted: Array<URL> = []
  for (const [index, origin] of origins.entries()) {
    const checked = Origin.check(origin)
    if (checked._tag === "Insecure") return { _tag: "Insecure", origin: checked.url.origin }
    if (checked._tag !== "Accepted") {
      return { _tag: "InvalidConfiguration", setting: `origins[${index}]`, problem: problemOf(checked) }
    }
    accepted.push(checked.url)
  }
  const allowList = Origin.allowList(accepted)
  return {
    _tag: "Accepted",
    destinations: { allowList, originPrefixes: Array.from(allowList.origins, (origin) => `${origin}/`) }
  }
}

/**
 * Whether a URL string is for an allowed origin without parsing it: an origin as the URL
 * parser serialises it is a scheme, `://` and a host (lower case, punycode, no default
 * port, no userinfo), and the first `/` after it ends the authority, so nothing after it
 * can change the origin. Any other spelling must be parsed and {@link route}d.
 *
 * @since 0.1.0
 */
export const isSurelyAllowed = (destinations: Destinations, url: string): boolean => {
  for (const prefix of destinations.originPrefixes) {
    if (url.startsWith(prefix)) return true
  }
  return false
}

/**
 * Where a request goes: `WithToken` to an allowed origin, `WithoutToken` to another origin
 * the client may send to as it is, or `Refused`: the API's own host over plain http (a
 * mistake worth an error, not a silent 401), or another origin when the client is told to
 * fail (`onForeignOrigin: "fail"`). `endpoint` is the URL without userinfo, query or
 * fragment; `location` the foreign origin.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6750#section-5.3
 * @since 0.1.0
 */
export type Route =
  | { readonly _tag: "WithToken" | "WithoutToken" }
  | {
    readonly _tag: "Refused"
    readonly reason: "InsecureEndpoint" | "ForeignOrigin"
    readonly endpoint: string
    readonly location?: string
  }

const withToken: Route = { _tag: "WithToken" }
const withoutToken: Route = { _tag: "WithoutToken" }

/**
 * Routes a parsed request URL by {@link Origin.destination}.
 *
 * @since 0.1.0
 */
export const route = (destinations: Destinations, onForeignOrigin: "sendWithoutToken" | "fail", url: URL): Route => {
  switch (Origin.destination(destinations.allowList, url)) {
    case "Allowed":
      return withToken
    case "InsecureDowngrade":
      return { _tag: "Refused", reason: "InsecureEndpoint", endpoint: Url.display(url) }
    case "Foreign":
      return onForeignOrigin === "fail"
        ? { _tag: "Refused", reason: "ForeignOrigin", endpoint: Url.display(url), location: url.origin }
        : withoutToken
  }
}
