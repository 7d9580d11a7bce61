import { describe, expect, it } from "@effect/vitest"
import { Either, Option } from "effect"
import { TokenResponse } from "@effect-bearer/core"

describe("TokenResponse.validate", () => {
  const valid: ReadonlyArray<readonly [string, unknown, Partial<TokenResponse.TokenResponse>]> = [
    ["a minimal RFC 6749 §5.1 response", { access_token: "t", token_type: "Bearer" }, { expires_in: Option.none() }],
    ["lower-case bearer (Bitquery)", { access_token: "t", token_type: "bearer", expires_in: 2627999 }, { expires_in: Option.some(2627999) }],
    ["expires_in as a numeric string", { access_token: "t", token_type: "Bearer", expires_in: "300" }, { expires_in: Option.some(300) }],
    ["no token_type at all", { access_token: "t" }, { token_type: "Bearer" }],
    ["a scope array joined with spaces", { access_token: "t", scope: ["a", "b"] }, { scope: Option.some("a b") }],
    ["Keycloak's refresh_expires_in 0 as no lifetime", { access_token: "t", refresh_token: "r", refresh_expires_in: 0 }, { refresh_expires_in: Option.none(), refresh_token: Option.some("r") }]
  ]
  for (const [name, body, expected] of valid) {
    it(`accepts ${name}`, () => {
      expect(Either.getOrThrow(TokenResponse.validate(body))).toMatchObject(expected)
    })
  }

  const invalid: ReadonlyArray<readonly [string, unknown, TokenResponse.Invalid["reason"]]> = [
    ["a body that is not an object", ["t"], "InvalidField"],
    ["a missing access_token", { token_type: "Bearer" }, "MissingAccessToken"],
    ["an empty access_token", { access_token: "  ", token_type: "Bearer" }, "MissingAccessToken"],
    ["an access_token that is not a string", { access_token: 42 }, "InvalidField"],
    ["a token_type other than Bearer", { access_token: "t", token_type: "DPoP" }, "UnsupportedTokenType"],
    ["a negative expires_in", { access_token: "t", expires_in: -1 }, "InvalidExpiresIn"],
    ["a zero expires_in", { access_token: "t", expires_in: 0 }, "InvalidExpiresIn"],
    ["a non-numeric expires_in", { access_token: "t", expires_in: "soon" }, "InvalidExpiresIn"],
    ["an infinite expires_in", { access_token: "t", expires_in: "Infinity" }, "InvalidExpiresIn"],
    ["a refresh_token that is not a string", { access_token: "t", refresh_token: {} }, "InvalidField"]
  ]
  for (const [name, body, reason] of invalid) {
    it(`refuses ${name} as ${reason}`, () => {
      expect(TokenResponse.validate(body)).toEqual(Either.left(expect.objectContaining({ reason })))
    })
  }

  it("never quotes the access token in what it reports", () => {
    const error = TokenResponse.validate({ access_token: "secret-value", token_type: "mac secret-value" })
    expect(JSON.stringify(error)).not.toContain("secret-value\"")
    expect(Either.isLeft(error) && error.left.detail).toBe("token_type \"mac secret-value\" is not Bearer")
  })
})
