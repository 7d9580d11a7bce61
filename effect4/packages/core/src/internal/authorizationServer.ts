/**
 * The one door to the authorization server (token, RFC 7009 revocation, discovery): builds,
 * sends and answers every request; never follows redirects, bounds the exchange by a timeout
 * (and by the acquisition's deadline, `acquisitionDeadline.ts`) and the body by a size, sends no platform span, and maps every answer to the `TokenError`
 * union. Which error an answer is, and its fields, is the kernel's `AuthorizationServerAnswer`;
 * this module sends, reads (Effect 4: one `HttpClientError` whose `reason` says what failed) and
 * makes the kernel's description this line's error class.
 */
import * as Answers from "@effect-bearer/kernel/AuthorizationServerAnswer"
import * as Wire from "@effect-bearer/kernel/TokenResponse"
import * as Url from "@effect-bearer/kernel/Url"
import { Clock, Duration, Effect, Option, Record, Redacted, Result } from "effect"
import { HttpClientRequest } from "effect/http"
import type { Headers, HttpClient } from "effect/http"
import * as ClientAuthentication from "../ClientAuthentication.js"
import * as TokenError from "../TokenError.js"
import * as AcquisitionDeadline from "./acquisitionDeadline.js"
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

/** A form POST with the client's authentication (`ClientAuthentication.toRequestParts`); the request's own parameters last. */
export const postForm = (
  target: Target,
  authentication: ReturnType<typeof ClientAuthentication.toRequestParts>,
  parameters: Record<string, string>
): Effect.Effect<Answer, TokenError.TemporarilyUnavailable, HttpClient.HttpClient> =>
  send(
    target,
    HttpClientRequest.post(target.url).pipe(
      HttpClientRequest.bodyUrlParams({ ...authentication.parameters, ...parameters }),
      HttpClientRequest.acceptJson,
      HttpClientRequest.setHeaders(Record.map(authentication.headers, Redacted.value))
    )
  )

/** A GET of a JSON metadata document, without credentials. */
export const getJson = (target: Target): Effect.Effect<Answer, TokenError.TemporarilyUnavailable, HttpClient.HttpClient> =>
  send(target, HttpClientRequest.get(target.url).pipe(HttpClientRequest.acceptJson))

const send = (
  target: Target,
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<Answer, TokenError.TemporarilyUnavailable, HttpClient.HttpClient> => {
  const unavailable = (reason: "Transport" | "Timeout", status?: number) =>
    new TokenError.TemporarilyUnavailable({ ...Answers.fields(kernelTarget(target), "TemporarilyUnavailable", status), reason })
  return executeUntraced(request).pipe(
    Effect.flatMap((response) =>
      Effect.map(readBody(response, target.maximumResponseBytes), (text) => ({ response, text: Option.getOrUndefined(text) }))
    ),
    withoutRedirects,
    Effect.catchTag("HttpClientError", (error) => Effect.fail(unavailable("Transport", error.response?.status))),
    (exchange) => AcquisitionDeadline.bounded(exchange, target.timeout, () => unavailable("Timeout")),
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

const kernelTarget = (target: Target): Answers.Target => ({ ...target, secrets: target.secrets.map(Redacted.value) })

/** The kernel's description of an error as this line's `TokenError` class. */
const toTokenError = (description: Answers.Description): TokenError.TokenError => {
  switch (description.tag) {
    case "InvalidCredentials":
      return new TokenError.InvalidCredentials(description.fields)
    case "WrongHost":
      return new TokenError.WrongHost(description.fields)
    case "UnsupportedMediaType":
      return new TokenError.UnsupportedMediaType(description.fields)
    case "InvalidRequest":
      return new TokenError.InvalidRequest(description.fields)
    case "TemporarilyUnavailable": {
      const { retryAfterMillis, ...fields } = description.fields
      return new TokenError.TemporarilyUnavailable({
        ...fields,
        ...(retryAfterMillis !== undefined ? { retryAfter: Duration.millis(retryAfterMillis) } : {})
      })
    }
    case "InvalidTokenResponse":
      return new TokenError.InvalidTokenResponse(description.fields)
  }
}

const asResult = (read: ReturnType<typeof Answers.tokenEndpointBody>): Result.Result<unknown, TokenError.TokenError> =>
  read._tag === "Json" ? Result.succeed(read.value) : Result.fail(toTokenError(read.failure))

/** The JSON of a token endpoint's success, or the error the answer is. */
export const tokenEndpointBody = (target: Target, answer: Answer): Result.Result<unknown, TokenError.TokenError> =>
  asResult(Answers.tokenEndpointBody(kernelTarget(target), answer))

/** The error a token or revocation endpoint's answer is. */
export const tokenEndpointFailure = (target: Target, answer: Answer): TokenError.TokenError =>
  toTokenError(Answers.tokenEndpointFailure(kernelTarget(target), answer))

/** The JSON of a metadata document, or the error the answer is. */
export const metadataBody = (target: Target, answer: Answer, subject: string): Result.Result<unknown, TokenError.TokenError> =>
  asResult(Answers.metadataBody(kernelTarget(target), answer, subject))

/** A body that is not what it should be; a `detail` quoting the server is sanitised by the caller. */
export const invalidBody = (
  target: Target,
  status: number | undefined,
  reason: TokenError.InvalidTokenResponse["reason"],
  detail: string
): TokenError.InvalidTokenResponse =>
  new TokenError.InvalidTokenResponse(Answers.invalidBody(kernelTarget(target), status, reason, detail).fields as TokenError.InvalidTokenResponse)
