/**
 * Settings that cannot work (the version-free table `@effect-bearer/conformance/ProviderConfiguration`):
 * building each provider's `layerConfig` fails before any request, naming the variable, and
 * no printed form of the error holds a value.
 */
import { NodeHttpClient } from "@effect/platform-node"
import { expect, layer } from "@effect/vitest"
import * as ProviderConfiguration from "@effect-bearer/conformance/ProviderConfiguration"
import { ConfigProvider, Effect, Layer } from "effect"
import type { Provider } from "@effect-bearer/providers"
import { Bitquery, Hydrosat, OAuth2, Up42Account, Up42Project } from "@effect-bearer/providers"
import * as Server from "./support/server.js"

const layers: Record<ProviderConfiguration.ProviderId, (prefix: string | undefined) => Provider.ProviderLayer> = {
  "up42-project": (prefix) => Up42Project.layerConfig({ prefix }),
  "up42-account": (prefix) => Up42Account.layerConfig({ prefix }),
  bitquery: (prefix) => Bitquery.layerConfig({ prefix }),
  hydrosat: (prefix) => Hydrosat.layerConfig({ prefix }),
  oauth2: (prefix) => OAuth2.layerConfig({ prefix })
}

layer(NodeHttpClient.layerUndici)("layerConfig refuses settings that cannot work", (it) => {
  for (const row of ProviderConfiguration.table) {
    it.effect(`${row.provider}: ${row.name}`, () =>
      Effect.gen(function*() {
        ProviderConfiguration.check(expect, row, yield* Server.failureWith(layers[row.provider](row.prefix), row.variables))
      }))
  }

  it.effect("a variable set to \"\" in a program's own ConfigProvider.fromUnknown is empty too, not unset", () =>
    Effect.gen(function*() {
      const variables = ConfigProvider.fromUnknown({ HYDROSAT_CLIENT_ID: "id", HYDROSAT_CLIENT_SECRET: "" })
      const error = yield* Effect.flip(Effect.scoped(Layer.build(Hydrosat.layerConfig()))).pipe(
        Effect.provideService(ConfigProvider.ConfigProvider, variables)
      )
      expect(error).toMatchObject({ _tag: "InvalidConfiguration", setting: "HYDROSAT_CLIENT_SECRET", problem: expect.stringMatching(/^is empty/) })
    }))
})
