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

  it("never quotes the access token in what it reports, even where the server repeats it", () => {
    const error = TokenResponse.validate({ access_token: "secret-value", token_type: "mac secret-value" })
    expect(JSON.stringify(error)).not.toContain("secret-value")
    expect(Either.isLeft(error) && error.left.detail).toBe("token_type \"mac <redacted>\" is not Bearer")
  })

  it("strips control characters from the token_type it quotes", () => {
    const error = TokenResponse.validate({ access_token: "t", token_type: "\u001b[31mmac\r\nX-Evil: 1" })
    expect(Either.isLeft(error) && error.left.detail).toBe("token_type \"mac X-Evil: 1\" is not Bearer")
  })
})

describe("TokenResponse.validateTokenSyntax", () => {
  // One row per class of character an Authorization header cannot carry unchanged.
  const badAccessTokens: ReadonlyArray<readonly [string, string, string]> = [
    ["a CR LF (header injection)", "abc\r\nX-Injected: 1", "a line break at character 4 of 18"],
    ["a trailing LF (a token read from a file)", "abc\n", "a line break at character 4 of 4"],
    ["a NUL", "ab\u0000c", "a control character at character 3 of 4"],
    ["a tab", "ab\tc", "a control character at character 3 of 4"],
    ["a DEL", "ab\u007fc", "a control character at character 3 of 4"],
    ["an ESC (terminal escape)", "\u001b[31mabc", "a control character at character 1 of 8"],
    ["a space", "Bearer abc", "a space at character 7 of 10"],
    ["a non-ASCII letter", "tökén", "a non-ASCII character at character 2 of 5"],
    ["a C1 control", "ab\u0085c", "a non-ASCII character at character 3 of 4"],
    ["an emoji", "ab😀c", "a non-ASCII character at character 3 of 4"],
    ["a zero-width space", "ab\u200bc", "a non-ASCII character at character 3 of 4"]
  ]
  for (const [name, token, where] of badAccessTokens) {
    it(`refuses an access_token with ${name}, naming the kind of character but never the token`, () => {
      const result = TokenResponse.validateTokenSyntax("access_token", token)
      expect(result).toEqual(Either.left({
        reason: "InvalidField",
        detail: `access_token has ${where}; a bearer token is visible ASCII without spaces (RFC 6750 §2.1)`
      }))
      // The same rule applies inside a whole token response.
      expect(TokenResponse.validate({ access_token: token, token_type: "Bearer" })).toEqual(result)
    })
  }

  const goodAccessTokens: ReadonlyArray<readonly [string, string]> = [
    ["a JWT", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl"],
    ["an RFC 6750 b64token with padding", "mF_9.B5f-4.1JqM~+/abc=="],
    ["an Ory opaque token (Bitquery)", "ory_at_Xy1-z2.AbC"],
    ["visible ASCII outside b64token (the documented relaxation)", "abc:def%20!#$&'()*,;<>?@[]^`{|}\"x"]
  ]
  for (const [name, token] of goodAccessTokens) {
    it(`accepts ${name} as an access_token`, () => {
      expect(TokenResponse.validateTokenSyntax("access_token", token)).toEqual(Either.right(token))
    })
  }

  const badRefreshTokens: ReadonlyArray<readonly [string, string, string]> = [
    ["a CR LF", "r1\r\nr2", "a line break at character 3 of 6"],
    ["a NUL", "r\u0000", "a control character at character 2 of 2"],
    ["a non-ASCII character", "réfresh", "a non-ASCII character at character 2 of 7"]
  ]
  for (const [name, token, where] of badRefreshTokens) {
    it(`refuses a refresh_token with ${name}`, () => {
      expect(TokenResponse.validate({ access_token: "t", refresh_token: token })).toEqual(Either.left({
        reason: "InvalidField",
        detail: `refresh_token has ${where}; a refresh token is printable ASCII (RFC 6749 Appendix A.17)`
      }))
    })
  }

  it("accepts a refresh_token with a space (RFC 6749 Appendix A.17 allows it; it travels in a form body)", () => {
    expect(TokenResponse.validate({ access_token: "t", refresh_token: "r 1" })).toMatchObject(
      Either.right({ refresh_token: Option.some("r 1") })
    )
  })

  it("names the token as told, for a static token", () => {
    expect(TokenResponse.validateTokenSyntax("access_token", "a b", "the static token")).toEqual(Either.left(
      expect.objectContaining({ detail: expect.stringMatching(/^the static token has a space at character 2 of 3;/) })
    ))
  })
})
