import * as FileSystem from "@effect/platform/FileSystem"
import * as NodeFileSystem from "@effect/platform-node/NodeFileSystem"
import { describe, expect, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
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
})
