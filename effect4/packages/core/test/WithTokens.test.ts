/**
 * `BearerHttpClient.withTokens`, the pipeable combinator: the client `make` builds (token
 * on the API's origin only, one fresh token and one replay after a 401), and options that
 * cannot work as a client whose every request fails with nothing sent.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { expect, layer } from "@effect/vitest"
import { Effect, Redacted, Ref, Result } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import { BearerHttpClient, ClientAuthentication, Grant, TokenProvider } from "@effect-bearer/core"
import * as ApiServer from "./support/ApiServer.js"
import * as TokenIssuer from "./support/TokenIssuer.js"

const setup = Effect.gen(function*() {
  const issuer = yield* TokenIssuer.make("tok")
  const provider = yield* TokenProvider.fromEndpoint({
    url: issuer.tokenUrl,
    grant: Grant.clientCredentials,
    clientAuthentication: ClientAuthentication.clientSecretBasic({ clientId: "c", clientSecret: Redacted.make("s") }),
    backgroundRefresh: false
  }).pipe(Effect.orDie)
  const api = yield* ApiServer.make
  yield* api.handle(issuer.accepts)
  const http = yield* HttpClient.HttpClient
  return { api, http, issuer, provider }
})

const authorization = (server: ApiServer.ApiServer) =>
  Effect.map(server.requests, (all) => all.map((request) => request.headers["authorization"]))

layer(NodeHttpClient.layerUndici)("BearerHttpClient.withTokens", (it) => {
  it.effect("client.pipe(withTokens(provider, options)) puts the token on the API's requests, under request mappings", () =>
    Effect.gen(function*() {
      const { api, http, provider } = yield* setup
      const client = http.pipe(
        BearerHttpClient.withTokens(provider, { origins: [api.origin] }),
        HttpClient.mapRequest(HttpClientRequest.prependUrl(api.origin))
      )
      expect((yield* client.get("/one")).status).toBe(200)
      expect((yield* http.get(api.url("/plain"))).status).toBe(401)
      expect(yield* authorization(api)).toEqual(["Bearer tok-1", undefined])
    }))

  it.effect("data first, and the same machinery as make: a refused token costs one fresh token and one replay", () =>
    Effect.gen(function*() {
      const { api, http, issuer, provider } = yield* setup
      const refused = yield* Ref.make(true)
      yield* api.handle((request, index) =>
        Effect.flatMap(Ref.getAndSet(refused, false), (refuse) =>
          refuse ? Effect.succeed(ApiServer.unauthorized()) : issuer.accepts(request, index))
      )
      const client = BearerHttpClient.withTokens(http, provider, { origins: [api.origin] })
      expect((yield* client.get(api.url("/data"))).status).toBe(200)
      expect(yield* authorization(api)).toEqual(["Bearer tok-1", "Bearer tok-2"])
      expect(yield* issuer.issued).toEqual(["tok-1", "tok-2"])
    }))

  it.effect("options that cannot work: every request fails with the check's error as its cause, nothing sent", () =>
    Effect.gen(function*() {
      const { api, http, issuer, provider } = yield* setup
      const none = yield* Effect.flip(http.pipe(BearerHttpClient.withTokens(provider, { origins: [] })).get(api.url("/x")))
      const insecure = yield* Effect.flip(
        http.pipe(BearerHttpClient.withTokens(provider, { origins: ["http://api.example.com"] })).get("http://api.example.com/x")
      )
      expect(none.reason).toMatchObject({
        _tag: "EncodeError",
        cause: { _tag: "InvalidConfiguration", setting: "origins" }
      })
      expect(insecure.reason).toMatchObject({
        _tag: "InvalidUrlError",
        cause: { _tag: "WrongHost", reason: "InsecureEndpoint" }
      })
      // make refuses the same options as an effect
      const made = yield* Effect.result(BearerHttpClient.make(http, provider, { origins: [] }))
      expect(Result.isFailure(made) && made.failure).toMatchObject({ _tag: "InvalidConfiguration", setting: "origins" })
      expect(yield* api.hits).toBe(0)
      expect(yield* issuer.issued).toEqual([])
    }))
})
