/**
 * What `effect-bearer` prints of text a server wrote (the shared
 * `@effect-bearer/conformance/CliServerTextCases`): a hostile token endpoint's text on stderr
 * on one safe line without the secret it repeated, and a JWT's claims with control and
 * bidirectional characters escaped. Through real HTTP on 127.0.0.1, with the CLI run in process.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import * as CliServerTextCases from "@effect-bearer/conformance/CliServerTextCases"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Runtime } from "effect"
import { Cli } from "@effect-bearer/platform-node"
import * as CliHarness from "./support/CliHarness.js"

/** This line's CLI, run in process with the test's HTTP client. */
const runCase = (testCase: CliServerTextCases.Case) =>
  Effect.flatMap(Effect.runtime<HttpClient.HttpClient>(), (runtime) =>
    Effect.promise(() => testCase.run({ run: (args, env) => Runtime.runPromise(runtime)(CliHarness.run(args, env)), exitCodes: Cli.exitCodes }, expect))
  ).pipe(Effect.provide(NodeHttpClient.layerUndici))

describe("effect-bearer token: server text on stderr", () => {
  for (const testCase of CliServerTextCases.serverText) it.live(testCase.name, () => runCase(testCase))
})

describe("effect-bearer decode: claims a server wrote, on a terminal", () => {
  for (const testCase of CliServerTextCases.decodedClaims) it.live(testCase.name, () => runCase(testCase))
})
