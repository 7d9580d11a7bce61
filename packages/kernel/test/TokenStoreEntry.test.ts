import { describe, expect, it } from "vitest"
import * as TokenStoreEntry from "@effect-bearer/kernel/TokenStoreEntry"

describe("TokenStoreEntry", () => {
  it("writes generation, value and expiresAt as JSON, and reads them back", () => {
    const entry = { value: "sealed", generation: 3, expiresAt: 1_700_000_000_123 }
    expect(JSON.parse(TokenStoreEntry.encode(entry))).toEqual(entry)
    expect(TokenStoreEntry.decode(TokenStoreEntry.encode(entry))).toEqual(entry)
  })

  it.each([
    ["garbage", "\u0000not json{"],
    ["another shape", JSON.stringify({ token: "x" })],
    ["a negative generation", JSON.stringify({ value: "v", generation: -1, expiresAt: 1 })],
    ["a fractional generation", JSON.stringify({ value: "v", generation: 1.5, expiresAt: 1 })],
    ["a value that is not a string", JSON.stringify({ value: 1, generation: 1, expiresAt: 1 })],
    ["an expiry that is not a number", JSON.stringify({ value: "v", generation: 1, expiresAt: "soon" })],
    ["null", "null"]
  ])("reads %s as no entry", (_name, text) => {
    expect(TokenStoreEntry.decode(text)).toBeUndefined()
  })
})
