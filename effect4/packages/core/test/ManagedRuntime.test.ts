/**
 * Callers outside Effect: a `ManagedRuntime` built from the layers, `runPromise` of a token get
 * and of an authenticated request, and `dispose`, which closes the layers' scope (the background
 * refresh stops, `revokeOnClose` revokes) and refuses further runs.
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "vitest"
import { Effect, Exit, Layer, ManagedRuntime, Redacted, Scope } from "effect"
import { HttpClient } from "effect/http"
import { BearerHttpClient, ClientAuthentication, Grant, TokenProvider } from "@effect-bearer/core"
import * as ApiServer from "./support/ApiServer.js"
import * as TokenIssuer from "./support/TokenIssuer.js"

class Tokens extends TokenProvider.Tag("test/PromiseTokens")<Tokens>() {}
class Api extends BearerHttpClient.Tag("test/PromiseApi")<Api>() {}

describe("ManagedRuntime", () => {
  it("runPromise of a token get and of an authenticated request; dispose revokes and ends the runtime", async () => {
    // The servers live in a scope of their own, outside the runtime under test.
    const servers = Effect.runSync(Scope.make())
    try {
      const { api, issuer } = await Effect.runPromise(Scope.provide(servers)(
        Effect.gen(function*() {
          const issuer = yield* TokenIssuer.make("tok")
          const api = yield* ApiServer.make
          yield* api.handle(issuer.accepts)
          return { api, issuer }
        })
      ))
      const runtime = ManagedRuntime.make(
        Api.layer(Tokens, { origins: [api.origin] }).pipe(
          Layer.provideMerge(Tokens.layer({
            url: issuer.tokenUrl,
            revocationUrl: issuer.server.url("/revoke"),
            revokeOnClose: true,
            grant: Grant.clientCredentials,
            clientAuthentication: ClientAuthentication.clientSecretPost({ clientId: "c", clientSecret: Redacted.make("s") })
          })),
          Layer.provideMerge(NodeHttpClient.layerUndici)
        )
      )
      expect(Redacted.value((await runtime.runPromise(Tokens.get)).value)).toBe("tok-1")
      const status = await runtime.runPromise(Effect.flatMap(Api, (client) => client.get(api.url("/data"))).pipe(Effect.map((response) => response.status)))
      expect(status).toBe(200)
      const plain = await runtime.runPromise(
        Effect.flatMap(HttpClient.HttpClient, (client) => client.get(api.url("/plain"))).pipe(Effect.map((response) => response.status))
      )
      expect(plain).toBe(401)
      expect((await Effect.runPromise(api.requests)).map((request) => request.headers["authorization"])).toEqual(["Bearer tok-1", undefined])
      await runtime.dispose()
      const revoked = (await Effect.runPromise(issuer.server.requests)).filter((request) => request.path === "/revoke")
      expect(revoked.map((request) => new URLSearchParams(request.body).get("token"))).toEqual(["tok-1"])
      await expect(runtime.runPromise(Tokens.get)).rejects.toThrow()
    } finally {
      await Effect.runPromise(Scope.close(servers, Exit.void))
    }
  })
})
