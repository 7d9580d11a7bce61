/**
 * UP42 with project credentials (the older API): HTTP Basic with the project ID and the
 * project API key, `grant_type=client_credentials`, and a 5-minute HS512 JWT that arrives
 * at `data.accessToken` (and again at the top-level `accessToken`). UP42 documents this
 * endpoint on `api.up42.com` only, so it has one region.
 *
 * @see https://docs.up42.com/developers/authentication
 * @since 0.1.0
 */
import type { Provider } from "../Provider.js"

const tokenUrl = "https://api.up42.com/oauth/token"
const whereToFind = "from the UP42 console (the project's Developers page)"

/**
 * UP42 with project credentials as one value.
 *
 * @since 0.1.0
 */
export const up42Project: Provider = {
  id: "up42-project",
  title: "UP42 (project credentials)",
  documentation: "https://docs.up42.com/developers/authentication",
  regions: [{ id: "eu", title: "Europe", tokenUrl, apiOrigins: ["https://api.up42.com"] }],
  grantType: "client_credentials",
  clientAuthentication: "client_secret_basic",
  // As the documented `curl -u "$PROJ:$PKEY"` sends them: UP42 documents curl as working,
  // so the key as it is works for every key UP42 issues, while form-encoding would turn a
  // `+`, `/` or `=` into `%2B`, `%2F`, `%3D` that a server which does not form-decode refuses.
  basicEncoding: "none",
  credentials: { clientId: "projectId", clientSecret: "projectApiKey" },
  namedByClient: true,
  // The response has no `expires_in`: the JWT's `exp` claim says, and this when it cannot be read.
  defaultLifetimeSeconds: 300,
  accessTokenPaths: ["data.accessToken", "accessToken"],
  environment: {
    variables: [
      {
        name: "UP42_PROJECT_ID",
        fills: "projectId",
        kind: "credential",
        secret: false,
        requirement: "required",
        description: `the project ID ${whereToFind}`
      },
      {
        name: "UP42_PROJECT_API_KEY",
        fills: "projectApiKey",
        kind: "credential",
        secret: true,
        requirement: "required",
        description: `the project API key ${whereToFind}`
      },
      {
        name: "UP42_PROJECT_TOKEN_URL",
        fills: "tokenUrl",
        kind: "setting",
        secret: false,
        requirement: "optional",
        description: `the token endpoint, when not ${tokenUrl} (a staging host, the local provider server)`
      }
    ],
    summary: "UP42_PROJECT_ID and UP42_PROJECT_API_KEY"
  },
  credentialsFile: {
    // The names the UP42 Python SDK's configuration file used.
    shapes: [{
      tag: "ProjectCredentials",
      fields: [
        { field: "project_id", fills: "projectId", secret: false, placeholder: "<project id>" },
        { field: "project_api_key", fills: "projectApiKey", secret: true, placeholder: "<project API key>" }
      ]
    }]
  },
  hints: {
    InvalidCredentials:
      "UP42 project tokens need the project ID and the project API key of the same project (UP42 console: the project's Developers page).",
    WrongHost:
      `Project tokens come from ${tokenUrl}. For account credentials (email and password) use Up42Account, whose tokens come from auth.up42.com (eu) or auth.sa.up42.com (sa).`,
    InvalidTokenResponse: "A project token arrives at data.accessToken (or the top-level accessToken) of the response."
  }
}
