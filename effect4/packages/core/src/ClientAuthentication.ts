/**
 * Where the client's credentials go in a token request (RFC 6749 §2.3.1). The Basic header is
 * the kernel's `ClientSecretBasic` (form-encoded id and secret, any Unicode).
 *
 * @since 4.0.0
 */
import * as ClientSecretBasic from "@effect-bearer/kernel/ClientSecretBasic"
import { Data, Redacted } from "effect"

/**
 * The method, named as in the IANA "OAuth Token Endpoint Authentication Methods" registry.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @since 4.0.0
 * @category models
 */
export type ClientAuthentication = Data.TaggedEnum<{
  client_secret_basic: {
    readonly clientId: string
    readonly clientSecret: Redacted.Redacted<string>
    readonly encoding?: BasicEncoding | undefined
  }
  client_secret_post: { readonly clientId: string; readonly clientSecret: Redacted.Redacted<string> }
  none: { readonly clientId: string | undefined }
}>

/**
 * How `client_secret_basic` writes id and secret before Base64: `form` (RFC 6749 §2.3.1, the
 * default) or `none` (as `curl -u` does).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @since 4.0.0
 * @category models
 */
export type BasicEncoding = "form" | "none"

const Methods = Data.taggedEnum<ClientAuthentication>()

/**
 * HTTP Basic credentials.
 *
 * @since 4.0.0
 * @category constructors
 */
export const clientSecretBasic = (options: {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
  readonly encoding?: BasicEncoding | undefined
}): ClientAuthentication => Methods.client_secret_basic(options)

/**
 * `client_id` and `client_secret` in the form body.
 *
 * @since 4.0.0
 * @category constructors
 */
export const clientSecretPost = (options: {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
}): ClientAuthentication => Methods.client_secret_post(options)

/**
 * A public client (RFC 6749 §2.1): only a `client_id`, when given.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.1
 * @since 4.0.0
 * @category constructors
 */
export const publicClient = (clientId?: string): ClientAuthentication => Methods.none({ clientId })

/**
 * The client id, whatever the method.
 *
 * @since 4.0.0
 * @category accessors
 */
export const clientId = (self: ClientAuthentication): string | undefined => self.clientId

/**
 * The `Basic` header value: `base64(urlencode(id) ":" urlencode(secret))`.
 *
 * @since 4.0.0
 * @category encoding
 */
export const basicAuthorization = (id: string, secret: Redacted.Redacted<string>): Redacted.Redacted<string> =>
  Redacted.make(ClientSecretBasic.authorization(id, Redacted.value(secret)))

/**
 * The headers and form parameters the method adds to a token request.
 *
 * @since 4.0.0
 * @category encoding
 */
export const toRequestParts = (self: ClientAuthentication): {
  readonly headers: Record<string, Redacted.Redacted<string>>
  readonly parameters: Record<string, string>
} => {
  switch (self._tag) {
    case "client_secret_basic": {
      const header = self.encoding === "none"
        ? Redacted.make(ClientSecretBasic.authorizationAsIs(self.clientId, Redacted.value(self.clientSecret)))
        : basicAuthorization(self.clientId, self.clientSecret)
      return { headers: { authorization: header }, parameters: {} }
    }
    case "client_secret_post":
      return { headers: {}, parameters: { client_id: self.clientId, client_secret: Redacted.value(self.clientSecret) } }
    case "none":
      return { headers: {}, parameters: self.clientId === undefined ? {} : { client_id: self.clientId } }
  }
}
