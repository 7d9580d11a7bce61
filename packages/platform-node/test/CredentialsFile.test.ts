/**
 * `CredentialsFile.load` on Effect 3: the conformance CredentialsFileCases (shared with the
 * Effect 4 line) and the cases only this line's runner adds (a missing file, a directory, the
 * guard, the file opened once).
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { describe, expect, it } from "@effect/vitest"
import * as Cases from "@effect-bearer/conformance/CredentialsFileCases"
import * as FileSwapper from "@effect-bearer/conformance/FileSwapper"
import { execFileSync } from "node:child_process"
import { existsSync } from "node:fs"
import { Effect, Either, Redacted } from "effect"
import { CredentialsFile } from "@effect-bearer/platform-node"

/** Writes `content` to a fresh file with exactly `mode`, in a temporary directory of the test's scope. */
const writeFile = (content: string, mode: number, name = "creds.json") =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const dir = yield* fs.makeTempDirectoryScoped({ prefix: "effect-bearer-creds-" })
    const path = `${dir}/${name}`
    yield* fs.writeFileString(path, content)
    // chmod after writing: the process umask would otherwise mask the mode we ask for.
    yield* fs.chmod(path, mode)
    return path
  })

const json = (value: unknown) => JSON.stringify(value)

const redacted: Cases.RedactedView = {
  isRedacted: Redacted.isRedacted,
  reveal: (secret) => Redacted.value(secret as Redacted.Redacted<string>)
}

const loadCase = (testCase: Cases.Case) =>
  Effect.flatMap(writeFile(testCase.content, testCase.mode), (path) =>
    Effect.map(
      Effect.either(
        CredentialsFile.load<object>(path, CredentialsFile[testCase.format], {
          ...(testCase.requirePrivate === undefined ? {} : { requirePrivate: testCase.requirePrivate })
        })
      ),
      (result) => ({ path, result })
    ))

describe("CredentialsFile", () => {
  for (const testCase of Cases.loading) {
    it.scoped(`loads ${testCase.name}`, () =>
      Effect.gen(function*() {
        const { result } = yield* loadCase(testCase)
        expect(result._tag).toBe("Right")
        if (Either.isLeft(result)) return
        Cases.checkLoaded(testCase, result.right, redacted, expect)
      }).pipe(Effect.provide(NodeFileSystem.layer)))
  }

  for (const testCase of Cases.refusing) {
    it.scoped(`refuses ${testCase.name}`, () =>
      Effect.gen(function*() {
        const { path, result } = yield* loadCase(testCase)
        expect(result._tag).toBe("Left")
        if (Either.isRight(result)) return
        Cases.checkRefused(testCase, result.left, path, CredentialsFile[testCase.format].expected, expect)
      }).pipe(Effect.provide(NodeFileSystem.layer)))
  }

  describe("files that cannot be used", () => {
    it.scoped("reports a missing file with the expected content", () =>
      Effect.gen(function*() {
        const fs = yield* FileSystem.FileSystem
        const dir = yield* fs.makeTempDirectoryScoped()
        const error = yield* Effect.flip(CredentialsFile.load(`${dir}/nope.json`, CredentialsFile.hydrosat))
        expect(error._tag).toBe("CredentialsFileNotFound")
        expect(error.message).toContain(`${dir}/nope.json`)
        expect(error.message).toContain(`"client_secret"`)
      }).pipe(Effect.provide(NodeFileSystem.layer)))

    it.scoped("reports a directory as unreadable", () =>
      Effect.gen(function*() {
        const fs = yield* FileSystem.FileSystem
        const dir = yield* fs.makeTempDirectoryScoped()
        const error = yield* Effect.flip(CredentialsFile.load(dir, CredentialsFile.hydrosat))
        expect(error._tag).toBe("CredentialsFileUnreadable")
        expect(error.message).toContain("directory")
      }).pipe(Effect.provide(NodeFileSystem.layer)))

    it("every error is recognised by the guard", () => {
      const errors = [
        new CredentialsFile.CredentialsFileNotFound({ path: "p", expected: "e" }),
        new CredentialsFile.CredentialsFileUnreadable({ path: "p", reason: "r" }),
        new CredentialsFile.InsecureCredentialsFile({ path: "p", mode: 0o644 }),
        new CredentialsFile.InvalidCredentialsFile({ path: "p", reason: "NotJson", expected: "e" })
      ]
      expect(errors.map((error) => error._tag)).toEqual([...CredentialsFile.errorTags])
      expect(errors.every(CredentialsFile.isCredentialsFileError)).toBe(true)
      expect(CredentialsFile.isCredentialsFileError(new Error("other"))).toBe(false)
    })
  })

  describe("opened once: the checks and the read go through the same handle", () => {
    /** A directory holding a private file, a file readable by others, an oversized one and a FIFO. */
    const candidates = Effect.gen(function*() {
      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped({ prefix: "effect-bearer-swap-" })
      const write = (name: string, content: string, mode: number) =>
        Effect.as(Effect.zipRight(fs.writeFileString(`${dir}/${name}`, content), fs.chmod(`${dir}/${name}`, mode)), `${dir}/${name}`)
      const fifo = `${dir}/fifo`
      execFileSync("mkfifo", ["-m", "600", fifo])
      return {
        dir,
        private: yield* write("private.json", json({ client_id: "private", client_secret: Cases.secret }), 0o600),
        readableByOthers: yield* write("others.json", json({ client_id: "readable-by-others", client_secret: Cases.secret }), 0o644),
        oversized: yield* write(
          "oversized.json",
          json({ client_id: "oversized", client_secret: Cases.secret, padding: "x".repeat(70_000) }),
          0o600
        ),
        fifo
      }
    })

    /**
     * Loads `path` `times` times while the conformance FileSwapper's thread keeps swapping
     * `files` in at it; a load that takes more than 5 seconds is a hang.
     */
    const loadWhileSwapping = (path: string, files: ReadonlyArray<string>, times: number) =>
      Effect.gen(function*() {
        const swapper = yield* Effect.acquireRelease(
          Effect.promise(() => FileSwapper.startSwapping(path, files)),
          (swapper) => Effect.promise(swapper.stop)
        )
        const results = yield* Effect.forEach(
          Array.from({ length: times }),
          () =>
            CredentialsFile.load(path, CredentialsFile.hydrosat).pipe(
              Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => "hung" as const }),
              Effect.either
            )
        )
        yield* Effect.promise(swapper.stop)
        return results
      })

    it.scopedLive("a FIFO at the path is refused at once as not a regular file, without waiting for a writer", () =>
      Effect.gen(function*() {
        const { fifo } = yield* candidates
        const error = yield* CredentialsFile.load(fifo, CredentialsFile.hydrosat).pipe(
          Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => "hung" as const }),
          Effect.flip
        )
        expect(error).toMatchObject({ _tag: "CredentialsFileUnreadable" })
        expect((error as Error).message).toContain("not a regular file")
      }).pipe(Effect.provide(NodeFileSystem.layer)))

    it.scopedLive("a file swapped for one readable by others while loading is never read: only the private file's credentials, or InsecureCredentialsFile", () =>
      Effect.gen(function*() {
        const files = yield* candidates
        const results = yield* loadWhileSwapping(`${files.dir}/creds.json`, [files.private, files.readableByOthers], 500)
        for (const result of results) {
          if (Either.isRight(result)) expect(result.right.clientId).toBe("private")
          else expect(result.left).toMatchObject({ _tag: "InsecureCredentialsFile" })
        }
      }).pipe(Effect.provide(NodeFileSystem.layer)))

    it.scopedLive("a file swapped for an oversized one while loading is never read whole: only the private file's credentials, or TooLarge", () =>
      Effect.gen(function*() {
        const files = yield* candidates
        const results = yield* loadWhileSwapping(`${files.dir}/creds.json`, [files.private, files.oversized], 500)
        for (const result of results) {
          if (Either.isRight(result)) expect(result.right.clientId).toBe("private")
          else expect(result.left).toMatchObject({ _tag: "InvalidCredentialsFile", reason: "TooLarge" })
        }
      }).pipe(Effect.provide(NodeFileSystem.layer)))

    it.scopedLive("a file swapped for a FIFO while loading never blocks: only the private file's credentials, or CredentialsFileUnreadable at once", () =>
      Effect.gen(function*() {
        const files = yield* candidates
        const results = yield* loadWhileSwapping(`${files.dir}/creds.json`, [files.private, files.fifo], 500)
        for (const result of results) {
          if (Either.isRight(result)) expect(result.right.clientId).toBe("private")
          else expect(result.left).toMatchObject({ _tag: "CredentialsFileUnreadable" })
        }
      }).pipe(Effect.provide(NodeFileSystem.layer)))

    it.scopedLive.skipIf(!existsSync("/proc/kallsyms") || !existsSync("/proc/self/io"))(
      "a file holding more than its size says (/proc/kallsyms: size 0, megabytes of text) is refused as TooLarge after reading at most 64 KiB",
      () =>
        Effect.gen(function*() {
          const before = yield* Effect.promise(FileSwapper.bytesReadByThisProcess)
          const error = yield* Effect.flip(
            CredentialsFile.load("/proc/kallsyms", CredentialsFile.hydrosat, { requirePrivate: false })
          )
          const read = (yield* Effect.promise(FileSwapper.bytesReadByThisProcess)) - before
          expect(error).toMatchObject({ _tag: "InvalidCredentialsFile", reason: "TooLarge" })
          // 64 KiB + 1, and whatever else the process read meanwhile; the whole file is megabytes.
          expect(read).toBeLessThan(512 * 1024)
        }).pipe(Effect.provide(NodeFileSystem.layer))
    )

    it.scoped("a symbolic link is followed and the file it points to is checked: a link to a file readable by others is refused", () =>
      Effect.gen(function*() {
        const fs = yield* FileSystem.FileSystem
        const files = yield* candidates
        yield* fs.symlink(files.readableByOthers, `${files.dir}/link.json`)
        const error = yield* Effect.flip(CredentialsFile.load(`${files.dir}/link.json`, CredentialsFile.hydrosat))
        expect(error).toMatchObject({ _tag: "InsecureCredentialsFile", mode: 0o644 })
      }).pipe(Effect.provide(NodeFileSystem.layer)))

    it.scoped("a symbolic link to a private file loads it (as a Kubernetes secret volume mounts files)", () =>
      Effect.gen(function*() {
        const fs = yield* FileSystem.FileSystem
        const files = yield* candidates
        yield* fs.symlink(files.private, `${files.dir}/link.json`)
        const credentials = yield* CredentialsFile.load(`${files.dir}/link.json`, CredentialsFile.hydrosat)
        expect(credentials.clientId).toBe("private")
      }).pipe(Effect.provide(NodeFileSystem.layer)))
  })
})
