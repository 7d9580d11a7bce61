import { describe, expect, it } from "@effect/vitest"
import { Redacted } from "effect"
import { ClientAuthentication } from "@effect-bearer/core"

/** What the server must decode: base64 of urlencode(id) ":" urlencode(secret), RFC 6749 §2.3.1. */
const decode = (header: string) => Buffer.from(header.replace(/^Basic /, ""), "base64").toString("utf8")

describe("ClientAuthentication.basicAuthorization", () => {
  const rows: ReadonlyArray<readonly [string, string, string]> = [
    ["plain", "secret", "client:secret"],
    ["a colon in the secret", "se:cret", "client:se%3Acret"],
    ["a plus in the secret", "se+cret", "client:se%2Bcret"],
    ["a percent in the secret", "se%cret", "client:se%25cret"],
    ["a space in the secret", "se cret", "client:se+cret"],
    ["non-ASCII (beyond Latin-1) in the secret", "sécr€t", "client:s%C3%A9cr%E2%82%ACt"]
  ]
  for (const [name, secret, expected] of rows) {
    it(`form-encodes ${name} before Base64`, () => {
      const header = Redacted.value(ClientAuthentication.basicAuthorization("client", Redacted.make(secret)))
      expect(decode(header)).toBe(expected)
    })
  }

  it("form-encodes the client id too", () => {
    const header = ClientAuthentication.basicAuthorization("my:client id", Redacted.make("s"))
    expect(decode(Redacted.value(header))).toBe("my%3Aclient+id:s")
  })
})
