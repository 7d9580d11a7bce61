/**
 * A generic OAuth2 server on the local provider server: a token endpoint taking either
 * client authentication and the client credentials, password and refresh grants, RFC 7009
 * revocation, an OpenID discovery document and a protected resource.
 *
 * @internal
 */
import { ClientSecretBasic, Providers } from "@effect-bearer/kernel"
import { discovery } from "./discovery.js"
import { tokenResponse, tokenType } from "./faults.js"
import type { Session } from "./issuedTokens.js"
import { get, type HandlerContext, post, type ProviderHandler, urlsOn } from "./providerHandler.js"
import { protectedApi } from "./protectedApi.js"
import { environmentOf } from "./providerRecord.js"
import { empty, isForm, noStore, oauthError, unsupportedMediaType } from "./wire.js"
import type { Incoming, Response } from "./wire.js"

// The record of a server the user names has no endpoints or lifetimes: this server picks its own.
const realm = "oauth2"
const issuer = `/${realm}` as const
const urlPaths = {
  tokenUrl: `${issuer}/token`,
  apiUrl: `${issuer}/api/resource`,
  issuer,
  discoveryUrl: `${issuer}/.well-known/openid-configuration`,
  revocationUrl: `${issuer}/revoke`
} as const

/** The refresh token (session) lifetime (ms) unless told otherwise: a day. */
export const defaultRefreshLifetime = 86_400_000

/** `client_secret_basic` or `client_secret_post`, never both (RFC 6749 §2.3): the client id, or the error response. */
const authenticateClient = (
  context: HandlerContext,
  incoming: Incoming
): { readonly clientId: string } | { readonly refused: Response } => {
  const expected = context.credentials.oauth2
  const header = incoming.headers["authorization"]
  const basic = ClientSecretBasic.parse(header)
  const postId = incoming.form.get("client_id")
  const postSecret = incoming.form.get("client_secret")
  if (basic !== undefined && postSecret !== null) {
    return { refused: oauthError(400, "invalid_request", "Use one client authentication method, not two") }
  }
  const client = basic ?? (postId !== null && postSecret !== null ? { clientId: postId, clientSecret: postSecret } : undefined)
  if (
    client === undefined || client.clientId !== expected.clientId ||
    client.clientSecret !== expected.clientSecret
  ) {
    return {
      refused: oauthError(
        401,
        "invalid_client",
        "Client authentication failed",
        header !== undefined ? { "www-authenticate": `Basic realm="${realm}"` } : {}
      )
    }
  }
  return { clientId: client.clientId }
}

const token = (context: HandlerContext) =>
  context.endpoint("oauth2", "token", async (incoming, fault) => {
    const { credentials, tokens } = context
    if (!isForm(incoming.headers)) return unsupportedMediaType
    const client = authenticateClient(context, incoming)
    if ("refused" in client) return client.refused
    const { clientId } = client
    const { form, now } = incoming
    const grantType = form.get("grant_type")
    if (grantType === null) return oauthError(400, "invalid_request", "Missing grant_type")
    const requested = form.get("scope") ?? undefined
    let subject = clientId
    let scope = requested
    let session: Session | undefined
    if (grantType === "password") {
      const expected = credentials.oauth2
      if (form.get("username") !== expected.username || form.get("password") !== expected.password) {
        return oauthError(400, "invalid_grant", "Invalid resource owner credentials")
      }
      subject = expected.username
      session = tokens.startSession("oauth2", subject, clientId, requested, now)
    } else if (grantType === "refresh_token") {
      const live = tokens.sessionOf(form.get("refresh_token"), "oauth2", now)
      if (live === undefined || live.clientId !== clientId) {
        return oauthError(400, "invalid_grant", "The refresh token is invalid, expired or revoked")
      }
      session = live
      subject = live.subject
      scope = live.scope
    } else if (grantType !== "client_credentials") {
      return oauthError(400, "unsupported_grant_type", "Unsupported grant_type")
    }
    const issued = await tokens.issue({
      provider: "oauth2",
      subject,
      clientId,
      scope,
      now,
      sessionId: session?.id,
      fault
    })
    return tokenResponse(fault, {
      access_token: issued.value,
      token_type: tokenType(fault, "Bearer"),
      expires_in: issued.expiresIn,
      scope,
      refresh_token: session === undefined ? undefined : await tokens.refreshTokenFor(session)
    })
  })

/** RFC 7009: revoke an access or refresh token of this client; unknown tokens are fine. */
const revocation = (context: HandlerContext) =>
  context.endpoint("oauth2", "revocation", (incoming) => {
    if (!isForm(incoming.headers)) return unsupportedMediaType
    const client = authenticateClient(context, incoming)
    if ("refused" in client) return client.refused
    const value = incoming.form.get("token")
    if (value === null) return oauthError(400, "invalid_request", "Missing token")
    context.tokens.revokeOfClient("oauth2", client.clientId, value)
    return empty(200, noStore)
  })

/** The generic OAuth2 server. */
export const oauth2: ProviderHandler<"oauth2"> = {
  id: "oauth2",
  realm,
  defaultLifetime: 3_600_000,
  urls: urlsOn(urlPaths),
  environment: (credentials, urls) =>
    environmentOf(Providers.oauth2, {
      issuer: urls.issuer,
      clientId: credentials.oauth2.clientId,
      clientSecret: credentials.oauth2.clientSecret
    }),
  routes: (context) => [
    post(urlPaths.tokenUrl, token(context)),
    post(urlPaths.revocationUrl, revocation(context)),
    get(
      urlPaths.discoveryUrl,
      discovery(context, "oauth2", {
        issuer: context.urls.oauth2.issuer,
        token_endpoint: context.urls.oauth2.tokenUrl,
        revocation_endpoint: context.urls.oauth2.revocationUrl,
        token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
        revocation_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
        grant_types_supported: ["client_credentials", "password", "refresh_token"],
        response_types_supported: ["token"],
        scopes_supported: ["api", "read", "write"]
      })
    ),
    get(
      urlPaths.apiUrl,
      protectedApi(context, { provider: "oauth2", realm }, (token) => ({
        subject: token.subject,
        client_id: token.clientId,
        ...(token.scope !== undefined ? { scope: token.scope } : {})
      }))
    )
  ]
}
