/**
 * UP42 with account credentials (the current API): the password grant with the console
 * email and password and the public client `up42-api`, against a Keycloak realm. Tokens
 * live 5 minutes; the refresh token (`refresh_expires_in`, 30 minutes) renews them.
 * Two regions, chosen with `UP42_REGION` (or the `region` option): South America (`sa`,
 * the default: the region the authentication page documents, and this library's default
 * before regions were offered, so an existing user is not moved) and Europe (`eu`, the
 * UP42 Python SDK's default), each with its auth host, its API host and its hints.
 *
 * @see https://docs.sa.up42.com/developers/authentication
 * @since 0.1.0
 */
import type { Provider, Region } from "../Provider.js"

/**
 * A UP42 region: the Keycloak realm on the auth host, the API on the API host, and the
 * documented 404 hint naming this region's hosts.
 */
const region = (id: string, title: string, domain: string): Region => {
  const issuer = `https://auth.${domain}/realms/public`
  const tokenUrl = `${issuer}/protocol/openid-connect/token`
  return {
    id,
    title,
    issuer,
    tokenUrl,
    apiOrigins: [`https://api.${domain}`],
    hints: {
      WrongHost:
        `UP42 tokens come from auth.${domain}, not api.${domain} (which serves the rest of the API): the token URL is ${tokenUrl}.`
    }
  }
}

const southAmerica = region("sa", "South America", "sa.up42.com")
const europe = region("eu", "Europe", "up42.com")
const console = "you log in to the UP42 console with"

/**
 * UP42 with account credentials as one value.
 *
 * @since 0.1.0
 */
export const up42Account: Provider = {
  id: "up42-account",
  title: "UP42 (account credentials)",
  documentation: "https://docs.sa.up42.com/developers/authentication",
  regions: [southAmerica, europe],
  grantType: "password",
  clientAuthentication: "none",
  credentials: { username: "username", password: "password" },
  // UP42 documents it: "Don't change the up42-api value".
  clientId: "up42-api",
  defaultLifetimeSeconds: 300,
  refreshTokenLifetimeSeconds: 1800,
  accessTokenPaths: ["access_token"],
  environment: {
    variables: [
      {
        name: "UP42_USERNAME",
        fills: "username",
        kind: "credential",
        secret: false,
        requirement: "required",
        description: `the email address ${console}`
      },
      {
        name: "UP42_PASSWORD",
        fills: "password",
        kind: "credential",
        secret: true,
        requirement: "required",
        description: `the password ${console}`
      },
      {
        name: "UP42_TOKEN_URL",
        fills: "tokenUrl",
        kind: "setting",
        secret: false,
        requirement: "optional",
        description:
          `the token endpoint, when not the region's (default ${southAmerica.tokenUrl}; a staging host, the local provider server)`
      },
      {
        name: "UP42_REGION",
        fills: "region",
        kind: "setting",
        secret: false,
        requirement: "optional",
        allowedValues: ["sa", "eu"],
        description:
          `the region of your UP42 account: sa (default, ${southAmerica.tokenUrl}) or eu (${europe.tokenUrl}, the default of UP42's Python SDK)`
      },
      {
        name: "UP42_CLIENT_ID",
        fills: "clientId",
        kind: "setting",
        secret: false,
        requirement: "optional",
        description: "the public client id, when not up42-api"
      }
    ],
    summary: "UP42_USERNAME and UP42_PASSWORD"
  },
  credentialsFile: {
    shapes: [{
      tag: "AccountCredentials",
      fields: [
        { field: "username", fills: "username", secret: false, placeholder: "<email>" },
        { field: "password", fills: "password", secret: true, placeholder: "<password>" }
      ]
    }]
  },
  hints: {
    UnsupportedMediaType:
      "UP42 wants Content-Type: application/x-www-form-urlencoded, and grant_type=password and client_id=up42-api in the body.",
    InvalidCredentials:
      "Use the email and password you log in to the UP42 console with; the body must carry grant_type=password and client_id=up42-api."
  }
}
