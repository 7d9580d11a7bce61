/**
 * Reading a credentials file the careful way, on Node: opened once without ever waiting
 * (`O_NONBLOCK`: a FIFO with no writer is refused, never waited on; `O_NOCTTY`), every check made
 * on that open file (a path renamed meanwhile cannot slip past one), and the read capped whatever
 * the file grows to. Effect 4's `FileSystem` opens only with its string flags, so this is
 * `node:fs/promises`, as one promise whose outcome `CredentialsFile.load` turns into its errors.
 *
 * @internal
 */
import * as CredentialsFileProblem from "@effect-bearer/kernel/CredentialsFileProblem"
import { constants, open } from "node:fs/promises"

/** What reading the file came to; a failed system call is described by its code only. */
export type Outcome =
  | { readonly _tag: "Read"; readonly text: string }
  | { readonly _tag: "NotFound" }
  | { readonly _tag: "Unreadable"; readonly reason: string }
  | { readonly _tag: "Insecure"; readonly mode: number }
  | { readonly _tag: "TooLarge" }

const codeOf = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null && "code" in error && typeof error.code === "string" ? error.code : undefined

/** Reads `path` if it is a regular file, private to its owner when `requirePrivate`, of at most `limit` bytes. */
export const readPrivateFile = async (path: string, requirePrivate: boolean, limit: number): Promise<Outcome> => {
  let handle: Awaited<ReturnType<typeof open>>
  try {
    // Windows has neither flag.
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0) | (constants.O_NOCTTY ?? 0))
  } catch (error) {
    const code = codeOf(error)
    return code === "ENOENT" ? { _tag: "NotFound" } : { _tag: "Unreadable", reason: CredentialsFileProblem.systemErrorReason(code) }
  }
  try {
    const info = await handle.stat()
    if (!info.isFile()) return { _tag: "Unreadable", reason: CredentialsFileProblem.notRegularFileReason(CredentialsFileProblem.kindOf(info)) }
    if (requirePrivate && CredentialsFileProblem.isShared(info.mode)) return { _tag: "Insecure", mode: info.mode & 0o7777 }
    if (info.size > limit) return { _tag: "TooLarge" }
    // The size is only what it was a moment ago: the read is capped on its own.
    const buffer = Buffer.alloc(limit + 1)
    let length = 0
    for (let read = -1; read !== 0 && length < buffer.length; length += read) {
      read = (await handle.read(buffer, length, buffer.length - length, length)).bytesRead
    }
    return length > limit ? { _tag: "TooLarge" } : { _tag: "Read", text: new TextDecoder().decode(buffer.subarray(0, length)) }
  } catch (error) {
    return { _tag: "Unreadable", reason: CredentialsFileProblem.systemErrorReason(codeOf(error)) }
  } finally {
    await handle.close().catch(() => undefined)
  }
}
