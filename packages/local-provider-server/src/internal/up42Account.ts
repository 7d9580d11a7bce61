/**
 * UP42 with account credentials on the local provider server: a Keycloak realm (password
 * and refresh grants for the public `up42-api` client), its discovery document and the
 * account API.
 *
 * @internal
 */
import { Provider, Providers } from "@effect-bearer/kernel"
import { discovery } from "./discovery.js"
import { tokenResponse, tokenType } from "./faults.js"
import type { Session } from "./issuedTokens.js"
import { get, post, type ProviderHandler, urlsOn } from "./providerHandler.js"
import { documentedLifetime, environmentOf, pathUnder, required, tokenPath } from "./providerRecord.js"
import { protectedApi } from "./protectedApi.js"
import { isForm, json, oauthError, unsupportedMediaType } from "./wire.js"

const record = Providers.up42Account
const realm = "up42-account"
/** The Keycloak realm, where the record's default region has it. */
const issuer = pathUnder(realm, required(Provider.defaultRegion(record)?.issuer, "issuer for up42-account"))
const urlPaths = {
  tokenUrl: tokenPath(realm, record),
  apiUrl: `/${realm}/api/accounts/me`,
  publicApiUrl: `/${realm}/api/collections`,
  issuer,
  discoveryUrl: `${issuer}/.well-known/openid-configuration`
} as const

/** The public client everybody uses. */
export const publicClientId = required(record.clientId, "client id for up42-account")

/** The refresh token (session) lifetime (ms) unless told otherwise. */
export const defaultRefreshLifetime =
  required(record.refreshTokenLifetimeSeconds, "refresh token lifetime for up42-account") * 1000

/** UP42 with account credentials. */
export const up42Account: ProviderHandler<"up42-account"> = {
  id: "up42-account",
  realm,
  defaultLifetime: documentedLifetime(record),
  urls: urlsOn(urlPaths),
  environment: (credentials, urls) =>
    environmentOf(record, {
      username: credentials.up42Account.username,
      password: credentials.up42Account.password,
      tokenUrl: urls.tokenUrl
    }),
  routes: (context) => {
    const { credentials, tokens, urls } = context
    const token = context.endpoint("up42-account", "token", async (incoming, fault) => {
      if (!isForm(incoming.headers)) return unsupportedMediaType
      const { form, now } = incoming
      const account = credentials.up42Account
      const clientId = form.get("client_id")
      if (clientId === null) return oauthError(401, "invalid_client", "Missing parameter: client_id")
      if (clientId !== account.clientId) {
        return oauthError(401, "invalid_client", "Invalid client or Invalid client credentials")
      }
      const grantType = form.get("grant_type")
      // Not RFC 6749's 400: UP42's page lists a missing grant_type under 401.
      if (grantType === null) return oauthError(401, "invalid_request", "Missing form parameter: grant_type")
      let session: Session
      if (grantType === "password") {
        if (form.get("username") !== account.username || form.get("password") !== account.password) {
          return oauthError(401, "invalid_grant", "Invalid user credentials")
        }
        session = tokens.startSession("up42-account", account.username, clientId, "ACCOUNT_ADMIN USER", now)
      } else if (grantType === "refresh_token") {
        const live = tokens.sessionOf(form.get("refresh_token"), "up42-account", now)
        if (live === undefined) return oauthError(400, "invalid_grant", "Token is not active")
        if (live.clientId !== clientId) {
          return oauthError(400, "invalid_grant", "Invalid refresh token. Token client and authorized client don't match")
        }
        session = live
      } else {
        return oauthError(400, "unsupported_grant_type", "Unsupported grant_type")
      }
      // Keycloak never lets an access token outlive its session.
      const remaining = session.expiresAt - now
      const issued = await tokens.issue({
        provider: "up42-account",
        subject: session.subject,
        clientId,
        scope: session.scope,
        now,
        lifetime: Math.min(tokens.lifetime("up42-account"), remaining),
        sessionId: session.id,
        fault
      })
      return tokenResponse(fault, {
        access_token: issued.value,
        expires_in: issued.expiresIn,
        refresh_expires_in: Math.floor(remaining / 1000),
        refresh_token: await tokens.refreshTokenFor(session),
        token_type: tokenType(fault, "Bearer"),
        "not-before-policy": 0,
        session_state: session.id,
        scope: session.scope
      })
    })
    return [
      post(urlPaths.tokenUrl, token),
      get(
        urlPaths.discoveryUrl,
        discovery(context, "up42-account", {
          issuer: urls["up42-account"].issuer,
          token_endpoint: urls["up42-account"].tokenUrl,
          token_endpoint_auth_methods_supported: ["none", "client_secret_basic", "client_secret_post"],
          grant_types_supported: ["password", "refresh_token", "client_credentials"],
          response_types_supported: ["code", "token"],
          scopes_supported: ["openid", "profile", "email"]
        })
      ),
      get(
        urlPaths.apiUrl,
        protectedApi(context, { provider: "up42-account", realm }, (token) => ({ email: token.subject }))
      ),
      // "Those endpoints, that allow requests without authentication, provide access to
      // publicly available information — for example, to a list of all collections."
      get(
        urlPaths.publicApiUrl,
        context.endpoint("up42-account", "api", () =>
          json({ data: [{ name: "local-collection", title: "Local collection" }], error: null }))
      )
    ]
  }
}
