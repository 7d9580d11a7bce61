import { expect, layer } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { TestClock } from "effect/testing"
import * as ExampleProvider from "@effect-bearer/conformance/ExampleProvider"
import { Hydrosat, Provider } from "@effect-bearer/providers"
import * as Server from "./support/server.js"

const hydrosat = (options: Partial<Hydrosat.Options> = {}) =>
  Effect.flatMap(Server.server, (server) =>
    Hydrosat.make({ ...server.credentials.hydrosat, tokenUrl: server.urls.hydrosat.tokenUrl, ...options }))

const collections = (token: Redacted.Redacted<string>) =>
  Effect.flatMap(Server.server, (server) => Server.callApi(server.urls.hydrosat.apiUrl, token))

layer(Server.layer())("Hydrosat", (it) => {
  it.effect("serves the cached token for the hour, with no second request", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const provider = yield* hydrosat({ backgroundRefresh: false })
      const first = yield* provider.get
      yield* TestClock.adjust("50 minutes")
      const again = yield* provider.get
      expect(Redacted.value(again.value)).toBe(Redacted.value(first.value))
      expect(yield* server.requestCount("hydrosat")).toBe(1)
    }))

  it.effect("layerConfig reads HYDROSAT_CLIENT_ID, HYDROSAT_CLIENT_SECRET and HYDROSAT_TOKEN_URL", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const token = yield* Server.tokenWith(Hydrosat.layerConfig(), server.environment)
      expect((yield* collections(token.value)).status).toBe(200)
    }))

  it.effect("fails when the layer is built with a blank secret in code (from the environment: Configuration.test.ts)", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const inCode = yield* Server.failureWith(Hydrosat.layer({ clientId: "id", clientSecret: Redacted.make("") }), {})
      expect(inCode).toMatchObject({ _tag: "InvalidConfiguration", setting: "clientSecret" })
      expect(yield* server.requestCount("hydrosat")).toBe(0)
    }))

  it.effect("a provider is one record: the generic layerConfig reads its variables and speaks its contract", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      // A new provider: Hydrosat's contract under another id, at the local server, with its own variables.
      const record = ExampleProvider.record(server.urls.hydrosat.tokenUrl, server.origin)
      const token = yield* Server.tokenWith(Provider.layerConfig(record)(), {
        EXAMPLE_ID: server.credentials.hydrosat.clientId,
        EXAMPLE_SECRET: Redacted.value(server.credentials.hydrosat.clientSecret)
      })
      expect((yield* collections(token.value)).status).toBe(200)
      const [request] = yield* server.requests("hydrosat")
      expect(request?.form["client_id"]).toBe(server.credentials.hydrosat.clientId)
      const missing = yield* Server.failureWith(Provider.layerConfig(record)(), { EXAMPLE_ID: "id" })
      expect(missing.message).toBe(ExampleProvider.missingSecretMessage)
    }))
})
