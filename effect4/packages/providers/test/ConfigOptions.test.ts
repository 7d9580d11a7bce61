/**
 * A provider's `layerConfig` with options given as Effect `Config`s naming the program's own
 * variables (the version-free table `@effect-bearer/conformance/ProviderConfigOptions`),
 * through the local provider server: the `Config` is read instead of the record's variable,
 * plain options stay defaults the record's variables override, and a missing variable is
 * named, never a value.
 */
import { expect, layer } from "@effect/vitest"
import * as ProviderConfigOptions from "@effect-bearer/conformance/ProviderConfigOptions"
import * as ProviderRequests from "@effect-bearer/conformance/ProviderRequests"
import { Config, Effect, Redacted } from "effect"
import { Providers } from "@effect-bearer/kernel"
import type { LocalProviderServer } from "@effect-bearer/providers"
import { Bitquery, Hydrosat, OAuth2, Provider, Up42Account } from "@effect-bearer/providers"
import * as Server from "./support/server.js"

/** The server's credentials and URLs of a provider, by the table's placeholder names. */
const known = (provider: ProviderConfigOptions.ProviderId, server: LocalProviderServer.Service): Record<string, string> => {
  const id = ProviderConfigOptions.serverProvider(provider)
  const urls: Record<string, string> = server.urls[id]
  return { ...Server.localCredentials(server, id).placeholders, tokenUrl: urls["tokenUrl"]!, ...(urls["issuer"] === undefined ? {} : { issuer: urls["issuer"] }) }
}

/** The row's options as this line takes them: `Config.String`/`Redacted`/`Duration`, or plain values. */
const optionsOf = (row: ProviderConfigOptions.Row, values: Record<string, string>) =>
  Object.fromEntries(Object.entries(row.options).map(([option, given]) => [
    option,
    ProviderConfigOptions.isConfig(given)
      ? Config[given.config](given.name)
      : given.secret === true
      ? Redacted.make(ProviderConfigOptions.filled(given.value, values))
      : ProviderConfigOptions.filled(given.value, values)
  ])) as never

const layerOf = (id: ProviderConfigOptions.ProviderId, options: never): Provider.ProviderLayer => {
  switch (id) {
    case "generic-hydrosat":
      return Provider.layerConfig(Providers.hydrosat)(options)
    case "hydrosat":
      return Hydrosat.layerConfig(options)
    case "bitquery":
      return Bitquery.layerConfig(options)
    case "up42-account":
      return Up42Account.layerConfig(options)
    case "oauth2":
      return OAuth2.layerConfig(options)
  }
}

layer(Server.layer())("layerConfig with Config options", (it) => {
  for (const row of ProviderConfigOptions.table) {
    it.effect(`${row.provider}: ${row.name}`, () =>
      Effect.gen(function*() {
        const server = yield* Server.fresh
        const id = ProviderConfigOptions.serverProvider(row.provider)
        const values = known(row.provider, server)
        const tokens = layerOf(row.provider, optionsOf(row, values))
        const variables = ProviderConfigOptions.filledAll(row.variables, values)
        if (row.error !== undefined) {
          ProviderConfigOptions.checkFailure(expect, row, yield* Server.failureWith(tokens, variables))
        } else {
          const token = yield* Server.tokenWith(tokens, variables)
          const api = ProviderConfigOptions.callsApi(row)
            ? yield* Server.callApi(server.urls[id].apiUrl, token.value, ProviderRequests.apiMethod(id))
            : undefined
          ProviderConfigOptions.checkToken(expect, row, Redacted.value(token.value), api?.status)
        }
        const [request] = yield* server.requests(id)
        ProviderConfigOptions.checkServer(expect, row, {
          form: request?.form,
          tokenRequests: yield* server.requestCount(id),
          discoveryRequests: yield* server.requestCount(id, "discovery")
        }, values)
      }))
  }

  it.effect("OAuth2: plain options are defaults: the OAUTH2_* variables, when set, win over them", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const { clientId, clientSecret } = server.credentials.oauth2
      const defaults = { tokenUrl: server.urls.oauth2.tokenUrl, clientSecret, clientAuthentication: "client_secret_post" } as const
      // The defaults alone (no OAUTH2_CLIENT_ID) are enough…
      yield* Server.tokenWith(OAuth2.layerConfig({ ...defaults, clientId }), {})
      // …and OAUTH2_CLIENT_ID, when set, is the one sent.
      const tokens = OAuth2.layerConfig({ ...defaults, clientId: "a-default-client" })
      yield* Server.tokenWith(tokens, { OAUTH2_CLIENT_ID: clientId })
      const requests = yield* server.requests("oauth2")
      expect(requests.map((request) => [request.form["client_id"], request.status])).toEqual([[clientId, 200], [clientId, 200]])
      // OAUTH2_ISSUER, when set, wins over a plain token URL.
      yield* Server.tokenWith(tokens, { OAUTH2_ISSUER: server.urls.oauth2.issuer, OAUTH2_CLIENT_ID: clientId })
      expect(yield* server.requestCount("oauth2", "discovery")).toBe(1)
    }))
})
