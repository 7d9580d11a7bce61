/**
 * What the CLI writes where, and how: help and usage errors in colour only on a terminal without
 * NO_COLOR; a hostile server's text on one safe line without the secret it repeated; a JWT's
 * claims with control and bidirectional characters escaped (the shared `CliServerTextCases`).
 */
import * as CliServerTextCases from "@effect-bearer/conformance/CliServerTextCases"
import { Cli, NodeLocalProviderServer } from "@effect-bearer/platform-node"
import * as LocalProviderServer from "@effect-bearer/providers/LocalProviderServer"
import { describe, expect, it } from "@effect/vitest"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { Effect, Layer } from "effect"
import type { HttpClient } from "effect/http"
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

/** This line's CLI, run in process with the test's HTTP client, for the shared `CliServerTextCases`. */
const runCase = (testCase: CliServerTextCases.Case) =>
  Effect.flatMap(Effect.context<HttpClient.HttpClient>(), (context) =>
    Effect.promise(() => testCase.run({ run: (args, env) => Effect.runPromiseWith(context)(CliHarness.run(args, env)), exitCodes: Cli.exitCodes }, expect))
  ).pipe(Effect.provide(NodeHttpClient.layerUndici))

describe("effect-bearer token: server text on stderr", () => {
  for (const testCase of CliServerTextCases.serverText) it.live(testCase.name, () => runCase(testCase))
})

describe("effect-bearer decode: claims a server wrote, on a terminal", () => {
  for (const testCase of CliServerTextCases.decodedClaims) it.live(testCase.name, () => runCase(testCase))
})
