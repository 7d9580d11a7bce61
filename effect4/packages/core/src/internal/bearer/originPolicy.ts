/**
 * Where a request may take the token: the kernel's routing (`TokenDestination`) of the
 * request's URL, parsed as Effect's client parses it, with the refusals as errors.
 */
import * as TokenDestination from "@effect-bearer/kernel/TokenDestination"
import { Option, Result } from "effect"
import { HttpClientError, Url } from "effect/http"
import type { HttpClientRequest } from "effect/http"
import * as TokenError from "../../TokenError.js"
import type { Settings } from "./options.js"

/** The request's absolute URL, or the `InvalidUrlError` failure that refuses it. */
export const requestUrl = (
  request: HttpClientRequest.HttpClientRequest
): Result.Result<URL, HttpClientError.HttpClientError> =>
  Result.mapError(
    Url.make(request.url, request.urlParams, Option.getOrUndefined(request.hash)),
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
 * `WithToken`, `WithoutToken`, or the failure that refuses the request: an
 * `InvalidUrlError` for a URL that is not absolute, or the kernel's refusal as a `WrongHost`.
 */
export const route = (
  settings: Settings,
  request: HttpClientRequest.HttpClientRequest
): "WithToken" | "WithoutToken" | TokenError.WrongHost | HttpClientError.HttpClientError => {
  if (TokenDestination.isSurelyAllowed(settings.destinations, request.url)) return "WithToken"
  const parsed = requestUrl(request)
  if (Result.isFailure(parsed)) return parsed.failure
  const routed = TokenDestination.route(settings.destinations, settings.onForeignOrigin, parsed.success)
  if (routed._tag !== "Refused") return routed._tag
  const { endpoint, location, reason } = routed
  return new TokenError.WrongHost({ endpoint, reason, ...(location !== undefined ? { location } : {}) })
}
