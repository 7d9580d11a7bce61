import { describe, expect, it } from "vitest"
import { TokenResponse } from "@effect-bearer/kernel"

const failure = (body: unknown) => {
  const result = TokenResponse.validate(body)
  return result._tag === "Failure" ? result.invalid : undefined
}

describe("TokenResponse.validate", () => {
  it("reads a full response, lifetimes as numbers or numeric strings", () => {
    expect(
      TokenResponse.validate({
        access_token: "abc",
        token_type: "BEARER",
        expires_in: "300",
        refresh_token: "r t",
        refresh_expires_in: 1800,
        scope: ["a", "b"]
      })
    ).toEqual({
      _tag: "Success",
      response: { access_token: "abc", expires_in: 300, refresh_token: "r t", refresh_expires_in: 1800, scope: "a b" }
    })
  })

  it("leaves absent fields undefined; token_type may be absent, refresh_expires_in 0 means none", () => {
    expect(TokenResponse.validate({ access_token: "abc", refresh_expires_in: 0, refresh_token: " " })).toEqual({
      _tag: "Success",
      response: { access_token: "abc", expires_in: undefined, refresh_token: undefined, refresh_expires_in: undefined, scope: undefined }
    })
  })

  it.each([
    ["a non-object", [], "InvalidField", "the body is not a JSON object"],
    ["no access_token", {}, "MissingAccessToken", "there is no access_token"],
    ["a numeric access_token", { access_token: 1 }, "InvalidField", "access_token is not a string"],
    ["a blank access_token", { access_token: "  " }, "MissingAccessToken", "access_token is empty"],
    ["another token_type", { access_token: "tok", token_type: "mac" }, "UnsupportedTokenType", "token_type \"mac\" is not Bearer"],
    ["a numeric token_type", { access_token: "a", token_type: 1 }, "UnsupportedTokenType", "token_type number is not Bearer"],
    ["expires_in 0", { access_token: "a", expires_in: 0 }, "InvalidExpiresIn", "expires_in is 0: the token would be expired on arrival"],
    ["a negative expires_in", { access_token: "a", expires_in: -1 }, "InvalidExpiresIn", "expires_in is not a non-negative number of seconds"],
    ["a blank expires_in", { access_token: "a", expires_in: " " }, "InvalidExpiresIn", "expires_in is not a non-negative number of seconds"],
    ["an Infinity expires_in", { access_token: "a", expires_in: "Infinity" }, "InvalidExpiresIn", "expires_in is not a non-negative number of seconds"],
    ["a boolean expires_in", { access_token: "a", expires_in: true }, "InvalidExpiresIn", "expires_in is not a non-negative number of seconds"],
    ["a numeric refresh_token", { access_token: "a", refresh_token: 5 }, "InvalidField", "refresh_token is not a string"],
    ["a numeric scope", { access_token: "a", scope: 5 }, "InvalidField", "scope is not a string"]
  ])("refuses %s", (_, body, reason, detail) => {
    expect(failure(body)).toEqual({ reason, detail })
  })

  it("quotes token_type without the response's tokens", () => {
    expect(failure({ access_token: "tok", refresh_token: "ref", token_type: "tok ref\r\n" })?.detail)
      .toBe("token_type \"<redacted> <redacted>\" is not Bearer")
  })
})

describe("TokenResponse.checkTokenSyntax", () => {
  it.each([
    ["access_token", "abc.DEF-_~+/=:%!", undefined],
    ["access_token", "a b", "access_token has a space at character 2 of 3; a bearer token is visible ASCII without spaces (RFC 6750 §2.1)"],
    ["access_token", "ab\r\n", "access_token has a line break at character 3 of 4; a bearer token is visible ASCII without spaces (RFC 6750 §2.1)"],
    ["access_token", "a\u0000", "access_token has a control character at character 2 of 2; a bearer token is visible ASCII without spaces (RFC 6750 §2.1)"],
    ["access_token", "aé", "access_token has a non-ASCII character at character 2 of 2; a bearer token is visible ASCII without spaces (RFC 6750 §2.1)"],
    ["refresh_token", "a b", undefined],
    ["refresh_token", "a\tb", "refresh_token has a control character at character 2 of 3; a refresh token is printable ASCII (RFC 6749 Appendix A.17)"]
  ] as const)("%s %j: %s", (kind, value, detail) => {
    expect(TokenResponse.checkTokenSyntax(kind, value)?.detail).toBe(detail)
  })

  it("calls an empty access token missing and an empty refresh token invalid", () => {
    expect(TokenResponse.checkTokenSyntax("access_token", "", "the static token"))
      .toEqual({ reason: "MissingAccessToken", detail: "the static token is empty" })
    expect(TokenResponse.checkTokenSyntax("refresh_token", "")?.reason).toBe("InvalidField")
  })
})

describe("TokenResponse.decodeErrorResponse", () => {
  it.each([
    [{ error: "invalid_grant" }, { error: "invalid_grant" }],
    [{ error: "e", error_description: "d", error_uri: "u", other: 1 }, { error: "e", error_description: "d", error_uri: "u" }],
    [{ error: 1 }, undefined],
    [{ error: "e", error_description: 1 }, undefined],
    [{ error: "e", error_uri: null }, undefined],
    ["error", undefined],
    [null, undefined]
  ])("%j is %j", (body, expected) => {
    expect(TokenResponse.decodeErrorResponse(body)).toEqual(expected)
  })
})

describe("TokenResponse.parseBody and looksLikeHtml", () => {
  it("tells JSON, not JSON and too large apart", () => {
    expect(TokenResponse.parseBody("{\"a\":1}")).toEqual({ _tag: "Json", value: { a: 1 } })
    expect(TokenResponse.parseBody("null")).toEqual({ _tag: "Json", value: null })
    expect(TokenResponse.parseBody("<html>")).toEqual({ _tag: "NotJson" })
    expect(TokenResponse.parseBody(undefined)).toEqual({ _tag: "TooLarge" })
  })

  it("sees an HTML page by its content type or its first character", () => {
    expect(TokenResponse.looksLikeHtml("oops", "text/html; charset=utf-8")).toBe(true)
    expect(TokenResponse.looksLikeHtml("  <!doctype html>", undefined)).toBe(true)
    expect(TokenResponse.looksLikeHtml("oops", "text/plain")).toBe(false)
  })

  it("sees an access_token only when one is there", () => {
    expect([{ access_token: "a" }, { access_token: undefined }, {}, null].map(TokenResponse.hasAccessToken))
      .toEqual([true, false, false, false])
  })
})
