/**
 * A provider's `layerConfig` with options given as Effect `Config`s naming the program's own
 * variables (the version-free table `@effect-bearer/conformance/ProviderConfigOptions` and its
 * scenario `ProviderConfigOptionsRun`), through the local provider server: the `Config` is read
 * instead of the record's variable, plain options stay defaults the record's variables
 * override, and a missing variable is named, never a value.
 */
import { expect, layer } from "@effect/vitest"
import * as ProviderConfigOptions from "@effect-bearer/conformance/ProviderConfigOptions"
import * as ProviderConfigOptionsRun from "@effect-bearer/conformance/ProviderConfigOptionsRun"
import * as ProviderRequests from "@effect-bearer/conformance/ProviderRequests"
import { Config, Effect, Redacted } from "effect"
import type { HttpClient } from "effect/http"
import { Providers } from "@effect-bearer/kernel"
import { Provider } from "@effect-bearer/providers"
import * as Server from "./support/server.js"

const layerOf = (provider: ProviderConfigOptions.ProviderId, options: Record<string, unknown>): Provider.ProviderLayer =>
  provider === "generic-hydrosat"
    ? Provider.layerConfig(Providers.hydrosat)(options as never)
    : Server.modules[provider].layerConfig(options as never)

/** This line's providers and one test's view of the server, as the shared scenario takes them. */
const line = Effect.gen(function*() {
  const server = yield* Server.fresh
  const run = Effect.runPromiseWith(yield* Effect.context<HttpClient.HttpClient>())
  return {
    placeholders: (provider) => Server.localCredentials(server, provider).placeholders,
    urls: (provider) => server.urls[provider],
    config: (option) => Config[option.config](option.name),
    secret: Redacted.make,
    token: (provider, options, variables) => run(Effect.map(Server.tokenWith(layerOf(provider, options), variables), (token) => Redacted.value(token.value))),
    failure: (provider, options, variables) => run(Server.failureWith(layerOf(provider, options), variables)),
    apiStatus: (provider, token) =>
      run(Effect.map(Server.callApi(server.urls[provider].apiUrl, token, ProviderRequests.apiMethod(provider)), (answer) => answer.status)),
    requests: (provider) => run(server.requests(provider)),
    requestCount: (provider, endpoint) => run(server.requestCount(provider, endpoint))
  } satisfies ProviderConfigOptionsRun.Line
})

layer(Server.layer())("layerConfig with Config options", (it) => {
  for (const row of ProviderConfigOptions.table) {
    it.effect(`${row.provider}: ${row.name}`, () => Effect.flatMap(line, (line) => Effect.promise(() => ProviderConfigOptionsRun.row(expect, row, line))))
  }

  it.effect("OAuth2: plain options are defaults: the OAUTH2_* variables, when set, win over them", () =>
    Effect.flatMap(line, (line) => Effect.promise(() => ProviderConfigOptionsRun.plainDefaults(expect, line))))
})
