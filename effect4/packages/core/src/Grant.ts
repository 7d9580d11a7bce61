/**
 * What a token request asks for: the authorization grants of RFC 6749 §4.3, §4.4 and §6.
 *
 * @since 4.0.0
 */
import { Data, Redacted } from "effect"

/**
 * An authorization grant: `ClientCredentials`, `Password` or `RefreshToken`.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4
 * @since 4.0.0
 * @category models
 */
export type Grant = Data.TaggedEnum<{
  ClientCredentials: {}
  Password: { readonly username: string; readonly password: Redacted.Redacted<string> }
  RefreshToken: { readonly refreshToken: Redacted.Redacted<string> }
}>

const Grants = Data.taggedEnum<Grant>()

/**
 * The `client_credentials` grant.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.4
 * @since 4.0.0
 * @category constructors
 */
export const clientCredentials: Grant = Grants.ClientCredentials()

/**
 * The `password` grant.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-4.3
 * @since 4.0.0
 * @category constructors
 */
export const password = (options: { readonly username: string; readonly password: Redacted.Redacted<string> }): Grant =>
  Grants.Password(options)

/**
 * The `refresh_token` grant.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749#section-6
 * @since 4.0.0
 * @category constructors
 */
export const refreshToken = (token: Redacted.Redacted<string>): Grant => Grants.RefreshToken({ refreshToken: token })

/**
 * The wire `grant_type`.
 *
 * @since 4.0.0
 * @category accessors
 */
export const grantType = (grant: Grant): "client_credentials" | "password" | "refresh_token" =>
  grant._tag === "ClientCredentials" ? "client_credentials" : grant._tag === "Password" ? "password" : "refresh_token"

/**
 * The grant's form parameters, secrets revealed for the request body only.
 *
 * @since 4.0.0
 * @category encoding
 */
export const toParameters = (grant: Grant): Record<string, string> => {
  switch (grant._tag) {
    case "ClientCredentials":
      return { grant_type: "client_credentials" }
    case "Password":
      return { grant_type: "password", username: grant.username, password: Redacted.value(grant.password) }
    case "RefreshToken":
      return { grant_type: "refresh_token", refresh_token: Redacted.value(grant.refreshToken) }
  }
}
