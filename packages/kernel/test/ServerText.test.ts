import { describe, expect, it } from "vitest"
import { ServerText } from "@effect-bearer/kernel"

describe("ServerText.sanitize", () => {
  it.each([
    ["terminal escapes and controls are removed", "\u001b[31mred\u001b[0m\u0000\u0007", [], "red"],
    ["line breaks and tabs become one space", "a\r\n\tb", [], "a b"],
    ["bidirectional and zero-width characters are removed", "abc\u202edcba\u200b", [], "abcdcba"],
    ["a credential is redacted as is", "bad s3cret", ["s3cret"], "bad <redacted>"],
    ["a credential is redacted form-encoded", "bad s3+cr%26t", ["s3 cr&t"], "bad <redacted>"],
    ["a credential split by a control is redacted", "key s3\u001b[0mcret", ["s3cret"], "key <redacted>"],
    ["the longer of two nested credentials is redacted whole", "x abcdef", ["abc", "abcdef"], "x <redacted>"]
  ] as const)("%s", (_, text, secrets, expected) => {
    expect(ServerText.sanitize(text, secrets)).toBe(expected)
  })

  it("cuts at the limit in characters, ending in …", () => {
    expect(ServerText.sanitize("😀".repeat(300))).toBe(`${"😀".repeat(ServerText.maximumLength - 1)}…`)
    expect(ServerText.sanitize("abcdef", [], 4)).toBe("abc…")
  })

  it("changes nothing the second time", () => {
    const once = ServerText.sanitize(`x\r\n${"y".repeat(300)}`)
    expect(ServerText.sanitize(once)).toBe(once)
  })
})
