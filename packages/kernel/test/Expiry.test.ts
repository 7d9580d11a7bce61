import { describe, expect, it } from "vitest"
import * as Expiry from "@effect-bearer/kernel/Expiry"

const second = 1_000

describe("Expiry.defaultMargin", () => {
  it.each([
    ["a 300 s token", 300 * second, 10 * second],
    ["an hour-long token", 3_600 * second, 60 * second],
    ["a 30-day token (capped at 60 s)", 30 * 86_400 * second, 60 * second],
    ["a 5 s token (the 1 s floor)", 5 * second, 1 * second],
    ["a 2 s token (the 1 s floor)", 2 * second, 1 * second],
    ["a 45 s token (whole milliseconds)", 45_001, 1_500],
    ["a token that never expires", Number.POSITIVE_INFINITY, 60 * second]
  ])("is a thirtieth of the lifetime between 1 s and 60 s: %s", (_, lifetime, margin) => {
    expect(Expiry.defaultMargin(lifetime)).toBe(margin)
  })
})

describe("Expiry.usableUntil", () => {
  it.each([
    ["the requested margin", 10 * second, 90 * second],
    ["the floor for a zero margin", 0, 99 * second],
    ["the floor for a negative margin", -5 * second, 99 * second],
    ["the floor for a margin under a second", 999, 99 * second]
  ])("is the expiry minus %s", (_, requested, until) => {
    expect(Expiry.usableUntil(100 * second, requested)).toBe(until)
  })

  it("keeps a token that never expires usable forever", () => {
    expect(Expiry.usableUntil(Number.POSITIVE_INFINITY, 60 * second)).toBe(Number.POSITIVE_INFINITY)
  })
})

describe("Expiry.isLongEnough", () => {
  it.each([
    [0.1, false],
    [1 * second, false],
    [1_999, false],
    [2 * second, true],
    [300 * second, true]
  ])("a lifetime of %s ms: %s (the minimum is twice the margin floor)", (lifetime, accepted) => {
    expect(Expiry.minimumLifetime).toBe(2 * Expiry.minimumMargin)
    expect(Expiry.isLongEnough(lifetime)).toBe(accepted)
  })
})

describe("Expiry.isAlive and timeLeft", () => {
  it("an expiry is alive strictly before it; no expiry is alive forever", () => {
    expect(Expiry.isAlive(1_000, 999)).toBe(true)
    expect(Expiry.isAlive(1_000, 1_000)).toBe(false)
    expect(Expiry.isAlive(undefined, Number.MAX_SAFE_INTEGER)).toBe(true)
  })

  it("the time left is never negative", () => {
    expect(Expiry.timeLeft(1_000, 250)).toBe(750)
    expect(Expiry.timeLeft(1_000, 5_000)).toBe(0)
  })
})

describe("Expiry.refreshPoint", () => {
  const token = (lifetime: number) => ({ issuedAt: 1_000_000, expiresAt: 1_000_000 + lifetime })
  const usable = (lifetime: number) => Expiry.usableUntil(1_000_000 + lifetime, Expiry.defaultMargin(lifetime))

  it.each([
    ["80 % of a 300 s token", 300 * second, 0.8, 240 * second],
    ["85 % of a 1000 s token", 1_000 * second, 0.85, 850 * second],
    ["95 % of a 1000 s token is past 90 % of its usable time (966.667 s)", 1_000 * second, 0.95, 870_000.3],
    ["80 % of a 3 s token is past its usable 2 s: 90 % of those", 3 * second, 0.8, 1_800],
    ["a 10.001 s token at 80 %: a fractional instant", 10_001, 0.8, 8_000.8]
  ])("wakes at %s", (_, lifetime, fraction, after) => {
    expect(Expiry.refreshPoint(token(lifetime), usable(lifetime), fraction)).toBeCloseTo(1_000_000 + after, 6)
  })

  it("has no point for a token that is never usable (its lifetime within the margin)", () => {
    expect(Expiry.refreshPoint(token(1 * second), usable(1 * second), 0.8)).toBeUndefined()
    expect(Expiry.refreshPoint(token(500), usable(500), 0.8)).toBeUndefined()
  })

  it("the fraction is `at` plus up to `jitter`", () => {
    expect(Expiry.refreshFraction(Expiry.defaultRefreshAt, Expiry.defaultRefreshJitter, 0)).toBe(0.8)
    expect(Expiry.refreshFraction(0.8, 0.1, 0.5)).toBeCloseTo(0.85, 10)
    expect(Expiry.refreshFraction(0.8, 0, 0.99)).toBe(0.8)
  })
})

describe("Expiry.nextSleep", () => {
  it.each([
    ["whole milliseconds, rounded up", 8_000.8, 0, 8_001],
    ["nothing once the instant is reached", 500, 500, 0],
    ["a negative wait once the instant is past", 500, 700, -200],
    ["at most a day", 30 * 86_400 * second, 0, Expiry.longestSleep],
    ["at most a day towards an instant that never comes", Number.POSITIVE_INFINITY, 0, Expiry.longestSleep]
  ])("%s", (_, instant, now, sleep) => {
    expect(Expiry.nextSleep(instant, now)).toBe(sleep)
  })

  it("the longest sleep is a day, under the 2^31-1 ms timers accept", () => {
    expect(Expiry.longestSleep).toBe(86_400_000)
    expect(Expiry.longestSleep).toBeLessThan(2 ** 31 - 1)
  })
})
