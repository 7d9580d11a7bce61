/**
 * Each provider's first token request and token (the version-free table
 * `@effect-bearer/conformance/ProviderRequests`), through the local provider server, and the
 * provider's API accepting the token.
 */
import { expect, layer } from "@effect/vitest"
import * as ProviderRequests from "@effect-bearer/conformance/ProviderRequests"
import { Duration, Effect, Option, Redacted } from "effect"
import type { LocalProviderServer, Provider } from "@effect-bearer/providers"
import { Bitquery, Hydrosat, Up42Account, Up42Project } from "@effect-bearer/providers"
import * as Server from "./support/server.js"

/** The provider for the server's credentials, and those credentials as the table names them. */
const subject = (id: ProviderRequests.ProviderId, server: LocalProviderServer.Service) => {
  const tokenUrl = server.urls[id].tokenUrl
  const { bitquery, hydrosat, up42Account, up42Projects } = server.credentials
  const project = up42Projects[0]!
  const made: Record<ProviderRequests.ProviderId, () => { readonly make: Provider.Make; readonly credentials: Record<string, string> }> = {
    "up42-project": () => ({
      make: Up42Project.make({ ...project, tokenUrl }),
      credentials: {
        basic: `Basic ${Buffer.from(`${project.projectId}:${Redacted.value(project.projectApiKey)}`).toString("base64")}`
      }
    }),
    "up42-account": () => ({
      make: Up42Account.make({ username: up42Account.username, password: up42Account.password, tokenUrl }),
      credentials: { username: up42Account.username, password: Redacted.value(up42Account.password) }
    }),
    bitquery: () => ({
      make: Bitquery.make({ clientId: bitquery.clientId, clientSecret: bitquery.clientSecret, tokenUrl }),
      credentials: { clientId: bitquery.clientId, clientSecret: Redacted.value(bitquery.clientSecret) }
    }),
    hydrosat: () => ({
      make: Hydrosat.make({ ...hydrosat, tokenUrl }),
      credentials: { clientId: hydrosat.clientId, clientSecret: Redacted.value(hydrosat.clientSecret) }
    })
  }
  return made[id]()
}

layer(Server.layer())("first token requests", (it) => {
  for (const row of ProviderRequests.table) {
    it.effect(`${row.provider}: ${row.request.method} ${row.request.url}, and a token its API accepts`, () =>
      Effect.gen(function*() {
        const server = yield* Server.fresh
        const { credentials, make } = subject(row.provider, server)
        const token = yield* Effect.flatMap(make, (tokens) => tokens.get)
        const [request] = yield* server.requests(row.provider)
        const api = yield* Server.callApi(server.urls[row.provider].apiUrl, token.value, ProviderRequests.apiMethod(row.provider))
        ProviderRequests.check(expect, row, {
          request,
          token: {
            value: Redacted.value(token.value),
            tokenType: token.tokenType,
            lifetimeSource: token.lifetimeSource,
            lifetimeSeconds: Duration.toSeconds(token.lifetime),
            scope: Option.getOrUndefined(token.scope),
            issuedAt: token.issuedAt,
            refreshExpiresAt: Option.getOrUndefined(Option.flatMap(token.refreshToken, (refresh) => refresh.expiresAt))
          },
          apiStatus: api.status
        }, credentials)
      }))
  }
})
