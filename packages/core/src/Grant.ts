/**
 * What a token request asks for: the authorization grant of RFC 6749 §4 and §6.
 *
 * @since 0.1.0
 */
import { Data, Redacted } from "effect"

/**
 * An authorization grant.
 *
 * - `ClientCredentials` (RFC 6749 §4.4): the client acts on its own behalf.
 * - `Password` (RFC 6749 §4.3): a resource owner's username and password.
 * - `RefreshToken` (RFC 6749 §6): a refresh token from an earlier response.
 *
 * @since 0.1.0
 * @category models
 */
export type Grant = Data.TaggedEnum<{
  ClientCredentials: {}
  Password: { readonly username: string; readonly password: Redacted.Redacted<string> }
  RefreshToken: { readonly refreshToken: Redacted.Redacted<string> }
}>

const { ClientCredentials, Password, RefreshToken, $match } = Data.taggedEnum<Grant>()

/**
 * The `client_credentials` grant.
 *
 * @since 0.1.0
 * @category constructors
 */
export const clientCredentials: Grant = ClientCredentials()

/**
 * The `password` grant.
 *
 * @example
 * import { Redacted } from "effect"
 * import { Grant } from "@effect-bearer/core"
 *
 * const grant = Grant.password({ username: "me@example.com", password: Redacted.make("hunter2") })
 *
 * @since 0.1.0
 * @category constructors
 */
export const password = (options: { readonly username: string; readonly password: Redacted.Redacted<string> }): Grant =>
  Password(options)

/**
 * The `refresh_token` grant.
 *
 * @since 0.1.0
 * @category constructors
 */
export const refreshToken = (token: Redacted.Redacted<string>): Grant => RefreshToken({ refreshToken: token })

/**
 * The `grant_type` value sent on the wire.
 *
 * @since 0.1.0
 * @category accessors
 */
export const grantType: (grant: Grant) => "client_credentials" | "password" | "refresh_token" = $match({
  ClientCredentials: () => "client_credentials" as const,
  Password: () => "password" as const,
  RefreshToken: () => "refresh_token" as const
})

/**
 * The form parameters of the grant (RFC 6749 §4.3.2, §4.4.2, §6), secrets revealed:
 * only the token endpoint module calls this, to build the request body.
 *
 * @since 0.1.0
 * @category encoding
 */
export const toParameters: (grant: Grant) => Record<string, string> = $match({
  ClientCredentials: () => ({ grant_type: "client_credentials" }),
  Password: ({ password, username }) => ({ grant_type: "password", username, password: Redacted.value(password) }),
  RefreshToken: ({ refreshToken }) => ({ grant_type: "refresh_token", refresh_token: Redacted.value(refreshToken) })
})
