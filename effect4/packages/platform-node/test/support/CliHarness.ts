/**
 * Runs `Cli.run` in this process, as `bin.ts` does but with the console captured, the environment
 * given as a map (read through `Config`, as the CLI reads it) and the exit code computed by
 * `Cli.exitCodeOf`: the CLI's behaviour without a process start per case. Standard input, when
 * given, stands in for `process.stdin` during the run. Unless the environment names one, each run
 * has its own empty token cache (`XDG_CACHE_HOME`), never the user's.
 */
import { Cli } from "@effect-bearer/platform-node"
import * as NodeServices from "@effect/platform-node/NodeServices"
import { ConfigProvider, Console, Effect } from "effect"
import type { HttpClient } from "effect/http"
import { Readable } from "node:stream"
import * as TemporaryFiles from "./TemporaryFiles.js"

/** What a run left behind. */
export interface Finished {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

const line = (parts: ReadonlyArray<unknown>) => `${parts.map(String).join(" ")}\n`

/** `process.stdin` reads `input` while `effect` runs. */
const withStandardInput = <A, E, R>(input: string, effect: Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => {
      const original = Object.getOwnPropertyDescriptor(process, "stdin")
      Object.defineProperty(process, "stdin", { configurable: true, writable: true, value: Readable.from([Buffer.from(input)]) })
      return original
    }),
    () => effect,
    (original) => Effect.sync(() => void (original !== undefined && Object.defineProperty(process, "stdin", original)))
  )

/** `effect-bearer <args>` with the given environment variables and nothing else, and `stdin` on standard input. */
export const run = (
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>> = {},
  options?: { readonly stdin?: string }
): Effect.Effect<Finished, never, HttpClient.HttpClient> =>
  Effect.scoped(Effect.gen(function*() {
    let stdout = ""
    let stderr = ""
    const toStdout = (...parts: ReadonlyArray<unknown>) => void (stdout += line(parts))
    const toStderr = (...parts: ReadonlyArray<unknown>) => void (stderr += line(parts))
    const console = { ...globalThis.console, log: toStdout, info: toStdout, debug: toStdout, error: toStderr, warn: toStderr, trace: toStderr }
    const cache = env["XDG_CACHE_HOME"] ?? (yield* TemporaryFiles.directory("effect-bearer-cache-"))
    const cli = Cli.run(["node", "effect-bearer", ...args]).pipe(
      Effect.provide(Cli.logger),
      Effect.provideService(ConfigProvider.ConfigProvider, ConfigProvider.fromEnv({ env: { XDG_CACHE_HOME: cache, ...env } })),
      Effect.provideService(Console.Console, console as Console.Console)
    )
    const exit = yield* Effect.exit(options?.stdin === undefined ? cli : withStandardInput(options.stdin, cli))
    return { exitCode: Cli.exitCodeOf(exit), stdout, stderr } satisfies Finished
  })).pipe(Effect.provide(NodeServices.layer))
