/**
 * Where a request may take the token: the kernel's routing (`TokenDestination`) of the
 * request's URL, parsed as Effect's client parses it, with the refusals as errors.
 */
import * as TokenDestination from "@effect-bearer/kernel/TokenDestination"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as UrlParams from "@effect/platform/UrlParams"
import { Either } from "effect"
import * as TokenError from "../../TokenError.js"
import type { Settings } from "./options.js"

/** The request's absolute URL, or the `InvalidUrl` failure that refuses it. */
export const requestUrl = (request: HttpClientRequest.HttpClientRequest): Either.Either<URL, HttpClientError.RequestError> =>
  Either.mapLeft(UrlParams.makeUrl(request.url, request.urlParams, request.hash), (cause) =>
    new HttpClientError.RequestError({
      request,
      reason: "InvalidUrl",
      cause,
      description:
        "an absolute URL is needed to decide whether the token may be sent: prepend base URLs on top of the authenticated client, not underneath it"
    }))

/**
 * `WithToken` for an allowed origin, `WithoutToken` for another origin the client may send
 * to as it is, or the failure that refuses the request: `InvalidUrl` for a URL that is
 * not absolute, or the kernel's refusal (`TokenDestination.route`) as a `WrongHost`. A URL
 * string that starts with an allowed origin and `/` is not parsed (`isSurelyAllowed`).
 */
export const route = (
  settings: Settings,
  request: HttpClientRequest.HttpClientRequest
): "WithToken" | "WithoutToken" | TokenError.WrongHost | HttpClientError.RequestError => {
  if (TokenDestination.isSurelyAllowed(settings.destinations, request.url)) return "WithToken"
  const parsed = requestUrl(request)
  if (Either.isLeft(parsed)) return parsed.left
  const routed = TokenDestination.route(settings.destinations, settings.onForeignOrigin, parsed.right)
  if (routed._tag !== "Refused") return routed._tag
  const { endpoint, location, reason } = routed
  return new TokenError.WrongHost({ endpoint, reason, ...(location !== undefined ? { location } : {}) })
}
