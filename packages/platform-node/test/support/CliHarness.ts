/**
 * Runs `Cli.run` in this process, as `bin.ts` does but with the console captured, the
 * environment given as a map (read through `Config`, as the CLI reads it) and the exit
 * code computed by `Cli.exitCodeOf`: the CLI's behaviour without a process start per
 * case. `CliProcess.test.ts` runs the real executable.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import * as NodeContext from "@effect/platform-node/NodeContext"
import type { Console } from "effect"
import { ConfigProvider, Effect } from "effect"
import { Cli } from "@effect-bearer/platform-node"

/** What a run left behind. */
export interface Finished {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

const render = (args: ReadonlyArray<unknown>) => args.map(String).join(" ")

/** `effect-bearer <args>` with the given environment variables and nothing else. */
export const run = (
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>> = {}
): Effect.Effect<Finished, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const stdout: Array<string> = []
    const stderr: Array<string> = []
    const base = yield* Effect.console
    const captured: Console.Console = {
      ...base,
      log: (...parts) => Effect.sync(() => void stdout.push(render(parts))),
      error: (...parts) => Effect.sync(() => void stderr.push(render(parts)))
    }
    const exit = yield* Cli.run(["node", "effect-bearer", ...args]).pipe(
      Effect.withConsole(captured),
      Effect.withConfigProvider(ConfigProvider.fromJson(env)),
      Effect.provide(NodeContext.layer),
      Effect.exit
    )
    return {
      exitCode: Cli.exitCodeOf(exit),
      stdout: stdout.map((line) => `${line}\n`).join(""),
      stderr: stderr.map((line) => `${line}\n`).join("")
    }
  })
