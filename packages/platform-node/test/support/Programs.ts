/**
 * The repository's programs (the demo, the examples) run in this process. Each ends with
 * `NodeRuntime.runMain(main)`, run when the module is imported; a test file replaces
 * `runMain` with {@link runMain} below (`vi.mock`), so that importing a program hands
 * its main effect over instead of running it. The test then runs it with the console
 * captured and only the environment it gives, read through `Config` as the programs read
 * it: a provider's credentials in the developer's own environment never reach a test.
 */
import { Cause, ConfigProvider, Effect, Exit } from "effect"
import * as CapturedConsole from "@effect-bearer/test-support/CapturedConsole"
import { root } from "./Spawn.js"

type Main = Effect.Effect<unknown, unknown>

let recorded: Main | undefined

/** Stands in for `NodeRuntime.runMain` (both of its forms): keeps the effect, runs nothing. */
export const runMain = (...args: ReadonlyArray<unknown>): unknown => {
  if (!Effect.isEffect(args[0])) return (main: Main) => void (recorded = main)
  recorded = args[0] as Main
  return undefined
}

const mains = new Map<string, Promise<Main>>()

// One import at a time: `runMain` is called while the module is being evaluated.
let importing: Promise<unknown> = Promise.resolve()

const mainOf = (script: string): Promise<Main> => {
  const known = mains.get(script)
  if (known !== undefined) return known
  const next = importing.then(async () => {
    recorded = undefined
    await import(/* @vite-ignore */ `${root}${script}`)
    if (recorded === undefined) throw new Error(`${script} did not call NodeRuntime.runMain`)
    return recorded
  })
  importing = next.catch(() => undefined)
  mains.set(script, next)
  return next
}

/** What a finished program left behind; `exitCode` as `runMain`'s default teardown sets it. */
export interface Finished {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs `script` (a path from the repository root) with only the variables in `env`. */
export const run = (script: string, env: Readonly<Record<string, string>> = {}): Effect.Effect<Finished> =>
  Effect.gen(function*() {
    const main = yield* Effect.promise(() => mainOf(script))
    const { exit, stderr, stdout } = yield* CapturedConsole.run(
      Effect.withConfigProvider(main, ConfigProvider.fromJson(env))
    )
    // As runMain would: a failure is reported on stderr and exits 1.
    return Exit.isSuccess(exit)
      ? { exitCode: 0, stdout, stderr }
      : { exitCode: 1, stdout, stderr: `${stderr}${Cause.pretty(exit.cause)}\n` }
  })
