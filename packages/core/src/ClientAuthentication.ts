/**
 * Where the client's credentials go in a token request (RFC 6749 §2.3.1).
 *
 * @since 0.1.0
 */
import * as ClientSecretBasic from "@effect-bearer/kernel/ClientSecretBasic"
import { Data, Redacted } from "effect"

/**
 * How the client authenticates to the token endpoint, named as in the IANA
 * "OAuth Token Endpoint Authentication Methods" registry.
 *
 * - `client_secret_basic`: HTTP Basic with the form-url-encoded id and secret (or, with
 *   `encoding: "none"`, as they are, as `curl -u` sends them).
 * - `client_secret_post`: `client_id` and `client_secret` in the form body.
 * - `none`: a public client; `client_id` in the body (e.g. UP42's `up42-api`).
 *
 * @since 0.1.0
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
 * How `client_secret_basic` writes the id and secret before Base64: `form`
 * (`application/x-www-form-urlencoded`, as RFC 6749 §2.3.1 requires; the default) or
 * `none` (as they are, as `curl -u` and RFC 7617 do, for servers that do not form-decode).
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-2.3.1
 * @since 0.1.0
 * @category models
 */
export type BasicEncoding = "form" | "none"

const { $match, client_secret_basic, client_secret_post, none } = Data.taggedEnum<ClientAuthentication>()

/**
 * Credentials in an HTTP Basic `Authorization` header (RFC 6749 §2.3.1).
 *
 * @example
 * import { Redacted } from "effect"
 * import { ClientAuthentication } from "@effect-bearer/core"
 *
 * const auth = ClientAuthentication.clientSecretBasic({ clientId: "my-app", clientSecret: Redacted.make("s3cr3t") })
 *
 * @since 0.1.0
 * @category constructors
 */
export const clientSecretBasic = (options: {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
  readonly encoding?: BasicEncoding | undefined
}): ClientAuthentication => client_secret_basic(options)

/**
 * Credentials as `client_id` and `client_secret` form parameters (RFC 6749 §2.3.1).
 *
 * @since 0.1.0
 * @category constructors
 */
export const clientSecretPost = (options: {
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
}): ClientAuthentication => client_secret_post(options)

/**
 * A public client (RFC 6749 §2.1): no secret, only a `client_id` in the body when given.
 *
 * @since 0.1.0
 * @category constructors
 */
export const publicClient = (clientId?: string): ClientAuthentication => none({ clientId })

/**
 * The client id, whatever the method; identifiers are not secrets and may appear in errors.
 *
 * @since 0.1.0
 * @category accessors
 */
export const clientId: (self: ClientAuthentication) => string | undefined = $match({
  client_secret_basic: ({ clientId }) => clientId,
  client_secret_post: ({ clientId }) => clientId,
  none: ({ clientId }) => clientId
})

/**
 * The `Authorization` header value of `client_secret_basic`:
 * `Basic base64(urlencode(id) ":" urlencode(secret))`.
 *
 * Effect's `HttpClientRequest.basicAuth` skips the form-encoding and throws on
 * characters outside Latin-1, so the header is built here.
 *
 * @since 0.1.0
 * @category encoding
 */
export const basicAuthorization = (id: string, secret: Redacted.Redacted<string>): Redacted.Redacted<string> =>
  Redacted.make(ClientSecretBasic.authorization(id, Redacted.value(secret)))

/**
 * What the method adds to a token request: headers and form parameters, secrets revealed
 * only for the request body or header that the token endpoint module writes.
 *
 * @since 0.1.0
 * @category encoding
 */
export const toRequestParts: (self: ClientAuthentication) => {
  readonly headers: Record<string, Redacted.Redacted<string>>
  readonly parameters: Record<string, string>
} = $match({
  client_secret_basic: ({ clientId, clientSecret, encoding }) => ({
    headers: {
      authorization: encoding === "none"
        ? Redacted.make(ClientSecretBasic.authorizationAsIs(clientId, Redacted.value(clientSecret)))
        : basicAuthorization(clientId, clientSecret)
    },
    parameters: {}
  }),
  client_secret_post: ({ clientId, clientSecret }) => ({
    headers: {},
    parameters: { client_id: clientId, client_secret: Redacted.value(clientSecret) }
  }),
  none: ({ clientId }) => ({ headers: {}, parameters: clientId === undefined ? {} : { client_id: clientId } })
})
