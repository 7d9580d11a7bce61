import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { ClientAuthentication, Grant, TokenEndpoint } from "@effect-bearer/core"
import * as TokenServer from "./support/TokenServer.js"

describe("smoke", () => {
  it.effect("requests a token", () =>
    Effect.gen(function*() {
      const server = yield* TokenServer.TokenServer
      const endpoint = yield* TokenEndpoint.make({
        url: server.tokenUrl,
        clientAuthentication: ClientAuthentication.clientSecretBasic({ clientId: "id", clientSecret: Redacted.make("s e:c+r%t ü") })
      })
      const token = yield* TokenEndpoint.requestToken(endpoint, Grant.clientCredentials)
      expect(Redacted.value(token.value)).toBe("default-token")
      const [request] = yield* server.requests
      expect(request?.headers["authorization"]).toBe("Basic " + Buffer.from("id:s+e%3Ac%2Br%25t+%C3%BC").toString("base64"))
      expect(request?.headers["content-type"]).toBe("application/x-www-form-urlencoded")
      expect(request?.body).toBe("grant_type=client_credentials")
    }).pipe(Effect.provide(TokenServer.layer)))
})
