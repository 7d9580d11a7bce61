/**
 * Hydrosat's `creds.json` through `HYDROSAT_CREDENTIALS_FILE`: the file the user writes with the
 * client ID and secret Hydrosat issued, read by `Hydrosat.layerConfig()` with this package's
 * `CredentialsFile.layerReader` (the `chmod 600` rule included) and by the CLI, against the local
 * provider server over real HTTP. A file that cannot be used fails when the layer is built, before
 * any request.
 */
import type * as TokenError from "@effect-bearer/core/TokenError"
import * as TokenProvider from "@effect-bearer/core/TokenProvider"
import { CredentialsFile, NodeLocalProviderServer } from "@effect-bearer/platform-node"
import * as Hydrosat from "@effect-bearer/providers/Hydrosat"
import * as LocalProviderServer from "@effect-bearer/providers/LocalProviderServer"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Redacted } from "effect"
import { HttpClient, HttpClientRequest } from "effect/http"
import * as CliHarness from "../support/CliHarness.js"
import * as TemporaryFiles from "../support/TemporaryFiles.js"

const Environment = Layer.fresh(NodeLocalProviderServer.layerTest())

/** A creds.json as Hydrosat's example has it, in a temporary directory of the test's scope. */
const credsJson = (server: LocalProviderServer.Service, mode: number) =>
  TemporaryFiles.file(
    JSON.stringify({ client_id: server.credentials.hydrosat.clientId, client_secret: Redacted.value(server.credentials.hydrosat.clientSecret) }),
    mode
  )

/** The server's token URL, and the file: no HYDROSAT_CLIENT_ID or HYDROSAT_CLIENT_SECRET. */
const fileEnvironment = (server: LocalProviderServer.Service, path: string) => ({
  HYDROSAT_TOKEN_URL: server.urls.hydrosat.tokenUrl,
  HYDROSAT_CREDENTIALS_FILE: path
})

/** A token from `tokens`, built with `variables` as the whole environment. */
const tokenFrom = (tokens: Layer.Layer<TokenProvider.TokenProvider, TokenError.InvalidConfiguration | TokenError.WrongHost, HttpClient.HttpClient>, variables: Record<string, string>) =>
  Effect.provide(TokenProvider.get, Layer.fresh(tokens)).pipe(
    Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env: variables }))
  )

const withReader = (options?: Parameters<typeof Hydrosat.layerConfig>[0]) => Hydrosat.layerConfig(options).pipe(Layer.provide(CredentialsFile.layerReader))

describe("HYDROSAT_CREDENTIALS_FILE", () => {
  it.live("Hydrosat.layerConfig() reads creds.json (mode 0600) and the STAC API accepts the token", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      const token = yield* tokenFrom(withReader(), fileEnvironment(server, yield* credsJson(server, 0o600)))
      const client = yield* HttpClient.HttpClient
      const stac = yield* client.execute(HttpClientRequest.get(server.urls.hydrosat.apiUrl).pipe(HttpClientRequest.bearerToken(token.value)))
      expect(stac.status).toBe(200)
      const [request] = yield* server.requests("hydrosat")
      expect(request?.form).toEqual({
        client_id: server.credentials.hydrosat.clientId,
        client_secret: Redacted.value(server.credentials.hydrosat.clientSecret),
        grant_type: "client_credentials"
      })
    }).pipe(Effect.provide(Environment)))

  it.live("a creds.json readable by others fails when the layer is built, saying chmod 600, before any request", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      const path = yield* credsJson(server, 0o644)
      const error = yield* Effect.flip(tokenFrom(withReader(), fileEnvironment(server, path)))
      expect(error).toMatchObject({ _tag: "InvalidConfiguration", setting: "HYDROSAT_CREDENTIALS_FILE" })
      expect(error.message).toContain(`chmod 600 ${path}`)
      expect(error.message).not.toContain(Redacted.value(server.credentials.hydrosat.clientSecret))
      expect(CredentialsFile.isCredentialsFileError((error as Error).cause)).toBe(true)
      expect(yield* server.requestCount("hydrosat")).toBe(0)
    }).pipe(Effect.provide(Environment)))

  it.live("a missing file names the variable and the shape to write; with a prefix, the prefixed variable", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      const missing = yield* Effect.flip(tokenFrom(withReader(), fileEnvironment(server, "/nonexistent/creds.json")))
      expect(missing).toMatchObject({ _tag: "InvalidConfiguration", setting: "HYDROSAT_CREDENTIALS_FILE" })
      expect(missing.message).toContain(`{"client_id": "<client id>", "client_secret": "<client secret>"}`)
      const path = yield* credsJson(server, 0o600)
      const prefixed = Object.fromEntries(Object.entries(fileEnvironment(server, path)).map(([name, value]) => [`FIELDS_${name}`, value]))
      expect(Redacted.value((yield* tokenFrom(withReader({ prefix: "FIELDS" }), prefixed)).value)).not.toBe("")
      expect(yield* server.requestCount("hydrosat")).toBe(1)
    }).pipe(Effect.provide(Environment)))

  it.live("without a reader, Hydrosat.layerConfig() says what to provide (or which variables to set)", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      const error = yield* Effect.flip(tokenFrom(Hydrosat.layerConfig(), fileEnvironment(server, yield* credsJson(server, 0o600))))
      expect(error).toMatchObject({ _tag: "InvalidConfiguration", setting: "HYDROSAT_CREDENTIALS_FILE" })
      expect(error.message).toContain(
        "provide CredentialsFile.layerReader of @effect-bearer/platform-node (on Node), or set the credentials themselves (HYDROSAT_CLIENT_ID and HYDROSAT_CLIENT_SECRET)"
      )
      expect(yield* server.requestCount("hydrosat")).toBe(0)
    }).pipe(Effect.provide(Environment)))

  it.live("the CLI honours it: effect-bearer token hydrosat prints a token from creds.json", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      const result = yield* CliHarness.run(["token", "hydrosat"], fileEnvironment(server, yield* credsJson(server, 0o600)))
      expect(result.exitCode).toBe(0)
      expect(result.stdout.trim()).not.toBe("")
      expect(yield* server.requestCount("hydrosat")).toBe(1)
    }).pipe(Effect.provide(Environment)))
})
