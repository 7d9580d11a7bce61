/**
 * Reading a credentials file the careful way, on Node: opening without waiting, reading
 * through the open handle with a cap, and describing a failed system call by its code only
 * (Node's messages hold the path and nothing more useful; the reasons are the kernel's
 * `CredentialsFileProblem`). `CredentialsFile.load` turns these into its typed errors.
 *
 * @internal
 */
import * as CredentialsFileProblem from "@effect-bearer/kernel/CredentialsFileProblem"
import * as NodeFs from "node:fs/promises"
import { Effect } from "effect"

// @effect/platform's FileSystem opens only with its string flags ("r", "w"…), which cannot
// ask for O_NONBLOCK: node:fs/promises it is, wrapped in Effect.

/**
 * Opens for reading without ever waiting: `O_NONBLOCK` makes opening a FIFO with no
 * writer return at once (it is then refused as not a regular file), and `O_NOCTTY` keeps
 * a terminal from becoming the process's controlling terminal. Windows has neither flag.
 */
export const openNonBlocking = (path: string): Effect.Effect<NodeFs.FileHandle, SystemFailure> =>
  attempt(() => NodeFs.open(path, NodeFs.constants.O_RDONLY | (NodeFs.constants.O_NONBLOCK ?? 0) | (NodeFs.constants.O_NOCTTY ?? 0)))

/** Reads from the start of the open file until its end or `limit` bytes, whichever comes first. */
export const readAtMost = (handle: NodeFs.FileHandle, limit: number): Effect.Effect<Buffer, SystemFailure> =>
  attempt(async () => {
    const buffer = Buffer.alloc(limit)
    let length = 0
    while (length < limit) {
      const { bytesRead } = await handle.read(buffer, length, limit - length, length)
      if (bytesRead === 0) break
      length += bytesRead
    }
    return buffer.subarray(0, length)
  })

/** A failed system call, by its code and a reason that holds neither the path nor anything from the file. */
export interface SystemFailure {
  readonly code: string | undefined
  readonly reason: string
}

/** A file system call; its failure keeps the code and a described reason only. */
export const attempt = <A>(call: () => Promise<A>): Effect.Effect<A, SystemFailure> =>
  Effect.tryPromise({
    try: call,
    catch: (error) => ({ code: codeOf(error), reason: CredentialsFileProblem.systemErrorReason(codeOf(error)) })
  })

const codeOf = (error: unknown): string | undefined =>
  typeof error === "object" && error !== null && "code" in error && typeof error.code === "string"
    ? error.code
    : undefined
