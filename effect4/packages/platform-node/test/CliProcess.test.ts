/**
 * The real executable of the Effect 4 line, as a shell runs it (`TOKEN=$(effect-bearer token hydrosat)`),
 * on Node 22 from its TypeScript source: what only a process shows, which stream each output goes
 * to and the exit code `bin.ts` sets. The behaviour in detail is in Cli.test.ts, in this process.
 */
import { Cli, NodeLocalProviderServer } from "@effect-bearer/platform-node"
import * as LocalProviderServer from "@effect-bearer/providers/LocalProviderServer"
import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import { execFile } from "node:child_process"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"
import * as TemporaryFiles from "./support/TemporaryFiles.js"

const packageRoot = fileURLToPath(new URL("../", import.meta.url))
const timeout = 60_000

/** `effect-bearer <args>` in a process of its own, with `env` and nothing else of this process's environment but PATH. */
const spawnCli = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>>) =>
  Effect.callback<{ readonly exitCode: number; readonly stdout: string; readonly stderr: string }>((resume) => {
    execFile(
      process.execPath,
      ["--import", "tsx", "--conditions=source", "src/bin.ts", ...args],
      { cwd: packageRoot, env: { PATH: process.env["PATH"] ?? "", ...env }, timeout },
      (error, stdout, stderr) => resume(Effect.succeed({ exitCode: error === null ? 0 : Number(error.code ?? 1), stdout, stderr }))
    )
  })

/** The local server's environment with a token cache of the test's own (never the user's ~/.cache). */
const environment = (server: LocalProviderServer.Service) =>
  Effect.map(TemporaryFiles.directory("effect-bearer-xdg-"), (home) => ({ ...server.environment, XDG_CACHE_HOME: home }))

describe("the effect-bearer executable (Effect 4 line)", () => {
  it.live("token: stdout is the token and a newline, nothing else; exit code 0; a second process prints it as a header from the cache", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      const env = yield* environment(server)
      const token = yield* spawnCli(["token", "hydrosat"], env)
      expect(token.stderr).toBe("")
      expect(token.exitCode).toBe(0)
      expect(token.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/)
      const header = yield* spawnCli(["header", "hydrosat"], env)
      expect(header).toEqual({ exitCode: 0, stderr: "", stdout: `Authorization: Bearer ${token.stdout}` })
      expect(yield* server.requestCount("hydrosat")).toBe(1)
    }).pipe(Effect.provide(NodeLocalProviderServer.layer())), timeout)

  it.live("a failure: logs (even --log-level debug) and the message on stderr, nothing on stdout, the error's exit code", () =>
    Effect.gen(function*() {
      const server = yield* LocalProviderServer.LocalProviderServer
      yield* server.setFault("hydrosat", LocalProviderServer.serverError(503))
      const result = yield* spawnCli(["--log-level", "debug", "token", "hydrosat"], yield* environment(server))
      expect(result.exitCode).toBe(Cli.exitCodes.TemporarilyUnavailable)
      expect(result.stdout).toBe("")
      expect(result.stderr).toContain("Token request failed") // the library's debug log
      expect(result.stderr).toContain("effect-bearer: TemporarilyUnavailable: ")
    }).pipe(Effect.provide(NodeLocalProviderServer.layer())), timeout)

  it("package.json's bin is a committed shim that runs the built CLI", () => {
    const manifest = JSON.parse(readFileSync(`${packageRoot}package.json`, "utf8"))
    expect(manifest.bin["effect-bearer"]).toBe("./bin/effect-bearer.js")
    expect(manifest.files).toContain("bin")
    const source = readFileSync(`${packageRoot}bin/effect-bearer.js`, "utf8")
    expect(source.startsWith("#!/usr/bin/env node\n")).toBe(true)
    expect(source).toContain(`import "../dist/bin.js"`)
  })
})
