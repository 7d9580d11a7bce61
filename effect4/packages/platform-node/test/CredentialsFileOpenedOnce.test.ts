/**
 * `CredentialsFile.load` opens the file once: the type, permission and size checks and the read
 * go through the same handle, so a path swapped meanwhile cannot slip past a check, and opening
 * never waits (a FIFO is refused at once).
 */
import { describe, expect, it } from "@effect/vitest"
import * as Cases from "@effect-bearer/conformance/CredentialsFileCases"
import * as FileSwapper from "@effect-bearer/conformance/FileSwapper"
import { CredentialsFile } from "@effect-bearer/platform-node"
import { Effect, Result } from "effect"
import { execFileSync } from "node:child_process"
import { existsSync } from "node:fs"
import { symlink } from "node:fs/promises"
import * as TemporaryFiles from "./support/TemporaryFiles.js"

const json = (value: unknown) => JSON.stringify(value)

/** A directory holding a private file, a file readable by others, an oversized one and a FIFO. */
const candidates = Effect.gen(function*() {
  const dir = yield* TemporaryFiles.directory("effect-bearer-swap-")
  const fifo = `${dir}/fifo`
  execFileSync("mkfifo", ["-m", "600", fifo])
  return {
    dir,
    private: yield* TemporaryFiles.fileIn(dir, "private.json", json({ client_id: "private", client_secret: Cases.secret }), 0o600),
    readableByOthers: yield* TemporaryFiles.fileIn(dir, "others.json", json({ client_id: "others", client_secret: Cases.secret }), 0o644),
    oversized: yield* TemporaryFiles.fileIn(
      dir,
      "oversized.json",
      json({ client_id: "oversized", client_secret: Cases.secret, padding: "x".repeat(70_000) }),
      0o600
    ),
    fifo
  }
})

/** A load that takes more than 5 seconds is a hang. */
const loadOrHang = (path: string, options?: CredentialsFile.LoadOptions) =>
  CredentialsFile.load(path, CredentialsFile.hydrosat, options).pipe(
    Effect.timeoutOrElse({ duration: "5 seconds", orElse: () => Effect.fail("hung" as const) })
  )

/** Loads `path` `times` times while a worker thread keeps swapping `files` in at it. */
const loadWhileSwapping = (path: string, files: ReadonlyArray<string>, times: number) =>
  Effect.gen(function*() {
    const swapper = yield* Effect.acquireRelease(
      Effect.promise(() => FileSwapper.startSwapping(path, files)),
      (swapper) => Effect.promise(swapper.stop)
    )
    const results = yield* Effect.forEach(Array.from({ length: times }), () => Effect.result(loadOrHang(path)))
    yield* Effect.promise(swapper.stop)
    return results
  })

/** Every result is the private file's credentials, or an error matching `refused`. */
const expectPrivateOr = (
  results: ReadonlyArray<Result.Result<CredentialsFile.ClientCredentials, unknown>>,
  refused: Record<string, unknown>
) => {
  for (const result of results) {
    if (Result.isSuccess(result)) expect(result.success.clientId).toBe("private")
    else expect(result.failure).toMatchObject(refused)
  }
}

describe("CredentialsFile: opened once", () => {
  it.live("refuses a FIFO at once as not a regular file, without waiting for a writer", () =>
    Effect.gen(function*() {
      const { fifo } = yield* candidates
      const error = yield* Effect.flip(loadOrHang(fifo))
      expect(error).toMatchObject({ _tag: "CredentialsFileUnreadable" })
      expect((error as Error).message).toContain("not a regular file")
    }))

  it.live("never reads a file swapped for one readable by others: the private file's credentials, or InsecureCredentialsFile", () =>
    Effect.gen(function*() {
      const files = yield* candidates
      const results = yield* loadWhileSwapping(`${files.dir}/creds.json`, [files.private, files.readableByOthers], 500)
      expectPrivateOr(results, { _tag: "InsecureCredentialsFile" })
    }))

  it.live("never reads whole a file swapped for an oversized one: the private file's credentials, or TooLarge", () =>
    Effect.gen(function*() {
      const files = yield* candidates
      const results = yield* loadWhileSwapping(`${files.dir}/creds.json`, [files.private, files.oversized], 500)
      expectPrivateOr(results, { _tag: "InvalidCredentialsFile", reason: "TooLarge" })
    }))

  it.live("never blocks on a file swapped for a FIFO: the private file's credentials, or CredentialsFileUnreadable at once", () =>
    Effect.gen(function*() {
      const files = yield* candidates
      const results = yield* loadWhileSwapping(`${files.dir}/creds.json`, [files.private, files.fifo], 500)
      expectPrivateOr(results, { _tag: "CredentialsFileUnreadable" })
    }))

  it.live.skipIf(!existsSync("/proc/kallsyms") || !existsSync("/proc/self/io"))(
    "refuses a file holding more than its size says (/proc/kallsyms: size 0, megabytes) as TooLarge after reading at most 64 KiB",
    () =>
      Effect.gen(function*() {
        const before = yield* Effect.promise(FileSwapper.bytesReadByThisProcess)
        const error = yield* Effect.flip(loadOrHang("/proc/kallsyms", { requirePrivate: false }))
        const read = (yield* Effect.promise(FileSwapper.bytesReadByThisProcess)) - before
        expect(error).toMatchObject({ _tag: "InvalidCredentialsFile", reason: "TooLarge" })
        // 64 KiB + 1, and whatever else the process read meanwhile; the whole file is megabytes.
        expect(read).toBeLessThan(512 * 1024)
      })
  )

  it.effect("follows a symbolic link and checks the file it points to: a link to a file readable by others is refused", () =>
    Effect.gen(function*() {
      const files = yield* candidates
      yield* Effect.promise(() => symlink(files.readableByOthers, `${files.dir}/link.json`))
      const error = yield* Effect.flip(CredentialsFile.load(`${files.dir}/link.json`, CredentialsFile.hydrosat))
      expect(error).toMatchObject({ _tag: "InsecureCredentialsFile", mode: 0o644 })
    }))

  it.effect("loads through a symbolic link to a private file (as a Kubernetes secret volume mounts files)", () =>
    Effect.gen(function*() {
      const files = yield* candidates
      yield* Effect.promise(() => symlink(files.private, `${files.dir}/link.json`))
      const credentials = yield* CredentialsFile.load(`${files.dir}/link.json`, CredentialsFile.hydrosat)
      expect(credentials.clientId).toBe("private")
    }))
})
