import { describe, expect, it } from "@effect/vitest"
import * as Challenge from "../src/internal/bearerChallenge.js"

describe("BearerHttpClient: which 401 a fresh token may fix (WWW-Authenticate, RFC 6750 §3)", () => {
  const rows: ReadonlyArray<readonly [header: string | undefined, blamesToken: boolean]> = [
    [undefined, true],
    ["", true],
    ["Bearer", true],
    ["Bearer realm=\"api\"", true],
    ["Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The access token expired\"", true],
    ["bearer error=invalid_token", true],
    ["Basic realm=\"legacy\", Bearer error=\"invalid_token\"", true],
    ["Basic realm=\"legacy\"", false],
    ["Basic YWxhZGRpbjpvcGVuc2VzYW1l==", false],
    ["Bearer error=\"invalid_request\"", false],
    ["Bearer realm=\"api\", error=\"insufficient_scope\", scope=\"read\"", false],
    ["Negotiate, Basic realm=\"x\"", false]
  ]
  for (const [header, expected] of rows) {
    it(`${JSON.stringify(header)} → ${expected ? "refresh and replay" : "the API's own answer"}`, () => {
      expect(Challenge.blamesToken(header)).toBe(expected)
    })
  }

  it("reads the RFC 6750 fields of the Bearer challenge, quoted or not, with escapes", () => {
    expect(
      Challenge.bearerError(
        "Basic realm=\"x\", Bearer realm=\"a, b\", error=invalid_token, error_description=\"say \\\"hi\\\"\", error_uri=\"https://e/x\""
      )
    ).toEqual({ error: "invalid_token", errorDescription: "say \"hi\"", errorUri: "https://e/x" })
    expect(Challenge.bearerError("Basic realm=\"x\"")).toEqual({})
    expect(Challenge.bearerError(undefined)).toEqual({})
  })

  it("keeps each challenge's parameters apart", () => {
    expect(Challenge.parse("Basic realm=\"one\", Bearer realm=\"two\", scope=\"a b\"")).toEqual([
      { scheme: "basic", parameters: { realm: "one" } },
      { scheme: "bearer", parameters: { realm: "two", scope: "a b" } }
    ])
  })
})
