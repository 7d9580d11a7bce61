/**
 * One token for both lines: the Effect 3 line's `effect-bearer` (a real process, from its source)
 * and this line's share a token cache. Whichever fetches the token, the other prints the same
 * token without a request to the provider: the same store key, sealing, entry and file layout
 * (the kernel's `TokenStoreKey`, `Seal`, `TokenStoreEntry` and `FileTokenStoreLayout`).
 */
import { NodeLocalProviderServer } from "@effect-bearer/platform-node"
import * as LocalProviderServer from "@effect-bearer/providers/LocalProviderServer"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import * as CliHarness from "./support/CliHarness.js"
import * as TemporaryFiles from "./support/TemporaryFiles.js"

const effect3Package = fileURLToPath(new URL("../../../../packages/platform-node/", import.meta.url))
const timeout = 60_000

/** The Effect 3 line's `effect-bearer <args>` in a process of its own, with `env` (and PATH). */
const effect3Cli = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>>) =>
  Effect.callback<{ readonly exitCode: number; readonly stdout: string; readonly stderr: string }>((resume) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "--conditions=source", "src/bin.ts", ...args],
      { cwd: effect3Package, env: { PATH: process.env["PATH"] ?? "", ...env }, timeout },
      (error, stdout, stderr) => resume(Effect.succeed({ exitCode: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }))
    )
  })

const setting = Effect.gen(function*() {
  const server = yield* LocalProviderServer.LocalProviderServer
  const environment = { ...server.environment, XDG_CACHE_HOME: yield* TemporaryFiles.directory("effect-bearer-shared-") }
  return { server, environment }
})

describe("one token cache for the Effect 3 and Effect 4 lines", () => {
  it.live("a token fetched by the Effect 3 line's CLI is printed by this line's, with no token request", () =>
    Effect.gen(function*() {
      const { environment, server } = yield* setting
      for (const provider of ["hydrosat", "up42-account"] as const) {
        const fetched = yield* effect3Cli(["token", provider], environment)
        expect(fetched).toMatchObject({ exitCode: 0, stderr: "" })
        const before = yield* server.requestCount(provider)
        const read = yield* CliHarness.run(["header", provider], environment)
        expect(read).toMatchObject({ exitCode: 0, stderr: "", stdout: `Authorization: Bearer ${fetched.stdout}` })
        expect(yield* server.requestCount(provider)).toBe(before)
      }
    }).pipe(Effect.provide(Layer.fresh(NodeLocalProviderServer.layerTest()))), timeout)

  it.live("a token fetched by this line's CLI is printed by the Effect 3 line's, with no token request", () =>
    Effect.gen(function*() {
      const { environment, server } = yield* setting
      const fetched = yield* CliHarness.run(["token", "up42-project"], environment)
      expect(fetched).toMatchObject({ exitCode: 0, stderr: "" })
      const before = yield* server.requestCount("up42-project")
      const read = yield* effect3Cli(["token", "up42-project"], environment)
      expect(read).toEqual({ exitCode: 0, stderr: "", stdout: fetched.stdout })
      expect(yield* server.requestCount("up42-project")).toBe(before)
    }).pipe(Effect.provide(Layer.fresh(NodeLocalProviderServer.layerTest()))), timeout)
})
