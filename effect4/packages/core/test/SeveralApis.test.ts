/**
 * Several token providers and several authenticated clients in one program, by tag
 * (`TokenProvider.Tag`, `BearerHttpClient.Tag`), through real HTTP: each client carries
 * its own provider's token to its own API only, and the program's global `HttpClient`
 * stays the plain one.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Exit, Layer, Redacted } from "effect"
import { HttpClient } from "effect/http"
import { BearerHttpClient, ClientAuthentication, Grant, TokenProvider } from "@effect-bearer/core"
import * as ApiServer from "./support/ApiServer.js"
import * as TokenIssuer from "./support/TokenIssuer.js"

class HydrosatTokens extends TokenProvider.Tag("test/Hydrosat")<HydrosatTokens>() {}
class Up42Tokens extends TokenProvider.Tag("test/Up42")<Up42Tokens>() {}
class Stac extends BearerHttpClient.Tag("test/Stac")<Stac>() {}
class Up42Api extends BearerHttpClient.Tag("test/Up42Api")<Up42Api>() {}

const credentials = (clientId: string) =>
  ClientAuthentication.clientSecretPost({ clientId, clientSecret: Redacted.make(`${clientId}-secret`) })

/** Two token servers, two APIs each accepting its own server's tokens. */
const servers = Effect.gen(function*() {
  const hydrosat = yield* TokenIssuer.make("hydrosat")
  const up42 = yield* TokenIssuer.make("up42")
  const stacApi = yield* ApiServer.make
  yield* stacApi.handle(hydrosat.accepts)
  const up42Api = yield* ApiServer.make
  yield* up42Api.handle(up42.accepts)
  return { hydrosat, up42, stacApi, up42Api }
})

const authorization = (server: ApiServer.ApiServer) =>
  Effect.map(server.requests, (all) => all.map((request) => request.headers["authorization"]))

describe("several providers and clients by tag", () => {
  it.effect("each client carries its own provider's token; the global HttpClient carries none", () =>
    Effect.gen(function*() {
      const { hydrosat, stacApi, up42, up42Api } = yield* servers
      const live = Layer.mergeAll(
        // a provider given by tag, and one given by the effect that makes it
        Stac.layer(HydrosatTokens, { origins: [stacApi.origin] }),
        Up42Api.layer(
          TokenProvider.fromEndpoint({ url: up42.tokenUrl, grant: Grant.clientCredentials, clientAuthentication: credentials("up42") }),
          { origins: [up42Api.origin] }
        )
      ).pipe(
        Layer.provideMerge(
          HydrosatTokens.layer({ url: hydrosat.tokenUrl, grant: Grant.clientCredentials, clientAuthentication: credentials("hydrosat") })
        ),
        Layer.provideMerge(
          Up42Tokens.layerScoped(
            TokenProvider.fromEndpoint({ url: up42.tokenUrl, grant: Grant.clientCredentials, clientAuthentication: credentials("up42") })
          )
        ),
        Layer.provideMerge(NodeHttpClient.layerUndici)
      )
      const statuses = yield* Effect.gen(function*() {
        const stac = yield* Stac
        const up42Client = yield* Up42Api
        const plain = yield* HttpClient.HttpClient
        return [
          (yield* stac.get(stacApi.url("/collections"))).status,
          (yield* up42Client.get(up42Api.url("/projects"))).status,
          // a client towards another API's origin sends no token there
          (yield* stac.get(up42Api.url("/foreign"))).status,
          (yield* plain.get(stacApi.url("/plain"))).status,
          Redacted.value((yield* Up42Tokens.get).value)
        ]
      }).pipe(Effect.provide(live))
      expect(statuses).toEqual([200, 200, 401, 401, "up42-2"])
      expect(yield* authorization(stacApi)).toEqual(["Bearer hydrosat-1", undefined])
      expect(yield* authorization(up42Api)).toEqual(["Bearer up42-1", undefined])
      // the Up42Api client's provider and Up42Tokens are two providers over one server
      expect(yield* up42.issued).toEqual(["up42-1", "up42-2"])
      expect(yield* hydrosat.issued).toEqual(["hydrosat-1"])
    }))

  it.effect("a tag's statics build into the tag its subclass reads; the default tags stay unprovided", () =>
    Effect.gen(function*() {
      const token = yield* Effect.map(HydrosatTokens.get, (token) => Redacted.value(token.value)).pipe(
        Effect.provide(HydrosatTokens.layerStatic(Redacted.make("fixed-token")))
      )
      expect(token).toBe("fixed-token")
      expect(HydrosatTokens.key).toBe("@effect-bearer/core/TokenProvider/test/Hydrosat")
      expect(Stac.key).toBe("@effect-bearer/core/BearerHttpClient/test/Stac")
      const other = yield* Effect.serviceOption(TokenProvider.TokenProvider).pipe(
        Effect.provide(HydrosatTokens.layerStatic(Redacted.make("fixed-token")))
      )
      expect(other._tag).toBe("None")
    }))

  it.effect("a client tag whose options cannot work fails its layer before any request", () =>
    Effect.gen(function*() {
      const { hydrosat } = yield* servers
      const exit = yield* Effect.exit(
        Effect.provide(
          Stac,
          Stac.layer(HydrosatTokens, { origins: ["http://api.example.com"] }).pipe(
            Layer.provide(
              HydrosatTokens.layer({ url: hydrosat.tokenUrl, grant: Grant.clientCredentials, clientAuthentication: credentials("h") })
            ),
            Layer.provide(NodeHttpClient.layerUndici)
          )
        )
      )
      expect(Exit.isFailure(exit) && Exit.findErrorOption(exit)).toMatchObject({
        value: { _tag: "WrongHost", reason: "InsecureEndpoint" }
      })
      expect(yield* hydrosat.issued).toEqual([])
    }))
})
