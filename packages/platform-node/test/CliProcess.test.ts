import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { readFileSync } from "node:fs"
import { LocalProviderServer } from "@effect-bearer/providers"
import { Cli, NodeLocalProviderServer } from "@effect-bearer/platform-node"
import * as Spawn from "./support/Spawn.js"

// The real executable, as a shell runs it: `TOKEN=$(effect-bearer token hydrosat)`.
// Each case starts a process (a few seconds on a busy machine): the behaviour in detail
// is in Cli.test.ts, in process.

const timeout = 60_000

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")
const jwt = (claims: Record<string, unknown>) => `${base64url({ alg: "HS512", typ: "JWT" })}.${base64url(claims)}.c2ln`

describe.concurrent("the effect-bearer executable", () => {
  it.scopedLive("token: stdout is the token and a newline, nothing else; exit code 0", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      const result = yield* Spawn.cli(["token", "hydrosat"], { env: server.environment })
      expect(result.stderr).toBe("")
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/)
      const client = yield* HttpClient.HttpClient
      const response = yield* client.execute(
        HttpClientRequest.get(server.urls.hydrosat.apiUrl).pipe(HttpClientRequest.bearerToken(result.stdout.trim()))
      )
      expect(response.status).toBe(200)
    }).pipe(Effect.provide(NodeLocalProviderServer.layerTest())), timeout)

  it.scopedLive("token: a failure is a message on stderr, nothing on stdout, and the error's exit code", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      const result = yield* Spawn.cli(["token", "hydrosat"], {
        env: { ...server.environment, HYDROSAT_CLIENT_SECRET: "not-the-secret" }
      })
      expect(result.exitCode).toBe(Cli.exitCodes.InvalidCredentials)
      expect(result.stdout).toBe("")
      expect(result.stderr).toMatch(/^effect-bearer: InvalidCredentials: /)
      expect(result.stderr).not.toContain("not-the-secret")
      expect(result.stderr).not.toContain(Redacted.value(server.credentials.hydrosat.clientSecret))
    }).pipe(Effect.provide(NodeLocalProviderServer.layerTest())), timeout)

  it.scopedLive("logs go to stderr, never to stdout, even with --log-level debug", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      yield* server.setFault("hydrosat", LocalProviderServer.serverError(503))
      const result = yield* Spawn.cli(["--log-level", "debug", "token", "hydrosat"], { env: server.environment })
      expect(result.exitCode).toBe(Cli.exitCodes.TemporarilyUnavailable)
      expect(result.stdout).toBe("")
      expect(result.stderr).toContain("Token request failed") // the library's debug log
      expect(result.stderr).toContain("effect-bearer: TemporarilyUnavailable: ")
    }).pipe(Effect.provide(NodeLocalProviderServer.layerTest())), timeout)

  it.live("decode: reads the token from stdin, keeping it out of the process list", () =>
    Effect.gen(function*() {
      const exp = Math.floor(Date.now() / 1000) + 3600
      const result = yield* Spawn.cli(["decode"], { stdin: `${jwt({ sub: "piped", exp })}\n` })
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain(`"sub": "piped"`)
      expect(result.stdout).toMatch(/expires\s+\S+Z \(in (1h|5\dm( \d+s)?)\)/)
    }), timeout)

  it.live("decode: nothing on stdin says what to do (InvalidJwt)", () =>
    Effect.gen(function*() {
      const result = yield* Spawn.cli(["decode"], { stdin: "" })
      expect(result.exitCode).toBe(Cli.exitCodes.InvalidJwt)
      expect(result.stderr).toContain("No token to decode")
    }), timeout)

  it.live("an unknown subcommand is a usage error on stderr (2)", () =>
    Effect.gen(function*() {
      const result = yield* Spawn.cli(["fetch-everything"])
      expect(result.exitCode).toBe(Cli.exitCodes.InvalidCommandLine)
      expect(result.stdout).toBe("")
      expect(result.stderr).not.toBe("")
    }), timeout)

  it.live("--help lists the subcommands and exits 0", () =>
    Effect.gen(function*() {
      const result = yield* Spawn.cli(["--help"])
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain("token")
      expect(result.stdout).toContain("decode")
    }), timeout)
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
