/**
 * The response and the failures as the caller sees them: naming the request the caller
 * built, without the token. Effect 4 redacts the `Authorization` header wherever a request
 * is printed, but `error.request`, `response.request` and a body-reading failure's request
 * would still hand the token to whoever reads their headers, and an API may repeat the
 * token in what it answers (`WWW-Authenticate`, an error body), which printing shows.
 */
import * as EchoedToken from "@effect-bearer/kernel/EchoedToken"
import { Effect, Inspectable, Stream } from "effect"
import { HttpClientError, HttpClientResponse, HttpIncomingMessage } from "effect/http"
import type { HttpClientRequest } from "effect/http"
import { pipeArguments } from "effect/Pipeable"

/** The same reason, naming `request` (and the response the caller sees) instead of the one sent. */
const callersReason = (
  reason: HttpClientError.HttpClientErrorReason,
  request: HttpClientRequest.HttpClientRequest,
  response: HttpClientResponse.HttpClientResponse | undefined
): HttpClientError.HttpClientErrorReason => {
  const cause = HttpClientError.isHttpClientError(reason.cause) && reason.cause.request !== request
    ? callersError(reason.cause, request)
    : reason.cause
  const fields = {
    request,
    ...(cause !== undefined ? { cause } : {}),
    ...(reason.description !== undefined ? { description: reason.description } : {})
  }
  switch (reason._tag) {
    case "TransportError":
      return new HttpClientError.TransportError(fields)
    case "EncodeError":
      return new HttpClientError.EncodeError(fields)
    case "InvalidUrlError":
      return new HttpClientError.InvalidUrlError(fields)
  }
  const seen = response ?? withRequest(reason.response, request)
  switch (reason._tag) {
    case "StatusCodeError":
      return new HttpClientError.StatusCodeError({ ...fields, response: seen })
    case "DecodeError":
      return new HttpClientError.DecodeError({ ...fields, response: seen })
    case "EmptyBodyError":
      return new HttpClientError.EmptyBodyError({ ...fields, response: seen })
  }
}

/**
 * The same failure as the caller may see it: naming the caller's request, without the
 * token, and the response as the caller sees it (`response`, or a {@link CallerResponse}
 * of the failure's own). A failure nested as the cause is rewritten the same way.
 */
export const callersError = (
  error: HttpClientError.HttpClientError,
  request: HttpClientRequest.HttpClientRequest,
  response?: HttpClientResponse.HttpClientResponse
): HttpClientError.HttpClientError =>
  error.request === request
    ? error
    : new HttpClientError.HttpClientError({ reason: callersReason(error.reason, request, response) })

/** The response as the caller sees it: its `request` is the caller's own, without the token. */
export const withRequest = (
  response: HttpClientResponse.HttpClientResponse,
  request: HttpClientRequest.HttpClientRequest
): HttpClientResponse.HttpClientResponse =>
  response.request === request ? response : new CallerResponse(response, request)

/**
 * Delegates everything to the real response but `request`, the printed forms and the
 * failures of reading the body, which name this response and the caller's request
 * instead of the real ones (whose request carries the token).
 */
class CallerResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpClientResponse.TypeId] = HttpClientResponse.TypeId
  readonly [HttpIncomingMessage.TypeId] = HttpIncomingMessage.TypeId
  readonly #response: HttpClientResponse.HttpClientResponse
  constructor(response: HttpClientResponse.HttpClientResponse, readonly request: HttpClientRequest.HttpClientRequest) {
    super()
    this.#response = response
  }
  get url() {
    return this.#response.url
  }
  get status() {
    return this.#response.status
  }
  get headers() {
    return this.#response.headers
  }
  get cookies() {
    return this.#response.cookies
  }
  get remoteAddress() {
    return this.#response.remoteAddress
  }
  get formData() {
    return Effect.mapError(this.#response.formData, this.#callersError)
  }
  get json() {
    return Effect.mapError(this.#response.json, this.#callersError)
  }
  get text() {
    return Effect.mapError(this.#response.text, this.#callersError)
  }
  get urlParamsBody() {
    return Effect.mapError(this.#response.urlParamsBody, this.#callersError)
  }
  get arrayBuffer() {
    return Effect.mapError(this.#response.arrayBuffer, this.#callersError)
  }
  get stream() {
    return Stream.mapError(this.#response.stream, this.#callersError)
  }
  get upgrade() {
    return Effect.mapError(this.#response.upgrade, this.#callersError)
  }
  readonly #callersError = (error: HttpClientError.HttpClientError): HttpClientError.HttpClientError =>
    callersError(error, this.request, this)
  toJSON(): unknown {
    const printed = HttpIncomingMessage.inspect(this, {
      _id: "HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
    const sent = EchoedToken.fromAuthorization(this.#response.request.headers["authorization"])
    return sent === undefined ? printed : EchoedToken.remove(printed, sent)
  }
  pipe() {
    return pipeArguments(this, arguments)
  }
}
