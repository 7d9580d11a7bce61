/**
 * Runs a program in this process with Effect's `Console` captured: what it would have
 * printed on stdout (`Console.log`) and stderr (`Console.error`), line by line, with how
 * it ended. What a test of a command-line program checks, without starting a process.
 */
import type { Exit } from "effect"
import { Console, Effect } from "effect"

/** What a captured run left behind. */
export interface Captured<A, E> {
  readonly exit: Exit.Exit<A, E>
  /** Each `log`, `info` and `debug`, as a line: what Node's console writes to stdout. */
  readonly stdout: string
  /** Each `error` and `warn`, as a line: what Node's console writes to stderr. */
  readonly stderr: string
}

const line = (parts: ReadonlyArray<unknown>) => `${parts.map(String).join(" ")}\n`

/** Runs `program` with its `Console` output captured instead of printed (its `unsafe` side too). */
export const run = <A, E, R>(program: Effect.Effect<A, E, R>): Effect.Effect<Captured<A, E>, never, R> =>
  Effect.gen(function*() {
    let stdout = ""
    let stderr = ""
    const toStdout = (...parts: ReadonlyArray<unknown>) => void (stdout += line(parts))
    const toStderr = (...parts: ReadonlyArray<unknown>) => void (stderr += line(parts))
    const console = yield* Effect.console
    const captured: Console.Console = {
      ...console,
      log: (...parts) => Effect.sync(() => toStdout(...parts)),
      info: (...parts) => Effect.sync(() => toStdout(...parts)),
      debug: (...parts) => Effect.sync(() => toStdout(...parts)),
      error: (...parts) => Effect.sync(() => toStderr(...parts)),
      warn: (...parts) => Effect.sync(() => toStderr(...parts)),
      unsafe: { ...console.unsafe, log: toStdout, info: toStdout, debug: toStdout, error: toStderr, warn: toStderr }
    }
    const exit = yield* Effect.exit(Effect.withConsole(program, captured))
    return { exit, stdout, stderr }
  })
