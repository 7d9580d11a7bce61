/**
 * Hydrosat: client credentials with the client ID and secret in the form body
 * (`client_secret_post`); tokens live an hour (`expires_in: 3600`) and are for the STAC API.
 *
 * @see https://satdocs.hydrosat.com/stac-api-reference-and-specification/authentication
 * @since 0.1.0
 */
import type { Provider } from "../Provider.js"
import { clientCredentialsShape } from "./clientCredentials.js"

const tokenUrl = "https://auth.hydrosat.com/oauth2/token"

/**
 * Hydrosat as one value.
 *
 * @since 0.1.0
 */
export const hydrosat: Provider = {
  id: "hydrosat",
  title: "Hydrosat",
  documentation: "https://satdocs.hydrosat.com/stac-api-reference-and-specification/authentication",
  regions: [{ id: "default", title: "Hydrosat", tokenUrl, apiOrigins: ["https://stac-beta.hydrosat.com"] }],
  grantType: "client_credentials",
  clientAuthentication: "client_secret_post",
  credentials: { clientId: "clientId", clientSecret: "clientSecret" },
  defaultLifetimeSeconds: 3600,
  accessTokenPaths: ["access_token"],
  environment: {
    variables: [
      {
        name: "HYDROSAT_CLIENT_ID",
        fills: "clientId",
        kind: "credential",
        secret: false,
        requirement: "required",
        description: "the client_id of your Hydrosat creds.json"
      },
      {
        name: "HYDROSAT_CLIENT_SECRET",
        fills: "clientSecret",
        kind: "credential",
        secret: true,
        requirement: "required",
        description: "the client_secret of your Hydrosat creds.json"
      },
      {
        name: "HYDROSAT_TOKEN_URL",
        fills: "tokenUrl",
        kind: "setting",
        secret: false,
        requirement: "optional",
        description: `the token endpoint, when not ${tokenUrl} (a staging host, the local provider server)`
      }
    ],
    summary: "HYDROSAT_CLIENT_ID and HYDROSAT_CLIENT_SECRET (or HYDROSAT_CREDENTIALS_FILE)"
  },
  credentialsFile: {
    // The creds.json of Hydrosat's example, which you write with what Hydrosat issued.
    shapes: [clientCredentialsShape],
    variable: "HYDROSAT_CREDENTIALS_FILE"
  },
  hints: {
    InvalidCredentials:
      "Use the client ID and secret Hydrosat issued when you created the API client in the Data Discovery portal (the client_id and client_secret you put in creds.json).",
    WrongHost: `Hydrosat tokens come from ${tokenUrl}; the STAC API (stac-beta.hydrosat.com) only accepts them.`
  }
}
