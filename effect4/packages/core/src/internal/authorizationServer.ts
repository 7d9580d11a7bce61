/**
 * The one door to the authorization server (token, RFC 7009 revocation, discovery): builds,
 * sends and answers every request; never follows redirects, bounds the exchange by a timeout
 * and the body by a size, sends no platform span, and maps every answer to the `TokenError`
 * union. Which error an answer is, is the kernel's `ErrorClassification`; the body's rules,
 * the kernel's `TokenResponse`. Effect 4: one `HttpClientError` whose `reason` says what failed.
 */
import * as ErrorClassification from "@effect-bearer/kernel/ErrorClassification"
import * as Wire from "@effect-bearer/kernel/TokenResponse"
import * as Url from "@effect-bearer/kernel/Url"
import { Clock, Duration, Effect, Option, Record, Redacted, Result } from "effect"
import { HttpClientRequest } from "effect/http"
import type { Headers, HttpClient } from "effect/http"
import * as ClientAuthentication from "../ClientAuthentication.js"
import * as TokenError from "../TokenError.js"
import * as TokenRetry from "../TokenRetry.js"
import { executeUntraced, readBody, withoutRedirects } from "./http.js"

/** The exchange's timeout unless configured. */
export const defaultTimeout: Duration.Duration = Duration.seconds(10)

/** The largest body read unless configured (1 MiB). */
export const defaultMaximumResponseBytes = 1024 * 1024

/** Where a request goes, and what its errors say about it. */
export interface Target {
  readonly url: string
  /** The URL as errors show it. */
  readonly endpoint: string
  readonly hint: (tag: TokenError.TokenError["_tag"]) => string | undefined
  /** The grant type, `revocation` or `discovery`. */
  readonly grantType: string
  readonly clientId?: string | undefined
  /** Every credential the request carries: server texts must not repeat them. */
  readonly secrets: ReadonlyArray<Redacted.Redacted<string>>
  readonly timeout: Duration.Duration
  readonly maximumResponseBytes: number
}

/** The kernel's verdict on a configured URL, as the error it is. */
export const acceptedUrl = (
  checked: Url.Check,
  refusal: { readonly placeholder: string; readonly setting: string; readonly problem: string }
): Effect.Effect<URL, TokenError.WrongHost | TokenError.InvalidConfiguration> => {
  switch (checked._tag) {
    case "Accepted":
      return Effect.succeed(checked.url)
    case "InvalidUrl":
      return Effect.fail(new TokenError.WrongHost({ endpoint: refusal.placeholder, reason: "InvalidUrl" }))
    case "CarriesCredentials":
    case "HasQueryOrFragment":
      return Effect.fail(new TokenError.InvalidConfiguration({ setting: refusal.setting, problem: refusal.problem }))
    case "Insecure":
      return Effect.fail(new TokenError.WrongHost({ endpoint: Url.display(checked.url), reason: "InsecureEndpoint" }))
  }
}

/** What the server answered, and when (for `Retry-After` dates). */
export interface Answer {
  readonly status: number
  readonly headers: Headers.Headers
  readonly text: string | undefined
  readonly body: Wire.Body
  readonly now: number
}

/** A form POST with the client's authentication; the request's own parameters last. */
export const postForm = (
  target: Target,
  clientAuthentication: ClientAuthentication.ClientAuthentication,
  parameters: Record<string, string>
): Effect.Effect<Answer, TokenError.TemporarilyUnavailable, HttpClient.HttpClient> => {
  const authentication = ClientAuthentication.toRequestParts(clientAuthentication)
  return send(
    target,
    HttpClientRequest.post(target.url).pipe(
      HttpClientRequest.bodyUrlParams({ ...authentication.parameters, ...parameters }),
      HttpClientRequest.acceptJson,
      HttpClientRequest.setHeaders(Record.map(authentication.headers, Redacted.value))
    )
  )
}

/** A GET of a JSON metadata document, without credentials. */
export const getJson = (target: Target): Effect.Effect<Answer, TokenError.TemporarilyUnavailable, HttpClient.HttpClient> =>
  send(target, HttpClientRequest.get(target.url).pipe(HttpClientRequest.acceptJson))

const send = (
  target: Target,
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<Answer, TokenError.TemporarilyUnavailable, HttpClient.HttpClient> => {
  const unavailable = (reason: "Transport" | "Timeout", status?: number) =>
    new TokenError.TemporarilyUnavailable({ ...fields(target, "TemporarilyUnavailable", status), reason })
  return executeUntraced(request).pipe(
    Effect.flatMap((response) =>
      Effect.map(readBody(response, target.maximumResponseBytes), (text) => ({ response, text: Option.getOrUndefined(text) }))
    ),
    withoutRedirects,
    Effect.catchTag("HttpClientError", (error) => Effect.fail(unavailable("Transport", error.response?.status))),
    Effect.timeoutOrElse({ duration: target.timeout, orElse: () => Effect.fail(unavailable("Timeout")) }),
    Effect.flatMap(({ response, text }) =>
      Effect.map(Clock.currentTimeMillis, (now): Answer => ({
        status: response.status,
        headers: response.headers,
        text,
        body: Wire.parseBody(text),
        now
      }))
    )
  )
}

const isSuccess = (status: number) => status >= 200 && status < 300

/** The JSON of a token endpoint's success, or the error the answer is (a 2xx §5.2 body without a token is believed). */
export const tokenEndpointBody = (target: Target, answer: Answer): Result.Result<unknown, TokenError.TokenError> => {
  if (!isSuccess(answer.status)) return Result.fail(tokenEndpointFailure(target, answer))
  if (answer.body._tag !== "Json") return Result.fail(unreadableBody(target, answer, "the body"))
  const json = answer.body.value
  return Wire.decodeErrorResponse(json) !== undefined && !Wire.hasAccessToken(json)
    ? Result.fail(tokenEndpointFailure(target, answer))
    : Result.succeed(json)
}

/** The error a token or revocation endpoint's answer is. */
export const tokenEndpointFailure = (target: Target, answer: Answer): TokenError.TokenError => {
  const errorResponse = answer.body._tag === "Json" ? Wire.decodeErrorResponse(answer.body.value) : undefined
  return toError(target, answer, ErrorClassification.tokenEndpoint(answer.status, errorResponse?.error), serverFields(target, errorResponse))
}

/** The JSON of a metadata document, or the error the answer is. */
export const metadataBody = (target: Target, answer: Answer, subject: string): Result.Result<unknown, TokenError.TokenError> => {
  const classification = ErrorClassification.metadataDocument(answer.status)
  if (classification !== undefined) return Result.fail(toError(target, answer, classification, {}))
  if (answer.body._tag !== "Json") return Result.fail(unreadableBody(target, answer, subject))
  return Result.succeed(answer.body.value)
}

const unreadableBody = (target: Target, answer: Answer, subject: string): TokenError.InvalidTokenResponse =>
  answer.body._tag === "TooLarge"
    ? invalidBody(target, answer.status, "TooLarge", `${subject} is larger than ${target.maximumResponseBytes} bytes`)
    : invalidBody(
      target,
      answer.status,
      "NotJson",
      Wire.looksLikeHtml(answer.text, answer.headers["content-type"])
        ? `${subject} is an HTML page, not JSON`
        : `${subject} is not valid JSON`
    )

/** A body that is not what it should be; a `detail` quoting the server is sanitised by the caller. */
export const invalidBody = (
  target: Target,
  status: number | undefined,
  reason: TokenError.InvalidTokenResponse["reason"],
  detail: string
): TokenError.InvalidTokenResponse =>
  new TokenError.InvalidTokenResponse({ ...fields(target, "InvalidTokenResponse", status), reason, detail })

interface ServerFields {
  readonly error?: string
  readonly errorDescription?: string
  readonly errorUri?: string
}

const serverFields = (target: Target, body: Wire.ErrorResponse | undefined): ServerFields => {
  if (body === undefined) return {}
  const clean = (text: string) => TokenError.sanitizeServerText(text, target.secrets)
  return {
    error: clean(body.error),
    ...(body.error_description !== undefined ? { errorDescription: clean(body.error_description) } : {}),
    ...(body.error_uri !== undefined ? { errorUri: clean(body.error_uri) } : {})
  }
}

const fields = (target: Target, tag: TokenError.TokenError["_tag"], status: number | undefined, server: ServerFields = {}) => {
  const hint = target.hint(tag)
  return {
    endpoint: target.endpoint,
    ...(status !== undefined ? { status } : {}),
    ...server,
    ...(hint !== undefined ? { hint } : {})
  }
}

const toError = (
  target: Target,
  answer: Answer,
  classification: ErrorClassification.Classification,
  server: ServerFields
): TokenError.TokenError => {
  const { status } = answer
  switch (classification.tag) {
    case "InvalidCredentials":
      return new TokenError.InvalidCredentials({
        ...fields(target, classification.tag, status, server),
        grantType: target.grantType,
        ...(target.clientId !== undefined ? { clientId: target.clientId } : {})
      })
    case "WrongHost": {
      const location = answer.headers["location"]
      const origin = classification.reason === "Redirect" && location !== undefined && URL.canParse(location, target.url)
        ? new URL(location, target.url).origin
        : undefined
      return new TokenError.WrongHost({
        ...fields(target, classification.tag, status, server),
        reason: classification.reason,
        ...(origin !== undefined ? { location: origin } : {})
      })
    }
    case "UnsupportedMediaType":
      return new TokenError.UnsupportedMediaType({
        ...fields(target, classification.tag, status, server),
        contentType: "application/x-www-form-urlencoded"
      })
    case "InvalidRequest":
      return new TokenError.InvalidRequest({ ...fields(target, classification.tag, status, server), grantType: target.grantType })
    case "TemporarilyUnavailable": {
      const retryAfter = TokenRetry.retryAfterFromHeader(answer.headers["retry-after"], answer.now)
      return new TokenError.TemporarilyUnavailable({
        ...fields(target, classification.tag, status, server),
        reason: classification.reason,
        ...(Option.isSome(retryAfter) ? { retryAfter: retryAfter.value } : {})
      })
    }
    case "InvalidTokenResponse":
      return new TokenError.InvalidTokenResponse({
        ...fields(target, classification.tag, status, server),
        reason: classification.reason,
        detail: classification.detail
      })
  }
}
