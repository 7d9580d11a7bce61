/**
 * What the CLI writes where, and how: help and usage errors in colour only on a terminal without
 * NO_COLOR; a hostile server's text on one safe line without the secret it repeated; a JWT's
 * claims with control and bidirectional characters escaped.
 */
import { Cli, NodeLocalProviderServer } from "@effect-bearer/platform-node"
import * as LocalProviderServer from "@effect-bearer/providers/LocalProviderServer"
import { describe, expect, it } from "@effect/vitest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Effect, Layer } from "effect"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import * as CliHarness from "./support/CliHarness.js"

const escape = "\u001b["

describe("effect-bearer: colours", () => {
  it.effect("not a terminal: no escapes in the help, in a usage error, with no arguments", () =>
    Effect.gen(function*() {
      for (const args of [["--help"], ["token", "nope"], []]) {
        const result = yield* CliHarness.run(args)
        expect(result.stdout + result.stderr).not.toContain(escape)
      }
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.effect("a terminal: the help in colour, on stdout for --help, on stderr for no arguments", () =>
    Effect.gen(function*() {
      expect((yield* CliHarness.run(["--help"], {}, { terminal: true })).stdout).toContain(escape)
      const usage = yield* CliHarness.run([], {}, { terminal: true })
      expect(usage).toMatchObject({ exitCode: 2, stdout: "" })
      expect(usage.stderr).toContain(escape)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.effect("a terminal with NO_COLOR set: no escapes (an empty NO_COLOR does not count)", () =>
    Effect.gen(function*() {
      const off = yield* CliHarness.run(["--help"], { NO_COLOR: "1" }, { terminal: true })
      expect(off.stdout).not.toContain(escape)
      const empty = yield* CliHarness.run(["--help"], { NO_COLOR: "" }, { terminal: true })
      expect(empty.stdout).toContain(escape)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.live("logs follow the same rule: a warning in colour on a terminal, plain with NO_COLOR or without one", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      // An invalid sealing key is warned about (naming the variable), and the token still comes.
      const warn = { ...server.environment, EFFECT_BEARER_STORE_KEY: "not-a-key" }
      const coloured = yield* CliHarness.run(["token", "hydrosat"], warn, { terminal: true })
      expect(coloured.stderr).toContain("EFFECT_BEARER_STORE_KEY")
      expect(coloured.stderr).toContain(escape)
      const plain = [
        yield* CliHarness.run(["token", "hydrosat"], { ...warn, NO_COLOR: "1" }, { terminal: true }),
        yield* CliHarness.run(["token", "hydrosat"], warn)
      ]
      for (const result of plain) {
        expect(result.stderr).toContain("EFFECT_BEARER_STORE_KEY")
        expect(result.stderr).not.toContain(escape)
      }
    }).pipe(Effect.provide(Layer.fresh(NodeLocalProviderServer.layerTest()))))
})

const clientSecret = "canary-cli-secret-5e2b"

/** A token endpoint on 127.0.0.1 that answers every request with `body` and `status`, for the test's scope; its URL. */
const hostileEndpoint = (body: unknown, status: number) =>
  Effect.acquireRelease(
    Effect.promise(() =>
      new Promise<ReturnType<typeof createServer>>((resolve) => {
        const server = createServer((_request, response) => {
          response.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body))
        })
        server.listen(0, "127.0.0.1", () => resolve(server))
      })
    ),
    (server) => Effect.promise(() => new Promise<void>((resolve) => server.close(() => resolve())))
  ).pipe(Effect.map((server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}/token`))

const runToken = (tokenUrl: string) =>
  CliHarness.run(["token", "oauth2"], { OAUTH2_TOKEN_URL: tokenUrl, OAUTH2_CLIENT_ID: "cli-client", OAUTH2_CLIENT_SECRET: clientSecret })

/** Terminal escapes, C0 and C1 controls, and bidirectional overrides. */
// eslint-disable-next-line no-control-regex
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

describe("effect-bearer token: server text on stderr", () => {
  it.live("an error_description with escapes, line breaks, the client secret and 5,000 characters prints as one safe line", () =>
    Effect.gen(function*() {
      const tokenUrl = yield* hostileEndpoint({
        error: "invalid_client\u001b[2J",
        error_description: `\u001b[31mbad secret ${clientSecret}\r\nX-Fake: 1\u001b]0;pwned\u0007 ${"z".repeat(5_000)}`
      }, 401)
      const result = yield* runToken(tokenUrl)
      expect(result.exitCode).toBe(Cli.exitCodes.InvalidCredentials)
      expect(result.stderr).toContain("(HTTP 401: invalid_client: bad secret <redacted> X-Fake: 1 zzz")
      expect(result.stderr).not.toContain(clientSecret)
      expect(result.stderr.trimEnd()).not.toMatch(controlCharacters)
      expect(result.stderr.length).toBeLessThan(1_000)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.live("a token_type with escapes and the client secret prints neither", () =>
    Effect.gen(function*() {
      const tokenUrl = yield* hostileEndpoint({ access_token: "a-token", token_type: `\u001b[1mMAC ${clientSecret}` }, 200)
      const result = yield* runToken(tokenUrl)
      expect(result.exitCode).toBe(Cli.exitCodes.InvalidTokenResponse)
      expect(result.stderr).toContain(`token_type "MAC <redacted>" is not Bearer`)
      expect(result.stderr).not.toContain(clientSecret)
      expect(result.stderr.trimEnd()).not.toMatch(controlCharacters)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")

describe("effect-bearer decode: claims a server wrote, on a terminal", () => {
  // ESC (escaped by JSON already), the 8-bit CSI, a right-to-left override, a line separator.
  const claims = { sub: "a\u001b[2Jb\u009b31mc\u202edcba\u2028d", exp: Math.floor(Date.now() / 1000) + 300 }
  const token = `${base64url({ alg: "HS256", typ: "JWT" })}.${base64url(claims)}.c2lnbmF0dXJl`
  for (const args of [["decode", token], ["decode", "--json", token]]) {
    it.live(`effect-bearer ${args.slice(0, -1).join(" ")} prints control and bidirectional characters as JSON escapes`, () =>
      Effect.gen(function*() {
        const result = yield* CliHarness.run(args)
        expect(result.exitCode).toBe(Cli.exitCodes.Success)
        expect(result.stdout).not.toMatch(/[\u001b\u009b\u202e\u2028]/)
        expect(result.stdout).toContain(String.raw`"a\u001b[2Jb\u009b31mc\u202edcba\u2028d"`)
      }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
  }
})
