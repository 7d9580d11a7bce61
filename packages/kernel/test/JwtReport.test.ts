import { describe, expect, it } from "vitest"
import * as JwtReport from "@effect-bearer/kernel/JwtReport"

const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url")
const jwt = (claims: Record<string, unknown>) => `${part({ alg: "none" })}.${part(claims)}.sig`
const now = 1_700_000_000_000

describe("JwtReport", () => {
  it("decodes header, claims and times, with or without a Bearer prefix", () => {
    const report = JwtReport.decode(` Bearer ${jwt({ sub: "a", iat: 1_699_999_900, exp: 1_700_000_252 })}\n`)
    expect(report).toMatchObject({ header: { alg: "none" }, claims: { sub: "a" }, issuedAt: 1_699_999_900_000, expiresAt: 1_700_000_252_000 })
    expect(JwtReport.decode("ory_at_opaque")).toBeUndefined()
  })

  it("says spans the way people do", () => {
    expect([0, 1_000, 60_000, 252_000, 3_661_000, 90_061_000, -252_000].map(JwtReport.formatSpan)).toEqual([
      "0s",
      "1s",
      "1m",
      "4m 12s",
      "1h 1m 1s",
      "1d 1h 1m 1s",
      "4m 12s"
    ])
    expect(JwtReport.relative(now + 252_000, now)).toBe("in 4m 12s")
    expect(JwtReport.relative(now - 60_000, now)).toBe("1m ago")
  })

  it("prints aligned lines: issued, expires in, or expired ago", () => {
    const report = JwtReport.decode(jwt({ sub: "a", iat: 1_699_999_900, exp: 1_700_000_252 }))!
    expect(JwtReport.text(report, now).split("\n")).toEqual([
      `header   {"alg":"none"}`,
      "claims   {",
      `           "sub": "a",`,
      `           "iat": 1699999900,`,
      `           "exp": 1700000252`,
      "         }",
      "issued   2023-11-14T22:11:40.000Z (1m 40s ago)",
      "expires  2023-11-14T22:17:32.000Z (in 4m 12s)"
    ])
    expect(JwtReport.text(report, now + 300_000)).toContain("expired  2023-11-14T22:17:32.000Z (48s ago)")
    expect(JwtReport.text(JwtReport.decode(jwt({ sub: "a" }))!, now)).toContain("expires  never (no exp claim)")
  })

  it("prints JSON with the expiry, the seconds left and whether it has expired", () => {
    const report = JwtReport.decode(jwt({ exp: 1_700_000_252 }))!
    expect(JSON.parse(JwtReport.json(report, now))).toEqual({
      header: { alg: "none" },
      claims: { exp: 1_700_000_252 },
      expires_at: "2023-11-14T22:17:32.000Z",
      seconds_left: 252,
      expired: false
    })
    expect(JSON.parse(JwtReport.json(report, now + 300_000))).toMatchObject({ seconds_left: 0, expired: true })
  })
})
