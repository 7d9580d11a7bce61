import { describe, expect, it } from "@effect/vitest"
import { Duration, Option, Redacted } from "effect"
import { AccessToken } from "@effect-bearer/core"
import { inspect } from "node:util"

const issuedAt = 1_700_000_000_000
const token = (value: string, lifetime: Duration.DurationInput = "300 seconds", refreshToken?: AccessToken.RefreshToken) =>
  AccessToken.make({ value: Redacted.make(value), issuedAt, lifetime, refreshToken })

describe("AccessToken.make", () => {
  it("expires a lifetime after it was issued, as a Bearer token of unknown lifetime source", () => {
    const made = token("abc", "5 minutes")
    expect(made.expiresAt).toBe(issuedAt + 300_000)
    expect(Duration.toMillis(made.lifetime)).toBe(300_000)
    expect(made.tokenType).toBe("Bearer")
    expect(made.lifetimeSource).toBe("default")
    expect(made.scope).toEqual(Option.none())
    expect(made.refreshToken).toEqual(Option.none())
  })

  it("keeps the scope, the lifetime source and the refresh token it is given", () => {
    const refresh = new AccessToken.RefreshToken({ value: Redacted.make("rt"), expiresAt: Option.some(issuedAt + 1_800_000) })
    const made = AccessToken.make({
      value: Redacted.make("abc"),
      issuedAt,
      lifetime: "1 hour",
      lifetimeSource: "expires_in",
      scope: "read write",
      refreshToken: refresh
    })
    expect(made.lifetimeSource).toBe("expires_in")
    expect(made.scope).toEqual(Option.some("read write"))
    expect(made.refreshToken).toEqual(Option.some(refresh))
  })

  it("a token that never expires has an infinite lifetime", () => {
    const forever = token("abc", Duration.infinity)
    expect(forever.expiresAt).toBe(Number.POSITIVE_INFINITY)
    expect(Duration.isFinite(forever.lifetime)).toBe(false)
    expect(AccessToken.isUsable(forever, issuedAt + 400 * 86_400_000, AccessToken.defaultExpiryMargin(forever.lifetime))).toBe(true)
  })

  it("never prints its value or its refresh token's", () => {
    const refresh = new AccessToken.RefreshToken({ value: Redacted.make("refresh-secret"), expiresAt: Option.none() })
    const made = token("access-secret", "5 minutes", refresh)
    const printed = [String(made), JSON.stringify(made), inspect(made, { depth: 10 })].join("\n")
    expect(printed).not.toContain("access-secret")
    expect(printed).not.toContain("refresh-secret")
  })
})

describe("AccessToken expiry margin", () => {
  it("the margin scales with the lifetime: 10 s for 300 s, 1 s at least, 60 s at most", () => {
    expect(Duration.toSeconds(AccessToken.defaultExpiryMargin(Duration.seconds(300)))).toBe(10)
    expect(Duration.toSeconds(AccessToken.defaultExpiryMargin(Duration.seconds(5)))).toBe(1)
    expect(Duration.toSeconds(AccessToken.defaultExpiryMargin(Duration.hours(1)))).toBe(60)
    expect(Duration.toSeconds(AccessToken.defaultExpiryMargin(Duration.days(30)))).toBe(60)
  })

  it("the margin floor is one second and the shortest lifetime twice that", () => {
    expect(Duration.toMillis(AccessToken.minimumExpiryMargin)).toBe(1_000)
    expect(Duration.toMillis(AccessToken.minimumLifetime)).toBe(2_000)
  })

  it("a token is usable until its expiry minus the margin, strictly", () => {
    const made = token("abc", "300 seconds")
    const margin = AccessToken.defaultExpiryMargin(made.lifetime)
    expect(AccessToken.usableUntil(made, margin)).toBe(issuedAt + 290_000)
    expect(AccessToken.isUsable(made, issuedAt + 289_999, margin)).toBe(true)
    expect(AccessToken.isUsable(made, issuedAt + 290_000, margin)).toBe(false)
  })

  it("whatever margin is asked, a token is not usable in its last second", () => {
    const made = token("abc", "10 seconds")
    expect(AccessToken.usableUntil(made, Duration.zero)).toBe(issuedAt + 9_000)
    expect(AccessToken.isUsable(made, issuedAt + 8_999, Duration.zero)).toBe(true)
    expect(AccessToken.isUsable(made, issuedAt + 9_000, Duration.millis(500))).toBe(false)
  })

  it("the time left never goes below zero", () => {
    const made = token("abc", "300 seconds")
    expect(Duration.toMillis(AccessToken.timeLeft(made, issuedAt + 100_000))).toBe(200_000)
    expect(Duration.toMillis(AccessToken.timeLeft(made, issuedAt + 400_000))).toBe(0)
  })
})

describe("AccessToken.refreshTokenAt", () => {
  const refresh = (expiresAt: Option.Option<number>) =>
    new AccessToken.RefreshToken({ value: Redacted.make("rt"), expiresAt })

  it("is the refresh token while it lives, and none once it expired", () => {
    const made = token("abc", "300 seconds", refresh(Option.some(issuedAt + 200_000)))
    expect(Option.isSome(AccessToken.refreshTokenAt(made, issuedAt + 199_999))).toBe(true)
    expect(AccessToken.refreshTokenAt(made, issuedAt + 200_000)).toEqual(Option.none())
  })

  it("a refresh token without a lifetime lives as long as the server accepts it", () => {
    const made = token("abc", "300 seconds", refresh(Option.none()))
    expect(Option.isSome(AccessToken.refreshTokenAt(made, issuedAt + 365 * 86_400_000))).toBe(true)
  })

  it("is none for a token without a refresh token", () => {
    expect(AccessToken.refreshTokenAt(token("abc"), issuedAt)).toEqual(Option.none())
  })
})

describe("AccessToken.sameValue", () => {
  it("two tokens with one value are the same, whenever and however issued", () => {
    const first = token("abc", "300 seconds")
    const again = AccessToken.make({ value: Redacted.make("abc"), issuedAt: issuedAt + 60_000, lifetime: "1 hour" })
    expect(AccessToken.sameValue(first, first)).toBe(true)
    expect(AccessToken.sameValue(first, again)).toBe(true)
  })

  it("two tokens with different values are not", () => {
    expect(AccessToken.sameValue(token("abc"), token("abd"))).toBe(false)
  })
})
