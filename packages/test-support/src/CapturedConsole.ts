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
  /** Each `Console.log`, as a line. */
  readonly stdout: string
  /** Each `Console.error`, as a line. */
  readonly stderr: string
}

const line = (parts: ReadonlyArray<unknown>) => `${parts.map(String).join(" ")}\n`

/** Runs `program` with `Console.log` and `Console.error` captured instead of printed. */
export const run = <A, E, R>(program: Effect.Effect<A, E, R>): Effect.Effect<Captured<A, E>, never, R> =>
  Effect.gen(function*() {
    let stdout = ""
    let stderr = ""
    const console = yield* Effect.console
    const captured: Console.Console = {
      ...console,
      log: (...parts) => Effect.sync(() => void (stdout += line(parts))),
      error: (...parts) => Effect.sync(() => void (stderr += line(parts)))
    }
    const exit = yield* Effect.exit(Effect.withConsole(program, captured))
    return { exit, stdout, stderr }
  })
