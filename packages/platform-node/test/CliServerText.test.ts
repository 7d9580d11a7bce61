/**
 * What `effect-bearer token` prints on stderr about a hostile token endpoint: the server's
 * `error_description` and `token_type` reach the terminal on one line, without escape
 * sequences, cut to a readable length, and without the client secret the server repeated.
 * Through real HTTP on 127.0.0.1, with the CLI run in process.
 */
import * as HttpServer from "@effect/platform/HttpServer"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { createServer } from "node:http"
import { Cli } from "@effect-bearer/platform-node"
import * as CliHarness from "./support/CliHarness.js"

const clientSecret = "canary-cli-secret-5e2b"

/** A token endpoint on 127.0.0.1 that answers every request with `body` and `status`; its URL. */
const hostileEndpoint = (body: unknown, status: number) =>
  Effect.gen(function*() {
    // Built in the test's scope, so that the server outlives this effect.
    const context = yield* Layer.build(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" }))
    return yield* Effect.gen(function*() {
      yield* HttpServer.serveEffect(Effect.succeed(HttpServerResponse.unsafeJson(body, { status })))
      const server = yield* HttpServer.HttpServer
      return `${HttpServer.formatAddress(server.address)}/token`
    }).pipe(Effect.provide(context))
  })

const runToken = (tokenUrl: string) =>
  CliHarness.run(["token", "oauth2"], {
    OAUTH2_TOKEN_URL: tokenUrl,
    OAUTH2_CLIENT_ID: "cli-client",
    OAUTH2_CLIENT_SECRET: clientSecret
  })

/** Terminal escapes, C0 and C1 controls, and bidirectional overrides. */
const controlCharacters = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

describe("effect-bearer token: server text on stderr", () => {
  it.scopedLive("an error_description with escapes, line breaks, the client secret and 5,000 characters prints as one safe line", () =>
    Effect.gen(function*() {
      const tokenUrl = yield* hostileEndpoint({
        error: "invalid_client\u001b[2J",
        error_description: `\u001b[31mbad secret ${clientSecret}\r\nX-Fake: 1\u001b]0;pwned\u0007 ${"z".repeat(5_000)}`
      }, 401)
      const result = yield* runToken(tokenUrl)
      expect(result.exitCode).toBe(Cli.exitCodes.InvalidCredentials)
      expect(result.stderr).toContain("(HTTP 401: invalid_client: bad secret <redacted> X-Fake: 1 zzz")
      expect(result.stderr).not.toContain(clientSecret)
      // One line (the harness ends it with a newline), with no control character in it.
      expect(result.stderr.trimEnd()).not.toMatch(controlCharacters)
      expect(result.stderr.length).toBeLessThan(1_000)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))

  it.scopedLive("a token_type with escapes and the client secret prints neither", () =>
    Effect.gen(function*() {
      const tokenUrl = yield* hostileEndpoint({ access_token: "a-token", token_type: `\u001b[1mMAC ${clientSecret}` }, 200)
      const result = yield* runToken(tokenUrl)
      expect(result.exitCode).toBe(Cli.exitCodes.InvalidTokenResponse)
      expect(result.stderr).toContain(`token_type "MAC <redacted>" is not Bearer`)
      expect(result.stderr).not.toContain(clientSecret)
      // One line (the harness ends it with a newline), with no control character in it.
      expect(result.stderr.trimEnd()).not.toMatch(controlCharacters)
    }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
})

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")

describe("effect-bearer decode: claims a server wrote, on a terminal", () => {
  // ESC (escaped by JSON already), the 8-bit CSI, a right-to-left override, a line separator.
  const claims = { sub: "a\u001b[2Jb\u009b31mc\u202edcba\u2028d", exp: Math.floor(Date.now() / 1000) + 300 }
  const token = `${base64url({ alg: "HS256", typ: "JWT" })}.${base64url(claims)}.c2lnbmF0dXJl`

  for (const args of [["decode", token], ["decode", "--json", token]]) {
    it.scopedLive(`effect-bearer ${args.slice(0, -1).join(" ")} prints control and bidirectional characters as JSON escapes`, () =>
      Effect.gen(function*() {
        const result = yield* CliHarness.run(args)
        expect(result.exitCode).toBe(Cli.exitCodes.Success)
        expect(result.stdout).not.toMatch(/[\u001b\u009b\u202e\u2028]/)
        expect(result.stdout).toContain(String.raw`"a\u001b[2Jb\u009b31mc\u202edcba\u2028d"`)
      }).pipe(Effect.provide(NodeHttpClient.layerUndici)))
  }
})
