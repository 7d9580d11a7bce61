/**
 * Runs `Cli.run` in this process, as `bin.ts` does but with the console captured, the
 * environment given as a map (read through `Config`, as the CLI reads it) and the exit
 * code computed by `Cli.exitCodeOf`: the CLI's behaviour without a process start per
 * case. Standard input, when given, stands in for `process.stdin` during the run (the
 * tests of a file run one at a time). `CliProcess.test.ts` runs the real executable.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as NodeContext from "@effect/platform-node/NodeContext"
import { ConfigProvider, Effect } from "effect"
import { Readable } from "node:stream"
import { Cli } from "@effect-bearer/platform-node"
import * as CapturedConsole from "@effect-bearer/test-support/CapturedConsole"

/** What a run left behind. */
export interface Finished {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

/** `process.stdin` reads `input` while `effect` runs. */
const withStandardInput = <A, E, R>(input: string, effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.acquireUseRelease(
    Effect.sync(() => {
      const original = Object.getOwnPropertyDescriptor(process, "stdin")!
      Object.defineProperty(process, "stdin", { configurable: true, value: Readable.from([Buffer.from(input)]) })
      return original
    }),
    () => effect,
    (original) => Effect.sync(() => Object.defineProperty(process, "stdin", original))
  )

/** `effect-bearer <args>` with the given environment variables and nothing else, and `stdin` on standard input. */
export const run = (
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>> = {},
  options?: { readonly stdin?: string }
): Effect.Effect<Finished, never, HttpClient.HttpClient> => {
  const cli = Cli.run(["node", "effect-bearer", ...args]).pipe(
    Effect.withConfigProvider(ConfigProvider.fromJson(env)),
    Effect.provide(NodeContext.layer)
  )
  return CapturedConsole.run(options?.stdin === undefined ? cli : withStandardInput(options.stdin, cli)).pipe(
    Effect.map(({ exit, stderr, stdout }) => ({ exitCode: Cli.exitCodeOf(exit), stdout, stderr }))
  )
}
