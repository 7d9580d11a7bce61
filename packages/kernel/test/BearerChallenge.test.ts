import { describe, expect, it } from "vitest"
import { BearerChallenge } from "@effect-bearer/kernel"

describe("BearerChallenge.blamesToken: which 401 a fresh token may fix (RFC 6750 §3.1)", () => {
  const rows: ReadonlyArray<readonly [header: string | undefined, blamesToken: boolean]> = [
    [undefined, true],
    ["", true],
    ["  ", true],
    ["Bearer", true],
    ["Bearer realm=\"api\"", true],
    ["Bearer realm=\"api\", error=\"invalid_token\", error_description=\"The access token expired\"", true],
    ["bearer error=invalid_token", true],
    ["BEARER ERROR=\"invalid_token\"", true],
    ["Basic realm=\"legacy\", Bearer error=\"invalid_token\"", true],
    ["Basic realm=\"legacy\"", false],
    ["Basic YWxhZGRpbjpvcGVuc2VzYW1l==", false],
    ["Bearer error=\"invalid_request\"", false],
    ["Bearer realm=\"api\", error=\"insufficient_scope\", scope=\"read\"", false],
    ["Negotiate, Basic realm=\"x\"", false]
  ]
  for (const [header, expected] of rows) {
    it(`${JSON.stringify(header)} → ${expected ? "refresh and replay" : "the API's own answer"}`, () => {
      expect(BearerChallenge.blamesToken(header)).toBe(expected)
    })
  }
})

describe("BearerChallenge.parse: the challenges of a WWW-Authenticate value (RFC 9110 §11.6.1)", () => {
  const rows: ReadonlyArray<readonly [header: string, challenges: ReadonlyArray<BearerChallenge.Challenge>]> = [
    ["", []],
    ["Bearer", [{ scheme: "bearer", parameters: {} }]],
    [
      "Basic realm=\"one\", Bearer realm=\"two\", scope=\"a b\"",
      [{ scheme: "basic", parameters: { realm: "one" } }, { scheme: "bearer", parameters: { realm: "two", scope: "a b" } }]
    ],
    ["Bearer Realm=\"x\", ERROR=invalid_token", [{ scheme: "bearer", parameters: { realm: "x", error: "invalid_token" } }]],
    ["Bearer realm=\"a, b\"", [{ scheme: "bearer", parameters: { realm: "a, b" } }]],
    ["Bearer error_description=\"say \\\"hi\\\"\"", [{ scheme: "bearer", parameters: { error_description: "say \"hi\"" } }]],
    ["Bearer realm = \"spaced\"", [{ scheme: "bearer", parameters: { realm: "spaced" } }]],
    ["Basic YWxhZGRpbjpvcGVuc2VzYW1l==, Bearer", [{ scheme: "basic", parameters: {} }, { scheme: "bearer", parameters: {} }]],
    ["Bearer realm=\"unterminated", [{ scheme: "bearer", parameters: { realm: "unterminated" } }]],
    ["realm=\"orphan\", Bearer", [{ scheme: "bearer", parameters: {} }]],
    ["Bearer ; error=x", [{ scheme: "bearer", parameters: { error: "x" } }]]
  ]
  for (const [header, challenges] of rows) {
    it(`${JSON.stringify(header)}`, () => {
      expect(BearerChallenge.parse(header)).toEqual(challenges)
    })
  }
})

describe("BearerChallenge.errorFields: the RFC 6750 §3 fields of the Bearer challenge", () => {
  const rows: ReadonlyArray<readonly [header: string | undefined, fields: BearerChallenge.ErrorFields]> = [
    [
      "Basic realm=\"x\", Bearer realm=\"a, b\", error=invalid_token, error_description=\"say \\\"hi\\\"\", error_uri=\"https://e/x\"",
      { error: "invalid_token", errorDescription: "say \"hi\"", errorUri: "https://e/x" }
    ],
    ["Bearer error=\"insufficient_scope\", scope=\"read\"", { error: "insufficient_scope" }],
    ["Bearer realm=\"api\"", {}],
    ["Basic realm=\"x\"", {}],
    ["", {}],
    [undefined, {}]
  ]
  for (const [header, fields] of rows) {
    it(`${JSON.stringify(header)}`, () => {
      expect(BearerChallenge.errorFields(header)).toEqual(fields)
    })
  }
})
