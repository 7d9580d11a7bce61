import { describe, expect, it } from "vitest"
import { Jwt } from "@effect-bearer/kernel"

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")
const jwt = (claims: unknown, header: unknown = { alg: "HS512", typ: "JWT" }) => `${part(header)}.${part(claims)}.c2ln`

describe("Jwt", () => {
  it("reads exp and iat from a compact JWS without verifying it", () => {
    expect(Jwt.decodeClaims(jwt({ exp: 1300, iat: 1000, sub: "project" }))).toEqual({ exp: 1300, iat: 1000, sub: "project" })
  })

  it("treats opaque tokens and malformed parts as having no claims", () => {
    for (const token of ["ory_at_sKK8sSq8", "a.b", "a..c", `x.${part([1])}.y`, "x.!!!.y", `x.${part("text")}.y`, "x.%%.y"]) {
      expect(Jwt.decodeClaims(token)).toBeUndefined()
    }
  })

  it("keeps exp and iat only when they are finite numbers", () => {
    expect(Jwt.decodeClaims(jwt({ exp: "1300", iat: null }))).toEqual({ exp: undefined, iat: undefined })
  })

  it("decodes the header with the claims, and nothing when the header is not JSON", () => {
    expect(Jwt.decode(jwt({ exp: 1 }))).toEqual({ header: { alg: "HS512", typ: "JWT" }, claims: { exp: 1, iat: undefined } })
    expect(Jwt.decode(`bm90IGpzb24.${part({ exp: 1 })}.c2ln`)).toBeUndefined()
  })

  it("takes the lifetime from exp - iat, independent of the local clock", () => {
    expect(Jwt.lifetimeMillis({ exp: 1300, iat: 1000 }, 999_999_999_000)).toBe(300_000)
  })

  it("without iat, takes the lifetime from exp - now, and none once expired", () => {
    expect(Jwt.lifetimeMillis({ exp: 1300 }, 1_000_000)).toBe(300_000)
    expect(Jwt.lifetimeMillis({ exp: 1300 }, 1_300_000)).toBeUndefined()
    expect(Jwt.lifetimeMillis({}, 0)).toBeUndefined()
  })
})
