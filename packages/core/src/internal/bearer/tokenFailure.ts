/**
 * A token failure as the `HttpClientError` the client fails with (the `TokenError` is its
 * `cause`), and the way back.
 */
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import { Option } from "effect"
import * as TokenError from "../../TokenError.js"

/** The TokenError a failure stands for, when it stands for one. */
export const tokenError = (error: HttpClientError.HttpClientError): Option.Option<TokenError.TokenError> =>
  TokenError.isTokenError(error.cause) ? Option.some(error.cause) : Option.none()

/**
 * A token failure as an `HttpClientError`, so that the client can be the program's
 * `HttpClient`; the `TokenError` is the `cause`. The reasons keep `retryTransient`
 * (and this client's own retry) away from everything but an unreachable token endpoint.
 */
export const fromTokenError = (
  request: HttpClientRequest.HttpClientRequest,
  error: TokenError.TokenError,
  response?: HttpClientResponse.HttpClientResponse
): HttpClientError.HttpClientError =>
  response !== undefined
    ? new HttpClientError.ResponseError({
      request,
      response,
      reason: "StatusCode",
      cause: error,
      description: error.message
    })
    : new HttpClientError.RequestError({
      request,
      reason: error._tag === "WrongHost"
        ? "InvalidUrl"
        : error._tag === "TemporarilyUnavailable"
        ? "Transport"
        : "Encode",
      cause: error,
      description: error.message
    })
