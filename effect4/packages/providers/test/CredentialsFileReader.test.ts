/**
 * `layerConfig` with the record's credentials-file variable set: the credentials come from
 * the `CredentialsFileReader` in context (platform-node's reads real files; these tests give
 * one that answers from memory), the settings still from the environment; without a reader,
 * building fails saying what to provide.
 */
import { expect, layer } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { CredentialsFileReader, Hydrosat } from "@effect-bearer/providers"
import * as Server from "./support/server.js"

/** A reader that answers every path with these credentials, recording the path and the setting it was asked for. */
const readerOf = (credentials: CredentialsFileReader.Credentials & Record<string, unknown>, asked: Array<[string, string]>) =>
  Layer.succeed(CredentialsFileReader.CredentialsFileReader, {
    read: (path, _provider, setting) => Effect.sync(() => asked.push([path, setting])).pipe(Effect.as(credentials))
  })

layer(Server.layer())("credentials files", (it) => {
  it.effect("the file's client credentials, the token URL from the environment", () =>
    Effect.gen(function*() {
      const server = yield* Server.fresh
      const { clientId, clientSecret } = server.credentials.hydrosat
      const asked: Array<[string, string]> = []
      const tokens = Hydrosat.layerConfig().pipe(Layer.provide(readerOf({ _tag: "ClientCredentials", clientId, clientSecret }, asked)))
      const token = yield* Server.tokenWith(tokens, {
        HYDROSAT_CREDENTIALS_FILE: "/secrets/creds.json",
        HYDROSAT_TOKEN_URL: server.urls.hydrosat.tokenUrl
      })
      expect(asked).toEqual([["/secrets/creds.json", "HYDROSAT_CREDENTIALS_FILE"]])
      expect((yield* Server.callApi(server.urls.hydrosat.apiUrl, token.value)).status).toBe(200)
      const [request] = yield* server.requests("hydrosat")
      expect(request?.form).toMatchObject({ client_id: clientId, client_secret: Redacted.value(clientSecret) })
    }))

  it.effect("without a reader, a set file variable fails saying what to provide, or which variables to set instead", () =>
    Effect.gen(function*() {
      const error = yield* Server.failureWith(Hydrosat.layerConfig(), { HYDROSAT_CREDENTIALS_FILE: "/secrets/creds.json" })
      expect(error).toMatchObject({ _tag: "InvalidConfiguration", setting: "HYDROSAT_CREDENTIALS_FILE" })
      expect(error.message).toContain("provide CredentialsFile.layerReader of @effect-bearer/platform-node")
      expect(error.message).toContain("HYDROSAT_CLIENT_ID and HYDROSAT_CLIENT_SECRET")
      expect(error.message).not.toContain("/secrets/creds.json")
    }))
})
