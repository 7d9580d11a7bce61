import { describe, expect, it } from "@effect/vitest"
import * as Cases from "@effect-bearer/conformance/CredentialsFileCases"
import { CredentialsFile } from "@effect-bearer/platform-node"
import { Effect, Redacted } from "effect"
import * as TemporaryFiles from "./support/TemporaryFiles.js"

const redacted: Cases.RedactedView = {
  isRedacted: Redacted.isRedacted,
  reveal: (secret) => Redacted.value(secret as Redacted.Redacted<string>)
}

const loadCase = (testCase: Cases.Case) =>
  Effect.flatMap(TemporaryFiles.file(testCase.content, testCase.mode), (path) =>
    Effect.map(
      Effect.result(
        CredentialsFile.load<object>(path, CredentialsFile[testCase.format], {
          ...(testCase.requirePrivate === undefined ? {} : { requirePrivate: testCase.requirePrivate })
        })
      ),
      (result) => ({ path, result })
    ))

describe("CredentialsFile", () => {
  for (const testCase of Cases.loading) {
    it.effect(`loads ${testCase.name}`, () =>
      Effect.gen(function*() {
        const { result } = yield* loadCase(testCase)
        expect(result._tag).toBe("Success")
        if (result._tag !== "Success") return
        Cases.checkLoaded(testCase, result.success, redacted, expect)
      }))
  }

  for (const testCase of Cases.refusing) {
    it.effect(`refuses ${testCase.name}`, () =>
      Effect.gen(function*() {
        const { path, result } = yield* loadCase(testCase)
        expect(result._tag).toBe("Failure")
        if (result._tag !== "Failure") return
        Cases.checkRefused(testCase, result.failure, path, CredentialsFile[testCase.format].expected, expect)
      }))
  }

  it.effect("reports a missing file with its path and the expected content", () =>
    Effect.gen(function*() {
      const dir = yield* TemporaryFiles.directory()
      const error = yield* Effect.flip(CredentialsFile.load(`${dir}/nope.json`, CredentialsFile.hydrosat))
      expect(error._tag).toBe("CredentialsFileNotFound")
      expect(error.message).toContain(`${dir}/nope.json`)
      expect(error.message).toContain(`"client_secret"`)
    }))

  it.effect("reports a directory as unreadable", () =>
    Effect.gen(function*() {
      const dir = yield* TemporaryFiles.directory()
      const error = yield* Effect.flip(CredentialsFile.load(dir, CredentialsFile.hydrosat))
      expect(error).toMatchObject({ _tag: "CredentialsFileUnreadable", reason: "it is a directory" })
    }))

  it("recognises every error by the guard, and nothing else", () => {
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
