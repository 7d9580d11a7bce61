/**
 * The client credentials grant as Bitquery (Ory Hydra) and Hydrosat take it: client
 * authentication by `client_secret_post` only, and at most one scope they require.
 *
 * @internal
 */
import type { Provider } from "@effect-bearer/kernel"
import { tokenResponse, tokenType } from "./faults.js"
import type { HandlerContext } from "./providerHandler.js"
import { environmentOf } from "./providerRecord.js"
import { isForm, oauthError, unsupportedMediaType } from "./wire.js"
import type { Incoming, Response } from "./wire.js"

/** The client a provider accepts. */
interface Client {
  readonly clientId: string
  readonly clientSecret: string
}

/** Client authentication by `client_id` and `client_secret` in the body, nothing else (RFC 6749 §2.3.1). */
const authenticatePost = (incoming: Incoming, expected: Client): Response | undefined => {
  const clientId = incoming.form.get("client_id")
  const clientSecret = incoming.form.get("client_secret")
  if (clientId === expected.clientId && clientSecret === expected.clientSecret) return undefined
  return oauthError(
    401,
    "invalid_client",
    incoming.headers["authorization"] !== undefined && clientId === null
      ? "Client authentication failed: this client authenticates with client_secret_post (client_id and client_secret in the body)"
      : "Client authentication failed (e.g., unknown client, no client authentication included, or unsupported authentication method)."
  )
}

/**
 * A request without `grant_type`, as Ory Hydra answers it before it looks at the client: 400
 * `invalid_request`, a required parameter missing (RFC 6749 §5.2).
 */
const grantTypeMissing = (incoming: Incoming): Response | undefined =>
  incoming.form.get("grant_type") === null
    ? oauthError(
      400,
      "invalid_request",
      "The request is missing a required parameter, includes an invalid parameter value, includes a parameter more than once, or is otherwise malformed. Request parameter 'grant_type' is missing"
    )
    : undefined

const clientCredentialsOnly = (incoming: Incoming): Response | undefined => {
  if (incoming.form.get("grant_type") !== "client_credentials") {
    return oauthError(400, "unsupported_grant_type", "Only client_credentials is supported")
  }
  return undefined
}

/** Exactly the required scope, when there is one (RFC 6749 §3.3). */
const requiredScopeOnly = (incoming: Incoming, scope: string | undefined): Response | undefined => {
  if (scope === undefined) return undefined
  const scopes = (incoming.form.get("scope") ?? "").split(" ").filter((requested) => requested !== "")
  return scopes.includes(scope) && scopes.every((requested) => requested === scope)
    ? undefined
    : oauthError(400, "invalid_scope", `The requested scope is invalid, unknown, or malformed: scope=${scope} is required`)
}

/** The token endpoint of a client credentials provider (RFC 6749 §4.4). */
export const clientCredentialsToken = (
  context: HandlerContext,
  options: {
    readonly provider: "bitquery" | "hydrosat"
    readonly client: Client
    /** The scope every request must ask for, and the response names. */
    readonly scope?: string | undefined
    /** The `token_type` as the provider spells it. */
    readonly tokenType: string
  }
) =>
  context.endpoint(options.provider, "token", async (incoming, fault) => {
    if (!isForm(incoming.headers)) return unsupportedMediaType
    const { client, scope } = options
    const refused = grantTypeMissing(incoming) ?? authenticatePost(incoming, client) ?? clientCredentialsOnly(incoming) ??
      requiredScopeOnly(incoming, scope)
    if (refused !== undefined) return refused
    const issued = await context.tokens.issue({
      provider: options.provider,
      subject: client.clientId,
      clientId: client.clientId,
      scope,
      now: incoming.now,
      fault
    })
    return tokenResponse(fault, {
      access_token: issued.value,
      expires_in: issued.expiresIn,
      scope,
      token_type: tokenType(fault, options.tokenType)
    })
  })

/** The environment that points a client credentials provider's `layerConfig` at the server. */
export const clientCredentialsEnvironment = (
  record: Provider.Provider,
  client: Client,
  urls: { readonly tokenUrl: string }
): Record<string, string> =>
  environmentOf(record, {
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    tokenUrl: urls.tokenUrl
  })
