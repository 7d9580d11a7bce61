/**
 * What each provider's token endpoint refuses (the version-free table
 * `@effect-bearer/conformance/ProviderRefusals`): a token request fails with its documented
 * error and the provider's hint, never printing the secret sent.
 */
import { expect, layer } from "@effect/vitest"
import * as ProviderRefusals from "@effect-bearer/conformance/ProviderRefusals"
import { Effect, Redacted } from "effect"
import type { LocalProviderServer, Provider } from "@effect-bearer/providers"
import { Bitquery, Hydrosat, Up42Account, Up42Project } from "@effect-bearer/providers"
import * as Server from "./support/server.js"

/** The provider for the server's credentials with the row's change, and the client id and token URL it uses. */
const subject = (id: ProviderRefusals.ProviderId, server: LocalProviderServer.Service, change: ProviderRefusals.Change) => {
  const secret = <A>(own: A) => change.secret === undefined ? own : Redacted.make(change.secret)
  const tokenUrl = change.tokenPath === undefined ? server.urls[id].tokenUrl : `${server.origin}${change.tokenPath}`
  const scope = change.scope === undefined ? {} : { scope: change.scope }
  const { bitquery, hydrosat, up42Account, up42Projects } = server.credentials
  const made: Record<ProviderRefusals.ProviderId, () => { readonly clientId: string; readonly make: Provider.Make }> = {
    "up42-project": () => ({
      clientId: up42Projects[0]!.projectId,
      make: Up42Project.make({ ...up42Projects[0]!, projectApiKey: secret(up42Projects[0]!.projectApiKey), tokenUrl })
    }),
    "up42-account": () => ({
      clientId: up42Account.clientId,
      make: Up42Account.make({ username: up42Account.username, password: secret(up42Account.password), tokenUrl })
    }),
    bitquery: () => ({
      clientId: bitquery.clientId,
      make: Bitquery.make({ clientId: bitquery.clientId, clientSecret: secret(bitquery.clientSecret), tokenUrl, ...scope })
    }),
    hydrosat: () => ({
      clientId: hydrosat.clientId,
      make: Hydrosat.make({ ...hydrosat, clientSecret: secret(hydrosat.clientSecret), tokenUrl })
    })
  }
  return { ...made[id](), tokenUrl }
}

layer(Server.layer())("token endpoints refuse", (it) => {
  for (const row of ProviderRefusals.table) {
    it.effect(`${row.provider}: ${row.name}`, () =>
      Effect.gen(function*() {
        const server = yield* Server.fresh
        const { clientId, make, tokenUrl } = subject(row.provider, server, row.change)
        const error = yield* Effect.flip(Effect.flatMap(make, (tokens) => tokens.get).pipe(Effect.scoped))
        ProviderRefusals.check(expect, row, error, { clientId, tokenUrl })
      }))
  }
})
