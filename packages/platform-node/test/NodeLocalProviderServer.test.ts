import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it, layer } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Redacted } from "effect"
import { TokenProvider } from "@effect-bearer/core"
import { Hydrosat, LocalProviderServer } from "@effect-bearer/providers"
import { NodeBearerHttpClient, NodeLocalProviderServer } from "@effect-bearer/platform-node"
import * as LocalServer from "./support/LocalServer.js"

describe("NodeLocalProviderServer", () => {
  it.scoped("listens on 127.0.0.1, on a port the system picked, and says where", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(Number(new URL(server.origin).port)).toBeGreaterThan(0)
      expect(server.urls.hydrosat.tokenUrl.startsWith(server.origin)).toBe(true)
    }).pipe(Effect.provide(NodeLocalProviderServer.layer())))

  it.scoped("two servers side by side get two ports", () =>
    Effect.gen(function*() {
      const origins = yield* Effect.all([
        Effect.provide(LocalProviderServer.LocalProviderServer, NodeLocalProviderServer.layer()),
        Effect.provide(LocalProviderServer.LocalProviderServer, NodeLocalProviderServer.layer())
      ]).pipe(Effect.map((servers) => servers.map((server) => server.origin)))
      expect(new Set(origins).size).toBe(2)
    }))

  it.scoped("layerTest comes with an HttpClient that reaches it", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      const client = yield* HttpClient.HttpClient
      const response = yield* client.execute(
        HttpClientRequest.post(server.urls.hydrosat.tokenUrl).pipe(
          HttpClientRequest.bodyUrlParams({
            grant_type: "client_credentials",
            client_id: server.credentials.hydrosat.clientId,
            client_secret: Redacted.value(server.credentials.hydrosat.clientSecret)
          })
        )
      )
      expect(response.status).toBe(200)
      expect(yield* server.requestCount("hydrosat")).toBe(1)
    }).pipe(Effect.provide(NodeLocalProviderServer.layerTest())))
})

layer(NodeLocalProviderServer.layer())("NodeBearerHttpClient", (it) => {
  it.scoped("layer: the API answers the authenticated client, for one token request", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const tokens = Hydrosat.layer({ ...server.credentials.hydrosat, tokenUrl: server.urls.hydrosat.tokenUrl })
      const statuses = yield* Effect.gen(function*() {
        const client = yield* HttpClient.HttpClient
        const first = yield* client.get(server.urls.hydrosat.apiUrl)
        const second = yield* client.get(server.urls.hydrosat.apiUrl)
        return [first.status, second.status]
      }).pipe(Effect.provide(NodeBearerHttpClient.layer(tokens, { origins: [server.origin] })))
      expect(statuses).toEqual([200, 200])
      expect(yield* server.requestCount("hydrosat")).toBe(1)
      expect(yield* server.requestCount("hydrosat", "api")).toBe(2)
    }))

  it.scoped("layer: the TokenProvider is there too, the same one the client uses", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const tokens = Hydrosat.layer({ ...server.credentials.hydrosat, tokenUrl: server.urls.hydrosat.tokenUrl })
      yield* Effect.gen(function*() {
        const token = yield* TokenProvider.get
        const client = yield* HttpClient.HttpClient
        yield* client.get(server.urls.hydrosat.apiUrl)
        const [apiRequest] = yield* server.requests("hydrosat", "api")
        expect(apiRequest?.headers["authorization"]).toBe(`Bearer ${Redacted.value(token.value)}`)
      }).pipe(Effect.provide(NodeBearerHttpClient.layer(tokens, { origins: [server.origin] })))
      expect(yield* server.requestCount("hydrosat")).toBe(1)
    }))

  it.scoped("layerConfig: the provider's environment variables, and origins of your choice", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const status = yield* Effect.flatMap(HttpClient.HttpClient, (client) => client.get(server.urls.hydrosat.apiUrl)).pipe(
        Effect.map((response) => response.status),
        Effect.provide(
          NodeBearerHttpClient.layerConfig(Hydrosat, { origins: [server.origin] }).pipe(
            Layer.provide(Layer.setConfigProvider(ConfigProvider.fromJson(server.environment)))
          )
        )
      )
      expect(status).toBe(200)
    }))

  it.scoped("layerConfig: no token leaves for an origin the provider's tokens are not for", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      // Hydrosat's documented origin is stac-beta.hydrosat.com: the local API gets no token.
      const status = yield* Effect.flatMap(HttpClient.HttpClient, (client) => client.get(server.urls.hydrosat.apiUrl)).pipe(
        Effect.map((response) => response.status),
        Effect.provide(
          NodeBearerHttpClient.layerConfig(Hydrosat).pipe(
            Layer.provide(Layer.setConfigProvider(ConfigProvider.fromJson(server.environment)))
          )
        )
      )
      expect(status).toBe(401)
      expect(yield* server.requestCount("hydrosat")).toBe(0)
      const [apiRequest] = yield* server.requests("hydrosat", "api")
      expect(apiRequest?.headers["authorization"]).toBeUndefined()
    }))
})
