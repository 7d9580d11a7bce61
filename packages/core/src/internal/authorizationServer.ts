/**
 * The one door to the authorization server: every request to it (token, RFC 7009
 * revocation, OpenID discovery / RFC 8414 metadata) is built, sent and answered here. The
 * door sends with the client it is given, never follows redirects, bounds the whole exchange by a
 * timeout (or the deadline of the acquisition it belongs to: `acquisitionDeadline.ts`), reads at most a
 * bounded body, sends no platform span (whose `url.full` would show a query), and maps every
 * status and body to the `TokenError` union. Which error an answer is, and its fields, is the
 * kernel's `AuthorizationServerAnswer` (shared with the Effect 4 line); this module sends,
 * reads and makes the kernel's description this line's error class.
 */
import * as Answers from "@effect-bearer/kernel/AuthorizationServerAnswer"
import * as Wire from "@effect-bearer/kernel/TokenResponse"
import * as Url from "@effect-bearer/kernel/Url"
import type * as Headers from "@effect/platform/Headers"
import type * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { Clock, Duration, Effect, Either, Option, Record, Redacted } from "effect"
import * as ClientAuthentication from "../ClientAuthentication.js"
import * as TokenError from "../TokenError.js"
import * as AcquisitionDeadline from "./acquisitionDeadline.js"
import { readBody } from "./http.js"
import * as UntracedRequest from "./untracedRequest.js"

/** How long one exchange may take unless configured: `TokenEndpoint`'s and `OpenIdDiscovery`'s `timeout`. */
export const defaultTimeout: Duration.Duration = Duration.seconds(10)

/** The largest body read unless configured (1 MiB): their `maximumResponseBytes`. */
export const defaultMaximumResponseBytes = 1024 * 1024

/** Where a request goes, and what its errors say about it. */
export interface Target {
  /** The URL the request goes to. */
  readonly url: string
  /** The URL as errors show it: without userinfo, query or fragment. */
  readonly endpoint: string
  /** The provider's (or the discovery's) advice for an error tag. */
  readonly hint: (tag: TokenError.TokenError["_tag"]) => string | undefined
  /** The grant type, or `revocation`, as `InvalidCredentials` and `InvalidRequest` report it. */
  readonly grantType: string
  /** The client id, which `InvalidCredentials` names (identifiers are not secrets). */
  readonly clientId?: string | undefined
  /** Every credential the request carries, which the server's texts must not repeat. */
  readonly secrets: ReadonlyArray<Redacted.Redacted<string>>
  /** How long the exchange (connection, headers and body) may take. */
  readonly timeout: Duration.Duration
  /** Larger bodies are not read: they count as `TooLarge`. */
  readonly maximumResponseBytes: number
}

/**
 * The kernel's verdict on a configured URL as the error it is: not a URL (`WrongHost`,
 * without repeating the value, which may be a pasted secret), a URL with credentials (or
 * for an issuer, a query) (`InvalidConfiguration` naming `setting`), plain http elsewhere
 * than loopback (`WrongHost`).
 */
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

/** What the server answered. */
export interface Answer {
  readonly status: number
  readonly headers: Headers.Headers
  /** The body's text, `undefined` when it was over the size limit. */
  readonly text: string | undefined
  readonly body: Wire.Body
  /** When the answer arrived (`Clock`), for `Retry-After` dates. */
  readonly now: number
}

/** The client's authentication as a request carries it (`ClientAuthentication.toRequestParts`). */
export type Authentication = ReturnType<typeof ClientAuthentication.toRequestParts>

/**
 * A form POST with the client's authentication (RFC 6749 §2.3.1) and `Accept:
 * application/json`. The request's own parameters come last so that nothing configured
 * can override them.
 */
export const postForm = (
  client: HttpClient.HttpClient,
  target: Target,
  authentication: Authentication,
  parameters: Record<string, string>
): Effect.Effect<Answer, TokenError.TemporarilyUnavailable> =>
  send(
    client,
    target,
    HttpClientRequest.post(target.url).pipe(
      HttpClientRequest.bodyUrlParams({ ...authentication.parameters, ...parameters }),
      HttpClientRequest.acceptJson,
      HttpClientRequest.setHeaders(Record.map(authentication.headers, Redacted.value))
    )
  )

/** A GET of a JSON document (a metadata document), without credentials. */
export const getJson = (client: HttpClient.HttpClient, target: Target): Effect.Effect<Answer, TokenError.TemporarilyUnavailable> =>
  send(client, target, HttpClientRequest.get(target.url).pipe(HttpClientRequest.acceptJson))

const send = (
  client: HttpClient.HttpClient,
  target: Target,
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<Answer, TokenError.TemporarilyUnavailable> => {
  const unavailable = (reason: "Transport" | "Timeout", status?: number) =>
    new TokenError.TemporarilyUnavailable({ ...Answers.fields(kernelTarget(target), "TemporarilyUnavailable", status), reason })
  const exchange = UntracedRequest.execute(client, request).pipe(
    Effect.flatMap((response) =>
      Effect.map(readBody(response, target.maximumResponseBytes), (text) => ({ response, text: Option.getOrUndefined(text) }))
    )
  )
  // One timer: the exchange's own timeout, or the acquisition's deadline when that comes first.
  return AcquisitionDeadline.bounded(exchange, target.timeout, () => unavailable("Timeout")).pipe(
    Effect.catchTags({
      RequestError: () => Effect.fail(unavailable("Transport")),
      ResponseError: (error) => Effect.fail(unavailable("Transport", error.response.status))
    }),
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

const asEither = (read: ReturnType<typeof Answers.tokenEndpointBody>): Either.Either<unknown, TokenError.TokenError> =>
  read._tag === "Json" ? Either.right(read.value) : Either.left(toTokenError(read.failure))

/**
 * The JSON body of a token endpoint's success, or the error the answer is: a failed
 * status, a body that is not JSON (or too large), or a 2xx with an RFC 6749 §5.2 error
 * body and no `access_token` (some servers answer so: the body is believed).
 */
export const tokenEndpointBody = (target: Target, answer: Answer): Either.Either<unknown, TokenError.TokenError> =>
  asEither(Answers.tokenEndpointBody(kernelTarget(target), answer))

/** The error a token or revocation endpoint's answer is: its §5.2 body when it has one, else its status. */
export const tokenEndpointFailure = (target: Target, answer: Answer): TokenError.TokenError =>
  toTokenError(Answers.tokenEndpointFailure(kernelTarget(target), answer))

/** The JSON body of a metadata document, or the error the answer is. */
export const metadataBody = (target: Target, answer: Answer, subject: string): Either.Either<unknown, TokenError.TokenError> =>
  asEither(Answers.metadataBody(kernelTarget(target), answer, subject))

/** A body that is not what it should be; a `detail` quoting the server is sanitised by the caller. */
export const invalidBody = (
  target: Target,
  status: number | undefined,
  reason: TokenError.InvalidTokenResponse["reason"],
  detail: string
): TokenError.InvalidTokenResponse =>
  new TokenError.InvalidTokenResponse(Answers.invalidBody(kernelTarget(target), status, reason, detail).fields as TokenError.InvalidTokenResponse)
