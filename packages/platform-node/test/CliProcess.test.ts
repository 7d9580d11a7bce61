import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { Effect, Layer } from "effect"
import { readFileSync } from "node:fs"
import { LocalProviderServer } from "@effect-bearer/providers"
import { Cli, NodeLocalProviderServer } from "@effect-bearer/platform-node"
import * as CliHarness from "./support/CliHarness.js"
import * as Spawn from "./support/Spawn.js"

// The real executable, as a shell runs it: `TOKEN=$(effect-bearer token hydrosat)`. What
// only a process shows: which stream each output goes to, and the exit code `bin.ts` sets.
// Each case starts a process (a second or more on a busy machine): the behaviour in
// detail is in Cli.test.ts, in this process.

const timeout = 60_000

/** The local server's environment with a token cache of the test's own (never the user's ~/.cache). */
const environment = CliHarness.cachedEnvironment

describe.concurrent("the effect-bearer executable", () => {
  it.scopedLive("token: stdout is the token and a newline, nothing else; exit code 0", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      const result = yield* Spawn.cli(["token", "hydrosat"], { env: yield* environment(server) })
      expect(result.stderr).toBe("")
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/)
      const client = yield* HttpClient.HttpClient
      const response = yield* client.execute(
        HttpClientRequest.get(server.urls.hydrosat.apiUrl).pipe(HttpClientRequest.bearerToken(result.stdout.trim()))
      )
      expect(response.status).toBe(200)
    }).pipe(Effect.provide(Layer.merge(NodeLocalProviderServer.layerTest(), NodeFileSystem.layer))), timeout)

  it.scopedLive("a failure: logs (even --log-level debug) and the message on stderr, nothing on stdout, the error's exit code", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      yield* server.setFault("hydrosat", LocalProviderServer.serverError(503))
      const result = yield* Spawn.cli(["--log-level", "debug", "token", "hydrosat"], { env: yield* environment(server) })
      expect(result.exitCode).toBe(Cli.exitCodes.TemporarilyUnavailable)
      expect(result.stdout).toBe("")
      expect(result.stderr).toContain("Token request failed") // the library's debug log
      expect(result.stderr).toContain("effect-bearer: TemporarilyUnavailable: ")
    }).pipe(Effect.provide(Layer.merge(NodeLocalProviderServer.layer(), NodeFileSystem.layer))), timeout)

  it.scopedLive("two processes, one cache: the second prints the first one's token as a header, no token request", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      const env = yield* environment(server)
      const token = yield* Spawn.cli(["token", "hydrosat"], { env })
      const header = yield* Spawn.cli(["header", "hydrosat"], { env })
      expect([token.exitCode, header.exitCode]).toEqual([0, 0])
      expect(header.stderr).toBe("")
      expect(header.stdout).toBe(`Authorization: Bearer ${token.stdout}`)
      expect(yield* server.requestCount("hydrosat")).toBe(1)
    }).pipe(Effect.provide(Layer.merge(NodeLocalProviderServer.layer(), NodeFileSystem.layer))), timeout)
})

describe("the installed command", () => {
  it("package.json's bin is a committed shim that runs the built CLI", () => {
    const manifest = JSON.parse(readFileSync(`${Spawn.root}packages/platform-node/package.json`, "utf8"))
    const shim = manifest.bin["effect-bearer"]
    expect(shim).toBe("./bin/effect-bearer.js")
    expect(manifest.files).toContain("bin")
    const source = readFileSync(`${Spawn.root}packages/platform-node/${shim}`, "utf8")
    expect(source.startsWith("#!/usr/bin/env node\n")).toBe(true)
    expect(source).toContain(`import "../dist/bin.js"`)
  })
})
