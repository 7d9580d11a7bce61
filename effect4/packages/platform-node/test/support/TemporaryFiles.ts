/**
 * Files for a test, in a temporary directory removed when the test's scope closes.
 */
import { Effect } from "effect"
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"

/** A fresh temporary directory, removed with the scope. */
export const directory = (prefix = "effect-bearer-") =>
  Effect.acquireRelease(
    Effect.promise(() => mkdtemp(join(tmpdir(), prefix))),
    (path) => Effect.promise(() => rm(path, { recursive: true, force: true }))
  )

/** Writes `content` with exactly `mode` (chmod after writing: the umask would mask it) at `name` in `dir`. */
export const fileIn = (dir: string, name: string, content: string, mode: number) =>
  Effect.promise(async () => {
    const path = join(dir, name)
    await writeFile(path, content)
    await chmod(path, mode)
    return path
  })

/** A file with `content` and `mode` in a fresh directory of the scope. */
export const file = (content: string, mode: number, name = "creds.json") =>
  Effect.flatMap(directory("effect-bearer-creds-"), (dir) => fileIn(dir, name, content, mode))
