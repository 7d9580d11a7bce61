import { describe, expect, it } from "vitest"
import { ClientSecretBasic } from "@effect-bearer/kernel"

const decoded = (header: string) => Buffer.from(header.replace(/^Basic /, ""), "base64").toString("utf8")

describe("ClientSecretBasic", () => {
  it("is Basic base64(id:secret) for plain ASCII credentials, as curl -u sends them", () => {
    expect(ClientSecretBasic.authorization("project-1", "key-2")).toBe(`Basic ${Buffer.from("project-1:key-2").toString("base64")}`)
  })

  it("form-encodes the id and the secret before Base64 (RFC 6749 §2.3.1)", () => {
    expect(decoded(ClientSecretBasic.authorization("my client", "p:ss/wörd+%"))).toBe("my+client:p%3Ass%2Fw%C3%B6rd%2B%25")
  })
})
