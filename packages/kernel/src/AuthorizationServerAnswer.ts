/**
 * What an authorization server's answer is, as the fields of the token error it becomes: the
 * version-free half of each Effect line's one door to the authorization server
 * (`internal/authorizationServer.ts`). The door sends and reads; this module decides, from the
 * status, headers and body, which error it is (by `ErrorClassification`) and fills its fields:
 * the endpoint, the status, the §5.2 texts cleaned of the request's credentials
 * (`ServerText`), the provider's hint, a redirect's target origin, a `Retry-After` in
 * milliseconds. Each line turns a {@link Description} into its own error class.
 *
 * @since 0.1.0
 */
import * as ErrorClassification from "./ErrorClassification.js"
import * as RetryAfter from "./RetryAfter.js"
import * as ServerText from "./ServerText.js"
import * as Wire from "./TokenResponse.js"

/**
 * Why a body is not a token response or document.
 *
 * @since 0.1.0
 * @category models
 */
export type InvalidReason = Wire.Invalid["reason"] | "InvalidField" | "NotJson" | "TooLarge"

/** The tags of the token errors an answer may be. */
type Tag = "InvalidCredentials" | "WrongHost" | "UnsupportedMediaType" | "InvalidRequest" | "TemporarilyUnavailable" | "InvalidTokenResponse"

/**
 * Where a request went, and what its errors say about it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Target {
  /** The URL the request went to (a redirect's relative `Location` resolves against it). */
  readonly url: string
  /** The URL as errors show it: without userinfo, query or fragment. */
  readonly endpoint: string
  /** The provider's advice for an error tag. */
  readonly hint: (tag: Tag) => string | undefined
  /** The grant type, `revocation` or `discovery`. */
  readonly grantType: string
  readonly clientId?: string | undefined
  /** Every credential the request carried, as sent: server texts must not repeat them. */
  readonly secrets: ReadonlyArray<string>
  /** Larger bodies were not read. */
  readonly maximumResponseBytes: number
}

/**
 * What the server answered, and when (for `Retry-After` dates).
 *
 * @since 0.1.0
 * @category models
 */
export interface Answer {
  readonly status: number
  readonly headers: Readonly<Record<string, string | undefined>>
  readonly text: string | undefined
  readonly body: Wire.Body
  readonly now: number
}

/**
 * The fields every error from a server carries.
 *
 * @since 0.1.0
 * @category models
 */
export interface Fields {
  readonly endpoint: string
  readonly status?: number
  readonly error?: string
  readonly errorDescription?: string
  readonly errorUri?: string
  readonly hint?: string
}

/**
 * A token error as plain data: its tag and the fields of its class.
 *
 * @since 0.1.0
 * @category models
 */
export type Description =
  | { readonly tag: "InvalidCredentials"; readonly fields: Fields & { readonly grantType: string; readonly clientId?: string } }
  | { readonly tag: "WrongHost"; readonly fields: Fields & { readonly reason: "NotFound" | "Redirect"; readonly location?: string } }
  | { readonly tag: "UnsupportedMediaType"; readonly fields: Fields & { readonly contentType: string } }
  | { readonly tag: "InvalidRequest"; readonly fields: Fields & { readonly grantType: string } }
  | {
    readonly tag: "TemporarilyUnavailable"
    readonly fields: Fields & { readonly reason: "ServerError" | "RateLimited"; readonly retryAfterMillis?: number }
  }
  | { readonly tag: "InvalidTokenResponse"; readonly fields: Fields & { readonly reason: InvalidReason; readonly detail: string } }

const isSuccess = (status: number) => status >= 200 && status < 300

type ServerFields = Pick<Fields, "error" | "errorDescription" | "errorUri">

/** The §5.2 texts as errors keep them: capped, on one line, without the request's credentials. */
const serverFields = (target: Target, body: Wire.ErrorResponse | undefined): ServerFields => {
  if (body === undefined) return {}
  const clean = (text: string) => ServerText.sanitize(text, target.secrets)
  return {
    error: clean(body.error),
    ...(body.error_description !== undefined ? { errorDescription: clean(body.error_description) } : {}),
    ...(body.error_uri !== undefined ? { errorUri: clean(body.error_uri) } : {})
  }
}

/**
 * The fields of an error with `tag` about `target`, with its hint.
 *
 * @since 0.1.0
 * @category fields
 */
export const fields = (target: Target, tag: Tag, status: number | undefined, server: ServerFields = {}): Fields => {
  const hint = target.hint(tag)
  return { endpoint: target.endpoint, ...(status !== undefined ? { status } : {}), ...server, ...(hint !== undefined ? { hint } : {}) }
}

/**
 * An answer whose body is not what it should be; a `detail` quoting the server is cleaned by the caller.
 *
 * @since 0.1.0
 * @category descriptions
 */
export const invalidBody = (target: Target, status: number | undefined, reason: InvalidReason, detail: string): Description => ({
  tag: "InvalidTokenResponse",
  fields: { ...fields(target, "InvalidTokenResponse", status), reason, detail }
})

const classified = (target: Target, answer: Answer, classification: ErrorClassification.Classification, server: ServerFields): Description => {
  const { status } = answer
  switch (classification.tag) {
    case "InvalidCredentials":
      return {
        tag: classification.tag,
        fields: {
          ...fields(target, classification.tag, status, server),
          grantType: target.grantType,
          ...(target.clientId !== undefined ? { clientId: target.clientId } : {})
        }
      }
    case "WrongHost": {
      const location = answer.headers["location"]
      const origin = classification.reason === "Redirect" && location !== undefined && URL.canParse(location, target.url)
        ? new URL(location, target.url).origin
        : undefined
      return {
        tag: classification.tag,
        fields: { ...fields(target, classification.tag, status, server), reason: classification.reason, ...(origin !== undefined ? { location: origin } : {}) }
      }
    }
    case "UnsupportedMediaType":
      return { tag: classification.tag, fields: { ...fields(target, classification.tag, status, server), contentType: "application/x-www-form-urlencoded" } }
    case "InvalidRequest":
      return { tag: classification.tag, fields: { ...fields(target, classification.tag, status, server), grantType: target.grantType } }
    case "TemporarilyUnavailable": {
      const retryAfterMillis = RetryAfter.parse(answer.headers["retry-after"], answer.now)
      return {
        tag: classification.tag,
        fields: { ...fields(target, classification.tag, status, server), reason: classification.reason, ...(retryAfterMillis !== undefined ? { retryAfterMillis } : {}) }
      }
    }
    case "InvalidTokenResponse":
      return {
        tag: classification.tag,
        fields: { ...fields(target, classification.tag, status, server), reason: classification.reason, detail: classification.detail }
      }
  }
}

/**
 * The error a token or revocation endpoint's answer is: by its §5.2 body when it has one, else its status.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @since 0.1.0
 * @category descriptions
 */
export const tokenEndpointFailure = (target: Target, answer: Answer): Description => {
  const errorResponse = answer.body._tag === "Json" ? Wire.decodeErrorResponse(answer.body.value) : undefined
  return classified(target, answer, ErrorClassification.tokenEndpoint(answer.status, errorResponse?.error), serverFields(target, errorResponse))
}

const unreadableBody = (target: Target, answer: Answer, subject: string): Description =>
  answer.body._tag === "TooLarge"
    ? invalidBody(target, answer.status, "TooLarge", `${subject} is larger than ${target.maximumResponseBytes} bytes`)
    : invalidBody(
      target,
      answer.status,
      "NotJson",
      Wire.looksLikeHtml(answer.text, answer.headers["content-type"]) ? `${subject} is an HTML page, not JSON` : `${subject} is not valid JSON`
    )

/**
 * The JSON of a token endpoint's success, or the error its answer is (a 2xx §5.2 body without
 * an `access_token` is believed).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.1
 * @since 0.1.0
 * @category descriptions
 */
export const tokenEndpointBody = (target: Target, answer: Answer): { readonly _tag: "Json"; readonly value: unknown } | { readonly _tag: "Failure"; readonly failure: Description } => {
  if (!isSuccess(answer.status)) return { _tag: "Failure", failure: tokenEndpointFailure(target, answer) }
  if (answer.body._tag !== "Json") return { _tag: "Failure", failure: unreadableBody(target, answer, "the body") }
  const json = answer.body.value
  return Wire.decodeErrorResponse(json) !== undefined && !Wire.hasAccessToken(json)
    ? { _tag: "Failure", failure: tokenEndpointFailure(target, answer) }
    : { _tag: "Json", value: json }
}

/**
 * The JSON of a metadata document (RFC 8414, OpenID discovery), or the error its answer is.
 *
 * @see https://www.rfc-editor.org/rfc/rfc8414#section-3.2
 * @since 0.1.0
 * @category descriptions
 */
export const metadataBody = (target: Target, answer: Answer, subject: string): { readonly _tag: "Json"; readonly value: unknown } | { readonly _tag: "Failure"; readonly failure: Description } => {
  const classification = ErrorClassification.metadataDocument(answer.status)
  if (classification !== undefined) return { _tag: "Failure", failure: classified(target, answer, classification, {}) }
  if (answer.body._tag !== "Json") return { _tag: "Failure", failure: unreadableBody(target, answer, subject) }
  return { _tag: "Json", value: answer.body.value }
}
