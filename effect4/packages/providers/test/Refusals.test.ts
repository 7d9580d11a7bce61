/**
 * What each provider's token endpoint refuses (the version-free table
 * `@effect-bearer/conformance/ProviderRefusals`): a token request fails with its documented
 * error and the provider's hint, never printing the secret sent.
 */
import { expect, layer } from "@effect/vitest"
import * as ProviderRefusals from "@effect-bearer/conformance/ProviderRefusals"
import { Effect } from "effect"
import type { LocalProviderServer, Provider } from "@effect-bearer/providers"
import * as Server from "./support/server.js"

/** The provider for the server's credentials with the row's change, and the client id and token URL it uses. */
const subject = (id: ProviderRefusals.ProviderId, server: LocalProviderServer.Service, change: ProviderRefusals.Change) => {
  const local = Server.localCredentials(server, id, change.secret)
  const tokenUrl = change.tokenPath === undefined ? server.urls[id].tokenUrl : `${server.origin}${change.tokenPath}`
  const scope = change.scope === undefined ? {} : { scope: change.scope }
  const make: Provider.Make = Server.modules[id].make({ ...local.options, tokenUrl, ...scope } as never)
  return { clientId: local.clientId, make, tokenUrl }
}

layer(Server.layer())("token endpoints refuse", (it) => {
  for (const row of ProviderRefusals.table) {
    it.effect(`${row.provider}: ${row.name}`, () =>
      Effect.gen(function*() {
        const server = yield* Server.fresh
        const { clientId, make, tokenUrl } = subject(row.provider, server, row.change)
        const error = yield* Effect.flip(Effect.flatMap(make, (tokens) => tokens.get))
        ProviderRefusals.check(expect, row, error, { clientId, tokenUrl })
      }))
  }
})
