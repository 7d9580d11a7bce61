/**
 * Any OAuth2 authorization server: the user names it (a token URL, or an issuer whose
 * OpenID discovery document names it), so the record has no region, no API origins and
 * no hints; what it fixes is the environment, the credentials file and the defaults.
 *
 * @see https://www.rfc-editor.org/rfc/rfc6749
 * @since 0.1.0
 */
import { clientAuthenticationMethods, grantTypes } from "../Provider.js"
import type { Provider } from "../Provider.js"
import { clientCredentialsShape } from "./clientCredentials.js"

const password = "(OAUTH2_GRANT_TYPE is password)"

/**
 * Any OAuth2 server as one value.
 *
 * @since 0.1.0
 */
export const oauth2: Provider = {
  id: "oauth2",
  title: "OAuth2",
  documentation: "https://www.rfc-editor.org/rfc/rfc6749",
  regions: [],
  grantType: "client_credentials",
  // What RFC 6749 §2.3.1 makes every server support, when there is a secret.
  clientAuthentication: "client_secret_basic",
  credentials: { clientId: "clientId", clientSecret: "clientSecret", username: "username", password: "password" },
  // The shortest common lifetime: an unknown token is renewed too early rather than late.
  defaultLifetimeSeconds: 300,
  accessTokenPaths: ["access_token"],
  environment: {
    variables: [
      {
        name: "OAUTH2_TOKEN_URL",
        fills: "tokenUrl",
        kind: "setting",
        secret: false,
        requirement: "alternative",
        description: "the token endpoint URL (or set OAUTH2_ISSUER to discover it)"
      },
      {
        name: "OAUTH2_ISSUER",
        fills: "issuer",
        kind: "setting",
        secret: false,
        requirement: "alternative",
        description: "the issuer URL, whose OpenID discovery document names the token endpoint (or set OAUTH2_TOKEN_URL)"
      },
      {
        name: "OAUTH2_CLIENT_ID",
        fills: "clientId",
        kind: "credential",
        secret: false,
        requirement: "required",
        description: "the client id the authorization server knows this application by"
      },
      {
        name: "OAUTH2_CLIENT_SECRET",
        fills: "clientSecret",
        kind: "credential",
        secret: true,
        requirement: "optional",
        description: "the client secret the authorization server gave this application; unset for a public client"
      },
      {
        name: "OAUTH2_CLIENT_AUTHENTICATION",
        fills: "clientAuthentication",
        kind: "setting",
        secret: false,
        requirement: "optional",
        allowedValues: clientAuthenticationMethods,
        description: "where the client secret goes; default client_secret_basic with a secret, none without"
      },
      {
        name: "OAUTH2_GRANT_TYPE",
        fills: "grantType",
        kind: "setting",
        secret: false,
        requirement: "optional",
        allowedValues: grantTypes,
        description: "the grant; default client_credentials"
      },
      {
        name: "OAUTH2_USERNAME",
        fills: "username",
        kind: "credential",
        secret: false,
        requirement: "conditional",
        description: `the resource owner's username ${password}`
      },
      {
        name: "OAUTH2_PASSWORD",
        fills: "password",
        kind: "credential",
        secret: true,
        requirement: "conditional",
        description: `the resource owner's password ${password}`
      },
      {
        name: "OAUTH2_SCOPE",
        fills: "scope",
        kind: "setting",
        secret: false,
        requirement: "optional",
        description: "the scope of token requests, space-separated"
      },
      {
        name: "OAUTH2_AUDIENCE",
        fills: "audience",
        kind: "setting",
        secret: false,
        requirement: "optional",
        description: "the audience parameter some servers (Auth0) want on token requests"
      },
      {
        name: "OAUTH2_REVOCATION_URL",
        fills: "revocationUrl",
        kind: "setting",
        secret: false,
        requirement: "optional",
        description: "the RFC 7009 revocation endpoint, when discovery does not name it"
      }
    ],
    summary: "OAUTH2_TOKEN_URL (or OAUTH2_ISSUER), OAUTH2_CLIENT_ID and OAUTH2_CLIENT_SECRET"
  },
  credentialsFile: {
    shapes: [clientCredentialsShape]
  },
  hints: {}
}
