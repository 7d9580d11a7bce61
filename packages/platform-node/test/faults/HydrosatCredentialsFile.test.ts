/**
 * Hydrosat's `creds.json` through `HYDROSAT_CREDENTIALS_FILE`: the file the user writes
 * with the client ID and secret Hydrosat issued, read by `Hydrosat.layerConfig()` with
 * platform-node's `CredentialsFile.layerReader` (the `chmod 600` rule included) and by
 * the CLI, against the local provider server over real HTTP. A file that cannot be used
 * fails when the layer is built, before any request.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Layer, Redacted } from "effect"
import { TokenProvider } from "@effect-bearer/core"
import { Hydrosat, LocalProviderServer } from "@effect-bearer/providers"
import { CredentialsFile, NodeLocalProviderServer } from "@effect-bearer/platform-node"
import * as CliHarness from "../support/CliHarness.js"

const Environment = Layer.mergeAll(NodeLocalProviderServer.layerTest(), NodeFileSystem.layer, NodeHttpClient.layerUndici)

/** A creds.json as Hydrosat's example has it, in a temporary directory of the test's scope. */
const credsJson = (server: LocalProviderServer.Service, mode: number) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const dir = yield* fs.makeTempDirectoryScoped({ prefix: "effect-bearer-hydrosat-" })
    const path = `${dir}/creds.json`
    yield* fs.writeFileString(
      path,
      JSON.stringify({
        client_id: server.credentials.hydrosat.clientId,
        client_secret: Redacted.value(server.credentials.hydrosat.clientSecret)
      })
    )
    yield* fs.chmod(path, mode)
    return path
  })

/** The server's token URL, and the file: no HYDROSAT_CLIENT_ID or HYDROSAT_CLIENT_SECRET. */
const fileEnvironment = (server: LocalProviderServer.Service, path: string) => ({
  HYDROSAT_TOKEN_URL: server.urls.hydrosat.tokenUrl,
  HYDROSAT_CREDENTIALS_FILE: path
})

const build = <E>(layer: Layer.Layer<TokenProvider.TokenProvider, E, HttpClient.HttpClient>, variables: Record<string, string>) =>
  Layer.build(layer).pipe(Effect.withConfigProvider(ConfigProvider.fromJson(variables)))

describe("HYDROSAT_CREDENTIALS_FILE", () => {
  it.scopedLive("Hydrosat.layerConfig() reads creds.json (mode 0600) and the STAC API accepts the token", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      const path = yield* credsJson(server, 0o600)
      const context = yield* build(
        Hydrosat.layerConfig().pipe(Layer.provide(CredentialsFile.layerReader)),
        fileEnvironment(server, path)
      )
      const token = yield* Effect.provide(TokenProvider.get, context)
      const stac = yield* HttpClient.execute(
        HttpClientRequest.get(server.urls.hydrosat.apiUrl).pipe(HttpClientRequest.bearerToken(token.value))
      )
      expect(stac.status).toBe(200)
      const [request] = yield* server.requests("hydrosat")
      expect(request?.form).toEqual({
        client_id: server.credentials.hydrosat.clientId,
        client_secret: Redacted.value(server.credentials.hydrosat.clientSecret),
        grant_type: "client_credentials"
      })
    }).pipe(Effect.provide(Environment)))

  it.scopedLive("a creds.json readable by others fails when the layer is built, saying chmod 600, before any request", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      const path = yield* credsJson(server, 0o644)
      const error = yield* Effect.flip(build(
        Hydrosat.layerConfig().pipe(Layer.provide(CredentialsFile.layerReader)),
        fileEnvironment(server, path)
      ))
      expect(error).toMatchObject({ _tag: "InvalidConfiguration", setting: "HYDROSAT_CREDENTIALS_FILE" })
      expect(error.message).toContain(`chmod 600 ${path}`)
      expect(error.message).not.toContain(Redacted.value(server.credentials.hydrosat.clientSecret))
      expect(yield* server.requestCount("hydrosat")).toBe(0)
    }).pipe(Effect.provide(Environment)))

  it.scopedLive("a missing file names the variable and the shape to write; with a prefix, the prefixed variable", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      const missing = yield* Effect.flip(build(
        Hydrosat.layerConfig().pipe(Layer.provide(CredentialsFile.layerReader)),
        fileEnvironment(server, "/nonexistent/creds.json")
      ))
      expect(missing).toMatchObject({ _tag: "InvalidConfiguration", setting: "HYDROSAT_CREDENTIALS_FILE" })
      expect(missing.message).toContain(`{"client_id": "<client id>", "client_secret": "<client secret>"}`)
      const path = yield* credsJson(server, 0o600)
      const prefixed = yield* build(
        Hydrosat.layerConfig({ prefix: "FIELDS" }).pipe(Layer.provide(CredentialsFile.layerReader)),
        { FIELDS: fileEnvironment(server, path) } as unknown as Record<string, string>
      )
      expect(Redacted.value((yield* Effect.provide(TokenProvider.get, prefixed)).value)).not.toBe("")
      expect(yield* server.requestCount("hydrosat")).toBe(1)
    }).pipe(Effect.provide(Environment)))

  it.scopedLive("without a reader, Hydrosat.layerConfig() says what to provide (or which variables to set)", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      const path = yield* credsJson(server, 0o600)
      const error = yield* Effect.flip(build(Hydrosat.layerConfig(), fileEnvironment(server, path)))
      expect(error).toMatchObject({ _tag: "InvalidConfiguration", setting: "HYDROSAT_CREDENTIALS_FILE" })
      expect(error.message).toContain(
        "provide CredentialsFile.layerReader of @effect-bearer/platform-node (on Node), or set the credentials themselves (HYDROSAT_CLIENT_ID and HYDROSAT_CLIENT_SECRET)"
      )
      expect(yield* server.requestCount("hydrosat")).toBe(0)
    }).pipe(Effect.provide(Environment)))

  it.scopedLive("the CLI honours it: effect-bearer token hydrosat prints a token from creds.json", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      const path = yield* credsJson(server, 0o600)
      const result = yield* CliHarness.run(["token", "hydrosat"], fileEnvironment(server, path))
      expect(result.exitCode).toBe(0)
      expect(result.stdout.trim()).not.toBe("")
      expect(yield* server.requestCount("hydrosat")).toBe(1)
    }).pipe(Effect.provide(Environment)))
})
