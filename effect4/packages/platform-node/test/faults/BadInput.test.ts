/**
 * Bad input on Node, from the version-free table `@effect-bearer/conformance/CliBadInputCases` (the
 * Effect 3 line's rows): credentials files and environments that cannot work, and an unknown
 * provider on the command line. Each row is a clear typed error with its exit code, raised when
 * the layer is built: the local provider server records zero requests on any endpoint. A control
 * row with a good file proves the same path does reach the server.
 */
import * as CliBadInputCases from "@effect-bearer/conformance/CliBadInputCases"
import * as TokenProvider from "@effect-bearer/core/TokenProvider"
import { Cli, NodeLocalProviderServer } from "@effect-bearer/platform-node"
import * as Providers from "@effect-bearer/providers"
import * as LocalProviderServer from "@effect-bearer/providers/LocalProviderServer"
import { expect, layer } from "@effect/vitest"
import { ConfigProvider, Effect, Layer } from "effect"
import { execFileSync } from "node:child_process"
import * as CliHarness from "../support/CliHarness.js"
import * as ServerFacts from "../support/ServerFacts.js"
import * as TemporaryFiles from "../support/TemporaryFiles.js"

const live = { excludeTestServices: true } as const
/** A server of each test's own: zero requests means zero. */
const ownServer = Layer.fresh(NodeLocalProviderServer.layerTest())

const exitCodeOf = (tag: string) => Cli.exitCodes[tag as keyof typeof Cli.exitCodes]

/** Writes the file a row describes, in a temporary directory of the test's scope. */
const writeFile = (spec: CliBadInputCases.FileSpec) =>
  Effect.gen(function*() {
    const dir = yield* TemporaryFiles.directory("effect-bearer-bad-input-")
    if (!("special" in spec)) return yield* TemporaryFiles.fileIn(dir, "creds.json", spec.content, spec.mode)
    if (spec.special === "fifo") execFileSync("mkfifo", ["-m", "600", `${dir}/creds.json`])
    return spec.special === "directory" ? dir : spec.special === "device" ? "/dev/null" : `${dir}/creds.json`
  })

const withServer = <A, E>(test: (server: LocalProviderServer.Service) => Effect.Effect<A, E, any>) =>
  Effect.flatMap(Effect.service(LocalProviderServer.LocalProviderServer), test).pipe(Effect.provide(ownServer))

layer(Layer.empty, live)("bad credentials files: a typed error before any request (effect-bearer token --credentials)", (it) => {
  for (const row of CliBadInputCases.fileRows) {
    it.effect(`${row.name} → ${row.tag} (exit ${exitCodeOf(row.tag)})`, () =>
      withServer((server) =>
        Effect.gen(function*() {
          const facts = ServerFacts.of(server)
          const path = yield* writeFile(row.file(facts))
          const finished = yield* CliHarness.run(["token", row.provider, "--credentials", path], CliBadInputCases.tokenUrls(facts))
          CliBadInputCases.checkFileRow(row, { finished, path, exitCode: exitCodeOf(row.tag), server: facts }, expect)
          expect(yield* ServerFacts.allRequests(server)).toBe(0)
        })
      ))
  }

  it.effect("control: the same path with a good file (mode 0600) reaches the token endpoint once", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const facts = ServerFacts.of(server)
        const path = yield* writeFile({ content: JSON.stringify({ client_id: facts.hydrosat.clientId, client_secret: facts.hydrosat.clientSecret }), mode: 0o600 })
        const result = yield* CliHarness.run(["token", "hydrosat", "--credentials", path], CliBadInputCases.tokenUrls(facts))
        expect(result.exitCode).toBe(0)
        expect(yield* server.requestCount("hydrosat", "token")).toBe(1)
      })
    ))
})

layer(Layer.empty, live)("bad environment and command line: a typed error before any request (effect-bearer token)", (it) => {
  for (const row of CliBadInputCases.environmentRows) {
    it.effect(`${row.name} → ${row.tag} (exit ${exitCodeOf(row.tag)})`, () =>
      withServer((server) =>
        Effect.gen(function*() {
          const facts = ServerFacts.of(server)
          const finished = yield* CliHarness.run(["token", row.provider], row.environment(facts))
          CliBadInputCases.checkEnvironmentRow(row, { finished, exitCode: exitCodeOf(row.tag), server: facts }, expect)
          expect(yield* ServerFacts.allRequests(server)).toBe(0)
        })
      ))
  }

  it.effect("an empty BITQUERY_CLIENT_ID beside BITQUERY_ACCESS_TOKEN counts as unset: the console token is printed, no token request", () =>
    withServer((server) =>
      Effect.gen(function*() {
        const facts = ServerFacts.of(server)
        const { BITQUERY_CLIENT_SECRET: _, ...rest } = facts.environment
        const result = yield* CliHarness.run(["token", "bitquery"], { ...rest, BITQUERY_CLIENT_ID: "", BITQUERY_ACCESS_TOKEN: facts.bitquery.accessToken })
        expect(result.exitCode).toBe(0)
        expect(result.stdout).toContain(facts.bitquery.accessToken)
        expect(yield* ServerFacts.allRequests(server)).toBe(0)
      })
    ))
})

layer(Layer.empty, live)("bad environment: each provider's layerConfig fails when it is built", (it) => {
  for (const { module, variable } of CliBadInputCases.blankSecretRows) {
    const tokens = () => Layer.fresh(Providers[module].layerConfig())
    const withEnvironment = (environment: Record<string, string>) =>
      Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env: environment }))

    it.effect(`${module}.layerConfig with a blank ${variable} → InvalidConfiguration, no request`, () =>
      withServer((server) =>
        Effect.gen(function*() {
          const error = yield* Effect.flip(Effect.provide(TokenProvider.get, tokens())).pipe(withEnvironment({ ...server.environment, [variable]: " " }))
          expect(error).toMatchObject({ _tag: "InvalidConfiguration", setting: variable })
          expect(error.message).toContain(`Invalid configuration for ${variable}`)
          expect(yield* ServerFacts.allRequests(server)).toBe(0)
        })
      ))

    it.effect(`${module}.layerConfig with the server's environment builds and gets a token (control)`, () =>
      withServer((server) =>
        Effect.gen(function*() {
          yield* Effect.provide(TokenProvider.get, tokens()).pipe(withEnvironment(server.environment))
          expect(yield* ServerFacts.allRequests(server)).toBeGreaterThan(0)
        })
      ))
  }
})
