/**
 * Where a request may take the token: the kernel's origin matching (`Origin.destination`)
 * with the client's `onForeignOrigin` choice.
 */
import * as Origin from "@effect-bearer/kernel/Origin"
import * as Url from "@effect-bearer/kernel/Url"
import { Option, Result } from "effect"
import { HttpClientError, Url as HttpUrl } from "effect/http"
import type { HttpClientRequest } from "effect/http"
import * as TokenError from "../../TokenError.js"
import type { Settings } from "./options.js"

/** The request's absolute URL, or the `InvalidUrlError` failure that refuses it. */
export const requestUrl = (
  request: HttpClientRequest.HttpClientRequest
): Result.Result<URL, HttpClientError.HttpClientError> =>
  Result.mapError(
    HttpUrl.make(request.url, request.urlParams, Option.getOrUndefined(request.hash)),
    (cause) =>
      new HttpClientError.HttpClientError({
        reason: new HttpClientError.InvalidUrlError({
          request,
          cause,
          description:
            "an absolute URL is needed to decide whether the token may be sent: prepend base URLs on top of the authenticated client, not underneath it"
        })
      })
  )

/**
 * `WithToken` for an allowed origin, `WithoutToken` for another origin the client may send
 * to as it is, or the failure that refuses the request: `InvalidUrlError` for a URL that is
 * not absolute, or a `WrongHost`: the API's own host over plain http (a mistake worth an
 * error, not a silent 401), or another origin with `onForeignOrigin: "fail"`.
 *
 * A URL string that starts with an allowed origin and `/` is for that origin without
 * parsing it: an origin as the URL parser serialises it is a scheme, `://` and a host
 * (lower case, punycode, no default port, no userinfo), and the first `/` after it ends
 * the authority, so nothing after it can change the origin. Any other spelling is parsed.
 */
export const route = (
  settings: Settings,
  request: HttpClientRequest.HttpClientRequest
): "WithToken" | "WithoutToken" | TokenError.WrongHost | HttpClientError.HttpClientError => {
  for (const prefix of settings.originPrefixes) {
    if (request.url.startsWith(prefix)) return "WithToken"
  }
  const parsed = requestUrl(request)
  if (Result.isFailure(parsed)) return parsed.failure
  const url = parsed.success
  switch (Origin.destination(settings.allowList, url)) {
    case "Allowed":
      return "WithToken"
    case "InsecureDowngrade":
      return new TokenError.WrongHost({ endpoint: Url.display(url), reason: "InsecureEndpoint" })
    case "Foreign":
      return settings.onForeignOrigin === "fail"
        ? new TokenError.WrongHost({ endpoint: Url.display(url), reason: "ForeignOrigin", location: url.origin })
        : "WithoutToken"
  }
}
