import * as TokenProvider from "@effect-bearer/core/TokenProvider"
import { NodeBearerHttpClient, NodeLocalProviderServer } from "@effect-bearer/platform-node"
import * as Hydrosat from "@effect-bearer/providers/Hydrosat"
import * as LocalProviderServer from "@effect-bearer/providers/LocalProviderServer"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Redacted } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"

/** A server of the test's own (layers are memoized across provides in Effect 4). */
const ownServer = () => Layer.fresh(NodeLocalProviderServer.layer())
const withEnvironment = (server: LocalProviderServer.Service) =>
  Layer.succeed(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env: server.environment }))

describe("NodeLocalProviderServer", () => {
  it.effect("listens on 127.0.0.1, on a port the system picked, and says where", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      expect(server.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect(Number(new URL(server.origin).port)).toBeGreaterThan(0)
      expect(server.urls.hydrosat.tokenUrl.startsWith(server.origin)).toBe(true)
    }).pipe(Effect.provide(ownServer())))

  it.effect("two servers side by side get two ports", () =>
    Effect.gen(function*() {
      const servers = yield* Effect.all([
        Effect.provide(Effect.service(LocalProviderServer.LocalProviderServer), ownServer()),
        Effect.provide(Effect.service(LocalProviderServer.LocalProviderServer), ownServer())
      ])
      expect(new Set(servers.map((server) => server.origin)).size).toBe(2)
    }))

  it.live("layerTest comes with an HttpClient that reaches it", () =>
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
    }).pipe(Effect.provide(Layer.fresh(NodeLocalProviderServer.layerTest()))))
})

describe("NodeBearerHttpClient", () => {
  it.live("layer: the API answers the authenticated client, for one token request, with the TokenProvider's own token", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      const tokens = Hydrosat.layer({ ...server.credentials.hydrosat, tokenUrl: server.urls.hydrosat.tokenUrl })
      yield* Effect.gen(function*() {
        const token = yield* TokenProvider.get
        const client = yield* HttpClient.HttpClient
        const statuses = [(yield* client.get(server.urls.hydrosat.apiUrl)).status, (yield* client.get(server.urls.hydrosat.apiUrl)).status]
        expect(statuses).toEqual([200, 200])
        const [apiRequest] = yield* server.requests("hydrosat", "api")
        expect(apiRequest?.headers["authorization"]).toBe(`Bearer ${Redacted.value(token.value)}`)
      }).pipe(Effect.provide(NodeBearerHttpClient.layer(tokens, { origins: [server.origin] })))
      expect(yield* server.requestCount("hydrosat")).toBe(1)
      expect(yield* server.requestCount("hydrosat", "api")).toBe(2)
    }).pipe(Effect.provide(ownServer())))

  it.live("layerConfig: the provider's environment variables, and origins of your choice", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      const client = NodeBearerHttpClient.layerConfig(Hydrosat, { origins: [server.origin] }).pipe(Layer.provide(withEnvironment(server)))
      const response = yield* Effect.flatMap(Effect.service(HttpClient.HttpClient), (http) => http.get(server.urls.hydrosat.apiUrl)).pipe(
        Effect.provide(client)
      )
      expect(response.status).toBe(200)
    }).pipe(Effect.provide(ownServer())))

  it.live("layerConfig: no token leaves for an origin the provider's tokens are not for", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      // Hydrosat's documented origin is stac-beta.hydrosat.com: the local API gets no token.
      const client = NodeBearerHttpClient.layerConfig(Hydrosat).pipe(Layer.provide(withEnvironment(server)))
      const response = yield* Effect.flatMap(Effect.service(HttpClient.HttpClient), (http) => http.get(server.urls.hydrosat.apiUrl)).pipe(
        Effect.provide(client)
      )
      expect(response.status).toBe(401)
      expect(yield* server.requestCount("hydrosat")).toBe(0)
      const [apiRequest] = yield* server.requests("hydrosat", "api")
      expect(apiRequest?.headers["authorization"]).toBeUndefined()
    }).pipe(Effect.provide(ownServer())))
})
