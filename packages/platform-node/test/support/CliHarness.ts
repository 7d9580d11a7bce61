/**
 * Runs `Cli.run` in this process, as `bin.ts` does but with the console captured, the
 * environment given as a map (read through `Config`, as the CLI reads it) and the exit
 * code computed by `Cli.exitCodeOf`: the CLI's behaviour without a process start per
 * case. Logs go through `Cli.logger` to the captured stderr, as `bin.ts` sends them to the
 * real one. Standard input, when given, stands in for `process.stdin` during the run, and
 * `terminal` makes stdout and stderr say they are terminals (the tests of a file run one at
 * a time). Unless the environment names one, each run has its own empty token cache
 * (`XDG_CACHE_HOME`), never the user's. `CliProcess.test.ts` runs the real executable.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as FileSystem from "@effect/platform/FileSystem"
import * as NodeContext from "@effect/platform-node/NodeContext"
import type { Console } from "effect"
import { ConfigProvider, Effect, FiberRef, HashSet, Logger, Redacted } from "effect"
import { Readable } from "node:stream"
import type { LocalProviderServer } from "@effect-bearer/providers"
import { Cli } from "@effect-bearer/platform-node"

/** What a run left behind. */
export interface Finished {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs `effect` with `value` in place of `process[name]`, restored afterwards. */
const replacing = <A, E, R>(
  target: object,
  name: string,
  value: unknown,
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, E, R> =>
  Effect.acquireUseRelease(
    Effect.sync(() => {
      const original = Object.getOwnPropertyDescriptor(target, name)
      Object.defineProperty(target, name, { configurable: true, writable: true, value })
      return original
    }),
    () => effect,
    (original) =>
      Effect.sync(() =>
        original === undefined ? void Reflect.deleteProperty(target, name) : Object.defineProperty(target, name, original)
      )
  )

/** `process.stdin` reads `input` while `effect` runs. */
const withStandardInput = <A, E, R>(input: string, effect: Effect.Effect<A, E, R>) =>
  replacing(process, "stdin", Readable.from([Buffer.from(input)]), effect)

/** stdout and stderr say they are terminals while `effect` runs. */
const asTerminal = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  replacing(process.stdout, "isTTY", true, replacing(process.stderr, "isTTY", true, effect))

const line = (parts: ReadonlyArray<unknown>) => `${parts.map(String).join(" ")}\n`

/** Runs `program` with what it prints, and what the logger writes, captured by stream. */
const captured = <A, E, R>(program: Effect.Effect<A, E, R>) =>
  Effect.gen(function*() {
    let stdout = ""
    let stderr = ""
    const console = yield* Effect.console
    const toStdout = (...parts: ReadonlyArray<unknown>) => void (stdout += line(parts))
    const toStderr = (...parts: ReadonlyArray<unknown>) => void (stderr += line(parts))
    const capturing: Console.Console = {
      ...console,
      log: (...parts) => Effect.sync(() => toStdout(...parts)),
      error: (...parts) => Effect.sync(() => toStderr(...parts)),
      unsafe: { ...console.unsafe, log: toStdout, info: toStdout, debug: toStdout, error: toStderr, warn: toStderr }
    }
    const exit = yield* Effect.exit(Effect.withConsole(program, capturing))
    return { exit, stdout, stderr }
  })

/** `effect-bearer <args>` with the given environment variables and nothing else, and `stdin` on standard input. */
export const run = (
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>> = {},
  options?: { readonly stdin?: string; readonly terminal?: boolean }
): Effect.Effect<Finished, never, HttpClient.HttpClient> =>
  Effect.scoped(Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const cache = env["XDG_CACHE_HOME"] ?? (yield* Effect.orDie(fs.makeTempDirectoryScoped({ prefix: "effect-bearer-cache-" })))
    const cli = Cli.run(["node", "effect-bearer", ...args]).pipe(
      Effect.provide(Cli.logger),
      // Each run starts from a fresh process's loggers, as bin.ts does: none left by an earlier run.
      Effect.locally(FiberRef.currentLoggers, HashSet.make(Logger.defaultLogger)),
      Effect.withConfigProvider(ConfigProvider.fromJson({ XDG_CACHE_HOME: cache, ...env }))
    )
    const withInput = options?.stdin === undefined ? cli : withStandardInput(options.stdin, cli)
    const { exit, stderr, stdout } = yield* captured(options?.terminal === true ? asTerminal(withInput) : withInput)
    return { exitCode: Cli.exitCodeOf(exit), stdout, stderr } satisfies Finished
  })).pipe(Effect.provide(NodeContext.layer))


/** A file with `content` and exactly `mode`, in a temporary directory of the test's scope. */
export const credentialsFile = (content: string, mode: number) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const dir = yield* fs.makeTempDirectoryScoped({ prefix: "effect-bearer-cli-" })
    const path = `${dir}/creds.json`
    yield* fs.writeFileString(path, content)
    yield* fs.chmod(path, mode)
    return path
  })

/** Hydrosat's creds.json for the local server's client. */
export const hydrosatCreds = (server: LocalProviderServer.Service) =>
  JSON.stringify({
    client_id: server.credentials.hydrosat.clientId,
    client_secret: Redacted.value(server.credentials.hydrosat.clientSecret)
  })

/** The local server's environment with a token cache home (`XDG_CACHE_HOME`) of the test's scope. */
export const cachedEnvironment = (server: LocalProviderServer.Service) =>
  Effect.map(
    Effect.flatMap(FileSystem.FileSystem, (fs) => fs.makeTempDirectoryScoped({ prefix: "effect-bearer-xdg-" })),
    (home) => ({ ...server.environment, XDG_CACHE_HOME: home })
  )
