import { describe, expect, it } from "vitest"
import { Base64 } from "@effect-bearer/kernel"

describe("Base64", () => {
  it("encodes the UTF-8 bytes of text, as Node's Buffer does", () => {
    for (const text of ["", "f", "fo", "foo", "päss wörd ✓", "a:b+c/d"]) {
      expect(Base64.encode(text)).toBe(Buffer.from(text, "utf8").toString("base64"))
    }
  })

  it("decodes base64url with or without padding", () => {
    for (const text of ["", "f", "fo", "foo", "{\"exp\":1}", "ünïcödé ✓"]) {
      const url = Buffer.from(text, "utf8").toString("base64url")
      expect(Base64.decodeUrlToText(url)).toBe(text)
      expect(Base64.decodeUrlToText(url + "=".repeat((4 - (url.length % 4)) % 4))).toBe(text)
    }
  })

  it("refuses what is not base64url or not UTF-8", () => {
    for (const value of ["!!!", "a+b/", "abcde", Buffer.from([0xff, 0xfe]).toString("base64url")]) {
      expect(Base64.decodeUrlToText(value)).toBeUndefined()
    }
  })
})
