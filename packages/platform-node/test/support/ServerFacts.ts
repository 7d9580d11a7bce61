/**
 * The plain view of the local provider server that the version-free fault tables read
 * (`@effect-bearer/conformance/CliBadInputCases`), and its request count over every endpoint.
 */
import type * as CliBadInputCases from "@effect-bearer/conformance/CliBadInputCases"
import { LocalProviderServer } from "@effect-bearer/providers"
import { Effect, Redacted } from "effect"

/** The server's facts, secrets in plain text (test credentials). */
export const of = (server: LocalProviderServer.Service): CliBadInputCases.ServerFacts => {
  const { bitquery, hydrosat, oauth2, up42Account, up42Projects } = server.credentials
  return {
    environment: server.environment,
    hydrosat: { clientId: hydrosat.clientId, clientSecret: Redacted.value(hydrosat.clientSecret) },
    up42Project: { projectId: up42Projects[0]!.projectId, projectApiKey: Redacted.value(up42Projects[0]!.projectApiKey) },
    up42Account: { username: up42Account.username, password: Redacted.value(up42Account.password) },
    bitquery: {
      clientId: bitquery.clientId,
      clientSecret: Redacted.value(bitquery.clientSecret),
      accessToken: Redacted.value(bitquery.accessToken)
    },
    oauth2: { clientSecret: Redacted.value(oauth2.clientSecret), tokenUrl: server.urls.oauth2.tokenUrl, issuer: server.urls.oauth2.issuer }
  }
}

/** Requests of every endpoint of every provider, so that "zero" means nothing at all. */
export const allRequests = (server: LocalProviderServer.Service) =>
  Effect.map(
    Effect.all(
      LocalProviderServer.providerIds.flatMap((id) =>
        (["token", "api", "discovery", "revocation"] as const).map((endpoint) => server.requestCount(id, endpoint))
      )
    ),
    (counts) => counts.reduce((a, b) => a + b, 0)
  )
