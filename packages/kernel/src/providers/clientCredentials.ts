/**
 * The credentials-file shape of an OAuth2 client id and secret, as Hydrosat's `creds.json`
 * has them, shared by the providers that use it.
 *
 * @internal
 */
import type { CredentialsShape } from "../Provider.js"

/** `{"client_id": "…", "client_secret": "…"}`. */
export const clientCredentialsShape: CredentialsShape = {
  tag: "ClientCredentials",
  fields: [
    { field: "client_id", fills: "clientId", secret: false, placeholder: "<client id>" },
    { field: "client_secret", fills: "clientSecret", secret: true, placeholder: "<client secret>" }
  ]
}
