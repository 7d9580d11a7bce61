/**
 * Bad input on Node, from the version-free table `@effect-bearer/conformance/CliBadInputCases`
 * (shared with the Effect 4 line): credentials files and environments that cannot work, and an
 * unknown provider on the command line. Each row is a clear typed error with its exit code,
 * raised when the layer is built: the local provider server, which every row points at, records
 * zero requests on any endpoint. A control row with a good file proves the same path does reach
 * the server.
 */
import * as FileSystem from "@effect/platform/FileSystem"
import { execFileSync } from "node:child_process"
import { expect, layer } from "@effect/vitest"
import { ConfigProvider, Effect, Layer } from "effect"
import * as CliBadInputCases from "@effect-bearer/conformance/CliBadInputCases"
import { TokenProvider } from "@effect-bearer/core"
import * as Providers from "@effect-bearer/providers"
import { Cli } from "@effect-bearer/platform-node"
import * as CliHarness from "../support/CliHarness.js"
import * as LocalServer from "../support/LocalServer.js"
import * as ServerFacts from "../support/ServerFacts.js"

/** Each block shares one local provider server, on the real clock; every test that talks to it starts with `LocalServer.fresh`. */
const live = { excludeTestServices: true } as const

const exitCodeOf = (tag: string) => Cli.exitCodes[tag as keyof typeof Cli.exitCodes]

/**
 * What this line's command-line parser (`@effect/cli`) says instead of a row's shared excerpts, by
 * row name: it lists the providers (as the shared excerpts do) but does not repeat the bad value.
 */
const effect3Excerpts: Readonly<Record<string, ReadonlyArray<string>>> = {
  "an unknown provider": ["Expected one of the following cases: up42-project, up42-account, bitquery, hydrosat, oauth2"]
}

/** Writes the file a row describes, in a temporary directory of the test's scope. */
const writeFile = (spec: CliBadInputCases.FileSpec) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const dir = yield* fs.makeTempDirectoryScoped({ prefix: "effect-bearer-bad-input-" })
    if ("special" in spec) {
      if (spec.special === "fifo") execFileSync("mkfifo", ["-m", "600", `${dir}/creds.json`])
      return spec.special === "missing" || spec.special === "fifo"
        ? `${dir}/creds.json`
        : spec.special === "directory"
        ? dir
        : "/dev/null"
    }
    const path = `${dir}/creds.json`
    yield* fs.writeFileString(path, spec.content)
    yield* fs.chmod(path, spec.mode)
    return path
  })

layer(LocalServer.layer, live)("bad credentials files: a typed error before any request (effect-bearer token --credentials)", (it) => {
  for (const row of CliBadInputCases.fileRows) {
    it.scoped(`${row.name} → ${row.tag} (exit ${exitCodeOf(row.tag)})`, () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.fresh
        const facts = ServerFacts.of(server)
        const path = yield* writeFile(row.file(facts))
        const finished = yield* CliHarness.run(["token", row.provider, "--credentials", path], CliBadInputCases.tokenUrls(facts))
        CliBadInputCases.checkFileRow(row, { finished, path, exitCode: exitCodeOf(row.tag), server: facts }, expect)
        expect(yield* ServerFacts.allRequests(server)).toBe(0)
      }))
  }

  it.scoped("control: the same path with a good file (mode 0600) reaches the token endpoint once", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const facts = ServerFacts.of(server)
      const path = yield* writeFile({ content: JSON.stringify({ client_id: facts.hydrosat.clientId, client_secret: facts.hydrosat.clientSecret }), mode: 0o600 })
      const result = yield* CliHarness.run(["token", "hydrosat", "--credentials", path], CliBadInputCases.tokenUrls(facts))
      expect(result.exitCode).toBe(0)
      expect(yield* server.requestCount("hydrosat", "token")).toBe(1)
    }))
})

layer(LocalServer.layer, live)("bad environment and command line: a typed error before any request (effect-bearer token)", (it) => {
  for (const row of CliBadInputCases.environmentRows) {
    it.scoped(`${row.name} → ${row.tag} (exit ${exitCodeOf(row.tag)})`, () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.fresh
        const facts = ServerFacts.of(server)
        const finished = yield* CliHarness.run(["token", row.provider], row.environment(facts))
        CliBadInputCases.checkEnvironmentRow(row, { finished, exitCode: exitCodeOf(row.tag), server: facts }, expect, effect3Excerpts[row.name])
        expect(yield* ServerFacts.allRequests(server)).toBe(0)
      }))
  }
})

layer(LocalServer.layer, live)("an empty variable beside a usable one (effect-bearer token)", (it) => {
  it.scoped("an empty BITQUERY_CLIENT_ID beside BITQUERY_ACCESS_TOKEN counts as unset: the console token is printed, no token request", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const facts = ServerFacts.of(server)
      const { BITQUERY_CLIENT_SECRET: _, ...rest } = facts.environment
      const result = yield* CliHarness.run(["token", "bitquery"], { ...rest, BITQUERY_CLIENT_ID: "", BITQUERY_ACCESS_TOKEN: facts.bitquery.accessToken })
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain(facts.bitquery.accessToken)
      expect(yield* ServerFacts.allRequests(server)).toBe(0)
    }))
})

layer(LocalServer.layer, live)("bad environment: each provider's layerConfig fails when it is built", (it) => {
  for (const { module, variable } of CliBadInputCases.blankSecretRows) {
    const tokens: Layer.Layer<TokenProvider.TokenProvider, unknown, any> = Providers[module].layerConfig()

    it.scoped(`${module}.layerConfig with a blank ${variable} → InvalidConfiguration, no request`, () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.fresh
        const error = yield* Layer.build(tokens).pipe(
          Effect.withConfigProvider(ConfigProvider.fromJson({ ...server.environment, [variable]: " " })),
          Effect.flip
        )
        expect(error).toMatchObject({ _tag: "InvalidConfiguration", setting: variable })
        expect((error as Error).message).toContain(`Invalid configuration for ${variable}`)
        expect(yield* ServerFacts.allRequests(server)).toBe(0)
      }))

    it.scoped(`${module}.layerConfig with the server's environment builds and gets a token (control)`, () =>
      Effect.gen(function*() {
        const server = yield* LocalServer.fresh
        const context = yield* Layer.build(tokens).pipe(
          Effect.withConfigProvider(ConfigProvider.fromJson(server.environment))
        )
        yield* Effect.provide(TokenProvider.get, context)
        expect(yield* ServerFacts.allRequests(server)).toBeGreaterThan(0)
      }))
  }
})
