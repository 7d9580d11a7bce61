import * as FileSystem from "@effect/platform/FileSystem"
import { expect, layer } from "@effect/vitest"
import { Effect } from "effect"
import { Cli } from "@effect-bearer/platform-node"
import * as CliHarness from "./support/CliHarness.js"
import * as LocalServer from "./support/LocalServer.js"

// What the CLI prints besides tokens: help, usage errors, logs. @effect/cli writes ANSI
// escapes whatever the output is; the CLI keeps them only on a terminal without NO_COLOR.
const live = { excludeTestServices: true } as const

// eslint-disable-next-line no-control-regex
const escape = /\u001b/

layer(LocalServer.layer, live)("effect-bearer: help, exit codes and colours", (it) => {
  it.scoped("no arguments: the help on stderr, nothing on stdout, exit code 2", () =>
    Effect.gen(function*() {
      const result = yield* CliHarness.run([])
      expect(result.exitCode).toBe(Cli.exitCodes.InvalidCommandLine)
      expect(result.stdout).toBe("")
      expect(result.stderr).toContain("USAGE")
      for (const command of ["token", "header", "decode"]) expect(result.stderr).toContain(command)
    }))

  it.scoped("options but no subcommand: the same as no arguments (help on stderr, exit code 2)", () =>
    Effect.gen(function*() {
      for (const args of [["--log-level", "debug"], ["--log-level=debug"]]) {
        const result = yield* CliHarness.run(args)
        expect(result.exitCode).toBe(Cli.exitCodes.InvalidCommandLine)
        expect(result.stdout).toBe("")
        expect(result.stderr).toContain("USAGE")
      }
      const version = yield* CliHarness.run(["--version"])
      expect(version.exitCode).toBe(0)
      expect(version.stdout).toContain("0.1.0")
    }))

  it.scoped("--help: the help on stdout, exit code 0", () =>
    Effect.gen(function*() {
      const result = yield* CliHarness.run(["--help"])
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain("USAGE")
      expect(result.stderr).toBe("")
    }))

  it.scoped("not a terminal: no escapes in the help, in a usage error, with no arguments", () =>
    Effect.gen(function*() {
      for (const args of [["--help"], ["token", "planet"], ["fetch-everything"], []]) {
        const result = yield* CliHarness.run(args)
        expect(result.stdout + result.stderr).not.toBe("")
        expect(result.stdout).not.toMatch(escape)
        expect(result.stderr).not.toMatch(escape)
      }
    }))

  it.scoped("a terminal: the help in colour, on stdout for --help, on stderr for no arguments", () =>
    Effect.gen(function*() {
      const help = yield* CliHarness.run(["--help"], {}, { terminal: true })
      expect(help.stdout).toMatch(escape)
      const nothing = yield* CliHarness.run([], {}, { terminal: true })
      expect(nothing.stderr).toMatch(escape)
    }))

  it.scoped("a terminal with NO_COLOR set: no escapes (an empty NO_COLOR does not count)", () =>
    Effect.gen(function*() {
      for (const args of [["--help"], ["token", "planet"], []]) {
        const result = yield* CliHarness.run(args, { NO_COLOR: "1" }, { terminal: true })
        expect(result.stdout + result.stderr).not.toBe("")
        expect(result.stdout).not.toMatch(escape)
        expect(result.stderr).not.toMatch(escape)
      }
      const empty = yield* CliHarness.run(["--help"], { NO_COLOR: "" }, { terminal: true })
      expect(empty.stdout).toMatch(escape)
    }))

  it.scoped("logs follow the same rule: a warning in colour on a terminal, plain with NO_COLOR or without one", () =>
    Effect.gen(function*() {
      const server = yield* LocalServer.fresh
      const fs = yield* FileSystem.FileSystem
      const home = `${yield* fs.makeTempDirectoryScoped()}/not-a-directory`
      yield* fs.writeFileString(home, "")
      const env = { ...server.environment, XDG_CACHE_HOME: home }
      const coloured = yield* CliHarness.run(["token", "hydrosat"], env, { terminal: true })
      expect(coloured.stderr).toContain("WARN")
      expect(coloured.stderr).toMatch(escape)
      for (const plain of [
        yield* CliHarness.run(["token", "hydrosat"], { ...env, NO_COLOR: "1" }, { terminal: true }),
        yield* CliHarness.run(["token", "hydrosat"], env)
      ]) {
        expect(plain.exitCode).toBe(0)
        expect(plain.stderr).toContain("WARN")
        expect(plain.stderr).not.toMatch(escape)
      }
    }))
})
