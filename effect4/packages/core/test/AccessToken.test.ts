import { describe, expect, it } from "@effect/vitest"
import { Duration, Option, Redacted } from "effect"
import { AccessToken } from "@effect-bearer/core"
import { inspect } from "node:util"

const issuedAt = 1_700_000_000_000
const at = (millis: number) => issuedAt + millis
const refresh = (expiresAt: Option.Option<number>, value = "rt") => new AccessToken.RefreshToken({ value: Redacted.make(value), expiresAt })
const token = (value: string, lifetime: Duration.Input = "300 seconds", refreshToken?: AccessToken.RefreshToken) =>
  AccessToken.make({ value: Redacted.make(value), issuedAt, lifetime, refreshToken })

describe("AccessToken.make", () => {
  it("expires a lifetime after it was issued, as a Bearer token of unknown lifetime source", () => {
    const made = token("abc", "5 minutes")
    expect([made.expiresAt, Duration.toMillis(made.lifetime), made.tokenType, made.lifetimeSource]).toEqual([at(300_000), 300_000, "Bearer", "default"])
    expect([made.scope, made.refreshToken]).toEqual([Option.none(), Option.none()])
  })

  it("keeps the scope, the lifetime source and the refresh token it is given", () => {
    const kept = refresh(Option.some(at(1_800_000)))
    const made = AccessToken.make({ value: Redacted.make("abc"), issuedAt, lifetime: "1 hour", lifetimeSource: "expires_in", scope: "read write", refreshToken: kept })
    expect([made.lifetimeSource, made.scope, made.refreshToken]).toEqual(["expires_in", Option.some("read write"), Option.some(kept)])
  })

  it("a token that never expires has an infinite lifetime", () => {
    const forever = token("abc", Duration.infinity)
    expect(forever.expiresAt).toBe(Number.POSITIVE_INFINITY)
    expect(Duration.isFinite(forever.lifetime)).toBe(false)
    expect(AccessToken.isUsable(forever, at(400 * 86_400_000), AccessToken.defaultExpiryMargin(forever.lifetime))).toBe(true)
  })

  it("never prints its value or its refresh token's", () => {
    const made = token("access-secret", "5 minutes", refresh(Option.none(), "refresh-secret"))
    const printed = [String(made), JSON.stringify(made), inspect(made, { depth: 10 })].join("\n")
    expect(printed).not.toContain("access-secret")
    expect(printed).not.toContain("refresh-secret")
  })
})

describe("AccessToken expiry margin", () => {
  it("the margin scales with the lifetime: 10 s for 300 s, 1 s at least, 60 s at most", () => {
    const marginOf = (lifetime: Duration.Duration) => Duration.toSeconds(AccessToken.defaultExpiryMargin(lifetime))
    expect([Duration.seconds(300), Duration.seconds(5), Duration.hours(1), Duration.days(30)].map(marginOf)).toEqual([10, 1, 60, 60])
  })

  it("the margin floor is one second and the shortest lifetime twice that", () => {
    expect([Duration.toMillis(AccessToken.minimumExpiryMargin), Duration.toMillis(AccessToken.minimumLifetime)]).toEqual([1_000, 2_000])
  })

  it("a token is usable until its expiry minus the margin, strictly", () => {
    const made = token("abc")
    const margin = AccessToken.defaultExpiryMargin(made.lifetime)
    expect(AccessToken.usableUntil(made, margin)).toBe(at(290_000))
    expect([AccessToken.isUsable(made, at(289_999), margin), AccessToken.isUsable(made, at(290_000), margin)]).toEqual([true, false])
  })

  it("whatever margin is asked, a token is not usable in its last second", () => {
    const made = token("abc", "10 seconds")
    expect(AccessToken.usableUntil(made, Duration.zero)).toBe(at(9_000))
    expect([AccessToken.isUsable(made, at(8_999), Duration.zero), AccessToken.isUsable(made, at(9_000), Duration.millis(500))]).toEqual([true, false])
  })

  it("the time left never goes below zero", () => {
    const made = token("abc")
    expect([AccessToken.timeLeft(made, at(100_000)), AccessToken.timeLeft(made, at(400_000))].map(Duration.toMillis)).toEqual([200_000, 0])
  })
})

describe("AccessToken.refreshTokenAt", () => {
  it("is the refresh token while it lives, and none once it expired", () => {
    const made = token("abc", "300 seconds", refresh(Option.some(at(200_000))))
    expect(Option.isSome(AccessToken.refreshTokenAt(made, at(199_999)))).toBe(true)
    expect(AccessToken.refreshTokenAt(made, at(200_000))).toEqual(Option.none())
  })

  it("a refresh token without a lifetime lives as long as the server accepts it", () => {
    expect(Option.isSome(AccessToken.refreshTokenAt(token("abc", "300 seconds", refresh(Option.none())), at(365 * 86_400_000)))).toBe(true)
  })

  it("is none for a token without a refresh token", () => {
    expect(AccessToken.refreshTokenAt(token("abc"), issuedAt)).toEqual(Option.none())
  })
})

describe("AccessToken.sameValue", () => {
  it("two tokens with one value are the same, whenever and however issued", () => {
    const first = token("abc")
    const again = AccessToken.make({ value: Redacted.make("abc"), issuedAt: at(60_000), lifetime: "1 hour" })
    expect([AccessToken.sameValue(first, first), AccessToken.sameValue(first, again)]).toEqual([true, true])
  })

  it("two tokens with different values are not", () => {
    expect(AccessToken.sameValue(token("abc"), token("abd"))).toBe(false)
  })
})
