/**
 * Runs the repository's programs as a user would, in a child process with a controlled
 * environment, the three outputs collected: an example as `tsx --conditions=source` runs it
 * (Node with tsx's loader, without the extra process the `tsx` command starts it from; the
 * "source" export condition resolves workspace packages to their TypeScript sources), and the
 * CLI as its installed command runs it: one JavaScript file built from the sources this run
 * (see Scripts.ts), which starts in a fraction of the time tsx takes.
 */
import * as Command from "@effect/platform/Command"
import * as NodeCommandExecutor from "@effect/platform-node/NodeCommandExecutor"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { Effect, Layer, Stream } from "effect"
import { fileURLToPath } from "node:url"
import * as Scripts from "./Scripts.js"

/** The repository root. */
export const root = fileURLToPath(new URL("../../../../", import.meta.url))


/** What a finished process left behind. */
export interface Finished {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

/** Runs `command` from the repository root with only the given variables (plus PATH and HOME). */
const start = (
  command: Command.Command,
  options?: { readonly env?: Readonly<Record<string, string>>; readonly stdin?: string }
): Effect.Effect<Finished, never, never> =>
  Effect.scoped(
    Effect.gen(function*() {
      const child = yield* Command.start(command.pipe(
        Command.workingDirectory(root),
        Command.env(
          { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: process.env["HOME"] ?? "/tmp", NO_COLOR: "1", ...options?.env },
          { extendEnv: false }
        ),
        Command.feed(options?.stdin ?? "")
      ))
      const text = (stream: Stream.Stream<Uint8Array, unknown>) => stream.pipe(Stream.decodeText(), Stream.mkString)
      const [stdout, stderr, exitCode] = yield* Effect.all([text(child.stdout), text(child.stderr), child.exitCode], {
        concurrency: "unbounded"
      })
      return { exitCode, stdout, stderr }
    })
  ).pipe(
    Effect.provide(NodeCommandExecutor.layer.pipe(Layer.provide(NodeFileSystem.layer))),
    Effect.orDie
  )

/**
 * Runs `node --import tsx --conditions=source <script> ...args` from the repository root
 * with only the given variables (plus PATH and HOME): a provider's credentials in the
 * developer's own environment can never leak into a test.
 */
export const run = (
  script: string,
  args: ReadonlyArray<string>,
  options?: { readonly env?: Readonly<Record<string, string>>; readonly stdin?: string }
): Effect.Effect<Finished, never, never> =>
  start(Command.make(process.execPath, "--import", "tsx", "--conditions=source", script, ...args), options)

/** `effect-bearer <args>` from its bundle, with only the given variables (plus PATH and HOME). */
export const cli = (
  args: ReadonlyArray<string>,
  options?: { readonly env?: Readonly<Record<string, string>>; readonly stdin?: string }
): Effect.Effect<Finished, never, never> => start(Command.make(process.execPath, Scripts.path("cli"), ...args), options)
