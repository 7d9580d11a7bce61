/**
 * Bitquery: an application's client ID and secret in the form body
 * (`client_secret_post`) with `scope=api`, against an Ory Hydra server; tokens are opaque
 * (`ory_at_…`) and their lifetime comes from `expires_in`. Or a token generated in the
 * Bitquery console, used as it is.
 *
 * @see https://docs.bitquery.io/docs/authorisation/how-to-generate/
 * @since 0.1.0
 */
import type { Provider } from "../Provider.js"
import { clientCredentialsShape } from "./clientCredentials.js"

const tokenUrl = "https://oauth2.bitquery.io/oauth2/token"

/**
 * Bitquery as one value.
 *
 * @since 0.1.0
 */
export const bitquery: Provider = {
  id: "bitquery",
  title: "Bitquery",
  documentation: "https://docs.bitquery.io/docs/authorisation/how-to-generate/",
  regions: [{ id: "default", title: "Bitquery", tokenUrl, apiOrigins: ["https://streaming.bitquery.io"] }],
  grantType: "client_credentials",
  clientAuthentication: "client_secret_post",
  credentials: { clientId: "clientId", clientSecret: "clientSecret" },
  scope: "api",
  // Bitquery sends `expires_in` (the application chooses it); 12 hours is how long a
  // console token lives without an application, the shortest Bitquery documents.
  defaultLifetimeSeconds: 12 * 3600,
  accessTokenPaths: ["access_token"],
  environment: {
    variables: [
      {
        name: "BITQUERY_CLIENT_ID",
        fills: "clientId",
        kind: "credential",
        secret: false,
        requirement: "alternative",
        description:
          "the client ID of a Bitquery application (with BITQUERY_CLIENT_SECRET), or set BITQUERY_ACCESS_TOKEN to a console token instead"
      },
      {
        name: "BITQUERY_CLIENT_SECRET",
        fills: "clientSecret",
        kind: "credential",
        secret: true,
        requirement: "alternative",
        description: "the client secret of the same Bitquery application"
      },
      {
        name: "BITQUERY_ACCESS_TOKEN",
        fills: "accessToken",
        kind: "credential",
        secret: true,
        requirement: "alternative",
        description: "a token generated in the Bitquery console"
      },
      {
        name: "BITQUERY_ACCESS_TOKEN_EXPIRES_AT",
        fills: "accessTokenExpiresAt",
        kind: "setting",
        secret: false,
        requirement: "optional",
        description:
          "when the console token expires (the expiration set in the console), as an ISO date such as 2026-12-31T23:59:59Z or as epoch seconds"
      },
      {
        name: "BITQUERY_TOKEN_URL",
        fills: "tokenUrl",
        kind: "setting",
        secret: false,
        requirement: "optional",
        description: `the token endpoint, when not ${tokenUrl} (the local provider server)`
      },
      {
        name: "BITQUERY_SCOPE",
        fills: "scope",
        kind: "setting",
        secret: false,
        requirement: "optional",
        description: "the scope of token requests, when not api"
      }
    ],
    summary: "BITQUERY_CLIENT_ID and BITQUERY_CLIENT_SECRET (or BITQUERY_ACCESS_TOKEN for a console token)"
  },
  credentialsFile: {
    // A file with both shapes is refused rather than guessed at.
    shapes: [
      clientCredentialsShape,
      {
        tag: "StaticToken",
        fields: [{ field: "access_token", fills: "accessToken", secret: true, placeholder: "<console token>" }]
      }
    ]
  },
  hints: {
    InvalidCredentials:
      "Use the client ID and secret of an application from https://account.bitquery.io/user/api_v2/applications; deleting the application invalidates its credentials and all its tokens.",
    InvalidRequest: "Bitquery requires scope=api on token requests.",
    WrongHost: `Bitquery tokens come from ${tokenUrl}.`
  },
  staticToken: {
    variable: "BITQUERY_ACCESS_TOKEN",
    description:
      "a token generated in the Bitquery console, sent as it is: it expires when set in the console, and without an application it rotates every 12 hours",
    expiresAtVariable: "BITQUERY_ACCESS_TOKEN_EXPIRES_AT",
    hints: {
      Expired:
        "Bitquery console tokens stop working at the expiration set in the console, and rotate every 12 hours without an application: generate a new one at https://account.bitquery.io/user/api_v2/access_tokens, or set BITQUERY_CLIENT_ID and BITQUERY_CLIENT_SECRET of an application, whose tokens are renewed."
    }
  }
}
