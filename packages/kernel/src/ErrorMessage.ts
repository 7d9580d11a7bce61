/**
 * The messages of the library's errors (`TokenError`): what failed, the server's own words
 * (cleaned), and what to do next. Plain functions of the errors' fields, so that every
 * Effect line says the same thing.
 *
 * @since 0.1.0
 */
import * as ServerText from "./ServerText.js"

/**
 * The fields every error from (or about) a token endpoint carries.
 *
 * @since 0.1.0
 */
export interface EndpointDetails {
  readonly endpoint: string
  readonly status?: number | undefined
  readonly error?: string | undefined
  readonly errorDescription?: string | undefined
  readonly errorUri?: string | undefined
  readonly hint?: string | undefined
}

/**
 * The message of an endpoint error: headline, status and §5.2 texts, endpoint, advice, hint,
 * `error_uri`. The server's texts were sanitised where the error was made (with the
 * credentials in hand); they are sanitised again here, without them, so that an error made
 * elsewhere cannot put control characters or a page of text in a message.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-5.2
 * @since 0.1.0
 */
export const describe = (self: EndpointDetails, headline: string, advice: string): string => {
  const parts = [headline]
  const server = [
    self.status !== undefined ? `HTTP ${self.status}` : undefined,
    self.error !== undefined ? ServerText.sanitize(self.error) : undefined,
    self.errorDescription !== undefined ? ServerText.sanitize(self.errorDescription) : undefined
  ].filter((part): part is string => part !== undefined)
  if (server.length > 0) parts.push(`(${server.join(": ")})`)
  parts.push(`from ${self.endpoint}.`, advice)
  if (self.hint !== undefined) parts.push(self.hint)
  if (self.errorUri !== undefined) parts.push(`See ${ServerText.sanitize(self.errorUri)}`)
  return parts.join(" ")
}

/**
 * `InvalidCredentials`: the client or the grant was refused.
 *
 * @since 0.1.0
 */
export const invalidCredentials = (
  self: EndpointDetails & { readonly grantType: string; readonly clientId?: string | undefined }
): string => {
  const who = self.clientId !== undefined ? ` for client "${self.clientId}"` : ""
  return describe(
    self,
    `The ${self.grantType} grant${who} was refused`,
    self.grantType === "refresh_token"
      ? "The refresh token is no longer valid; a new grant is needed."
      : "Check the client id and secret (or username and password) and that this client may use this grant."
  )
}

/**
 * `WrongHost`: the request went, or would have gone, to the wrong place.
 *
 * @since 0.1.0
 */
export const wrongHost = (
  self: EndpointDetails & {
    readonly reason: "NotFound" | "Redirect" | "InsecureEndpoint" | "InvalidUrl" | "ForeignOrigin"
    readonly location?: string | undefined
  }
): string => {
  switch (self.reason) {
    case "NotFound":
      return describe(self, "No token endpoint was found", "Check the token endpoint's host and path.")
    case "Redirect":
      return describe(
        self,
        `The token endpoint answered with a redirect${self.location !== undefined ? ` to ${self.location}` : ""}`,
        "Redirects are never followed, so that credentials go nowhere but the configured endpoint: configure the final URL."
      )
    case "InsecureEndpoint":
      return describe(
        self,
        "Refusing to send credentials over plain http",
        "Use an https URL (plain http is allowed only for loopback addresses)."
      )
    case "InvalidUrl":
      return describe(self, "The token endpoint is not a valid absolute URL", "Configure a URL such as https://host/path.")
    case "ForeignOrigin":
      return describe(
        self,
        `Refusing to send a token to ${self.location ?? "an origin"} it was not issued for`,
        "Add the origin to the allowed origins if it really is the token's audience."
      )
  }
}

/**
 * `UnsupportedMediaType`: the token endpoint refused the request body.
 *
 * @since 0.1.0
 */
export const unsupportedMediaType = (self: EndpointDetails & { readonly contentType: string }): string =>
  describe(
    self,
    `The token endpoint refused the request body (sent as ${self.contentType})`,
    "Token requests must be application/x-www-form-urlencoded and carry grant_type (and client_id where the provider wants it) in the body."
  )

/**
 * `Expired`: the token expired and could not be renewed, or was refused although fresh.
 *
 * @since 0.1.0
 */
export const expired = (
  self: EndpointDetails & { readonly reason: "AccessToken" | "RefreshToken" | "RejectedByResource" }
): string => {
  switch (self.reason) {
    case "AccessToken":
      // A static token (`static:<name>`) has no endpoint to renew it at.
      return self.endpoint.startsWith("static:")
        ? describe(self, "The static token expired or was refused", "It cannot be renewed here: get a new one where it was issued.")
        : describe(self, "The access token expired and could not be renewed", "Check the token endpoint's health.")
    case "RefreshToken":
      return describe(self, "The refresh token expired", "A new grant with the original credentials is needed.")
    case "RejectedByResource":
      return describe(
        self,
        "The resource server rejected a freshly issued token",
        "The token's scope or audience may not cover this API, or the API expects another provider's token."
      )
  }
}

/**
 * `InvalidRequest`: the server refused the request for a reason other than the credentials.
 *
 * @since 0.1.0
 */
export const invalidRequest = (self: EndpointDetails & { readonly grantType: string }): string =>
  describe(
    self,
    `The ${self.grantType} request was refused`,
    "Check the grant type, scope and extra parameters this provider requires."
  )

/**
 * `TemporarilyUnavailable`: the server could not answer now. `retryAfter` is the server's
 * `Retry-After`, already written out (e.g. `30s`).
 *
 * @since 0.1.0
 */
export const temporarilyUnavailable = (
  self: EndpointDetails & { readonly reason: "Transport" | "Timeout" | "ServerError" | "RateLimited" },
  retryAfter: string | undefined
): string => {
  const headline = {
    Transport: "The token endpoint could not be reached",
    Timeout: "The token endpoint did not answer in time",
    ServerError: "The token endpoint failed",
    RateLimited: "The token endpoint is rate limiting this client"
  }[self.reason]
  const wait = retryAfter !== undefined ? ` The server asks to wait ${retryAfter}.` : ""
  return describe(self, headline, `This is usually temporary: retry later.${wait}`)
}

/**
 * The `endpoint` of errors about a static token given by the user: `static:<name>`.
 *
 * @since 0.1.0
 */
export const staticPrefix = "static:"

/**
 * `InvalidTokenResponse`: a success that is not a usable token response (or discovery
 * document), or a static token that cannot be sent.
 *
 * @since 0.1.0
 */
export const invalidTokenResponse = (self: EndpointDetails & { readonly detail: string }): string =>
  self.endpoint.startsWith(staticPrefix)
    ? describe(
      self,
      `The configured token is not usable: ${self.detail}`,
      "Pass the token exactly as it was issued: without a \"Bearer \" prefix, quotes or a trailing newline."
    )
    : describe(
      self,
      `The authorization server's response is not usable: ${self.detail}`,
      "Check that the URL is the provider's token endpoint (or discovery document) and that this library supports its response shape."
    )

/**
 * `InvalidConfiguration`: names the setting and what is wrong, never its value.
 *
 * @since 0.1.0
 */
export const invalidConfiguration = (self: { readonly setting: string; readonly problem: string }): string =>
  `Invalid configuration for ${self.setting}: ${self.problem}`
