import { describe, expect, it } from "@effect/vitest"
import * as BasicAuthorizationCases from "@effect-bearer/conformance/BasicAuthorizationCases"
import { Redacted } from "effect"
import { ClientAuthentication } from "@effect-bearer/core"

/** What the server must decode: base64 of urlencode(id) ":" urlencode(secret), RFC 6749 §2.3.1. */
const decode = (header: string) => Buffer.from(header.replace(/^Basic /, ""), "base64").toString("utf8")

describe("ClientAuthentication.basicAuthorization", () => {
  for (const { clientId, decoded, name, secret } of BasicAuthorizationCases.cases) {
    it(`form-encodes ${name} before Base64`, () => {
      const header = Redacted.value(ClientAuthentication.basicAuthorization(clientId, Redacted.make(secret)))
      expect(decode(header)).toBe(decoded)
    })
  }
})
