/**
 * A token failure as the `HttpClientError` the client fails with (the `TokenError` is its
 * reason's `cause`), and the way back.
 */
import { HttpClientError } from "effect/http"
import type { HttpClientRequest, HttpClientResponse } from "effect/http"
import * as TokenError from "../../TokenError.js"

/** The TokenError a failure stands for, when it stands for one. */
export const tokenError = (error: HttpClientError.HttpClientError): TokenError.TokenError | undefined =>
  TokenError.isTokenError(error.reason.cause) ? error.reason.cause : undefined

/**
 * A token failure as an `HttpClientError`, so that the client can be the program's
 * `HttpClient`; the `TokenError` is the reason's `cause`. The reasons keep
 * `HttpClient.retryTransient` away from everything but an unreachable token endpoint
 * (`TransportError`), and the client's own retry away from that too. An
 * `InvalidConfiguration` (from `withTokens`) is an `EncodeError`: nothing was sent.
 */
export const fromTokenError = (
  request: HttpClientRequest.HttpClientRequest,
  error: TokenError.TokenError | TokenError.InvalidConfiguration,
  response?: HttpClientResponse.HttpClientResponse
): HttpClientError.HttpClientError => {
  const fields = { request, cause: error, description: error.message }
  return new HttpClientError.HttpClientError({
    reason: response !== undefined
      ? new HttpClientError.StatusCodeError({ ...fields, response })
      : error._tag === "WrongHost"
      ? new HttpClientError.InvalidUrlError(fields)
      : error._tag === "TemporarilyUnavailable"
      ? new HttpClientError.TransportError(fields)
      : new HttpClientError.EncodeError(fields)
  })
}
