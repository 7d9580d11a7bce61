/**
 * The response and the failures as the caller sees them: naming the request the caller
 * built, without the token. @effect/platform prints a response with its request's headers
 * (redacted only inside a logger), and a failure with its request, so anything the client
 * returns would otherwise show the token when printed.
 */
import * as EchoedToken from "@effect-bearer/kernel/EchoedToken"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import { Effect, Inspectable, Stream } from "effect"

/**
 * The same failure as the caller may see it: naming the caller's request, without the
 * token, and the response as the caller sees it (`response`, or a {@link CallerResponse}
 * of the failure's own). A failure nested as the cause is rewritten the same way.
 */
export const callersError = <E extends HttpClientError.HttpClientError>(
  error: E,
  request: HttpClientRequest.HttpClientRequest,
  response?: HttpClientResponse.HttpClientResponse
): E => {
  const cause = HttpClientError.isHttpClientError(error.cause) && error.cause.request !== request
    ? callersError(error.cause, request)
    : error.cause
  const fields = {
    request,
    ...(cause !== undefined ? { cause } : {}),
    ...(error.description !== undefined ? { description: error.description } : {})
  }
  return (error._tag === "RequestError"
    ? new HttpClientError.RequestError({ ...fields, reason: error.reason })
    : new HttpClientError.ResponseError({
      ...fields,
      response: response ?? withRequest(error.response, request),
      reason: error.reason
    })) as E
}

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
class CallerResponse implements HttpClientResponse.HttpClientResponse {
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly #response: HttpClientResponse.HttpClientResponse
  constructor(response: HttpClientResponse.HttpClientResponse, readonly request: HttpClientRequest.HttpClientRequest) {
    this.#response = response
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
  readonly #callersError = (error: HttpClientError.ResponseError): HttpClientError.ResponseError =>
    callersError(error, this.request, this)
  toJSON(): unknown {
    const printed = HttpIncomingMessage.inspect(this, {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status
    })
    // An API may repeat the token it was sent (in `WWW-Authenticate`, in an error body).
    const sent = EchoedToken.fromAuthorization(this.#response.request.headers["authorization"])
    return sent === undefined ? printed : EchoedToken.remove(printed, sent)
  }
  toString(): string {
    return Inspectable.format(this)
  }
  [Inspectable.NodeInspectSymbol](): unknown {
    return this.toJSON()
  }
}
