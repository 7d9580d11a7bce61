import { describe, expect, it } from "@effect/vitest"
import * as BasicAuthorizationCases from "@effect-bearer/conformance/BasicAuthorizationCases"
import { Redacted } from "effect"
import { ClientAuthentication } from "@effect-bearer/core"

/** What the server decodes from a Basic header. */
const decode = (header: string) => Buffer.from(header.replace(/^Basic /, ""), "base64").toString("utf8")

describe("ClientAuthentication.basicAuthorization", () => {
  for (const { clientId, decoded, name, secret } of BasicAuthorizationCases.cases) {
    it(`form-encodes ${name} before Base64`, () => {
      expect(decode(Redacted.value(ClientAuthentication.basicAuthorization(clientId, Redacted.make(secret))))).toBe(decoded)
    })
  }

  it("client_secret_basic with encoding none sends id and secret as they are; post and none put them in the body", () => {
    const secret = Redacted.make("se cret")
    const asIs = ClientAuthentication.toRequestParts(ClientAuthentication.clientSecretBasic({ clientId: "c", clientSecret: secret, encoding: "none" }))
    expect(decode(Redacted.value(asIs.headers["authorization"]!))).toBe("c:se cret")
    expect(ClientAuthentication.toRequestParts(ClientAuthentication.clientSecretPost({ clientId: "c", clientSecret: secret }))).toEqual({
      headers: {},
      parameters: { client_id: "c", client_secret: "se cret" }
    })
    expect(ClientAuthentication.toRequestParts(ClientAuthentication.publicClient())).toEqual({ headers: {}, parameters: {} })
  })
})
