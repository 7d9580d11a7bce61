/**
 * Runs `Cli.run` in this process, as `bin.ts` does but with the console captured, the environment
 * given as a map (read through `Config`, as the CLI reads it) and the exit code computed by
 * `Cli.exitCodeOf`: the CLI's behaviour without a process start per case. Standard input, when
 * given, stands in for `process.stdin` during the run, and `terminal` makes stdout and stderr say
 * they are terminals (the tests of a file run one at a time). Unless the environment names one, each run
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

/** Runs `effect` with `value` in place of `target[name]`, restored afterwards. */
const replacing = <A, E, R>(target: object, name: string, value: unknown, effect: Effect.Effect<A, E, R>) =>
  Effect.acquireUseRelease(
    Effect.sync(() => {
      const original = Object.getOwnPropertyDescriptor(target, name)
      Object.defineProperty(target, name, { configurable: true, writable: true, value })
      return original
    }),
    () => effect,
    (original) =>
      Effect.sync(() => void (original === undefined ? Reflect.deleteProperty(target, name) : Object.defineProperty(target, name, original)))
  )

/** `process.stdin` reads `input` while `effect` runs. */
const withStandardInput = <A, E, R>(input: string, effect: Effect.Effect<A, E, R>) =>
  replacing(process, "stdin", Readable.from([Buffer.from(input)]), effect)

/** stdout and stderr say they are terminals while `effect` runs. */
const asTerminal = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  replacing(process.stdout, "isTTY", true, replacing(process.stderr, "isTTY", true, effect))

/** `effect-bearer <args>` with the given environment variables and nothing else, and `stdin` on standard input. */
export const run = (
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>> = {},
  options?: { readonly stdin?: string; readonly terminal?: boolean }
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
    const withInput = options?.stdin === undefined ? cli : withStandardInput(options.stdin, cli)
    const exit = yield* Effect.exit(options?.terminal === true ? asTerminal(withInput) : withInput)
    return { exitCode: Cli.exitCodeOf(exit), stdout, stderr } satisfies Finished
  })).pipe(Effect.provide(NodeServices.layer))
