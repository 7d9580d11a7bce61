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
        const token = yield* Effect.flatMap(make, (tokens) => tokens.get).pipe(Effect.scoped)
        const [request] = yield* server.requests(row.provider)
        const fill = (value: string) => ProviderRequests.filled(value, credentials)
        expect(request).toMatchObject({ method: row.request.method, url: row.request.url, status: 200 })
        if (row.request.form !== undefined) {
          expect(request?.form).toEqual(Object.fromEntries(Object.entries(row.request.form).map(([key, value]) => [key, fill(value)])))
        }
        if (row.request.body !== undefined) expect(request?.body).toBe(row.request.body)
        for (const [name, value] of Object.entries(row.request.headers)) {
          expect(request?.headers[name], name).toBe(value === null ? undefined : fill(value))
        }
        expect(token.lifetimeSource).toBe(row.token.lifetimeSource)
        expect(Duration.toSeconds(token.lifetime)).toBe(row.token.lifetimeSeconds)
        if (row.token.tokenType !== undefined) expect(token.tokenType).toBe(row.token.tokenType)
        if (row.token.scope !== undefined) expect(Option.getOrUndefined(token.scope)).toBe(row.token.scope)
        if (row.token.pattern !== undefined) expect(Redacted.value(token.value)).toMatch(row.token.pattern)
        if (row.token.refreshSeconds !== undefined) {
          const refresh = Option.getOrThrow(token.refreshToken)
          expect(Option.getOrUndefined(refresh.expiresAt)).toBe(token.issuedAt + row.token.refreshSeconds * 1000)
        }
        const apiUrl = server.urls[row.provider].apiUrl
        expect((yield* Server.callApi(apiUrl, token.value, row.provider === "bitquery" ? "POST" : "GET")).status).toBe(200)
      }))
  }
})
