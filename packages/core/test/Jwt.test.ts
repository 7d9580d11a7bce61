import { describe, expect, it } from "@effect/vitest"
import { Duration, Option } from "effect"
import { Jwt } from "@effect-bearer/core"

const jwt = (claims: unknown) =>
  `${Buffer.from("{\"alg\":\"HS512\",\"typ\":\"JWT\"}").toString("base64url")}.${Buffer.from(JSON.stringify(claims)).toString("base64url")}.c2ln`

describe("Jwt", () => {
  it("reads exp and iat from a compact JWS without verifying it", () => {
    expect(Jwt.decodeClaims(jwt({ exp: 1300, iat: 1000, sub: "project" }))).toEqual(
      Option.some({ exp: 1300, iat: 1000, sub: "project" })
    )
  })

  it("treats opaque tokens as having no claims", () => {
    for (const token of ["ory_at_sKK8sSq8", "a.b", "a..c", `x.${Buffer.from("[1]").toString("base64url")}.y`, "x.!!!.y"]) {
      expect(Jwt.decodeClaims(token)).toEqual(Option.none())
    }
  })

  it("takes the lifetime from exp - iat, independent of the local clock", () => {
    const claims = Option.getOrThrow(Jwt.decodeClaims(jwt({ exp: 1300, iat: 1000 })))
    expect(Jwt.lifetime(claims, 999_999_999_000)).toEqual(Option.some(Duration.seconds(300)))
  })

  it("without iat, takes the lifetime from exp - now, and none once expired", () => {
    const claims = Option.getOrThrow(Jwt.decodeClaims(jwt({ exp: 1300 })))
    expect(Jwt.lifetime(claims, 1_000_000)).toEqual(Option.some(Duration.seconds(300)))
    expect(Jwt.lifetime(claims, 1_300_000)).toEqual(Option.none())
  })

  it("ignores an exp that is not a number", () => {
    const claims = Option.getOrThrow(Jwt.decodeClaims(jwt({ exp: "1300" })))
    expect(Jwt.lifetime(claims, 0)).toEqual(Option.none())
  })
})
