import { describe, expect, it } from "vitest"
import * as CredentialsFileProblem from "@effect-bearer/kernel/CredentialsFileProblem"

describe("CredentialsFileProblem", () => {
  it("says how to fix a missing, unreadable or shared file", () => {
    expect(CredentialsFileProblem.notFoundMessage("c.json", "{…}")).toBe(
      "No credentials file at c.json. Create it with the content {…} and run: chmod 600 c.json"
    )
    expect(CredentialsFileProblem.unreadableMessage("c.json", "permission denied")).toContain("c.json: permission denied.")
    expect(CredentialsFileProblem.insecureMessage("c.json", 0o100644)).toBe(
      "The credentials file c.json may be read by other users (permissions 644); it holds secrets, so only its owner may read it. Fix: chmod 600 c.json"
    )
    expect([0o600, 0o400, 0o640, 0o604].map(CredentialsFileProblem.isShared)).toEqual([false, false, true, true])
  })

  it("names the field and the position, never a value", () => {
    const invalid = (reason: CredentialsFileProblem.InvalidReason, more: { field?: string; position?: number } = {}) =>
      CredentialsFileProblem.invalidMessage({ path: "c.json", reason, expected: "{E}", ...more })
    expect(invalid("NotJson", { position: 7 })).toBe("The credentials file c.json is not valid JSON (at character 7). Expected: {E}")
    expect(invalid("EmptyField", { field: "client_id" })).toBe(`The credentials file c.json has an empty "client_id" field. Expected: {E}`)
    expect(invalid("Ambiguous", { field: "client_id, access_token" })).toContain("holds two kinds of credentials (client_id, access_token); keep one")
    expect(CredentialsFileProblem.invalidReasons.map((reason) => invalid(reason))).toHaveLength(7)
  })

  it("parses an object, or says where the JSON breaks without quoting it", () => {
    expect(CredentialsFileProblem.parseObject(`{"a":"b"}`)).toEqual({ _tag: "Object", object: { a: "b" } })
    expect(CredentialsFileProblem.parseObject(`["a"]`)).toEqual({ _tag: "Invalid", reason: "NotAnObject" })
    const broken = CredentialsFileProblem.parseObject(`{"client_secret": s3cret}`)
    expect(broken).toMatchObject({ _tag: "Invalid", reason: "NotJson" })
    expect(JSON.stringify(broken)).not.toContain("s3cret")
  })

  it("describes a failed system call by its code, and a file that is not regular by its kind", () => {
    expect(["EACCES", "EISDIR", "ENXIO", undefined, "EIO"].map(CredentialsFileProblem.systemErrorReason)).toEqual([
      "permission denied",
      "it is a directory",
      "it is not a regular file",
      "an I/O error",
      "an I/O error (EIO)"
    ])
    expect(CredentialsFileProblem.notRegularFileReason("FIFO")).toBe("it is not a regular file (FIFO)")
    expect(CredentialsFileProblem.notRegularFileReason("Directory")).toBe("it is a directory")
  })

  it("reads the kind of a file that is not regular from its status, the first check that holds", () => {
    const status = (kind: string) => ({
      isDirectory: () => kind === "directory",
      isFIFO: () => kind === "fifo",
      isCharacterDevice: () => kind === "character",
      isBlockDevice: () => kind === "block",
      isSocket: () => kind === "socket",
      isSymbolicLink: () => kind === "link"
    })
    expect(["directory", "fifo", "character", "block", "socket", "link", "other"].map((kind) => CredentialsFileProblem.kindOf(status(kind))))
      .toEqual(["Directory", "FIFO", "CharacterDevice", "BlockDevice", "Socket", "SymbolicLink", "Unknown"])
  })
})
