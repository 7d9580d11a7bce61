import { describe, expect, it } from "vitest"
import { RetryAfter } from "@effect-bearer/kernel"

const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT")

describe("RetryAfter.parse", () => {
  it.each([
    ["delay-seconds", "120", 120_000],
    ["delay-seconds with spaces around", " 5 ", 5_000],
    ["zero seconds", "0", 0],
    ["an HTTP-date a minute ahead", "Wed, 21 Oct 2015 07:29:00 GMT", 60_000],
    ["an HTTP-date in the past (no wait)", "Wed, 21 Oct 2015 07:00:00 GMT", 0]
  ])("reads %s", (_, header, millis) => {
    expect(RetryAfter.parse(header, now)).toBe(millis)
  })

  it.each([
    ["an absent header", undefined],
    ["an empty header", ""],
    ["text", "soon"]
  ])("gives undefined for %s", (_, header) => {
    expect(RetryAfter.parse(header, now)).toBeUndefined()
  })
})
