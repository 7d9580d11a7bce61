/**
 * Each provider's first token request and token (the version-free table
 * `@effect-bearer/conformance/ProviderRequests`), through the local provider server, and the
 * provider's API accepting the token.
 */
import { expect, layer } from "@effect/vitest"
import * as ProviderRequests from "@effect-bearer/conformance/ProviderRequests"
import { Duration, Effect, Option, Redacted } from "effect"
import type { LocalProviderServer, Provider } from "@effect-bearer/providers"
import * as Server from "./support/server.js"

/** The provider for the server's credentials, and what the table's placeholders stand for. */
const subject = (id: ProviderRequests.ProviderId, server: LocalProviderServer.Service) => {
  const local = Server.localCredentials(server, id)
  const make: Provider.Make = Server.modules[id].make({ ...local.options, tokenUrl: server.urls[id].tokenUrl } as never)
  return { make, credentials: local.placeholders }
}

layer(Server.layer())("first token requests", (it) => {
  for (const row of ProviderRequests.table) {
    it.effect(`${row.provider}: ${row.request.method} ${row.request.url}, and a token its API accepts`, () =>
      Effect.gen(function*() {
        const server = yield* Server.fresh
        const { credentials, make } = subject(row.provider, server)
        const token = yield* Effect.flatMap(make, (tokens) => tokens.get).pipe(Effect.scoped)
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
