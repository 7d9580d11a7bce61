import { describe, expect, it } from "vitest"
import { RetryAfter } from "@effect-bearer/kernel"

const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT")

describe("RetryAfter.parse", () => {
  it.each([
    ["delay-seconds", "120", 120_000],
    ["delay-seconds with spaces around", " 5 ", 5_000],
    ["zero seconds", "0", 0],
    ["an HTTP-date a minute ahead", "Wed, 21 Oct 2015 07:29:00 GMT", 60_000],
    ["an HTTP-date in the past (no wait)", "Wed, 21 Oct 2015 07:00:00 GMT", 0],
    ["an HTTP-date on 29 Feb of a leap year", "Mon, 29 Feb 2016 00:00:00 GMT", Date.UTC(2016, 1, 29) - now],
    ["an HTTP-date with a leap second", "Wed, 21 Oct 2015 07:29:60 GMT", 119_000],
    ["an rfc850-date a minute ahead", "Wednesday, 21-Oct-15 07:29:00 GMT", 60_000],
    ["an rfc850-date up to 50 years ahead in this century", "Monday, 01-Jan-65 00:00:00 GMT", Date.UTC(2065, 0, 1) - now],
    ["an rfc850-date over 50 years ahead, read as last century (no wait)", "Monday, 01-Jan-99 00:00:00 GMT", 0],
    ["an asctime-date a minute ahead", "Wed Oct 21 07:29:00 2015", 60_000],
    ["an asctime-date with a one-digit day", "Sun Nov  1 07:28:00 2015", 11 * 86_400_000]
  ])("reads %s", (_, header, millis) => {
    expect(RetryAfter.parse(header, now)).toBe(millis)
  })

  it.each([
    ["an absent header", undefined],
    ["an empty header", ""],
    ["text", "soon"],
    ["negative seconds", "-5"],
    ["signed seconds", "+5"],
    ["fractional seconds", "1.5"],
    ["seconds in exponent form", "1e3"],
    ["seconds with a unit", "5s"],
    ["an ISO 8601 date", "2015-10-21T07:29:00Z"],
    ["an HTTP-date without its day name", "21 Oct 2015 07:29:00 GMT"],
    ["an HTTP-date in UTC rather than GMT", "Wed, 21 Oct 2015 07:29:00 UTC"],
    ["an HTTP-date with a numeric zone", "Wed, 21 Oct 2015 07:29:00 +0000"],
    ["an HTTP-date in lower case", "wed, 21 oct 2015 07:29:00 gmt"],
    ["an HTTP-date with a one-digit hour", "Wed, 21 Oct 2015 7:29:00 GMT"],
    ["an HTTP-date with a two-digit year", "Wed, 21 Oct 15 07:29:00 GMT"],
    ["an HTTP-date on a day its month lacks", "Sat, 31 Feb 2015 07:29:00 GMT"],
    ["an HTTP-date at hour 24", "Wed, 21 Oct 2015 24:00:00 GMT"],
    ["an rfc850-date with a short day name", "Wed, 21-Oct-15 07:29:00 GMT"],
    ["an asctime-date with a zone", "Wed Oct 21 07:29:00 2015 GMT"]
  ])("gives undefined for %s", (_, header) => {
    expect(RetryAfter.parse(header, now)).toBeUndefined()
  })
})
