/**
 * A provider's protected API route on the local provider server: it answers the bearer
 * of a live token of that provider, and challenges everyone else (RFC 6750 §3).
 *
 * @internal
 */
import type { ProviderId } from "../LocalProviderServer.js"
import type { IssuedToken } from "./issuedTokens.js"
import type { HandlerContext } from "./providerHandler.js"
import { json, text } from "./wire.js"
import type { Response } from "./wire.js"

/** How the API of a provider names itself, and whether it answers 401 in plain text (Bitquery) or JSON. */
export interface ApiStyle {
  readonly provider: ProviderId
  readonly realm: string
  readonly plainText?: boolean | undefined
}

/** 401 with a bearer challenge: no error code when no token was sent. */
const unauthorized = (style: ApiStyle, description: string | undefined): Response => {
  const challenge = `Bearer realm="${style.realm}"` +
    (description === undefined ? "" : `, error="invalid_token", error_description="${description}"`)
  const headers = { "www-authenticate": challenge }
  return style.plainText === true
    ? text("Unauthorized", 401, "text/plain", headers)
    : json({
      error: description === undefined ? "unauthorized" : "invalid_token",
      error_description: description ?? "A bearer token is required"
    }, 401, headers)
}

/** The API endpoint: `respond` answers for a live token of the provider. */
export const protectedApi = (context: HandlerContext, style: ApiStyle, respond: (token: IssuedToken) => unknown) =>
  context.endpoint(style.provider, "api", (incoming) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(incoming.headers["authorization"] ?? "")
    if (match === null || match[1] === undefined) return unauthorized(style, undefined)
    const token = context.tokens.accessToken(match[1])
    if (token === undefined || token.provider !== style.provider) return unauthorized(style, "The access token is unknown")
    if (token.revoked) return unauthorized(style, "The access token was revoked")
    if (incoming.now >= token.expiresAt) return unauthorized(style, "The access token expired")
    return json(respond(token))
  })
