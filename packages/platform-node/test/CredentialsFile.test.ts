import * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { describe, expect, it } from "@effect/vitest"
import { execFileSync } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { Worker } from "node:worker_threads"
import { Effect, Either, Redacted } from "effect"
import { CredentialsFile } from "@effect-bearer/platform-node"

const secret = "s3cr3t-value-that-must-never-print"

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

const expectNoSecret = (error: unknown) => {
  expect(String(error)).not.toContain(secret)
  expect(JSON.stringify(error)).not.toContain(secret)
  expect((error as Error).message).not.toContain(secret)
}

describe("CredentialsFile", () => {
  describe("a private file (chmod 600)", () => {
    it.scoped("loads Hydrosat's creds.json with the secret Redacted", () =>
      Effect.gen(function*() {
        const path = yield* writeFile(json({ client_id: "my-client", client_secret: secret }), 0o600)
        const credentials = yield* CredentialsFile.load(path, CredentialsFile.hydrosat)
        expect(credentials._tag).toBe("ClientCredentials")
        expect(credentials.clientId).toBe("my-client")
        expect(Redacted.isRedacted(credentials.clientSecret)).toBe(true)
        expect(Redacted.value(credentials.clientSecret)).toBe(secret)
        expect(String(credentials.clientSecret)).not.toContain(secret)
        expect(JSON.stringify(credentials)).not.toContain(secret)
      }).pipe(Effect.provide(NodeFileSystem.layer)))

    it.scoped("accepts a read-only file (chmod 400)", () =>
      Effect.gen(function*() {
        const path = yield* writeFile(json({ client_id: "my-client", client_secret: secret }), 0o400)
        const credentials = yield* CredentialsFile.load(path, CredentialsFile.clientCredentials)
        expect(credentials.clientId).toBe("my-client")
      }).pipe(Effect.provide(NodeFileSystem.layer)))

    it.scoped("ignores fields it does not know", () =>
      Effect.gen(function*() {
        const path = yield* writeFile(json({ client_id: "id", client_secret: secret, note: "prod" }), 0o600)
        const credentials = yield* CredentialsFile.load(path, CredentialsFile.hydrosat)
        expect(credentials.clientId).toBe("id")
      }).pipe(Effect.provide(NodeFileSystem.layer)))

    it.scoped("loads UP42 project credentials", () =>
      Effect.gen(function*() {
        const path = yield* writeFile(json({ project_id: "project-1", project_api_key: secret }), 0o600)
        const credentials = yield* CredentialsFile.load(path, CredentialsFile.up42Project)
        expect(credentials).toMatchObject({ _tag: "ProjectCredentials", projectId: "project-1" })
        expect(Redacted.value(credentials.projectApiKey)).toBe(secret)
      }).pipe(Effect.provide(NodeFileSystem.layer)))

    it.scoped("loads UP42 account credentials", () =>
      Effect.gen(function*() {
        const path = yield* writeFile(json({ username: "me@example.com", password: secret }), 0o600)
        const credentials = yield* CredentialsFile.load(path, CredentialsFile.up42Account)
        expect(credentials).toMatchObject({ _tag: "AccountCredentials", username: "me@example.com" })
        expect(Redacted.value(credentials.password)).toBe(secret)
      }).pipe(Effect.provide(NodeFileSystem.layer)))

    it.scoped("loads a Bitquery application's id and secret", () =>
      Effect.gen(function*() {
        const path = yield* writeFile(json({ client_id: "bq-app", client_secret: secret }), 0o600)
        const credentials = yield* CredentialsFile.load(path, CredentialsFile.bitquery)
        expect(credentials._tag).toBe("ClientCredentials")
      }).pipe(Effect.provide(NodeFileSystem.layer)))

    it.scoped("loads a Bitquery console token", () =>
      Effect.gen(function*() {
        const path = yield* writeFile(json({ access_token: secret }), 0o600)
        const credentials = yield* CredentialsFile.load(path, CredentialsFile.bitquery)
        expect(credentials._tag).toBe("StaticToken")
        if (credentials._tag === "StaticToken") expect(Redacted.value(credentials.accessToken)).toBe(secret)
      }).pipe(Effect.provide(NodeFileSystem.layer)))
  })

  describe("permissions", () => {
    for (const mode of [0o644, 0o640, 0o604, 0o660, 0o666]) {
      it.scoped(`refuses a file with permissions ${mode.toString(8)} and says to chmod 600`, () =>
        Effect.gen(function*() {
          const path = yield* writeFile(json({ client_id: "id", client_secret: secret }), mode)
          const error = yield* Effect.flip(CredentialsFile.load(path, CredentialsFile.hydrosat))
          expect(error._tag).toBe("InsecureCredentialsFile")
          expect(error.message).toContain(`chmod 600 ${path}`)
          expect(error.message).toContain(mode.toString(8))
          expectNoSecret(error)
        }).pipe(Effect.provide(NodeFileSystem.layer)))
    }

    it.scoped("accepts a group-readable file when requirePrivate is false", () =>
      Effect.gen(function*() {
        const path = yield* writeFile(json({ client_id: "id", client_secret: secret }), 0o644)
        const credentials = yield* CredentialsFile.load(path, CredentialsFile.hydrosat, { requirePrivate: false })
        expect(credentials.clientId).toBe("id")
      }).pipe(Effect.provide(NodeFileSystem.layer)))
  })

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

    it.scoped("reports invalid JSON without quoting the content", () =>
      Effect.gen(function*() {
        const path = yield* writeFile(`{"client_id":"id","client_secret":"${secret}",}`, 0o600)
        const error = yield* Effect.flip(CredentialsFile.load(path, CredentialsFile.hydrosat))
        expect(error).toMatchObject({ _tag: "InvalidCredentialsFile", reason: "NotJson" })
        expect(error.message).toContain("not valid JSON")
        expectNoSecret(error)
      }).pipe(Effect.provide(NodeFileSystem.layer)))

    it.scoped("reports JSON that is not an object", () =>
      Effect.gen(function*() {
        const path = yield* writeFile(json(["id", secret]), 0o600)
        const error = yield* Effect.flip(CredentialsFile.load(path, CredentialsFile.hydrosat))
        expect(error).toMatchObject({ _tag: "InvalidCredentialsFile", reason: "NotAnObject" })
        expectNoSecret(error)
      }).pipe(Effect.provide(NodeFileSystem.layer)))

    it.scoped("names a missing field and shows the expected shape", () =>
      Effect.gen(function*() {
        const path = yield* writeFile(json({ client_id: "id" }), 0o600)
        const error = yield* Effect.flip(CredentialsFile.load(path, CredentialsFile.hydrosat))
        expect(error).toMatchObject({ _tag: "InvalidCredentialsFile", reason: "MissingField", field: "client_secret" })
        expect(error.message).toContain(`has no "client_secret" field`)
        expect(error.message).toContain(CredentialsFile.hydrosat.expected)
      }).pipe(Effect.provide(NodeFileSystem.layer)))

    it.scoped("names an empty field", () =>
      Effect.gen(function*() {
        const path = yield* writeFile(json({ project_id: "  ", project_api_key: secret }), 0o600)
        const error = yield* Effect.flip(CredentialsFile.load(path, CredentialsFile.up42Project))
        expect(error).toMatchObject({ _tag: "InvalidCredentialsFile", reason: "EmptyField", field: "project_id" })
        expectNoSecret(error)
      }).pipe(Effect.provide(NodeFileSystem.layer)))

    it.scoped("names a field that is not a string", () =>
      Effect.gen(function*() {
        const path = yield* writeFile(json({ username: "me@example.com", password: 123456 }), 0o600)
        const error = yield* Effect.flip(CredentialsFile.load(path, CredentialsFile.up42Account))
        expect(error).toMatchObject({ _tag: "InvalidCredentialsFile", reason: "NotAString", field: "password" })
        expect(error.message).not.toContain("123456")
      }).pipe(Effect.provide(NodeFileSystem.layer)))

    it.scoped("refuses a Bitquery file holding both a token and an application", () =>
      Effect.gen(function*() {
        const path = yield* writeFile(json({ access_token: secret, client_id: "id", client_secret: secret }), 0o600)
        const error = yield* Effect.flip(CredentialsFile.load(path, CredentialsFile.bitquery))
        expect(error).toMatchObject({ _tag: "InvalidCredentialsFile", reason: "Ambiguous" })
        expectNoSecret(error)
      }).pipe(Effect.provide(NodeFileSystem.layer)))

    it.scoped("refuses a file too large to be credentials before reading it", () =>
      Effect.gen(function*() {
        const path = yield* writeFile(json({ client_id: "id", client_secret: secret, padding: "x".repeat(70_000) }), 0o600)
        const error = yield* Effect.flip(CredentialsFile.load(path, CredentialsFile.hydrosat))
        expect(error).toMatchObject({ _tag: "InvalidCredentialsFile", reason: "TooLarge" })
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
        private: yield* write("private.json", json({ client_id: "private", client_secret: secret }), 0o600),
        readableByOthers: yield* write("others.json", json({ client_id: "readable-by-others", client_secret: secret }), 0o644),
        oversized: yield* write(
          "oversized.json",
          json({ client_id: "oversized", client_secret: secret, padding: "x".repeat(70_000) }),
          0o600
        ),
        fifo
      }
    })

    /**
     * Loads `path` `times` times while a worker thread keeps replacing it (atomically, by
     * rename) with each of `files` in turn, as fast as it can; a load that takes more than
     * 5 seconds is a hang. A thread, not a fiber: fibers would take turns in lockstep with
     * the loads and never swap between the check and the read.
     */
    const loadWhileSwapping = (path: string, files: ReadonlyArray<string>, times: number) =>
      Effect.gen(function*() {
        const swapper = yield* Effect.acquireRelease(
          Effect.async<Worker>((resume) => {
            const worker = new Worker(
              `const { linkSync, renameSync, rmSync } = require("node:fs")
               const { parentPort, workerData: { path, files } } = require("node:worker_threads")
               const swap = (file) => {
                 rmSync(path + ".next", { force: true }) // left behind when file already was the path's
                 linkSync(file, path + ".next")
                 renameSync(path + ".next", path)
               }
               swap(files[0])
               parentPort.postMessage("swapping")
               for (;;) for (const file of files) swap(file)`,
              { eval: true, workerData: { path, files } }
            )
            worker.once("message", () => resume(Effect.succeed(worker)))
            worker.once("error", (error) => resume(Effect.die(error)))
          }),
          (worker) => Effect.promise(() => worker.terminate())
        )
        const results = yield* Effect.forEach(
          Array.from({ length: times }),
          () =>
            CredentialsFile.load(path, CredentialsFile.hydrosat).pipe(
              Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => "hung" as const }),
              Effect.either
            )
        )
        yield* Effect.promise(() => swapper.terminate())
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

    /** Bytes this process has read so far (Linux), to see how much of a file a load read. */
    const bytesRead = () => Number(/rchar: (\d+)/.exec(readFileSync("/proc/self/io", "utf8"))?.[1])

    it.scopedLive.skipIf(!existsSync("/proc/kallsyms") || !existsSync("/proc/self/io"))(
      "a file holding more than its size says (/proc/kallsyms: size 0, megabytes of text) is refused as TooLarge after reading at most 64 KiB",
      () =>
        Effect.gen(function*() {
          const before = bytesRead()
          const error = yield* Effect.flip(
            CredentialsFile.load("/proc/kallsyms", CredentialsFile.hydrosat, { requirePrivate: false })
          )
          const read = bytesRead() - before
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
