/**
 * Runs the repository's programs as a user would: a child process of Node with tsx's
 * loader (what the `tsx` command starts, without the extra process it starts it from) and
 * the "source" export condition (so workspace packages resolve to their TypeScript
 * sources and no build is needed), a controlled environment, and the three outputs
 * collected.
 */
import * as Command from "@effect/platform/Command"
import * as NodeCommandExecutor from "@effect/platform-node/NodeCommandExecutor"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { Effect, Layer, Stream } from "effect"
import { fileURLToPath } from "node:url"

/** The repository root. */
export const root = fileURLToPath(new URL("../../../../", import.meta.url))


/** What a finished process left behind. */
export interface Finished {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
}

/**
 * Runs `node --import tsx --conditions=source <script> ...args` from the repository root
 * with only the given variables (plus PATH and HOME): a provider's credentials in the
 * developer's own environment can never leak into a test.
 */
export const run = (
  script: string,
  args: ReadonlyArray<string>,
  options?: { readonly env?: Readonly<Record<string, string>>; readonly stdin?: string }
): Effect.Effect<Finished, never, never> => {
  const command = Command.make(process.execPath, "--import", "tsx", "--conditions=source", script, ...args).pipe(
    Command.workingDirectory(root),
    Command.env(
      { PATH: process.env["PATH"] ?? "/usr/bin:/bin", HOME: process.env["HOME"] ?? "/tmp", NO_COLOR: "1", ...options?.env },
      { extendEnv: false }
    ),
    Command.feed(options?.stdin ?? "")
  )
  return Effect.scoped(
    Effect.gen(function*() {
      const child = yield* Command.start(command)
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
}

/** `effect-bearer <args>` run from its TypeScript source. */
export const cli = (
  args: ReadonlyArray<string>,
  options?: { readonly env?: Readonly<Record<string, string>>; readonly stdin?: string }
) => run("packages/platform-node/src/bin.ts", args, options)

