/**
 * Bitquery on the local provider server: an Ory Hydra token endpoint (`client_secret_post`,
 * `client_credentials`, `scope=api`, opaque `ory_at_…` tokens), console tokens, and the
 * GraphQL API.
 *
 * @internal
 */
import { Providers } from "@effect-bearer/kernel"
import type { Credentials } from "../LocalProviderServer.js"
import { clientCredentialsEnvironment, clientCredentialsToken } from "./clientCredentialsGrant.js"
import type { IssuedToken } from "./issuedTokens.js"
import { post, type ProviderHandler, urlsOn } from "./providerHandler.js"
import { protectedApi } from "./protectedApi.js"
import { tokenPath } from "./providerRecord.js"

const record = Providers.bitquery
const realm = "bitquery"
const urlPaths = { tokenUrl: tokenPath(realm, record), apiUrl: `/${realm}/graphql` } as const

/** The one scope Bitquery grants, and requires. */
const scope = record.scope

/** The console token of the credentials: opaque, never expires, valid until revoked. */
export const consoleToken = (credentials: Credentials): readonly [string, IssuedToken] => [
  credentials.bitquery.accessToken,
  {
    provider: "bitquery",
    subject: "console",
    clientId: "console",
    scope,
    expiresAt: Number.POSITIVE_INFINITY,
    sessionId: undefined,
    revoked: false
  }
]

/** Bitquery. */
export const bitquery: ProviderHandler<"bitquery"> = {
  id: "bitquery",
  realm,
  // The `expires_in` of Bitquery's documented response; the record's lifetime is the
  // fallback for a response without one, a different fact.
  defaultLifetime: 2_627_999_000,
  urls: urlsOn(urlPaths),
  environment: (credentials, urls) => clientCredentialsEnvironment(record, credentials.bitquery, urls),
  routes: (context) => [
    post(
      urlPaths.tokenUrl,
      clientCredentialsToken(context, { provider: "bitquery", client: context.credentials.bitquery, scope, tokenType: "bearer" })
    ),
    post(
      urlPaths.apiUrl,
      protectedApi(
        context,
        { provider: "bitquery", realm, plainText: true },
        () => ({ data: { EVM: { Blocks: [{ Block: { Number: "1" } }] } } })
      )
    )
  ]
}
